import Gio from 'gi://Gio';
import GObject from 'gi://GObject';
import { gettext as _ } from 'gettext';

import type { PullProgress } from '../ollama/types.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { cutText, formatBytes, fillTemplate } from '../util/text.js';
import { MAX_TEXT, isLiveStatus, type SavedPull, type PullStatus } from './saved-pull.js';
import { ModelProgress, type PullPhase } from './model-progress.js';
import type { NetworkState } from './network-state.js';
import { describePull, type PullView, type PullWait } from './pull-text.js';
import {
  classifyFailure,
  gaveUpMessage,
  retryDelayMs,
  stallMessage,
  tooManyLayersMessage,
} from './retry-policy.js';

/** The part of OllamaClient a pull uses. */
export interface PullClient {
  /** The server as people know it, for messages. */
  readonly host: string;
  pull(
    name: string,
    onProgress: (progress: PullProgress) => void,
    cancellable: Gio.Cancellable | null,
  ): Promise<void>;
}

/** Where clients come from: ClientPool. */
export interface PullClientSource {
  clientFor(connectionId: string): Promise<PullClient>;
}

/** Which connections exist: ConnectionStore. */
export interface ConnectionLookup {
  get(id: string): { readonly url: string } | null;
}

/** What a job needs from the manager that owns it. */
export interface PullJobContext {
  readonly clock: Clock;
  readonly clients: PullClientSource;
  readonly connections: ConnectionLookup;
  readonly network: NetworkState;
  /** The stall watchdog's limit while bytes are expected. */
  stallSeconds(): number;
  confirmMetered(name: string, bytes: number): Promise<boolean>;
  /** The status changed (it is already set): called at once, never throttled. */
  statusChanged(job: PullJob, previous: PullStatus): void;
  /** New bytes or a new server line: for saving now and then. */
  progressChanged(job: PullJob): void;
  /** What the job shows changed; throttled to one call per UPDATE_INTERVAL_MS. */
  updated(job: PullJob): void;
}

/** At most one `updated` per pull in this time. */
export const UPDATE_INTERVAL_MS = 2000;
/** Pulls larger than this (still to download) need permission on a metered network. */
export const METERED_LIMIT_BYTES = 1e9;
/** While offline, a try this often anyway, without counting it: the monitor may be wrong. */
const OFFLINE_TRY_MS = 5 * 60_000;
/**
 * Ollama says nothing while it checks the digests (a minute or more for big models): the
 * watchdog then allows this much, plus time to read the model at a slow disk's pace.
 */
const FINISHING_BASE_MS = 10 * 60_000;
const FINISHING_BYTES_PER_SECOND = 25e6;
/** A key lookup slower than this is shown as a wait (a locked keyring asks for a password). */
const KEYRING_NOTICE_MS = 1000;

type AbortReason = 'stall' | 'confirm' | 'layers';

/**
 * One model being pulled from one server: a state machine around OllamaClient.pull with
 * a stall watchdog, retries and their timers, and the progress of the whole model. The
 * PullManager creates jobs and drives them (begin, pause, resume, cancel); the UI reads
 * them: the properties below, `text` for one line of status, `toSavedPull()`.
 *
 * GObject properties (notified when the manager signals): `name`, `status`, `text`,
 * `progress` (0–1; 0 while the size is unknown).
 */
