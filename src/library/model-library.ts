import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';

import type { ConnectionStore } from '../config/connection-store.js';
import type { OllamaClient } from '../ollama/client.js';
import type { InstalledModel } from '../ollama/types.js';
import type { PullJob } from '../pulls/pull-job.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { inBackground } from '../util/background.js';
import { errorText } from '../util/errors.js';
import type { LibrarySnapshot, SavedList } from './library-snapshot.js';

/** What the library knows of one server's installed models. */
export interface ServerState {
  readonly connectionId: string;
  /**
   * As the last refresh that worked found them, newest first as the server lists them;
   * empty before one. The same array while refreshes find nothing new, so a view can
   * tell by identity whether to draw them again.
   */
  readonly models: readonly InstalledModel[];
  /** Why the last refresh failed, for the user; null when it worked or none ran yet. */
  readonly error: string | null;
  /** A refresh is under way. */
  readonly loading: boolean;
  /** When a refresh last worked (wall-clock ms); null before one did. */
  readonly refreshedAt: number | null;
  /**
   * The models are the saved list of an earlier start, from that time (wall-clock ms),
   * until a refresh works; null otherwise.
   */
  readonly restoredAt: number | null;
}

export interface ModelTotals {
  count: number;
  /** Disk used by the models, as the server reports their sizes. */
  bytes: number;
}

/** Where the library's lists are saved between starts (the LibrarySnapshot). */
export type SnapshotStore = Pick<LibrarySnapshot, 'read' | 'write'>;

/** Where the library gets a server's client (the ClientPool). */
export interface ModelListClients {
  clientFor(connectionId: string): Promise<Pick<OllamaClient, 'tags'>>;
}

export interface ModelLibraryOptions {
  connections: ConnectionStore;
  clients: ModelListClients;
  clock?: Clock;
}

/** How often keepFresh() looks again, for changes made with the ollama CLI. */
export const REFRESH_INTERVAL_MS = 60_000;
/** Window activations closer together than this refresh once. */
export const ACTIVATION_GAP_MS = 2_000;
/**
 * The lists' requests run below GDK's redraw (GDK_PRIORITY_REDRAW, 120) on the main loop:
 * a frame then shows each server's list as it comes, not after the last reply.
 */
export const LIST_PRIORITY = GLib.PRIORITY_DEFAULT_IDLE;
/** Lists that changed are saved to the snapshot at most this often. */
export const SNAPSHOT_INTERVAL_MS = 5_000;

/** One refresh of a server, which later asks join. */
interface Run {
  done: Promise<void>;
  readonly cancellable: Gio.Cancellable;
  /** The models changed while it ran: the server is asked once more before it ends. */
  again: boolean;
}

interface Server {
  state: ServerState;
  url: string;
  /** Someone wanted its models: only such servers are refreshed by timers and events. */
  asked: boolean;
  run: Run | null;
}

/**
 * The installed models of every saved connection, the one source the window, the
 * Preferences Models page and the command line read, so that each server's list is
 * fetched once however many views show it. Servers refresh in parallel and apart: one
 * that fails (its error is kept for the user) or hangs never holds the others up.
 *
 * It follows the ConnectionStore, refreshes a server after a pull on it ends
 * (followPulls) or its models changed (modelsChanged), every REFRESH_INTERVAL_MS while
 * someone keeps it fresh, and when the window becomes active, so that models changed
 * with the ollama CLI show up. Timers and events only refresh servers someone asked for.
 *
 * Signals: `server-changed` (connection id) when a server's state changed;
 * `servers-changed` () after the connections changed (added, removed, renamed, moved).
 */
