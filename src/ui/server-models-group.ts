import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gdk from 'gi://Gdk?version=4.0';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _, ngettext } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { processorText } from '../library/gpu-share.js';
import {
  modelMatcher,
  searchModels,
  type LastUsed,
  type ModelSort,
} from '../library/model-search.js';
import type { SpeedRecord } from '../library/speed-record.js';
import type { OllamaClient } from '../ollama/client.js';
import type { PullJob } from '../pulls/pull-job.js';
import { ModelName } from '../ollama/model-name.js';
import type { InstalledModel, RunningModel } from '../ollama/types.js';
import { errorText } from '../util/errors.js';
import { formatBytes, fillTemplate } from '../util/text.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { inBackground } from '../util/background.js';
import { IdleBatches } from '../util/idle-batches.js';
import {
  PaddockInstalledModelRow,
  type InstalledModelActions,
  type ModelBadge,
} from './installed-model-row.js';
import { escapeMarkup } from './markup.js';
import { confirmRemoval } from './confirm-removal.js';
import { PaddockModelDetailsPage } from './model-details-page.js';

/** Capabilities by server and model digest: /api/show is asked once per model. */
const capabilitiesCache = new Map<string, string[]>();
const SHOW_CONCURRENCY = 2;
/**
 * Rows made before the list is first drawn: a screenful. The rest follow a batch per idle
 * moment, so that a server with hundreds of models neither delays the window's first
 * frame nor holds up a frame for long.
 */
export const FIRST_ROWS = 12;
export const ROWS_PER_BATCH = 10;

/** What a group shows of its server. */
type Shown = 'loading' | 'error' | 'models';

export interface ServerModelsGroupOptions {
  toast(title: string): void;
  /** The view's search as it is now, for a list shown later (Retry). */
  query(): string;
  /** The view's order; the server's own (newest first) when absent. */
  sort?: () => ModelSort;
  /** For the 'used' order: when a model was last used. */
  lastUsed?: LastUsed;
  /**
   * Rows say what is loaded, outdated or downloading, and how fast the model was (the
   * window's library); what is seen loaded counts as used (usage.json).
   */
  badges?: boolean;
  /** The view is narrow: rows put their actions in a menu. */
  compact?: () => boolean;
  /** Model rows above this group on the page: those fill the first screen. */
  rowsAbove?: () => number;
  /** The view shows a model's details itself (the window, beside the list). */
  openDetails?: (connection: ConnectionItem, model: InstalledModel) => void;
  /** The model whose details the view shows, marked in its list. */
  selected?: () => { connectionId: string; name: string } | null;
}

