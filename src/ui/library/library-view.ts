import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import type Gtk from 'gi://Gtk?version=4.0';
import { ngettext } from 'gettext';

import type { PaddockApplication } from '../../application.js';
import type { ConnectionItem } from '../../config/connection-item.js';
import { LibraryLines, type ModelLine, type ServerLine } from '../../library/library-lines.js';
import type { LastUsed, ModelSort } from '../../library/model-search.js';
import type { InstalledModel } from '../../ollama/types.js';
import { inBackground } from '../../util/background.js';
import { connectObject, disconnectObject } from '../../util/signals.js';
import { fillTemplate, formatBytes } from '../../util/text.js';
import { copyModelName, removeModel, updateModel } from '../model-actions.js';
import { modelSummary } from '../model-summary.js';
import { PaddockLibraryList, type LibraryListView } from './library-list.js';
import type { PaddockLibraryRow, RowContent } from './library-row.js';
import { modelMarks } from './model-marks.js';
import { PaddockServerHeading } from './server-heading.js';

export interface LibraryViewOptions {
  toast: (title: string) => void;
  /** For the 'used' order: when a model was last used. */
  lastUsed: LastUsed;
  /** Shows a model's details beside the list. */
  openDetails(connection: ConnectionItem, model: InstalledModel): void;
  /** The model whose details show, marked in the list. */
  selected(): { connectionId: string; name: string } | null;
}

/**
 * The window's library: every server's models in one list (PaddockLibraryList), as the
 * model library has them, searched and ordered as the window says, with the states and
 * capabilities ModelStates knows, and the actions of a model's row.
 */
export class LibraryView implements LibraryListView {
  readonly list: PaddockLibraryList;
  readonly #lines: LibraryLines;
  readonly #headings = new Map<string, PaddockServerHeading>();
  /** Models being removed: their rows wait. */
  readonly #removing = new Set<InstalledModel>();
  readonly #descriptions = new Map<
    string,
    { models: readonly InstalledModel[]; url: string; text: string }
  >();
  readonly #summaries = new WeakMap<
    InstalledModel,
    { hour: number; tokensPerSecond: number | null; text: string }
  >();
  readonly #cancellable = new Gio.Cancellable();
  #drawn = false;

  constructor(
    private readonly paddock: PaddockApplication,
    footer: Gtk.Widget,
    private readonly options: LibraryViewOptions,
  ) {
    this.#lines = new LibraryLines(options.lastUsed);
    this.list = new PaddockLibraryList(this, footer);
    connectObject(this, paddock.library, {
      'server-changed': (_library: unknown, connectionId: string) =>
        this.#serverChanged(connectionId),
      'servers-changed': () => {
        this.#headings.clear();
        this.#show();
      },
    });
    connectObject(this, paddock.modelStates, {
      changed: (_states: unknown, connectionId: string) =>
        this.list.contentChanged(connectionId === '' ? null : connectionId),
    });
    // States are asked once the list is drawn with models, and the capabilities of models
    // off screen after that, when the main loop is idle: their replies (a thousand, for
    // big servers) would hold the first frames up. Rows on screen ask for theirs at once.
    this.list.add_tick_callback(() => {
      if (this.list.modelCount === 0) return GLib.SOURCE_CONTINUE;
      this.#drawn = true;
      for (const server of paddock.library.servers()) this.#askStates(server.connectionId);
      return GLib.SOURCE_REMOVE;
    });
    this.#show();
  }

  filter(query: string): void {
    this.#lines.setQuery(query);
    this.#show();
  }

  resort(sort: ModelSort): void {
    this.#lines.setSort(sort);
    this.#show();
  }