export class ModelLibrary extends GObject.Object {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockModelLibrary',
        Signals: {
          'server-changed': { param_types: [GObject.TYPE_STRING] },
          'servers-changed': {},
        },
      },
      this,
    );
  }

  readonly #connections: ConnectionStore;
  readonly #clients: ModelListClients;
  readonly #clock: Clock;
  readonly #servers = new Map<string, Server>();
  /** load() was called: connections added later are listed at once. */
  #showingAll = false;
  #keepers = 0;
  #timer: TimerHandle | null = null;
  #activatedAt: number | null = null;
  /** Where lists that changed are saved, once restore() gave one. */
  #snapshot: SnapshotStore | null = null;
  #snapshotTimer: TimerHandle | null = null;
  /** The last write asked of the snapshot. */
  #saving: Promise<void> = Promise.resolve();
  /** Saved lists restore() read for connections not loaded yet: shown when they are. */
  #saved = new Map<string, SavedList>();

  constructor(options: ModelLibraryOptions) {
    super();
    this.#connections = options.connections;
    this.#clients = options.clients;
    this.#clock = options.clock ?? systemClock;
    this.#connections.connect('changed', () => this.#followConnections());
    this.#followConnections();
  }

  /** Every server's state, in the order of the connections. */
  servers(): ServerState[] {
    return this.#connections
      .list()
      .map((connection) => this.#servers.get(connection.id)?.state)
      .filter((state) => state !== undefined);
  }

  state(connectionId: string): ServerState | null {
    return this.#servers.get(connectionId)?.state ?? null;
  }

  totals(connectionId: string): ModelTotals {
    const models = this.state(connectionId)?.models ?? [];
    return { count: models.length, bytes: models.reduce((sum, model) => sum + model.size, 0) };
  }

  /**
   * Shows the lists the snapshot saved for servers not listed yet (at the same address),
   * until a refresh replaces them, and saves lists that change to it from now on. Called
   * before the connections are loaded, it shows the lists as soon as they are. Only the
   * window does this: a command shows what the server says now. Never rejects.
   */
  async restore(snapshot: SnapshotStore): Promise<void> {
    this.#snapshot = snapshot;
    this.#saved = await snapshot.read();
    for (const server of this.#servers.values()) this.#restoreSaved(server);
  }

  /**
   * Saves lists waiting for their turn now, and resolves when what was asked is written
   * (when quitting). Never rejects.
   */
  saveNow(): Promise<void> {
    if (this.#snapshotTimer !== null) {
      this.#clock.cancel(this.#snapshotTimer);
      this.#snapshotTimer = null;
      this.#save();
    }
    return this.#saving;
  }

  /**
   * Lists the servers not listed yet (or that failed), and those added later; what is
   * already known is not fetched again. Resolves when every server has answered or
   * failed; never rejects.
   */
  load(): Promise<void> {
    this.#showingAll = true;
    return this.#settleAll(
      [...this.#servers.values()].filter(
        (server) => !server.asked || server.run !== null || server.state.error !== null,
      ),
    );
  }

  /**
   * The server's models as the library has them, listed first if it has not listed them
   * yet or the last time failed; a refresh under way is joined. For a view that needs the
   * list once (the window's start), so that the server is not asked twice. Never rejects.
   */
  ensureListed(connectionId: string, cancellable: Gio.Cancellable | null = null): Promise<void> {
    const server = this.#servers.get(connectionId);
    if (server && server.run === null && server.state.refreshedAt !== null && !server.state.error) {
      server.asked = true;
      return Promise.resolve();
    }
    return this.refresh(connectionId, cancellable);
  }

  /**
   * Asks the server (every server, without an id) for its models now; a refresh under
   * way is joined rather than doubled. Resolves when done (see state() for how it went);
   * never rejects. Cancelling `cancellable` stops it, for everyone waiting on it, and
   * leaves the state as it was.
   */
  refresh(
    connectionId: string | null = null,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    if (connectionId === null) this.#showingAll = true;
    const servers =
      connectionId === null
        ? [...this.#servers.values()]
        : [this.#servers.get(connectionId)].filter((server) => server !== undefined);
    const done = this.#settleAll(servers);
    if (!cancellable) return done;
    // Gio's own connect(): it also runs the callback at once if already cancelled.
    const handler = cancellable.connect(() => {
      for (const server of servers) server.run?.cancellable.cancel();
    });
    return done.finally(() => cancellable.disconnect(handler));
  }

  /**
   * Something changed the models on that server (a pull, a copy, a removal): it is asked
   * again, after the refresh under way if there is one, which may have missed the change.
   * Nothing is fetched for a server nobody asked for.
   */
  modelsChanged(connectionId: string): Promise<void> {
    const server = this.#servers.get(connectionId);
    if (!server?.asked) return Promise.resolve();
    this.#start(server, true);
    return this.#settle(server);
  }

  /** Refreshes a server when a pull of the manager's completes there, until it closes. */
  followPulls(manager: PullManager): void {
    const complete = manager.connect('model-complete', (_manager: unknown, job: PullJob) => {
      inBackground(this.modelsChanged(job.connectionId), 'listing the models after a pull');
    });
    const closed = manager.connect('closed', () => {
      manager.disconnect(complete);
      manager.disconnect(closed);
    });
  }

  /**
   * Refreshes the servers asked for every REFRESH_INTERVAL_MS, while at least one caller
   * wants it. Returns the function that stops it (for this caller; twice is harmless).
   */
  keepFresh(): () => void {
    if (this.#keepers++ === 0) this.#schedule();
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.#keepers > 0 || this.#timer === null) return;
      this.#clock.cancel(this.#timer);
      this.#timer = null;
    };
  }

  /**
   * The window became active: the user may have changed models elsewhere meanwhile.
   * Activations within ACTIVATION_GAP_MS of the last one change nothing, nor do they ask
   * again for lists that came in less than that ago (a new window's, at the start).
   */
  windowActivated(): void {
    const now = this.#clock.now();
    if (this.#activatedAt !== null && now - this.#activatedAt < ACTIVATION_GAP_MS) return;
    this.#activatedAt = now;
    const wallNow = this.#clock.wallNow();
    for (const server of this.#servers.values()) {
      const { refreshedAt } = server.state;
      if (server.asked && (refreshedAt === null || wallNow - refreshedAt >= ACTIVATION_GAP_MS))
        this.#start(server, false);
    }
  }

  #schedule(): void {
    this.#timer = this.#clock.timeout(REFRESH_INTERVAL_MS, () => {
      this.#timer = null;
      this.#refreshAsked();
      if (this.#keepers > 0) this.#schedule();
    });
  }

  #refreshAsked(): void {
    for (const server of this.#servers.values()) if (server.asked) this.#start(server, false);
  }

  async #settleAll(servers: Server[]): Promise<void> {
    for (const server of servers) this.#start(server, false);
    await Promise.all(servers.map((server) => this.#settle(server)));
  }

  /** Waits until the server is done, including a refresh that replaced the one waited on. */
  async #settle(server: Server): Promise<void> {
    for (let run = server.run; run !== null; run = server.run) await run.done;
  }

  /** Starts a refresh of the server, or joins the one under way (`again`: asks once more). */
  #start(server: Server, again: boolean): void {
    server.asked = true;
    if (server.run) {
      server.run.again ||= again;
      return;
    }
    const run: Run = { done: Promise.resolve(), cancellable: new Gio.Cancellable(), again: false };
    server.run = run;
    this.#update(server, { loading: true });
    run.done = this.#fetch(server, run);
  }

  async #fetch(server: Server, run: Run): Promise<void> {
    const { cancellable } = run;
    let changes: Partial<ServerState> = {};
    do {
      run.again = false;
      try {
        const client = await this.#clients.clientFor(server.state.connectionId);
        const models = await client.tags(cancellable, LIST_PRIORITY);
        cancellable.set_error_if_cancelled();
        changes = {
          models: sameModels(models, server.state.models) ? server.state.models : models,
          error: null,
          refreshedAt: this.#clock.wallNow(),
          restoredAt: null,
        };
      } catch (error) {
        if (cancellable.is_cancelled()) break;
        changes = { error: errorText(error) };
      }
    } while (run.again && !cancellable.is_cancelled());
    // A removed connection, or one whose address changed, has a new state (or none).
    if (server.run !== run || this.#servers.get(server.state.connectionId) !== server) return;
    server.run = null;
    const listChanged = changes.models !== undefined && changes.models !== server.state.models;
    this.#update(server, { ...changes, loading: false });
    if (listChanged) this.#saveSoon();
  }

  /** Saves the lists SNAPSHOT_INTERVAL_MS after a change, however many come meanwhile. */
  #saveSoon(): void {
    if (!this.#snapshot || this.#snapshotTimer !== null) return;
    this.#snapshotTimer = this.#clock.timeout(SNAPSHOT_INTERVAL_MS, () => {
      this.#snapshotTimer = null;
      this.#save();
    });
  }

  #save(): void {
    if (!this.#snapshot) return;
    const lists = new Map<string, SavedList>();
    for (const [id, { url, state }] of this.#servers) {
      const savedAt = state.refreshedAt ?? state.restoredAt;
      if (savedAt !== null) lists.set(id, { url, savedAt, models: state.models });
    }
    // The snapshot writes one after the other and never rejects.
    this.#saving = this.#snapshot.write(lists);
  }

  /** The server's saved list, once, when it is for its address and nothing newer came. */
  #restoreSaved(server: Server): void {
    const { connectionId } = server.state;
    const list = this.#saved.get(connectionId);
    if (!list) return;
    this.#saved.delete(connectionId);
    if (server.url !== list.url) return;
    if (server.state.refreshedAt !== null || server.state.restoredAt !== null) return;
    this.#update(server, { models: list.models, restoredAt: list.savedAt });
  }

  #update(server: Server, changes: Partial<ServerState>): void {
    server.state = Object.freeze({ ...server.state, ...changes });
    this.emit('server-changed', server.state.connectionId);
  }

  #followConnections(): void {
    const connections = this.#connections.list();
    const ids = new Set(connections.map((connection) => connection.id));
    for (const [id, server] of this.#servers) {
      if (ids.has(id)) continue;
      this.#servers.delete(id);
      server.run?.cancellable.cancel();
      this.emit('server-changed', id);
      // A removed server's list is not kept on disk.
      if (server.state.refreshedAt !== null || server.state.restoredAt !== null) this.#saveSoon();
    }
    for (const connection of connections) {
      const server = this.#servers.get(connection.id);
      if (!server) {
        const added = newServer(connection.id, connection.url);
        this.#servers.set(connection.id, added);
        this.#restoreSaved(added);
        if (this.#showingAll) this.#start(added, false);
      } else if (server.url !== connection.url) {
        // Another server now: what the old one had says nothing about it.
        server.run?.cancellable.cancel();
        const moved = newServer(connection.id, connection.url);
        this.#servers.set(connection.id, moved);
        if (server.asked) this.#start(moved, false);
        else this.emit('server-changed', connection.id);
      } else if (server.state.error !== null && server.run === null) {
        // The change (an API key) may be what it needed.
        this.#start(server, false);
      }
    }
    this.emit('servers-changed');
  }
}

function newServer(connectionId: string, url: string): Server {
  const state = Object.freeze({
    connectionId,
    models: [],
    error: null,
    loading: false,
    refreshedAt: null,
    restoredAt: null,
  });
  return { state, url, asked: false, run: null };
}

function sameModels(a: readonly InstalledModel[], b: readonly InstalledModel[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
