import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import { errorText } from '../util/errors.js';
import { fillTemplate, formatBytes } from '../util/text.js';
import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { parseContextLengthText } from '../config/connection.js';
import type { ConnectionChanges } from '../config/connection-store.js';
import { parseMemoryText } from '../fit/server-memory.js';
import { OllamaClient } from '../ollama/client.js';
import { sendsKeyInClear, urlHost, urlOrigin, validateServerUrl } from '../ollama/ollama-host.js';
import { inBackground } from '../util/background.js';
import { confirmRemoval } from './confirm-removal.js';

type KeyDecision = 'keep' | 'remove' | 'cancel';

/** A stored memory figure as the field shows it ("24.0 GB"), empty when there is none. */
function memoryText(bytes: number | undefined): string {
  return bytes === undefined ? '' : formatBytes(bytes);
}

/** Adds a server, or edits one: address, name, API key, and a test before saving. */
export class PaddockConnectionDialog extends Adw.Dialog {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockConnectionDialog',
        Template: 'resource:///io/github/paddock/Paddock/ui/connection-dialog.ui',
        InternalChildren: [
          'save_button',
          'url_row',
          'name_row',
          'api_key_row',
          'default_row',
          'memory_row',
          'ram_row',
          'gpu_row',
          'context_row',
          'remove_group',
          'messages_group',
          'problem_label',
          'warning_label',
          'test_row',
          'test_spinner',
          'test_button',
        ],
      },
      this,
    );
  }

  declare _save_button: Gtk.Button;
  declare _url_row: Adw.EntryRow;
  declare _name_row: Adw.EntryRow;
  declare _api_key_row: Adw.PasswordEntryRow;
  declare _default_row: Adw.SwitchRow;
  declare _memory_row: Adw.ExpanderRow;
  declare _ram_row: Adw.EntryRow;
  declare _gpu_row: Adw.EntryRow;
  declare _context_row: Adw.EntryRow;
  declare _remove_group: Adw.PreferencesGroup;
  declare _messages_group: Adw.PreferencesGroup;
  declare _problem_label: Gtk.Label;
  declare _warning_label: Gtk.Label;
  declare _test_row: Adw.ActionRow;
  declare _test_spinner: Adw.Spinner;
  declare _test_button: Gtk.Button;

  private readonly cancellable = new Gio.Cancellable();
  private urlTouched = false;
  /** Whether the connection edited has a stored key, as far as the keyring said yet. */
  private storedKey: 'loading' | 'none' | 'some' | 'unknown' = 'none';
  /** Only a key the user typed changes the stored one: an empty field may just not be filled yet. */
  private keyEdited = false;
  private fillingKey = false;
  /** Why the stored key could not be read, shown until the address problem takes its place. */
  private keyProblem: string | null = null;
  /** The memory fields as filled in: saved again only when changed (the text rounds). */
  private shownMemory = { ram: '', gpu: '', context: '' };

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly item: ConnectionItem | null,
  ) {
    super();
    this.title = item ? _('Edit Connection') : _('Add Connection');
    this._save_button.label = item ? _('_Save') : _('_Add');
    this._test_row.use_markup = false;
    // The default can only move to another connection, never be switched off.
    const isDefault = item ? item.isDefault : paddock.connections.getDefault() === null;
    this._default_row.active = isDefault;
    this._default_row.sensitive = !isDefault;
    this._remove_group.visible = item !== null;
    if (item) {
      this._url_row.text = item.url;
      this._name_row.text = item.name;
      this.shownMemory = {
        ram: memoryText(item.ramBytes),
        gpu: memoryText(item.gpuBytes),
        context: item.contextLength === undefined ? '' : String(item.contextLength),
      };
      this._ram_row.text = this.shownMemory.ram;
      this._gpu_row.text = this.shownMemory.gpu;
      this._context_row.text = this.shownMemory.context;
      this._memory_row.expanded =
        item.ramBytes !== undefined ||
        item.gpuBytes !== undefined ||
        item.contextLength !== undefined;
      this.urlTouched = true;
      this.storedKey = 'loading';
      paddock.connections.getApiKey(item.id).then(
        (key) => {
          this.storedKey = key ? 'some' : 'none';
          if (!key || this.keyEdited) return;
          this.fillingKey = true;
          this._api_key_row.text = key;
          this.fillingKey = false;
        },
        (error: unknown) => {
          this.storedKey = 'unknown';
          this.keyProblem = errorText(error);
          this.validate();
        },
      );
    } else {
      this._url_row.text = 'http://';
      // A half-typed address is no error yet.
      this.urlTouched = false;
    }
    this.connect('closed', () => this.cancellable.cancel());
    this.validate();
  }

  protected on_url_changed(): void {
    this.urlTouched = true;
    this.validate();
  }

  protected on_name_changed(): void {
    this.validate();
  }

  protected on_memory_changed(): void {
    this.validate();
  }

  protected on_api_key_changed(): void {
    if (!this.fillingKey) this.keyEdited = true;
    this.validate();
  }

  protected on_entry_activated(): void {
    if (this._save_button.sensitive) inBackground(this.save(), 'saving a connection');
  }

  protected on_cancel_clicked(): void {
    this.close();
  }

  protected on_save_clicked(): void {
    inBackground(this.save(), 'saving a connection');
  }

  protected on_remove_activated(): void {
    const item = this.item;
    if (!item) return;
    confirmRemoval(
      this,
      fillTemplate(_('Remove “{name}”?'), { name: item.name }),
      _('Paddock forgets this server and its API key. The models on the server are not touched.'),
      () =>
        inBackground(
          this.paddock.connections
            .remove(item.id)
            .then(() => this.close())
            .catch((error: unknown) => this.showProblem(errorText(error))),
          'removing a connection',
        ),
    );
  }

  protected on_test_clicked(): void {
    inBackground(this.test(), 'testing a connection');
  }

  /** The address as the user typed it, checked; null (with the reason shown) if it is not usable. */
  private validate(): string | null {
    const result = validateServerUrl(this._url_row.text);
    const url = 'url' in result ? result.url : null;
    const memoryProblem =
      this.checkMemory(this._ram_row) ??
      this.checkMemory(this._gpu_row) ??
      this.checkContextLength();
    this.showProblem(
      url || !this.urlTouched
        ? (memoryProblem ?? this.keyProblem)
        : (result as { error: string }).error,
    );
    this._url_row.remove_css_class('error');
    if (!url && this.urlTouched) this._url_row.add_css_class('error');

    this._warning_label.visible =
      url !== null && this._api_key_row.text.length > 0 && sendsKeyInClear(url);
    this.updateMessages();

    this._save_button.sensitive = url !== null && memoryProblem === null;
    this._test_button.sensitive = url !== null;
    return url;
  }

  /** Marks a memory field that holds no size; the reason, or null when it is fine. */
  private checkMemory(row: Adw.EntryRow): string | null {
    const parsed = parseMemoryText(row.text);
    row.remove_css_class('error');
    if (!('error' in parsed)) return null;
    row.add_css_class('error');
    return parsed.error;
  }

  /** Marks a context length field that holds no count of tokens; the reason, or null. */
  private checkContextLength(): string | null {
    const parsed = parseContextLengthText(this._context_row.text);
    this._context_row.remove_css_class('error');
    if (!('error' in parsed)) return null;
    this._context_row.add_css_class('error');
    return parsed.error;
  }

  /** The memory fields the user changed, as bytes or tokens (null: cleared). */
  private memoryChanges(): Pick<ConnectionChanges, 'ramBytes' | 'gpuBytes' | 'contextLength'> {
    const changes: Pick<ConnectionChanges, 'ramBytes' | 'gpuBytes' | 'contextLength'> = {};
    for (const [key, row, shown] of [
      ['ramBytes', this._ram_row, this.shownMemory.ram],
      ['gpuBytes', this._gpu_row, this.shownMemory.gpu],
    ] as const) {
      const parsed = parseMemoryText(row.text);
      if (row.text.trim() !== shown.trim() && 'bytes' in parsed) changes[key] = parsed.bytes;
    }
    const context = parseContextLengthText(this._context_row.text);
    if (this._context_row.text.trim() !== this.shownMemory.context && 'tokens' in context)
      changes.contextLength = context.tokens;
    return changes;
  }

  private showProblem(text: string | null): void {
    this._problem_label.label = text ?? '';
    this._problem_label.visible = text !== null;
    this.updateMessages();
  }

  /** An empty group would still leave a gap. */
  private updateMessages(): void {
    this._messages_group.visible = this._problem_label.visible || this._warning_label.visible;
  }

  private async test(): Promise<void> {
    const url = this.validate();
    if (!url) return;
    this._test_spinner.visible = true;
    this._test_button.sensitive = false;
    this._test_row.remove_css_class('connection-failed');
    const client = new OllamaClient({ baseUrl: url, apiKey: this._api_key_row.text || null });
    try {
      const version = await client.version(this.cancellable);
      this._test_row.subtitle = fillTemplate(_('Connected: Ollama {version}'), { version });
    } catch (error) {
      if (this.cancellable.is_cancelled()) return;
      this._test_row.subtitle = errorText(error);
      this._test_row.add_css_class('connection-failed');
    } finally {
      this._test_spinner.visible = false;
      this._test_button.sensitive = true;
    }
  }

  private async save(): Promise<void> {
    const url = this.validate();
    if (!url || !this._save_button.sensitive) return;
    const name = this._name_row.text.trim() || urlHost(url);
    const typedKey = this._api_key_row.text || null;
    const connections = this.paddock.connections;
    this._save_button.sensitive = false;
    try {
      let saved: ConnectionItem;
      if (this.item) {
        const changes: ConnectionChanges = { name, url, ...this.memoryChanges() };
        if (this.keyEdited) changes.apiKey = typedKey;
        else if (urlOrigin(url) !== urlOrigin(this.item.url)) {
          const decision = await this.askAboutKey(this.item, url);
          if (decision === 'cancel') {
            this._save_button.sensitive = true;
            return;
          }
          if (decision === 'remove') changes.apiKey = null;
        }
        saved = await connections.update(this.item.id, changes);
      } else {
        saved = await connections.add({ name, url, apiKey: typedKey, ...this.memoryChanges() });
      }
      if (this._default_row.active && !saved.isDefault) await connections.setDefault(saved.id);
      this.close();
    } catch (error) {
      this.showProblem(errorText(error));
      this._save_button.sensitive = true;
    }
  }

  /**
   * A key belongs to the server it was given for: moved to another one, it goes along only
   * if the user says so. No question when there is surely no key.
   */
  private askAboutKey(item: ConnectionItem, url: string): Promise<KeyDecision> {
    // A key not read yet, or not readable, may well exist: ask.
    if (this.storedKey === 'none') return Promise.resolve('keep');
    const alert = new Adw.AlertDialog({
      heading: _('Keep the API Key?'),
      body: fillTemplate(
        _(
          'The API key of “{name}” was for {old}. Keep it to send it to {new} from now on, or remove it.',
        ),
        { name: item.name, old: item.url, new: url },
      ),
      close_response: 'cancel',
      default_response: 'cancel',
    });
    alert.add_response('cancel', _('_Cancel'));
    alert.add_response('remove', _('_Remove Key'));
    alert.add_response('keep', _('_Keep Key'));
    alert.set_response_appearance('remove', Adw.ResponseAppearance.DESTRUCTIVE);
    return new Promise((resolve) => {
      alert.connect('response', (_alert, response: string) =>
        resolve(response === 'keep' || response === 'remove' ? response : 'cancel'),
      );
      alert.present(this);
    });
  }
}
