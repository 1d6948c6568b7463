import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gdk from 'gi://Gdk?version=4.0';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import Pango from 'gi://Pango';
import { ngettext, gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { GenerationStats } from '../library/generation-stats.js';
import { processorText } from '../library/gpu-share.js';
import { ModelDetails } from '../library/model-details.js';
import { unloadCountdown } from '../library/unload-countdown.js';
import type { OllamaClient } from '../ollama/client.js';
import { ModelName } from '../ollama/model-name.js';
import type { InstalledModel, RunningModel } from '../ollama/types.js';
import { inBackground } from '../util/background.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { fillTemplate, formatBytes } from '../util/text.js';
import { setAccessibleName } from './accessible-name.js';
import { removeModel } from './model-actions.js';

/** How often the loaded state is asked for while the page is shown. */
const PS_INTERVAL_MS = 5000;

/**
 * One installed model: its facts from /api/show, whether it is loaded (with a live
 * countdown), Update / Copy as… / Remove / Load / Unload / Keep loaded, and Try it.
 */
export class PaddockModelDetailsPage extends Adw.NavigationPage {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockModelDetailsPage',
        Template: 'resource:///io/github/paddock/Paddock/ui/model-details-page.ui',
        InternalChildren: [
          'facts_group',
          'update_button',
          'copy_as_button',
          'remove_button',
          'loading_row',
          'loading_spinner',
          'loaded_row',
          'load_button',
          'keep_button',
          'unload_button',
          'prompt_row',
          'run_button',
          'reply_label',
          'stats_label',
          'texts_group',
          'license_row',
          'license_label',
          'modelfile_group',
          'modelfile_view',
        ],
      },
      this,
    );
  }

  declare _facts_group: Adw.PreferencesGroup;
  declare _update_button: Gtk.Button;
  declare _copy_as_button: Gtk.Button;
  declare _remove_button: Gtk.Button;
  declare _loading_row: Adw.ActionRow;
  declare _loading_spinner: Adw.Spinner;
  declare _loaded_row: Adw.ActionRow;
  declare _load_button: Gtk.Button;
  declare _keep_button: Gtk.Button;
  declare _unload_button: Gtk.Button;
  declare _prompt_row: Adw.EntryRow;
  declare _run_button: Gtk.Button;
  declare _reply_label: Gtk.Label;
  declare _stats_label: Gtk.Label;
  declare _texts_group: Adw.PreferencesGroup;
  declare _license_row: Adw.ExpanderRow;
  declare _license_label: Gtk.Label;
  declare _modelfile_group: Adw.PreferencesGroup;
  declare _modelfile_view: Gtk.TextView;

  private details: ModelDetails | null = null;
  private running: RunningModel | null = null;
  /** Cancelled on unmap: everything the page asks the server for while shown. */
  private cancellable = new Gio.Cancellable();
  /** The running Try, which Stop cancels. */
  private tryCancellable: Gio.Cancellable | null = null;
  private psTimer: TimerHandle | null = null;
  private countdownTimer: TimerHandle | null = null;
  private startTimer: TimerHandle | null = null;
  private busy = false;

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly connection: ConnectionItem,
    private readonly model: InstalledModel,
    private readonly toast: (title: string) => void,
    private readonly clock: Clock = systemClock,
  ) {
    super();
    // The title shows in the header bar as plain text.
    this.title = model.name;
    const names: [Gtk.Widget, string][] = [
      [this._update_button, fillTemplate(_('Update {name}'), { name: model.name })],
      [this._copy_as_button, fillTemplate(_('Copy {name} As…'), { name: model.name })],
      [this._remove_button, fillTemplate(_('Remove {name}'), { name: model.name })],
      [this._load_button, fillTemplate(_('Load {name}'), { name: model.name })],
      [this._keep_button, fillTemplate(_('Keep {name} Loaded'), { name: model.name })],
      [this._unload_button, fillTemplate(_('Unload {name}'), { name: model.name })],
      [this._run_button, _('Run the Prompt')],
    ];
    for (const [widget, name] of names) setAccessibleName(widget, name);
    this._update_button.tooltip_text = names[0][1];
    this._remove_button.tooltip_text = names[2][1];
    this.showRunning(null);

    this.connect('map', () => {
      if (this.startTimer !== null) return;
      // A page being pushed is mapped, unmapped and mapped again at once: start when that
      // has settled, or the first requests are cancelled as soon as they are sent.
      this.startTimer = this.clock.timeout(0, () => {
        this.startTimer = null;
        if (this.get_mapped()) this.start();
      });
    });
    this.connect('unmap', () => {
      this.cancellable.cancel();
      this.tryCancellable?.cancel();
      this.stopTimers();
    });
  }

  private start(): void {
    this.cancellable = new Gio.Cancellable();
    if (this.details === null) inBackground(this.loadDetails(), 'reading the model details');
    this.pollRunning();
  }

  private client(): Promise<OllamaClient> {
    return this.paddock.clients.clientFor(this.connection.id);
  }

  private async loadDetails(): Promise<void> {
    const cancellable = this.cancellable;
    try {
      const client = await this.client();
      const show = await client.show(this.model.name, {}, cancellable);
      this.showDetails(new ModelDetails(this.model.name, show, this.model));
    } catch (error) {
      if (cancellable.is_cancelled()) return;
      this._loading_row.use_markup = false;
      this._loading_row.title = _('Can’t read the model’s details');
      this._loading_row.subtitle = errorText(error);
      this._loading_row.subtitle_lines = 0;
      this._loading_spinner.visible = false;
    }
  }

  private showDetails(details: ModelDetails): void {
    // The page may be mapped again while the first answer is on its way.
    if (this.details !== null) return;
    this.details = details;
    this._facts_group.remove(this._loading_row);
    for (const fact of details.facts) {
      // Values are the server's text (see markup.ts): markup off before they are set.
      const row = new Adw.ActionRow({ use_markup: false, css_classes: ['property'] });
      row.title = fact.label;
      row.subtitle = fact.value;
      row.subtitle_selectable = true;
      this._facts_group.add(row);
    }

    if (details.license) {
      this._license_row.subtitle = details.license.summary;
      this._license_label.label = details.license.text;
      this._license_row.visible = true;
    }
    const texts: [string, string | null][] = [
      [_('System Prompt'), details.system],
      [_('Template'), details.template],
      [_('Parameters'), details.parameters],
    ];
    for (const [title, text] of texts) {
      if (text === null) continue;
      const row = new Adw.ExpanderRow({ use_markup: false, title });
      const label = new Gtk.Label({
        label: text,
        wrap: true,
        wrap_mode: Pango.WrapMode.WORD_CHAR,
        selectable: true,
        xalign: 0,
        css_classes: ['monospace'],
        margin_top: 12,
        margin_bottom: 12,
        margin_start: 12,
        margin_end: 12,
      });
      row.add_row(label);
      this._texts_group.add(row);
    }
    this._texts_group.visible = details.license !== null || texts.some(([, text]) => text);
    if (details.modelfile !== null) {
      this._modelfile_view.buffer.text = details.modelfile;
      this._modelfile_group.visible = true;
    }
    if (this.isEmbedding()) this._prompt_row.text = _('The quick brown fox');
  }

  /** An embedding model answers /api/embed only (no completion). */
  private isEmbedding(): boolean {
    const capabilities = this.details?.capabilities ?? [];
    return capabilities.includes('embedding') && !capabilities.includes('completion');
  }

  // The loaded state.

  private pollRunning(): void {
    if (this.psTimer !== null) this.clock.cancel(this.psTimer);
    this.psTimer = null;
    inBackground(this.readRunning(), 'reading which models are loaded');
  }

  private async readRunning(): Promise<void> {
    const cancellable = this.cancellable;
    try {
      const client = await this.client();
      const running = await client.ps(cancellable);
      this.showRunning(running.find((model) => model.name === this.model.name) ?? null);
    } catch (error) {
      if (cancellable.is_cancelled()) return;
      this._loaded_row.title = _('Can’t tell whether it is loaded');
      this._loaded_row.subtitle = errorText(error);
    }
    if (cancellable.is_cancelled() || this.psTimer !== null) return;
    this.psTimer = this.clock.timeout(PS_INTERVAL_MS, () => {
      this.psTimer = null;
      this.pollRunning();
    });
  }

  private showRunning(running: RunningModel | null): void {
    this.running = running;
    if (this.countdownTimer !== null) this.clock.cancel(this.countdownTimer);
    this.countdownTimer = null;
    this._load_button.visible = running === null;
    this._unload_button.visible = running !== null;
    if (running === null) {
      this._loaded_row.title = _('Not loaded');
      this._loaded_row.subtitle = _('It loads when it is used, or with Load.');
      this._keep_button.visible = true;
      return;
    }
    const countdown = unloadCountdown(running.expires_at, this.clock);
    this._keep_button.visible = countdown.state !== 'kept';
    this._loaded_row.title = _('Loaded');
    this._loaded_row.subtitle = [
      processorText(running),
      fillTemplate(_('{size} in memory'), { size: formatBytes(running.size) }),
      running.context_length
        ? fillTemplate(_('context of {count} tokens'), {
            count: running.context_length.toLocaleString(),
          })
        : null,
      countdown.text || null,
    ]
      .filter((part): part is string => part !== null)
      .join(' · ');
    if (countdown.changesInMs !== null)
      this.countdownTimer = this.clock.timeout(countdown.changesInMs, () => {
        this.countdownTimer = null;
        if (this.running === running) this.showRunning(running);
      });
  }

  private stopTimers(): void {
    for (const timer of [this.psTimer, this.countdownTimer])
      if (timer !== null) this.clock.cancel(timer);
    this.psTimer = null;
    this.countdownTimer = null;
  }

  protected on_load_clicked(): void {
    this.memoryAction(async (client, cancellable) => {
      await client.load(this.model.name, null, cancellable);
      this.noteUsed();
    });
  }

  protected on_keep_clicked(): void {
    this.memoryAction(async (client, cancellable) => {
      await client.keepLoaded(this.model.name, cancellable);
      this.noteUsed();
    });
  }

  /** Loaded or tried: the library's "Last Used" order puts it first. */
  private noteUsed(): void {
    const note = async () => {
      try {
        const usage = await this.paddock.usage();
        await usage.used(this.connection.id, this.model.name);
      } catch (error) {
        // Only the order by use misses it.
        console.warn('Paddock: noting that a model was used:', error);
      }
    };
    inBackground(note(), 'noting that a model was used');
  }

  protected on_unload_clicked(): void {
    this.memoryAction((client, cancellable) => client.unload(this.model.name, cancellable));
  }

  /** Load, Keep loaded or Unload, then the state as the server now tells it. */
  private memoryAction(
    action: (client: OllamaClient, cancellable: Gio.Cancellable) => Promise<void>,
  ): void {
    if (this.busy) return;
    this.busy = true;
    const buttons = [this._load_button, this._keep_button, this._unload_button];
    for (const button of buttons) button.sensitive = false;
    const cancellable = this.cancellable;
    inBackground(
      (async () => {
        try {
          await action(await this.client(), cancellable);
        } catch (error) {
          if (!cancellable.is_cancelled()) this.toast(errorText(error));
        } finally {
          this.busy = false;
          for (const button of buttons) button.sensitive = true;
        }
        if (cancellable.is_cancelled()) return;
        this.pollRunning();
        // The library's rows show what is loaded: they are told now, not at the next refresh.
        await this.paddock.library.refresh(this.connection.id);
      })(),
      'loading or unloading a model',
    );
  }

  // Update, Copy as…, Remove.

  protected on_update_clicked(): void {
    this.paddock.pulls.start(this.connection.id, this.model.name);
    this.toast(fillTemplate(_('Updating {name}…'), { name: this.model.name }));
  }

  protected on_copy_as_clicked(): void {
    const entry = new Gtk.Entry({ text: this.model.name, activates_default: true });
    setAccessibleName(entry, _('New Name'));
    const alert = new Adw.AlertDialog({
      heading: fillTemplate(_('Copy {name} As'), { name: this.model.name }),
      body: _('The copy shares the model’s files: it takes no more disk space.'),
      close_response: 'cancel',
      default_response: 'copy',
      extra_child: entry,
    });
    alert.add_response('cancel', _('_Cancel'));
    alert.add_response('copy', _('C_opy'));
    alert.set_response_appearance('copy', Adw.ResponseAppearance.SUGGESTED);
    const check = () => {
      const name = entry.text.trim();
      const valid = ModelName.isValid(name) && name !== this.model.name;
      alert.set_response_enabled('copy', valid);
      if (valid || name === this.model.name) entry.remove_css_class('error');
      else entry.add_css_class('error');
    };
    entry.connect('changed', check);
    check();
    alert.connect('response', (_alert, response: string) => {
      if (response === 'copy') inBackground(this.copyTo(entry.text.trim()), 'copying a model');
    });
    alert.present(this);
    entry.grab_focus();
  }

  private async copyTo(destination: string): Promise<void> {
    const cancellable = this.cancellable;
    try {
      const client = await this.client();
      await client.copy(this.model.name, destination, cancellable);
      this.toast(
        fillTemplate(_('Copied {name} as {copy}'), {
          name: this.model.name,
          copy: destination,
        }),
      );
      await this.paddock.library.modelsChanged(this.connection.id);
    } catch (error) {
      if (!cancellable.is_cancelled()) this.toast(errorText(error));
    }
  }

  protected on_remove_clicked(): void {
    removeModel(this.paddock, this.connection, this.model, this, this.toast, this.cancellable, {
      // Back to the list: the navigation view that holds the page pops it.
      removed: () => this.activate_action('navigation.pop', null),
    });
  }

  protected on_copy_modelfile_clicked(): void {
    Gdk.Display.get_default()
      ?.get_clipboard()
      .set(this.details?.modelfile ?? '');
    this.toast(_('Copied the Modelfile'));
  }

  // Try it.

  protected on_run_clicked(): void {
    if (this.tryCancellable) {
      this.tryCancellable.cancel();
      return;
    }
    const prompt = this._prompt_row.text.trim();
    if (prompt === '') return;
    inBackground(this.run(prompt), 'trying a model');
  }

  private async run(prompt: string): Promise<void> {
    const cancellable = new Gio.Cancellable();
    this.tryCancellable = cancellable;
    this._run_button.label = _('_Stop');
    setAccessibleName(this._run_button, _('Stop'));
    this._run_button.remove_css_class('suggested-action');
    this._run_button.add_css_class('destructive-action');
    this._reply_label.label = '';
    this._reply_label.visible = true;
    this._stats_label.label = _('Waiting for the model…');
    this._stats_label.visible = true;
    let reply = '';
    try {
      const client = await this.client();
      if (this.isEmbedding()) {
        const embedding = await client.embed(this.model.name, prompt, cancellable);
        this._reply_label.label = fillTemplate(
          ngettext('{count} dimension', '{count} dimensions', embedding.dimensions),
          { count: embedding.dimensions.toLocaleString() },
        );
        this._stats_label.label = '';
        this._stats_label.visible = false;
      } else {
        const last = await client.generate(
          this.model.name,
          prompt,
          (chunk) => {
            reply += chunk.response;
            // Plain text: a Gtk.Label reads no markup unless told (see markup.ts).
            this._reply_label.label = reply;
          },
          cancellable,
        );
        const stats = GenerationStats.fromTimings(last);
        this._stats_label.label = stats.describe().join(' · ');
        this._stats_label.visible = this._stats_label.label !== '';
        inBackground(this.recordSpeed(stats), 'keeping the speed of a model');
      }
      this.noteUsed();
      this.pollRunning();
    } catch (error) {
      this._stats_label.label = cancellable.is_cancelled() ? _('Stopped') : errorText(error);
    } finally {
      this.tryCancellable = null;
      this._run_button.label = _('_Run');
      setAccessibleName(this._run_button, _('Run the Prompt'));
      this._run_button.remove_css_class('destructive-action');
      this._run_button.add_css_class('suggested-action');
    }
  }

  private async recordSpeed(stats: GenerationStats): Promise<void> {
    try {
      const speeds = await this.paddock.speeds();
      await speeds.record(this.connection.id, this.model.name, stats);
    } catch (error) {
      // The speed is measured again by the next Try; the reply is shown all the same.
      console.warn('Paddock: keeping the speed of a model:', error);
    }
  }
}