  /** When models were last used changed: the 'used' order follows. */
  usageChanged(): void {
    this.#lines.usageChanged();
    if (this.#lines.sort === 'used') this.#show();
  }

  /** The selection changed: rows are marked again. */
  markSelected(): void {
    this.list.contentChanged();
  }

  /** Asks every server again what is loaded and outdated (after an update check). */
  refreshStates(): void {
    for (const server of this.paddock.library.servers()) this.#askStates(server.connectionId);
  }

  close(): void {
    this.#cancellable.cancel();
    disconnectObject(this);
  }

  rowContent(line: ModelLine): RowContent {
    const states = this.paddock.modelStates;
    const state = states.state(line.connectionId, line.model);
    // Asked for the rows drawn first: the others' are asked when the main loop is idle.
    if (state.capabilities === null) states.wantCapabilities(line.connectionId, line.model);
    const selected = this.options.selected();
    return {
      summary: this.#summary(line.model, state.tokensPerSecond),
      marks: modelMarks(state),
      selected: selected?.connectionId === line.connectionId && selected.name === line.model.name,
      busy: this.#removing.has(line.model),
    };
  }

  heading(line: ServerLine): Gtk.Widget {
    const connection = this.paddock.connections.get(line.connectionId);
    let heading = this.#headings.get(line.connectionId);
    if (!heading) {
      heading = new PaddockServerHeading(connection?.name ?? '', () =>
        inBackground(
          this.paddock.library.refresh(line.connectionId),
          'listing the models of a server',
        ),
      );
      this.#headings.set(line.connectionId, heading);
    }
    heading.bind(line, this.#description(line, connection?.url ?? ''));
    return heading;
  }

  showDetails(line: ModelLine): void {
    const connection = this.paddock.connections.get(line.connectionId);
    if (connection) this.options.openDetails(connection, line.model);
  }

  update(line: ModelLine): void {
    const connection = this.paddock.connections.get(line.connectionId);
    if (connection) updateModel(this.paddock, connection, line.model, this.options.toast);
  }

  copyName(line: ModelLine): void {
    copyModelName(line.model, this.options.toast);
  }

  remove(line: ModelLine, row: PaddockLibraryRow): void {
    const connection = this.paddock.connections.get(line.connectionId);
    if (!connection) return;
    const done = () => {
      this.#removing.delete(line.model);
      this.list.contentChanged(line.connectionId);
    };
    removeModel(this.paddock, connection, line.model, row, this.options.toast, this.#cancellable, {
      started: () => {
        this.#removing.add(line.model);
        this.list.contentChanged(line.connectionId);
      },
      removed: done,
      failed: done,
    });
  }

  /** A model's line of facts, worked out once per speed and hour (it says how old it is). */
  #summary(model: InstalledModel, tokensPerSecond: number | null): string {
    const hour = Math.floor(GLib.get_real_time() / 3_600_000_000);
    const known = this.#summaries.get(model);
    if (known?.hour === hour && known.tokensPerSecond === tokensPerSecond) return known.text;
    const text = modelSummary(model, tokensPerSecond);
    this.#summaries.set(model, { hour, tokensPerSecond, text });
    return text;
  }

  /**
   * The server's address, and what its models take once they are listed; worked out
   * again only when its models or address change, not at each keystroke.
   */
  #description(line: ServerLine, url: string): string {
    if (line.status === 'loading' || line.status === 'error') return url;
    const models = this.paddock.library.state(line.connectionId)?.models ?? [];
    const known = this.#descriptions.get(line.connectionId);
    if (known?.models === models && known.url === url) return known.text;
    const { count, bytes } = this.paddock.library.totals(line.connectionId);
    const text = fillTemplate(
      ngettext(
        '{url} · {count} model installed, {size}',
        '{url} · {count} models installed, {size}',
        count,
      ),
      { url, count, size: formatBytes(bytes) },
    );
    this.#descriptions.set(line.connectionId, { models, url, text });
    return text;
  }

  #show(): void {
    this.list.setLines(this.#lines.lines(this.paddock.library.servers()));
  }

  #serverChanged(connectionId: string): void {
    this.#show();
    if (this.#drawn) this.#askStates(connectionId);
  }

  /**
   * What is loaded and outdated, after each refresh (`ollama run` may have loaded one), then,
   * when the main loop is idle, the capabilities of the models off screen.
   */
  #askStates(connectionId: string): void {
    const state = this.paddock.library.state(connectionId);
    if (!state || state.loading || state.refreshedAt === null) return;
    const states = this.paddock.modelStates;
    const models = state.models;
    inBackground(states.readStates(connectionId, models), 'reading what is loaded and outdated');
    GLib.idle_add(GLib.PRIORITY_LOW, () => {
      if (!this.#cancellable.is_cancelled())
        inBackground(states.readCapabilities(connectionId, models), 'reading model capabilities');
      return GLib.SOURCE_REMOVE;
    });
  }
}
