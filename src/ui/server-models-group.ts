import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _, ngettext } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { serverStatus } from '../library/library-lines.js';
import { modelMatcher } from '../library/model-search.js';
import type { InstalledModel } from '../ollama/types.js';
import { formatBytes, fillTemplate } from '../util/text.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { inBackground } from '../util/background.js';
import { IdleBatches } from '../util/idle-batches.js';
import { PaddockInstalledModelRow, type InstalledModelActions } from './installed-model-row.js';
import { escapeMarkup } from './markup.js';
import { copyModelName, removeModel, updateModel } from './model-actions.js';
import { PaddockModelDetailsPage } from './model-details-page.js';

/**
 * Rows made before the list is first drawn: a screenful. The rest follow a batch per idle
 * moment, so that a server with hundreds of models neither delays the page's first
 * frame nor holds up a frame for long.
 */
export const FIRST_ROWS = 12;
export const ROWS_PER_BATCH = 10;

/** What a group shows of its server. */
type Shown = 'loading' | 'error' | 'models';

export interface ServerModelsGroupOptions {
  toast: (title: string) => void;
  /** The view's search as it is now, for a list shown later (Retry). */
  query(): string;
  /** Model rows above this group on the page: those fill the first screen. */
  rowsAbove?: () => number;
}

/**
 * The models of one server in Preferences → Models, or why they could not be listed, as
 * a preferences group: each with Update, Copy and Remove, and its details.
 */
