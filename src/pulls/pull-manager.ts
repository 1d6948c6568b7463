import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import { gettext as _ } from 'gettext';

import { InvalidModelNameError } from '../ollama/errors.js';
import { ModelName } from '../ollama/model-name.js';
import { systemClock, type Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';
import { Throttle } from '../util/throttle.js';
import { GioNetworkState } from './gio-network-state.js';
import { isLiveStatus, type SavedPull, type PullStatus } from './saved-pull.js';
import { SavedPullStore } from './saved-pull-store.js';
import type { NetworkState } from './network-state.js';
import {
  PullJob,
  type ConnectionLookup,
  type PullClientSource,
  type PullJobContext,
} from './pull-job.js';
import { cloudTagProblem } from './pull-text.js';

export interface PullManagerOptions {
  /** Usually the app's ClientPool. */
  clients: PullClientSource;
  /** Usually the app's ConnectionStore. */
  connections: ConnectionLookup;
  /** Where loading.json lives (<data dir>/paddock); null keeps nothing on disk. */
  dataDir: Gio.File | null;
  clock?: Clock;
  /** Default: GioNetworkState (Gio.NetworkMonitor). */
  network?: NetworkState;
  /** Pulls that run at once on one connection (GSettings); read whenever a pull could start. Default 3. */
  maxPullsPerConnection?: () => number;
  /** The stall watchdog's limit in seconds (GSettings). Default 90. */
  stallSeconds?: () => number;
  /**
   * Asked before a pull with more than 1 GB left to download runs on a metered network;
   * resolves true to go on. Without it, pulls go on.
   */
  confirmMetered?: (name: string, bytes: number) => Promise<boolean>;
}

export interface StartOptions {
  /** The model's size from the catalog, so the bar is right from the first byte. */
  sizeHint?: number | null;
}

export interface PullManagerLoad {
  /** What was wrong with loading.json and what was done about it, for the user. */
  problems: string[];
}

export const DEFAULT_MAX_PULLS_PER_CONNECTION = 3;
export const DEFAULT_STALL_SECONDS = 90;
/** Progress alone is saved at most this often; status changes are saved at once. */
export const PROGRESS_SAVE_INTERVAL_MS = 5 * 60_000;

/**
 * Runs Paddock's model pulls: one per application, made at start-up. Each pull is a
 * PullJob (see there) streaming on the main loop; at most one per connection and model
 * (asking again joins the running one), at most `maxPullsPerConnection` running per
 * connection (the rest are queued). Live pulls are kept in <dataDir>/loading.json so a
 * crash or a restart loses at most some progress: call load() once at start-up to
 * resume them, and shutdown() when quitting.
 *
 * Signals:
 * - `changed` (): a job was added or removed, or a job's status changed.
 * - `status-changed` (job, previous status): at once, never throttled.
 * - `progress-updated` (job): at most once every 2 s per job.
 * - `model-complete` (job), `model-failed` (job, message): when a pull ends that way.
 * - `store-problem` (message): loading.json could not be written (reported once until a
 *   write works again); pulls go on.
 * - `closed` (): shutdown() has begun; no job of this manager changes any more.
 */
export class PullManager extends GObject.Object {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockPullManager',
        Signals: {
          changed: {},
          'status-changed': { param_types: [PullJob.$gtype, GObject.TYPE_STRING] },
          'progress-updated': { param_types: [PullJob.$gtype] },
          'model-complete': { param_types: [PullJob.$gtype] },
          'model-failed': { param_types: [PullJob.$gtype, GObject.TYPE_STRING] },
          'store-problem': { param_types: [GObject.TYPE_STRING] },
          closed: {},
        },
      },
      this,
    );
  }

  /** Every job, live and finished (until dismissed), in the order they were started. */
  readonly model: Gio.ListStore<PullJob>;
  readonly #context: PullJobContext;
  readonly #clock: Clock;
  readonly #connections: ConnectionLookup;
  readonly #store: SavedPullStore | null;
  readonly #maxPulls: () => number;
  readonly #disconnectNetwork: () => void;
  #jobs: PullJob[] = [];
  #reading: Promise<PullManagerLoad> | null = null;
  #loaded = false;
  #closed = false;
  #shutdown: Promise<void> | null = null;
  /** Why pulls cannot start here: another process owns them (see PullOwner). */
  #ownedElsewhere: string | null = null;
  #scheduling = false;
  #scheduleAgain = false;
  #saving: Promise<void> | null = null;
  #saveWanted = false;
  /** Progress alone is saved at most once per PROGRESS_SAVE_INTERVAL_MS; any save counts. */
  readonly #progressSave: Throttle;
  #storeProblem: string | null = null;

  constructor(options: PullManagerOptions) {
    super();
    this.#clock = options.clock ?? systemClock;
    this.#connections = options.connections;
    this.#store = options.dataDir ? new SavedPullStore(options.dataDir, this.#clock) : null;
    this.#maxPulls = options.maxPullsPerConnection ?? (() => DEFAULT_MAX_PULLS_PER_CONNECTION);
    this.#progressSave = new Throttle(this.#clock, PROGRESS_SAVE_INTERVAL_MS, () =>
      this.#requestSave(),
    );
    const network = options.network ?? new GioNetworkState();
    const stallSeconds = options.stallSeconds ?? (() => DEFAULT_STALL_SECONDS);
    const confirmMetered = options.confirmMetered ?? (() => Promise.resolve(true));
    this.#context = {
      clock: this.#clock,
      clients: options.clients,
      connections: options.connections,
      network,
      stallSeconds,
      confirmMetered,
      statusChanged: (job, previous) => this.#onStatusChanged(job, previous),
      progressChanged: () => {
        if (this.#store && this.#loaded && !this.#closed) this.#progressSave.request();
      },
      updated: (job) => {
        if (!this.#closed) this.emit('progress-updated', job);
      },
    };
    this.model = new Gio.ListStore({ item_type: PullJob.$gtype });
    this.#disconnectNetwork = network.onChanged(() => {
      for (const job of this.#jobs) job.networkChanged();
    });
  }

  /** Every job, live and finished (until dismissed), in the order they were started. */
  get jobs(): readonly PullJob[] {
    return this.#jobs;
  }

  /** Whether shutdown() has begun. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Until load(), pulls asked for here fail at once with `reason`: another Paddock process
   * owns the user's pulls, and two processes must never run them.
   */
  ownedElsewhere(reason: string): void {
    this.#ownedElsewhere = reason;
  }

  /** Why every pull asked for here fails at once (see ownedElsewhere), or null. */
  get refusal(): string | null {
    return this.#ownedElsewhere;
  }

  /** Why loading.json cannot be written right now, or null. */
  get storeProblem(): string | null {
    return this.#storeProblem;
  }

  get(id: string): PullJob | null {
    return this.#jobs.find((job) => job.id === id) ?? null;
  }

  /** The live job pulling this model on this connection, if any. */
  find(connectionId: string, name: string): PullJob | null {
    const key = PullManager.#key(connectionId, name);
    return this.#jobs.find((job) => job.isLive && this.#keyOf(job) === key) ?? null;
  }

  /**
   * Pulls a model, or joins the pull of it that is already live (resuming it if it was
   * paused). A name that cannot be pulled (invalid, a cloud tag, an unknown connection)
   * gives a job that has failed already, with the reason as its error.
   */
  start(connectionId: string, name: string, options: StartOptions = {}): PullJob {
    if (this.#closed) throw new Error('PullManager: start() after shutdown()');
    const text = name.trim();
    const existing = this.find(connectionId, text);
    if (existing) {
      if (existing.status === 'paused') this.resume(existing.id);
      return existing;
    }
    let problem: string | null;
    let display = text;
    try {
      const parsed = ModelName.parse(text);
      display = parsed.display;
      problem = cloudTagProblem(parsed);
    } catch (error) {
      if (!(error instanceof InvalidModelNameError)) throw error;
      problem = error.message;
    }
    const connection = this.#connections.get(connectionId);
    if (problem === null && !connection) problem = _('That connection no longer exists.');
    problem ??= this.#ownedElsewhere;
    // A finished row of the same model gives way to the new pull.
    const key = PullManager.#key(connectionId, text);
    for (const job of this.#jobs.filter((job) => !job.isLive && this.#keyOf(job) === key))
      this.dismiss(job.id);

    const job = new PullJob(this.#context, {
      id: GLib.uuid_string_random(),
      model: display,
      connectionId,
      connectionUrl: connection?.url ?? '',
      status: 'queued',
      error: null,
      statusLine: '',
      completed: 0,
      total: 0,
      retryCount: 0,
      startedAt: new Date(this.#clock.wallNow()).toISOString(),
      layers: [],
      sizeHint: PullManager.#sizeHint(options.sizeHint),
    });
    this.#add(job);
    if (problem !== null) {
      job.failNow(problem);
    } else {
      this.#requestSave();
      this.#schedule();
    }
    return job;
  }

  /** Closes the stream and keeps the job, paused. False when there is no such live job. */
  pause(id: string): boolean {
    return this.get(id)?.pause() ?? false;
  }

  /** Queues a paused job again (it starts at once if its connection has room; the server resumes). */
  resume(id: string): boolean {
    return this.get(id)?.resume() ?? false;
  }

  /** Stops the pull for good. Ollama may keep the part it downloaded. */
  cancel(id: string): boolean {
    return this.get(id)?.cancel() ?? false;
  }

  /** Removes a finished job from the list. False when there is no such finished job. */
  dismiss(id: string): boolean {
    const job = this.get(id);
    if (!job || job.isLive) return false;
    this.#jobs = this.#jobs.filter((other) => other !== job);
    const [found, position] = this.model.find(job);
    if (found) this.model.remove(position);
    if (!this.#closed) this.emit('changed');
    return true;
  }

  /** Call when the limit of pulls per connection may have changed. */
  settingsChanged(): void {
    this.#schedule();
  }

  /**
   * Reads loading.json and resumes what it lists: queued, pulling and pending-retry pulls
   * queue again (and start as their connections have room); paused ones stay paused; one
   * whose connection was removed fails, saying so. Never rejects. Nothing is written to
   * loading.json before this has run.
   */
  load(): Promise<PullManagerLoad> {
    this.#ownedElsewhere = null;
    this.#reading ??= this.#load();
    return this.#reading;
  }

  /**
   * Closes every stream and writes loading.json one last time, with every live pull as it
   * stands, for the next start (or the next owner) to resume. The manager does nothing more
   * afterwards. Calling it again gives the same promise.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#close();
    return this.#shutdown;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.emit('closed');
    this.#disconnectNetwork();
    for (const job of this.#jobs) job.suspend();
    this.#progressSave.cancel();
    if (this.#reading) await this.#reading;
    if (this.#saving) await this.#saving;
    if (!this.#store || !this.#loaded) return;
    try {
      await this.#store.save(this.#entries());
    } catch (error) {
      // Nobody listens any more: the log is the last place to say it, unless it was said.
      if (this.#storeProblem === null)
        console.error('Paddock: saving the downloads on quitting:', error);
    }
  }

  /** Resolves when every change so far is on disk (or failed to get there). */
  async whenSaved(): Promise<void> {
    while (this.#saving) await this.#saving;
  }

  async #load(): Promise<PullManagerLoad> {
    if (!this.#store) {
      this.#loaded = true;
      return { problems: [] };
    }
    const { entries, problem } = await this.#store.load();
    const problems = problem === null ? [] : [problem];
    if (this.#closed) return { problems };
    for (const entry of entries) {
      if (!isLiveStatus(entry.status) || this.find(entry.connectionId, entry.model)) continue;
      const fresh: SavedPull = {
        ...entry,
        id: this.get(entry.id) ? GLib.uuid_string_random() : entry.id,
        status: entry.status === 'paused' ? 'paused' : 'queued',
      };
      const job = new PullJob(this.#context, fresh);
      this.#add(job);
      const cloud = cloudTagProblem(ModelName.parse(entry.model));
      if (cloud !== null) job.failNow(cloud);
      else if (!this.#connections.get(entry.connectionId))
        job.failNow(
          fillTemplate(
            _('The connection to {url} no longer exists, so this download cannot resume.'),
            { url: entry.connectionUrl },
          ),
        );
    }
    this.#loaded = true;
    this.#requestSave();
    this.#schedule();
    return { problems };
  }

  /** A size loading.json can hold, or null: a hint that is not one is no hint. */
  static #sizeHint(size: number | null | undefined): number | null {
    if (size === null || size === undefined) return null;
    const bytes = Math.round(size);
    return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
  }

  #add(job: PullJob): void {
    this.#jobs.push(job);
    this.model.append(job);
    this.emit('changed');
  }

  #keyOf(job: PullJob): string {
    return PullManager.#key(job.connectionId, job.name);
  }

  /** Same connection and same model by Ollama's rules (llama3.2 is llama3.2:latest, any case). */
  static #key(connectionId: string, name: string): string {
    let model = name;
    try {
      model = ModelName.parse(name).full.toLowerCase();
    } catch {
      // An invalid name only ever matches itself.
    }
    return `${connectionId}\n${model}`;
  }

  #onStatusChanged(job: PullJob, previous: PullStatus): void {
    if (this.#closed) return;
    // Saving starts first, so that a listener can wait for it with whenSaved().
    this.#requestSave();
    this.emit('status-changed', job, previous);
    if (job.status === 'complete') this.emit('model-complete', job);
    else if (job.status === 'failed') this.emit('model-failed', job, job.error ?? '');
    this.emit('changed');
    this.#schedule();
  }

  /** Starts queued jobs, oldest first, while their connections have room. */
  #schedule(): void {
    if (this.#closed) return;
    if (this.#scheduling) {
      this.#scheduleAgain = true;
      return;
    }
    this.#scheduling = true;
    try {
      do {
        this.#scheduleAgain = false;
        const limit = Math.max(1, Math.floor(this.#maxPulls()));
        for (const job of this.#jobs) {
          if (job.status !== 'queued') continue;
          const running = this.#jobs.filter(
            (other) =>
              other.connectionId === job.connectionId &&
              (other.status === 'pulling' || other.status === 'pending-retry'),
          ).length;
          if (running < limit) job.begin();
        }
      } while (this.#scheduleAgain);
    } finally {
      this.#scheduling = false;
    }
  }

  #entries(): SavedPull[] {
    return this.#jobs.filter((job) => job.isLive).map((job) => job.toSavedPull());
  }

  /** Saves soon; saves run one at a time, and one asked for during another runs after it. */
  #requestSave(): void {
    if (!this.#store || !this.#loaded || this.#closed) return;
    this.#saveWanted = true;
    this.#saving ??= this.#saveLoop();
  }

  async #saveLoop(): Promise<void> {
    const store = this.#store!;
    while (this.#saveWanted && !this.#closed) {
      this.#saveWanted = false;
      this.#progressSave.restart();
      try {
        await store.save(this.#entries());
        this.#storeProblem = null;
      } catch (error) {
        const message = errorText(error);
        const first = this.#storeProblem === null;
        this.#storeProblem = message;
        if (first && !this.#closed) this.emit('store-problem', message);
      }
    }
    this.#saving = null;
  }
}