/** The models of one server, or why they could not be listed, as a preferences group. */
export class ServerModelsGroup implements InstalledModelActions {
  readonly widget: Adw.PreferencesGroup;
  /** The rows made so far, in the list's order. */
  private rows: PaddockInstalledModelRow[] = [];
  private readonly building = new IdleBatches<InstalledModel>(
    ROWS_PER_BATCH,
    (models) => this.addRows(models),
    () => this.rowsBuilt(),
  );
  /** The tick callback that asks for capabilities and badges once the list is drawn. */
  private asking: number | null = null;
  /** The search the rows show; rows made later follow it too. */
  private query = '';
  /** Rows the search hides, kept here so that a keystroke touches only rows that change. */
  private readonly hidden = new Set<PaddockInstalledModelRow>();
  /** Capabilities found so far (/api/show), for rows made after they came. */
  private readonly capabilities = new WeakMap<InstalledModel, string[]>();
  /** What the group shows besides the models' rows: a spinner, an error, "none yet". */
  private others: Gtk.Widget[] = [];
  private shown: Shown | null = null;
  private shownModels: readonly InstalledModel[] | null = null;
  private readonly cancellable = new Gio.Cancellable();
  private readonly noMatches = new Adw.ActionRow({
    title: _('No installed model matches the search'),
    visible: false,
  });
  /** Loaded models by name, from /api/ps; outdated ones, from the update check's cache. */
  private running = new Map<string, RunningModel>();
  private outdated = new Set<string>();
  /** speeds.json, once read. */
  private speeds: SpeedRecord | null = null;

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly connection: ConnectionItem,
    private readonly options: ServerModelsGroupOptions,
  ) {
    this.widget = new Adw.PreferencesGroup({ title: escapeMarkup(connection.name) });
    this.describe();
    if (options.badges) {
      const showBadges = () => this.showBadges();
      connectObject(this, paddock.pulls, { changed: showBadges, 'progress-updated': showBadges });
      inBackground(this.followSpeeds(), 'reading the speeds of the models');
    }
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
    let shown: Shown = 'models';
    if (state.error !== null && !state.loading) shown = 'error';
    else if (state.refreshedAt === null || (state.loading && state.error !== null))
      shown = 'loading';
    if (shown === this.shown && (shown !== 'models' || state.models === this.shownModels)) {
      // The same models, but what is loaded may have changed (`ollama run`, a time-out).
      if (shown === 'models' && this.options.badges && !state.loading)
        inBackground(this.loadBadges(state.models), 'reading what is loaded and outdated');
      return;
    }
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

  /** Draws the rows again in the view's order. */
  resort(): void {
    if (this.shown !== 'models' || !this.shownModels) return;
    const models = this.shownModels;
    this.clear();
    this.showModels(models);
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
    const sort = this.options.sort?.();
    const ordered = sort
      ? searchModels(
          models.map((model) => ({ connectionId: this.connection.id, model })),
          '',
          sort,
          this.options.lastUsed,
        ).map((entry) => entry.model)
      : models;
    this.query = this.options.query();
    // Below a screenful of other rows, none has to be there for the first frame.
    this.building.start(ordered, Math.max(0, FIRST_ROWS - (this.options.rowsAbove?.() ?? 0)));
    // Asked when the list's first frame is under way: their replies would hold it up.
    this.asking = this.widget.add_tick_callback(() => {
      this.asking = null;
      inBackground(this.loadCapabilities(ordered), 'reading model capabilities');
      if (this.options.badges)
        inBackground(this.loadBadges(models), 'reading what is loaded and outdated');
      return GLib.SOURCE_REMOVE;
    });
  }

  /** Makes rows for the next models of the list, as the rows before them are. */
  private addRows(models: readonly InstalledModel[]): void {
    const compact = this.options.compact?.() ?? false;
    const matches = modelMatcher(this.query);
    const downloads = this.options.badges ? this.downloads() : [];
    const selected = this.options.selected?.();
    for (const model of models) {
      const row = new PaddockInstalledModelRow(model, this);
      if (compact) row.setCompact(true);
      const capabilities = this.capabilities.get(model);
      if (capabilities) row.pills.setFeatures(capabilities);
      if (this.options.badges) {
        row.setBadges(this.badgesOf(model.name, downloads));
        row.setSpeed(this.speedOf(model.name));
      }
      if (selected?.connectionId === this.connection.id && selected.name === model.name)
        row.setSelected(true);
      if (!matches(model)) {
        row.visible = false;
        this.hidden.add(row);
      }
      this.rows.push(row);
      this.widget.add(row);
    }
  }

  /** "No match" goes below the last row, once every row is there. */
  private rowsBuilt(): void {
    this.widget.add(this.noMatches);
    this.noMatches.visible = this.rows.length > 0 && this.hidden.size === this.rows.length;
  }

  /** Rows follow the view's width. */
  applyCompact(): void {
    const compact = this.options.compact?.() ?? false;
    for (const row of this.rows) row.setCompact(compact);
  }

  /** Marks the row of the model whose details the view shows. */
  markSelected(): void {
    const selected = this.options.selected?.();
    for (const row of this.rows)
      row.setSelected(
        selected?.connectionId === this.connection.id && selected.name === row.model.name,
      );
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
    this.paddock.pulls.start(this.connection.id, model.name);
    this.options.toast(fillTemplate(_('Updating {name}…'), { name: model.name }));
  }

  showDetails(model: InstalledModel): void {
    if (this.options.openDetails) {
      this.options.openDetails(this.connection, model);
      return;
    }
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
    Gdk.Display.get_default()?.get_clipboard().set(model.name);
    this.options.toast(fillTemplate(_('Copied “{name}”'), { name: model.name }));
  }

  remove(model: InstalledModel, row: PaddockInstalledModelRow): void {
    confirmRemoval(
      row,
      fillTemplate(_('Remove {name}?'), { name: model.name }),
      fillTemplate(
        _(
          'The model is deleted from {server}, which frees {size}. You can download it again later.',
        ),
        { server: this.connection.name, size: formatBytes(model.size) },
      ),
      () => inBackground(this.delete(model, row), 'removing a model'),
    );
  }

  private async delete(model: InstalledModel, row: PaddockInstalledModelRow): Promise<void> {
    row.sensitive = false;
    try {
      const client = await this.paddock.clients.clientFor(this.connection.id);
      await client.delete(model.name, this.cancellable);
      this.widget.remove(row);
      this.rows = this.rows.filter((other) => other !== row);
      this.hidden.delete(row);
      this.options.toast(fillTemplate(_('Removed {name}'), { name: model.name }));
      inBackground(
        this.paddock.library.modelsChanged(this.connection.id),
        'listing the models after a removal',
      );
    } catch (error) {
      row.sensitive = true;
      this.options.toast(errorText(error));
    }
  }

  /** Capabilities come from /api/show, one model at a time, after the list is shown. */
  private async loadCapabilities(models: readonly InstalledModel[]): Promise<void> {
    const pending = models.filter((model) => !model.capabilities);
    if (pending.length === 0) return;
    let client: OllamaClient;
    try {
      client = await this.paddock.clients.clientFor(this.connection.id);
    } catch {
      // Pills are a nicety: the list is shown all the same.
      return;
    }
    const worker = async () => {
      for (let model = pending.shift(); model; model = pending.shift()) {
        const key = `${client.baseUrl} ${model.digest}`;
        let capabilities = capabilitiesCache.get(key);
        if (!capabilities) {
          try {
            capabilities = (await client.show(model.name, {}, this.cancellable)).capabilities;
          } catch {
            // Pills are a nicety; a model whose details fail still lists.
            continue;
          }
          capabilitiesCache.set(key, capabilities);
        }
        // Rows made later read them here.
        this.capabilities.set(model, capabilities);
        this.rows.find((row) => row.model === model)?.pills.setFeatures(capabilities);
      }
    };
    await Promise.all(Array.from({ length: SHOW_CONCURRENCY }, worker));
  }

  /** What is loaded (/api/ps) and what the last update check found outdated. */
  private async loadBadges(models: readonly InstalledModel[]): Promise<void> {
    const [running, updates] = await Promise.allSettled([
      this.paddock.clients
        .clientFor(this.connection.id)
        .then((client) => client.ps(this.cancellable)),
      this.paddock.updates().cached(models),
    ]);
    if (this.cancellable.is_cancelled()) return;
    // Badges are a nicety: a server without /api/ps still lists its models.
    if (running.status === 'fulfilled') {
      this.running = new Map(running.value.map((model) => [model.name, model]));
      const loaded = models.filter((model) =>
        [...this.running.keys()].some((name) => sameName(name, model.name)),
      );
      inBackground(
        this.noteUsed(loaded.map((model) => model.name)),
        'noting which models were used',
      );
      inBackground(
        this.paddock.memoryEvidence().note(this.connection.url, running.value),
        'noting the GPU memory a loaded model uses',
      );
    }
    if (updates.status === 'fulfilled')
      this.outdated = new Set(
        [...updates.value]
          .filter(([, result]) => result?.state === 'outdated')
          .map(([name]) => name),
      );
    this.showBadges();
  }

  /** Models seen loaded are in use: the 'used' order knows them from now on. */
  private async noteUsed(names: string[]): Promise<void> {
    if (names.length === 0) return;
    const usage = await this.paddock.usage();
    try {
      await usage.seenLoaded(this.connection.id, names);
    } catch (error) {
      // Only the order by use misses it; the list is shown all the same.
      console.warn('Paddock: noting which models were used:', error);
    }
  }

  /** Asks again what is loaded and outdated (after an update check). */
  refreshBadges(): void {
    if (this.shown === 'models' && this.shownModels && this.options.badges)
      inBackground(this.loadBadges(this.shownModels), 'reading what is loaded and outdated');
  }

  private async followSpeeds(): Promise<void> {
    const speeds = await this.paddock.speeds();
    if (this.cancellable.is_cancelled()) return;
    this.speeds = speeds;
    connectObject(this, speeds, {
      changed: (_speeds: unknown, connectionId: string) => {
        if (connectionId === this.connection.id) this.showSpeeds();
      },
    });
    this.showSpeeds();
  }

  private speedOf(name: string): number | null {
    return this.speeds?.get(this.connection.id, name)?.tokensPerSecond ?? null;
  }

  private showSpeeds(): void {
    for (const row of this.rows) row.setSpeed(this.speedOf(row.model.name));
  }

  private showBadges(): void {
    const downloads = this.downloads();
    for (const row of this.rows) row.setBadges(this.badgesOf(row.model.name, downloads));
  }

  /** This server's pulls under way. */
  private downloads(): PullJob[] {
    return this.paddock.pulls.jobs.filter(
      (job) => job.isLive && job.connectionId === this.connection.id,
    );
  }

  private badgesOf(name: string, downloads: readonly PullJob[]): ModelBadge[] {
    const badges: ModelBadge[] = [];
    const loaded = [...this.running.values()].find((model) => sameName(model.name, name));
    if (loaded)
      badges.push({
        label: fillTemplate(_('Loaded · {where}'), { where: processorText(loaded) }),
        style: 'success',
      });
    if (this.outdated.has(name)) badges.push({ label: _('Update available'), style: 'accent' });
    const download = downloads.find((job) => sameName(job.name, name));
    if (download)
      badges.push({
        label: fillTemplate(_('Downloading {percent}%'), {
          percent: Math.floor(download.progress * 100),
        }),
        style: 'accent',
      });
    return badges;
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

/** Whether two names mean the same model (`llama3.2` and `llama3.2:latest`). */
function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return ModelName.parse(a).equals(ModelName.parse(b));
  } catch {
    return false;
  }
}