export class ServerModelsGroup implements InstalledModelActions {
  readonly widget: Adw.PreferencesGroup;
  /** The rows made so far, in the list's order. */
  private rows: PaddockInstalledModelRow[] = [];
  private readonly building = new IdleBatches<InstalledModel>(
    ROWS_PER_BATCH,
    (models) => this.addRows(models),
    () => this.rowsBuilt(),
  );
  /** The tick callback that asks for capabilities once the list is drawn. */
  private asking: number | null = null;
  /** The search the rows show; rows made later follow it too. */
  private query = '';
  /** Rows the search hides, kept here so that a keystroke touches only rows that change. */
  private readonly hidden = new Set<PaddockInstalledModelRow>();
  /** What the group shows besides the models' rows: a spinner, an error, "none yet". */
  private others: Gtk.Widget[] = [];
  private shown: Shown | null = null;
  private shownModels: readonly InstalledModel[] | null = null;
  private readonly cancellable = new Gio.Cancellable();
  private readonly noMatches = new Adw.ActionRow({
    title: _('No installed model matches the search'),
    visible: false,
  });

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly connection: ConnectionItem,
    private readonly options: ServerModelsGroupOptions,
  ) {
    this.widget = new Adw.PreferencesGroup({ title: escapeMarkup(connection.name) });
    this.describe();
    // Capabilities come in a model at a time: their rows get their pills.
    connectObject(this, paddock.modelStates, {
      changed: (_states: unknown, connectionId: string) => {
        if (connectionId === this.connection.id || connectionId === '') this.showCapabilities();
      },
    });
  }

  get connectionId(): string {
    return this.connection.id;
  }

  /** Its model rows, made or still to be made. */
  get rowCount(): number {
    return this.rows.length + this.building.pending;
  }

  /** The group was taken off the page: what it still asks the server for can stop. */
  close(): void {
    this.building.cancel();
    this.cancellable.cancel();
    disconnectObject(this);
  }

  /** Shows the library's state of the server, redrawing only what changed. */
  show(): void {
    const state = this.paddock.library.state(this.connection.id);
    if (!state) return;
    const status = serverStatus(state);
    const shown: Shown = status === 'error' || status === 'loading' ? status : 'models';
    if (shown === this.shown && (shown !== 'models' || state.models === this.shownModels)) return;
    this.clear();
    this.shown = shown;
    this.describe();
    if (shown === 'loading') {
      const spinnerRow = new Adw.ActionRow({ title: _('Loading…') });
      spinnerRow.add_suffix(new Adw.Spinner());
      this.addOther(spinnerRow);
    } else if (shown === 'error') {
      this.showError(state.error ?? '');
    } else {
      this.showModels(state.models);
    }
  }

  /** The server's address, and what its models take when they are listed. */
  private describe(): void {
    let description = this.connection.url;
    if (this.shown === 'models') {
      const { count, bytes } = this.paddock.library.totals(this.connection.id);
      description = fillTemplate(
        ngettext(
          '{url} · {count} model installed, {size}',
          '{url} · {count} models installed, {size}',
          count,
        ),
        { url: this.connection.url, count, size: formatBytes(bytes) },
      );
    }
    this.widget.description = escapeMarkup(description);
  }

  private clear(): void {
    this.building.cancel();
    if (this.asking !== null) this.widget.remove_tick_callback(this.asking);
    this.asking = null;
    for (const widget of [...this.rows, ...this.others]) this.widget.remove(widget);
    if (this.noMatches.parent) this.widget.remove(this.noMatches);
    this.rows = [];
    this.hidden.clear();
    this.others = [];
    this.shownModels = null;
  }

  private addOther(widget: Gtk.Widget): void {
    this.others.push(widget);
    this.widget.add(widget);
  }

  private showModels(models: readonly InstalledModel[]): void {
    this.shownModels = models;
    if (models.length === 0)
      this.addOther(new Adw.ActionRow({ title: _('No models installed yet') }));
    this.query = this.options.query();
    // Below a screenful of other rows, none has to be there for the first frame.
    this.building.start(models, Math.max(0, FIRST_ROWS - (this.options.rowsAbove?.() ?? 0)));
    // Asked when the list's first frame is under way: their replies would hold it up.
    this.asking = this.widget.add_tick_callback(() => {
      this.asking = null;
      inBackground(
        this.paddock.modelStates.readCapabilities(this.connection.id, models),
        'reading model capabilities',
      );
      return GLib.SOURCE_REMOVE;
    });
  }

  /** Makes rows for the next models of the list, as the rows before them are. */
  private addRows(models: readonly InstalledModel[]): void {
    const matches = modelMatcher(this.query);
    for (const model of models) {
      const row = new PaddockInstalledModelRow(model, this);
      const capabilities = this.paddock.modelStates.state(this.connection.id, model).capabilities;
      if (capabilities) row.pills.setFeatures(capabilities);
      if (!matches(model)) {
        row.visible = false;
        this.hidden.add(row);
      }
      this.rows.push(row);
      this.widget.add(row);
    }
  }

  private showCapabilities(): void {
    for (const row of this.rows) {
      const capabilities = this.paddock.modelStates.state(
        this.connection.id,
        row.model,
      ).capabilities;
      if (capabilities) row.pills.setFeatures(capabilities);
    }
  }

  /** "No match" goes below the last row, once every row is there. */
  private rowsBuilt(): void {
    this.widget.add(this.noMatches);
    this.noMatches.visible = this.rows.length > 0 && this.hidden.size === this.rows.length;
  }

  /** Shows the rows that match `query`; only rows whose state changes are touched. */
  filter(query: string): void {
    this.query = query;
    const matches = modelMatcher(query);
    for (const row of this.rows) {
      const match = matches(row.model);
      if (match !== this.hidden.has(row)) continue;
      row.visible = match;
      if (match) this.hidden.delete(row);
      else this.hidden.add(row);
    }
    if (this.building.pending === 0)
      this.noMatches.visible = this.rows.length > 0 && this.hidden.size === this.rows.length;
  }

  update(model: InstalledModel): void {
    updateModel(this.paddock, this.connection, model, this.options.toast);
  }

  showDetails(model: InstalledModel): void {
    const preferences = this.widget.get_ancestor(
      Adw.PreferencesDialog.$gtype,
    ) as Adw.PreferencesDialog | null;
    preferences?.push_subpage(
      new PaddockModelDetailsPage(this.paddock, this.connection, model, (title) =>
        this.options.toast(title),
      ),
    );
  }

  copyName(model: InstalledModel): void {
    copyModelName(model, this.options.toast);
  }

  remove(model: InstalledModel, row: PaddockInstalledModelRow): void {
    removeModel(this.paddock, this.connection, model, row, this.options.toast, this.cancellable, {
      started: () => (row.sensitive = false),
      removed: () => {
        this.widget.remove(row);
        this.rows = this.rows.filter((other) => other !== row);
        this.hidden.delete(row);
      },
      failed: () => (row.sensitive = true),
    });
  }

  private showError(error: string): void {
    // use-markup goes off before the server's text is set (see markup.ts).
    const row = new Adw.ActionRow({ use_markup: false, subtitle_lines: 0 });
    row.title = _('Can’t list the models');
    row.subtitle = error;
    row.add_prefix(new Gtk.Image({ icon_name: 'dialog-warning-symbolic' }));
    const retry = new Gtk.Button({
      label: _('_Retry'),
      use_underline: true,
      valign: Gtk.Align.CENTER,
    });
    retry.connect('clicked', () =>
      inBackground(
        this.paddock.library.refresh(this.connection.id),
        'listing the models of a server',
      ),
    );
    row.add_suffix(retry);
    this.addOther(row);
  }
}