export class PullJob extends GObject.Object implements PullView {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockPullJob',
        Properties: {
          name: GObject.ParamSpec.string('name', null, null, GObject.ParamFlags.READABLE, ''),
          status: GObject.ParamSpec.string('status', null, null, GObject.ParamFlags.READABLE, ''),
          text: GObject.ParamSpec.string('text', null, null, GObject.ParamFlags.READABLE, ''),
          progress: GObject.ParamSpec.double(
            'progress',
            null,
            null,
            GObject.ParamFlags.READABLE,
            0,
            1,
            0,
          ),
        },
      },
      this,
    );
  }

  readonly id: string;
  readonly connectionId: string;
  /** When the pull was asked for, ISO 8601. */
  readonly startedAt: string;
  readonly #name: string;
  readonly #context: PullJobContext;
  readonly #progress: ModelProgress;
  #connectionUrl: string;
  #status: PullStatus;
  #error: string | null;
  #statusLine: string;
  #retryCount: number;
  #waitingFor: PullWait | null = null;
  #host: string;
  /** Bumped whenever what runs stops mattering: late callbacks of an older attempt are ignored. */
  #generation = 0;
  #cancellable: Gio.Cancellable | null = null;
  #abort: AbortReason | null = null;
  #meteredApproved = false;
  /** Whether this attempt's stream must stop to ask once its size shows it is large. */
  #askWhenLarge = false;
  #pausedForMetered = false;
  #lastActivityAt = 0;
  #retryAt: number | null = null;
  #retryTimer: TimerHandle | null = null;
  #pulseTimer: TimerHandle | null = null;
  #emitTimer: TimerHandle | null = null;
  #lastEmitAt = -Infinity;
  #dirty = false;

  constructor(context: PullJobContext, entry: SavedPull) {
    super();
    this.#context = context;
    this.id = entry.id;
    this.#name = entry.model;
    this.connectionId = entry.connectionId;
    this.startedAt = entry.startedAt;
    this.#connectionUrl = entry.connectionUrl;
    this.#status = entry.status;
    this.#error = entry.error;
    this.#statusLine = entry.statusLine;
    this.#retryCount = entry.retryCount;
    this.#host = entry.connectionUrl;
    this.#progress = new ModelProgress(entry);
  }

  /** As Ollama displays it: "llama3.2:latest" (or the text given, if it is not a valid name). */
  get name(): string {
    return this.#name;
  }

  get status(): PullStatus {
    return this.#status;
  }

  /** The connection's address when the pull last ran. */
  get connectionUrl(): string {
    return this.#connectionUrl;
  }

  /** Why it failed, waits to retry, or was paused by Paddock; null otherwise. */
  get error(): string | null {
    return this.#error;
  }

  /** The server's last status line, "" before any. */
  get statusLine(): string {
    return this.#statusLine;
  }

  /** Retries used since the last progress (0–5). */
  get retryCount(): number {
    return this.#retryCount;
  }

  get completed(): number {
    return this.#progress.completed;
  }

  /** 0 while unknown. */
  get total(): number {
    return this.#progress.total;
  }

  /** 0–1, never going back; null while the size is unknown. */
  get fraction(): number | null {
    return this.#progress.fraction;
  }

  /** The fraction for GObject bindings: 0 while unknown. */
  get progress(): number {
    return this.#progress.fraction ?? 0;
  }

  get phase(): PullPhase {
    return this.#progress.phase;
  }

  get isLive(): boolean {
    return isLiveStatus(this.#status);
  }

  /** Smoothed bytes a second while bytes flow; null otherwise. */
  get speed(): number | null {
    return this.#streaming ? this.#progress.speedAt(this.#context.clock.now()) : null;
  }

  get secondsLeft(): number | null {
    return this.#streaming ? this.#progress.secondsLeftAt(this.#context.clock.now()) : null;
  }

  /** Whole seconds without new bytes while bytes are expected (10 s or more); null otherwise. */
  get stalledFor(): number | null {
    return this.#streaming ? this.#progress.stalledForAt(this.#context.clock.now()) : null;
  }

  /** Whole seconds (rounded up) until a pending retry; null when none is counting down. */
  get retryIn(): number | null {
    if (this.#status !== 'pending-retry' || this.#retryAt === null) return null;
    return Math.max(0, Math.ceil((this.#retryAt - this.#context.clock.now()) / 1000));
  }

  /**
   * 'network' while a retry waits to be online; 'confirmation' while asking about a metered
   * network; 'keyring' while the API key is read, before the stream starts.
   */
  get waitingFor(): PullWait | null {
    return this.#waitingFor;
  }

  /** One line for the UI or the command line; see describePull. */
  get text(): string {
    return describePull(this);
  }

  toSavedPull(): SavedPull {
    return {
      id: this.id,
      model: this.name,
      connectionId: this.connectionId,
      // Only shown: a resumed pull takes the connection's address.
      connectionUrl: cutText(this.#connectionUrl, MAX_TEXT),
      status: this.#status,
      error: this.#error,
      statusLine: this.#statusLine,
      completed: this.#progress.completed,
      total: this.#progress.total,
      retryCount: this.#retryCount,
      startedAt: this.startedAt,
      layers: this.#progress.layers(),
      sizeHint: this.#progress.sizeHint,
    };
  }

  /** For the manager: a queued job gets its turn. */
  begin(): void {
    if (this.#status !== 'queued') return;
    this.#setStatus('pulling');
    void this.#attempt();
  }

  /** Closes the stream (or stops waiting) and keeps the job as paused. False if it is not live. */
  pause(): boolean {
    if (!this.isLive || this.#status === 'paused') return false;
    this.#stopEverything();
    this.#error = null;
    this.#setStatus('paused');
    return true;
  }

  /**
   * A paused job queues again, with a fresh set of retries. Resuming a pull paused for a
   * metered network is the permission to download over it. False if it is not paused.
   */
  resume(): boolean {
    if (this.#status !== 'paused') return false;
    if (this.#pausedForMetered) this.#meteredApproved = true;
    this.#retryCount = 0;
    this.#error = null;
    this.#setStatus('queued');
    return true;
  }

  /**
   * Closes the stream, which is how Ollama learns to stop; it may keep the part it has
   * (and use it for a later pull of the model). False if the job is not live.
   */
  cancel(): boolean {
    if (!this.isLive) return false;
    this.#stopEverything();
    this.#error = null;
    this.#setStatus('cancelled');
    return true;
  }

  /** For the manager: fails a job that cannot run at all (bad name, cloud tag, connection gone). */
  failNow(message: string): void {
    if (!this.isLive) return;
    this.#stopEverything();
    this.#error = cutText(message, MAX_TEXT);
    this.#setStatus('failed');
  }

  /** For the manager's shutdown: stops everything without a change of status, as a quit would. */
  suspend(): void {
    this.#stopEverything();
    this.#cancelTimer(this.#emitTimer);
    this.#emitTimer = null;
  }

  /** For the manager: the network changed; a retry waiting to be online may go now. */
  networkChanged(): void {
    if (
      this.#status === 'pending-retry' &&
      this.#waitingFor === 'network' &&
      this.#context.network.isOnline(this.#connectionUrl)
    )
      this.#retryNow();
  }

  get #streaming(): boolean {
    return this.#status === 'pulling' && this.#cancellable !== null;
  }

  async #attempt(): Promise<void> {
    const generation = ++this.#generation;
    this.#abort = null;
    this.#waitingFor = null;
    const connection = this.#context.connections.get(this.connectionId);
    if (!connection) {
      this.failNow(
        fillTemplate(_('The connection to {url} was removed, so this download cannot go on.'), {
          url: this.#connectionUrl,
        }),
      );
      return;
    }
    this.#connectionUrl = connection.url;
    // Whether the network is metered is settled before the stream starts.
    this.#askWhenLarge =
      !this.#meteredApproved && this.#context.network.isMetered(this.#connectionUrl);
    const remaining = this.#progress.remaining;
    if (this.#askWhenLarge && remaining !== null && remaining > METERED_LIMIT_BYTES) {
      if (!(await this.#askPermission(generation, remaining))) return;
    }

    let client: PullClient;
    let notice: TimerHandle | null = this.#context.clock.timeout(KEYRING_NOTICE_MS, () => {
      notice = null;
      if (generation !== this.#generation) return;
      this.#waitingFor = 'keyring';
      this.#markDirty();
    });
    try {
      client = await this.#context.clients.clientFor(this.connectionId);
    } catch (error) {
      if (generation === this.#generation) {
        this.#waitingFor = null;
        this.#attemptFailed(error);
      }
      return;
    } finally {
      this.#cancelTimer(notice);
    }
    if (generation !== this.#generation) return;
    this.#waitingFor = null;
    this.#host = client.host;
    const now = this.#context.clock.now();
    this.#progress.beginAttempt(now);
    this.#lastActivityAt = now;
    const cancellable = new Gio.Cancellable();
    this.#cancellable = cancellable;
    this.#schedulePulse();
    this.#markDirty();
    try {
      await client.pull(this.name, (line) => this.#onLine(generation, line), cancellable);
    } catch (error) {
      if (generation !== this.#generation) return;
      const abort = this.#abort;
      this.#abort = null;
      if (abort === 'confirm') await this.#confirmThenRestart(generation);
      else if (abort === 'stall')
        this.#attemptFailed(null, stallMessage(this.#stallLimitSeconds(), this.#host));
      else if (abort === 'layers') this.failNow(tooManyLayersMessage(this.#host));
      else this.#attemptFailed(error);
      return;
    }
    if (generation !== this.#generation) return;
    this.#stopStream();
    this.#progress.finish();
    this.#error = null;
    this.#retryCount = 0;
    this.#setStatus('complete');
  }

  #onLine(generation: number, line: PullProgress): void {
    if (generation !== this.#generation || this.#abort !== null) return;
    const now = this.#context.clock.now();
    const seen = this.#progress.observe(line, now);
    if (seen.tooManyLayers) {
      // A server that names ever new blobs would keep the pull (and loading.json) growing.
      this.#abort = 'layers';
      this.#cancellable?.cancel();
      return;
    }
    this.#statusLine = cutText(line.status, MAX_TEXT);
    if (seen.arrived > 0 || seen.advanced || seen.phaseChanged) this.#lastActivityAt = now;
    if (seen.advanced) {
      // New bytes: the retries start afresh, and the last error no longer stands.
      this.#retryCount = 0;
      this.#error = null;
    }
    this.#context.progressChanged(this);
    const remaining = this.#progress.remaining;
    if (this.#askWhenLarge && remaining !== null && remaining > METERED_LIMIT_BYTES) {
      // The size is known only now: stop before much is spent, ask, and resume if allowed.
      this.#abort = 'confirm';
      this.#cancellable?.cancel();
      return;
    }
    this.#markDirty();
  }

  /** True when allowed; else the job is paused (or something else already happened to it). */
  async #askPermission(generation: number, bytes: number): Promise<boolean> {
    this.#waitingFor = 'confirmation';
    this.#markDirty();
    let allowed = false;
    try {
      allowed = await this.#context.confirmMetered(this.name, bytes);
    } catch {
      // No answer is no permission.
    }
    if (generation !== this.#generation) return false;
    this.#waitingFor = null;
    if (allowed) {
      this.#meteredApproved = true;
      this.#askWhenLarge = false;
      return true;
    }
    this.#error = fillTemplate(
      _(
        'Paused: the network is metered, and {size} is left to download. Resume to download anyway.',
      ),
      { size: formatBytes(bytes) },
    );
    this.#setStatus('paused');
    this.#pausedForMetered = true;
    return false;
  }

  async #confirmThenRestart(generation: number): Promise<void> {
    this.#stopStream();
    if (await this.#askPermission(generation, this.#progress.remaining ?? 0)) void this.#attempt();
  }

  /** What to do after a failed attempt: fail, wait for the network, or retry after a while. */
  #attemptFailed(error: unknown, message: string | null = null): void {
    this.#stopStream();
    const verdict = message === null ? classifyFailure(error) : { permanent: false, message };
    if (verdict.permanent) {
      this.failNow(verdict.message);
      return;
    }
    const clock = this.#context.clock;
    this.#error = cutText(verdict.message, MAX_TEXT);
    if (!this.#context.network.isOnline(this.#connectionUrl)) {
      // Offline, failures say nothing about the server: wait, without using up retries.
      this.#waitingFor = 'network';
      this.#retryAt = null;
      this.#retryTimer = clock.timeout(OFFLINE_TRY_MS, () => this.#retryNow());
      this.#enterPendingRetry();
      return;
    }
    const delay = retryDelayMs(this.#retryCount);
    if (delay === null) {
      this.failNow(gaveUpMessage(verdict.message));
      return;
    }
    this.#retryCount++;
    this.#waitingFor = null;
    this.#retryAt = clock.now() + delay;
    this.#retryTimer = clock.timeout(delay, () => this.#retryNow());
    this.#enterPendingRetry();
    this.#schedulePulse();
  }

  #enterPendingRetry(): void {
    if (this.#status === 'pending-retry') this.#markDirty();
    else this.#setStatus('pending-retry');
  }

  #retryNow(): void {
    this.#retryTimer = null;
    if (this.#status !== 'pending-retry') return;
    this.#stopEverything();
    this.#setStatus('pulling');
    void this.#attempt();
  }

  /** Every 2 s while streaming or counting down: the watchdog, and "stalled for"/countdown updates. */
  #schedulePulse(): void {
    this.#cancelTimer(this.#pulseTimer);
    let delay = UPDATE_INTERVAL_MS;
    if (this.#streaming)
      delay = Math.min(
        delay,
        this.#lastActivityAt + this.#stallLimitSeconds() * 1000 - this.#context.clock.now(),
      );
    this.#pulseTimer = this.#context.clock.timeout(Math.max(0, delay), () => this.#pulse());
  }

  #pulse(): void {
    this.#pulseTimer = null;
    const now = this.#context.clock.now();
    if (this.#streaming) {
      if (now - this.#lastActivityAt >= this.#stallLimitSeconds() * 1000) {
        this.#abort = 'stall';
        this.#cancellable?.cancel();
        return;
      }
      if (this.#progress.stalledForAt(now) !== null || this.#progress.speedAt(now) !== null)
        this.#dirty = true;
    } else if (this.#status === 'pending-retry' && this.#retryAt !== null) {
      this.#dirty = true;
    } else {
      return;
    }
    this.#flush(now);
    this.#schedulePulse();
  }

  #stallLimitSeconds(): number {
    const limit = Math.max(1, this.#context.stallSeconds());
    if (this.#progress.phase !== 'finishing') return limit;
    const reading = (this.#progress.total / FINISHING_BYTES_PER_SECOND) * 1000;
    return Math.max(limit, Math.ceil((FINISHING_BASE_MS + reading) / 1000));
  }

  #markDirty(): void {
    this.#dirty = true;
    this.#flush(this.#context.clock.now());
  }

  /** Sends the pending update now, or when the 2 s since the last one are over. */
  #flush(now: number): void {
    if (!this.#dirty) return;
    const wait = this.#lastEmitAt + UPDATE_INTERVAL_MS - now;
    if (wait <= 0) {
      this.#cancelTimer(this.#emitTimer);
      this.#emitTimer = null;
      this.#dirty = false;
      this.#lastEmitAt = now;
      this.notify('progress');
      this.notify('text');
      this.#context.updated(this);
    } else if (this.#emitTimer === null) {
      this.#emitTimer = this.#context.clock.timeout(wait, () => {
        this.#emitTimer = null;
        if (this.isLive) this.#flush(this.#context.clock.now());
      });
    }
  }

  #setStatus(status: PullStatus): void {
    const previous = this.#status;
    this.#status = status;
    this.#pausedForMetered = false;
    if (!isLiveStatus(status)) {
      this.#dirty = false;
      this.#cancelTimer(this.#emitTimer);
      this.#emitTimer = null;
    }
    this.notify('status');
    this.notify('progress');
    this.notify('text');
    this.#context.statusChanged(this, previous);
  }

  /** Closes the stream, if one runs, and stops the watchdog. */
  #stopStream(): void {
    this.#cancellable?.cancel();
    this.#cancellable = null;
    this.#abort = null;
    this.#cancelTimer(this.#pulseTimer);
    this.#pulseTimer = null;
  }

  /** Whatever runs or waits stops mattering: the stream, timers, a pending question. */
  #stopEverything(): void {
    this.#generation++;
    this.#stopStream();
    this.#cancelTimer(this.#retryTimer);
    this.#retryTimer = null;
    this.#retryAt = null;
    this.#waitingFor = null;
  }

  #cancelTimer(handle: TimerHandle | null): void {
    if (handle !== null) this.#context.clock.cancel(handle);
  }
}
