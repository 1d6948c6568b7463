import Gio from 'gi://Gio';
import GObject from 'gi://GObject';

import { CancelledError } from '../ollama/errors.js';
import { inBackground } from '../util/background.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import type { ServerState } from './model-library.js';
import type { UpdateCheck } from './update-check.js';

/** What the schedule needs of the ModelLibrary. */
export interface ScheduledLibrary {
  servers(): readonly ServerState[];
  load(): Promise<void>;
  connect(signal: 'server-changed', callback: () => void): number;
  disconnect(id: number): void;
}

/** A model a registry has a newer version of, on one server. */
export interface OutdatedModel {
  readonly connectionId: string;
  readonly name: string;
}

export interface UpdateScheduleOptions {
  library: ScheduledLibrary;
  updates: Pick<UpdateCheck, 'check' | 'cached'>;
  /** Time between checks (the update-check-interval setting). */
  intervalMs: number;
  clock?: Clock;
}

/**
 * The window's update check: once the library has listed the servers, and again every
 * `intervalMs` while it runs, every installed model is checked (UpdateCheck asks the
 * registries only for answers older than the interval, a few at a time, cancellable),
 * and `outdated` follows the library, so that a model updated since drops out of it.
 *
 * Signal: `changed` () when the list of outdated models changed.
 */
export class UpdateSchedule extends GObject.Object {
  static {
    GObject.registerClass({ GTypeName: 'PaddockUpdateSchedule', Signals: { changed: {} } }, this);
  }

  readonly #library: ScheduledLibrary;
  readonly #updates: Pick<UpdateCheck, 'check' | 'cached'>;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #outdated: readonly OutdatedModel[] = [];
  #running: Gio.Cancellable | null = null;
  #timer: TimerHandle | null = null;
  #handler: number | null = null;
  /** Counts the readings of the cached answers: only the last one's list is kept. */
  #reading = 0;

  constructor(options: UpdateScheduleOptions) {
    super();
    this.#library = options.library;
    this.#updates = options.updates;
    this.#intervalMs = options.intervalMs;
    this.#clock = options.clock ?? systemClock;
  }

  /** Every model a registry has a newer version of, by server, as last checked. */
  get outdated(): readonly OutdatedModel[] {
    return this.#outdated;
  }

  /** A check is under way. */
  get checking(): boolean {
    return this.#running !== null;
  }

  /** Starts checking, once the library has listed its servers (twice is harmless). */
  start(): void {
    if (this.#handler !== null) return;
    const read = () => inBackground(this.#readCached(), 'reading the update check’s answers');
    this.#handler = this.#library.connect('server-changed', read);
    read();
    inBackground(
      this.#library.load().then(() => {
        if (this.#handler !== null) return this.check();
      }),
      'checking the models for updates',
    );
  }

  /**
   * Checks every model now; `force` asks the registries even for answers younger than the
   * interval. A check under way is replaced. The next one follows `intervalMs` later.
   * Resolves when done or stopped; never rejects but for bugs.
   */
  async check(force = false): Promise<void> {
    this.#running?.cancel();
    const cancellable = new Gio.Cancellable();
    this.#running = cancellable;
    if (this.#timer !== null) this.#clock.cancel(this.#timer);
    this.#timer = null;
    // Lists saved last time wait for their server: it may be gone, or have changed.
    const servers = this.#library
      .servers()
      .filter((server) => server.refreshedAt !== null && server.models.length > 0);
    try {
      await Promise.all(
        servers.map((server) => this.#updates.check(server.models, { force, cancellable })),
      );
    } catch (error) {
      if (error instanceof CancelledError && cancellable.is_cancelled()) return;
      throw error;
    } finally {
      if (this.#running === cancellable) this.#running = null;
    }
    if (this.#handler === null) return;
    this.#timer = this.#clock.timeout(this.#intervalMs, () => {
      this.#timer = null;
      inBackground(this.check(), 'checking the models for updates');
    });
    await this.#readCached();
  }

  /** Stops the timer and the check under way. */
  stop(): void {
    if (this.#handler !== null) this.#library.disconnect(this.#handler);
    this.#handler = null;
    this.#running?.cancel();
    this.#running = null;
    if (this.#timer !== null) this.#clock.cancel(this.#timer);
    this.#timer = null;
  }

  /** The outdated models as the cached answers say for what the servers have now. */
  async #readCached(): Promise<void> {
    const reading = ++this.#reading;
    const servers = this.#library.servers().filter((server) => server.refreshedAt !== null);
    const answers = await Promise.all(servers.map((server) => this.#updates.cached(server.models)));
    if (reading !== this.#reading) return;
    const outdated: OutdatedModel[] = [];
    servers.forEach((server, index) => {
      for (const [name, result] of answers[index])
        if (result?.state === 'outdated')
          outdated.push({ connectionId: server.connectionId, name });
    });
    if (JSON.stringify(outdated) === JSON.stringify(this.#outdated)) return;
    this.#outdated = outdated;
    this.emit('changed');
  }
}
