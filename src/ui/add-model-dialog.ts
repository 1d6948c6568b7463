import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { AvailableModel } from '../catalog/available-model.js';
import type { AvailableModels } from '../catalog/available-models.js';
import type { ModelTag } from '../catalog/model-tag.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { ModelName } from '../ollama/model-name.js';
import { errorText } from '../util/errors.js';
import { formatBytes, fillTemplate } from '../util/text.js';
import { escapeMarkup } from './markup.js';
import { PaddockSearchablePulldown } from './searchable-pulldown.js';
import { PaddockCatalogModelRow } from './catalog-model-row.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { inBackground } from '../util/background.js';
import { systemClock } from '../util/clock.js';
import { PaddockHubModelSearch } from './hub-model-search.js';

/**
 * Preferences → Models → Add Model: pick a server, find a model in the catalog (or type
 * any valid Ollama name), pick its size, and hand the pull to the pull manager.
 */
export class PaddockAddModelDialog extends Adw.PreferencesDialog {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockAddModelDialog',
        Template: 'resource:///io/github/paddock/Paddock/ui/add-model-dialog.ui',
        InternalChildren: [
          'connection_row',
          'model_group',
          'refresh_button',
          'details_group',
          'picked_row',
          'size_row',
          'problem_label',
          'start_button',
          'source_toggle',
          'hub_group',
        ],
      },
      this,
    );
  }

  declare _connection_row: Adw.ComboRow;
  declare _model_group: Adw.PreferencesGroup;
  declare _refresh_button: Gtk.Button;
  declare _details_group: Adw.PreferencesGroup;
  declare _picked_row: Adw.ActionRow;
  declare _size_row: Adw.ComboRow;
  declare _problem_label: Gtk.Label;
  declare _start_button: Gtk.Button;
  declare _source_toggle: Adw.ToggleGroup;
  declare _hub_group: Adw.PreferencesGroup;

  private readonly cancellable = new Gio.Cancellable();
  private catalog: AvailableModels | null = null;
  private refreshing = false;
  private picked: AvailableModel | null = null;
  private tags: readonly ModelTag[] = [];
  /** Names (with and without tag) installed on the chosen server. */
  private installed = new Set<string>();
  /** The name Start Download would pull, or null when there is nothing valid to pull. */
  private pullName: string | null = null;
  /** The Hugging Face side, made when first chosen. */
  private hub: PaddockHubModelSearch | null = null;
  /** What the library side would pull while Hugging Face is shown, to restore on return. */
  private libraryPull: [name: string | null, problem: string | null] = [null, null];

  constructor(private readonly paddock: PaddockApplication) {
    super();
    this._connection_row.model = paddock.connections.model;
    this._connection_row.expression = Gtk.PropertyExpression.new(
      paddock.connections.model.get_item_type(),
      null,
      'name',
    );
    const model = paddock.connections.model;
    const current = paddock.connections.getDefault();
    for (let i = 0; current && i < model.get_n_items(); i++)
      if (model.get_item(i) === current) this._connection_row.selected = i;

    this.connect('closed', () => this.cancellable.cancel());
    this._model_group.description = _('Loading the model catalog…');
    inBackground(this.loadCatalog(), 'reading the model catalog');
    inBackground(this.loadInstalled(), 'listing the installed models');
  }

  private get connection(): ConnectionItem | null {
    return this._connection_row.selected_item as ConnectionItem | null;
  }

  private async loadCatalog(): Promise<void> {
    const catalog = await this.paddock.catalog();
    if (this.cancellable.is_cancelled()) return;
    this.catalog = catalog;
    connectObject(this, catalog, { 'notify::problem': () => this.showCatalogState() });
    this.connect('unrealize', () => disconnectObject(this));
    this.showCatalogState();
    // A list older than 3 days is downloaded again; the pulldown follows the model.
    inBackground(
      this.refreshCatalog(() => catalog.refreshIfStale()),
      'refreshing the model catalog',
    );
    const pulldown = new PaddockSearchablePulldown<AvailableModel>({
      model: catalog,
      itemText: (item) => item.name,
      itemDescription: (item) => item.description,
      createRow: (item) =>
        new PaddockCatalogModelRow(item, this.installed.has(item.name.toLowerCase())),
      placeholder: _('Search models (e.g., gemma3, qwen3)'),
      accessibleName: _('Model'),
      listAccessibleName: _('Matching models'),
    });
    pulldown.connect('activated', (_pulldown, item: AvailableModel) => this.choose(item, null));
    pulldown.connect('notify::text', () => this.onTextChanged(pulldown.text));
    pulldown.connect('entry-activated', () => {
      if (this._start_button.sensitive) this.start();
    });
    this._model_group.add(pulldown);
    pulldown.grab_focus();
  }

  protected on_refresh_clicked(): void {
    const catalog = this.catalog;
    if (catalog)
      inBackground(
        this.refreshCatalog(() => catalog.refresh()),
        'refreshing the model catalog',
      );
  }

  /** Runs a refresh of the catalog (it goes on for the app if the dialog closes). */
  private async refreshCatalog(refresh: () => Promise<void>): Promise<void> {
    this.refreshing = true;
    this.showCatalogState();
    try {
      await refresh();
    } catch (error) {
      console.warn(`Paddock: cannot refresh the model catalog: ${String(error)}`);
    }
    this.refreshing = false;
    if (!this.cancellable.is_cancelled()) this.showCatalogState();
  }

  /** Why the list may be old, and Refresh while it is (stale, or its download failed). */
  private showCatalogState(): void {
    const catalog = this.catalog;
    if (!catalog) return;
    // The problem quotes the catalog's address and server (see markup.ts).
    this._model_group.description = escapeMarkup(catalog.problem ?? '');
    this._refresh_button.visible = catalog.isStale;
    this._refresh_button.sensitive = !this.refreshing;
  }

  private async loadInstalled(): Promise<void> {
    const connection = this.connection;
    this.installed = new Set();
    if (!connection) return;
    try {
      const client = await this.paddock.clients.clientFor(connection.id);
      const models = await client.tags(this.cancellable);
      for (const model of models) {
        const name = model.name.toLowerCase();
        this.installed.add(name);
        this.installed.add(ModelName.splitTag(name)[0]);
      }
      this.updatePicked();
    } catch {
      // Without the list, nothing is marked installed; the pull itself will say more.
    }
  }

  protected on_connection_changed(): void {
    inBackground(this.loadInstalled(), 'listing the installed models');
    this.validate();
  }

  protected on_size_changed(): void {
    this.updatePicked();
  }

  // The source switch: the Ollama library above, or Hugging Face (src/ui/hub-model-search.ts).
  private get fromHub(): boolean {
    return this._source_toggle.active_name === 'hub';
  }

  protected on_source_changed(): void {
    const fromHub = this.fromHub;
    this._model_group.visible = !fromHub;
    this._details_group.visible = !fromHub && this.picked !== null;
    this._hub_group.visible = fromHub;
    if (!fromHub) {
      this.showPull(...this.libraryPull);
      return;
    }
    if (!this.hub) {
      const hub = new PaddockHubModelSearch(this.paddock.hub(), systemClock);
      hub.connect('pull-changed', () => {
        if (this.fromHub) this.showPull(hub.pullName, hub.problem);
      });
      this.connect('closed', () => hub.dispose());
      this._hub_group.add(hub);
      this.hub = hub;
    }
    this.showPull(this.hub.pullName, this.hub.problem);
    this.hub.focusEntry();
  }

  protected on_start_clicked(): void {
    this.start();
  }

  /** A typed name: a catalog model (with a tag, maybe), or any valid Ollama name. */
  private onTextChanged(text: string): void {
    const typed = text.trim();
    if (this.picked && typed === this.pickedText()) return;
    this.picked = null;
    this._details_group.visible = false;
    if (typed === '') {
      this.setPullName(null, null);
      return;
    }
    const [family, tag] = ModelName.splitTag(typed);
    const known = this.catalog?.find(family) ?? null;
    if (known && (tag === null || known.findTag(tag))) {
      this.choose(known, tag);
      return;
    }
    try {
      this.setPullName(ModelName.parse(typed).display, null);
    } catch (error) {
      this.setPullName(null, errorText(error));
    }
  }

  private choose(model: AvailableModel, tagName: string | null): void {
    this.picked = model;
    this.tags = model.tags;
    const labels = this.tags.map((tag) => tagLabel(tag));
    this._size_row.model = Gtk.StringList.new(labels);
    const chosen = (tagName ? model.findTag(tagName) : null) ?? model.defaultTag ?? this.tags[0];
    this._size_row.selected = Math.max(0, this.tags.indexOf(chosen));
    this._details_group.visible = true;
    this.updatePicked();
  }

  private pickedText(): string {
    return this.picked?.name ?? '';
  }

  private updatePicked(): void {
    const model = this.picked;
    if (!model) return;
    const tag = this.tags[this._size_row.selected] ?? null;
    const name = tag ? tag.pullName(model.name) : model.name;
    this._picked_row.title = name;
    const installed = this.installed.has(name.toLowerCase());
    this._picked_row.subtitle = [
      model.description,
      installed
        ? fillTemplate(_('{server} already has this model; downloading it again updates it.'), {
            server: this.connection?.name ?? '',
          })
        : '',
    ]
      .filter(Boolean)
      .join('\n');
    if (tag?.isCloud)
      this.setPullName(
        null,
        fillTemplate(
          _('{name} runs on ollama.com, not on your server: there is nothing to download.'),
          { name },
        ),
      );
    else this.setPullName(name, null);
  }

  private setPullName(name: string | null, problem: string | null): void {
    this.libraryPull = [name, problem];
    if (!this.fromHub) this.showPull(name, problem);
  }

  private showPull(name: string | null, problem: string | null): void {
    this.pullName = name;
    this._problem_label.label = problem ?? '';
    this._problem_label.visible = problem !== null;
    this.validate();
  }

  private validate(): void {
    this._start_button.sensitive = this.pullName !== null && this.connection !== null;
  }

  private start(): void {
    const connection = this.connection;
    if (!this.pullName || !connection) return;
    const tag = this.picked ? (this.tags[this._size_row.selected] ?? null) : null;
    const sizeHint = this.fromHub ? (this.hub?.sizeHint ?? null) : (tag?.sizeBytes ?? null);
    this.paddock.pulls.start(connection.id, this.pullName, { sizeHint });
    this.close();
  }
}

/** "8b — 4.9 GB · 128K context · Text, Image"; cloud tags say where they run. */
function tagLabel(tag: ModelTag): string {
  const facts = [
    tag.isCloud
      ? _('runs on ollama.com')
      : tag.sizeBytes !== null
        ? formatBytes(tag.sizeBytes)
        : null,
    tag.context ? fillTemplate(_('{context} context'), { context: tag.context }) : null,
    tag.input,
  ].filter((fact): fact is string => Boolean(fact));
  return facts.length > 0 ? `${tag.name} — ${facts.join(' · ')}` : tag.name;
}
