import Gio from 'gi://Gio';
import GObject from 'gi://GObject';
import { gettext as _ } from 'gettext';

import type { PullProgress } from '../ollama/types.js';
import { StreamError } from '../ollama/errors.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { cutText, formatBytes, fillTemplate } from '../util/text.js';
import { Throttle } from '../util/throttle.js';
import { MAX_TEXT, isLiveStatus, type SavedPull, type PullStatus } from './saved-pull.js';
import { MeteredPermission } from './metered-permission.js';
import { ModelProgress, type PullPhase } from './model-progress.js';
import type { NetworkState } from './network-state.js';
import { describePull, restartLossText } from './pull-text.js';
import type { PullView, PullWait } from './pull-view.js';
import {
  classifyFailure,
  gaveUpMessage,
  retryDelayMs,
  stallMessage,
  tooManyLayersMessage,
} from './retry-policy.js';
import { inBackground } from '../util/background.js';

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
 * PullManager creates jobs and drives them (begin, pause, resume, cancel); the UI and the
 * command line read them as a PullView (see there), and loading.json as `toSavedPull()`.
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
  /** The permission's question is the third wait, 'confirmation'. */
  #waitingFor: 'network' | 'keyring' | null = null;
  #host: string;
  /** Bumped whenever what runs stops mattering: late callbacks of an older attempt are ignored. */
  #generation = 0;
  #cancellable: Gio.Cancellable | null = null;
  #abort: AbortReason | null = null;
  readonly #metered = new MeteredPermission();
  readonly #updates: Throttle;
  #lastActivityAt = 0;
  #retryAt: number | null = null;
  #retryTimer: TimerHandle | null = null;
  #pulseTimer: TimerHandle | null = null;
  /** Bytes the server threw away since this job began (said once); 0 when none. */
  #discarded = 0;
  /** The last attempt ended in a digest mismatch: the server drops that blob, which is no loss to explain. */
  #refetching = false;

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
    this.#updates = new Throttle(context.clock, UPDATE_INTERVAL_MS, () => {
      this.notify('progress');
      this.notify('text');
      this.#context.updated(this);
    });
  }

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

  get error(): string | null {
    return this.#error;
  }

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

  get total(): number {
    return this.#progress.total;
  }

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

  get speed(): number | null {
    return this.#streaming ? this.#progress.speedAt(this.#context.clock.now()) : null;
  }

  get secondsLeft(): number | null {
    return this.#streaming ? this.#progress.secondsLeftAt(this.#context.clock.now()) : null;
  }

  get stalledFor(): number | null {
    return this.#streaming ? this.#progress.stalledForAt(this.#context.clock.now()) : null;
  }

  get retryIn(): number | null {
    if (this.#status !== 'pending-retry' || this.#retryAt === null) return null;
    return Math.max(0, Math.ceil((this.#retryAt - this.#context.clock.now()) / 1000));
  }

  get waitingFor(): PullWait | null {
    return this.#metered.state === 'asking' ? 'confirmation' : this.#waitingFor;
  }

  get text(): string {
    return describePull(this);
  }

  /**
   * Why a resumed blob started again from 0: the server deleted its unfinished download
   * when it restarted. Null when nothing was lost.
   */
  get restartLoss(): string | null {
    return this.#discarded > 0 ? restartLossText(this.#discarded) : null;
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
    inBackground(this.#attempt(), 'pulling a model');
  }

  /** Closes the stream (or stops waiting) and keeps the job as paused. False if it is not live. */
  pause(): boolean {
    if (this.#status === 'paused') return false;
    return this.#stop('paused', null);
  }

  /**
   * A paused job queues again, with a fresh set of retries. Resuming a pull paused for a
   * metered network is the permission to download over it. False if it is not paused.
   */
  resume(): boolean {
    if (this.#status !== 'paused') return false;
    this.#metered.resumed();
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
    return this.#stop('cancelled', null);
  }

  /** For the manager: fails a job that cannot run at all (bad name, cloud tag, connection gone). */
  failNow(message: string): void {
    this.#stop('failed', cutText(message, MAX_TEXT));
  }

  /** For the manager's shutdown: stops everything without a change of status, as a quit would. */
  suspend(): void {
    this.#stopEverything();
    this.#updates.cancel();
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
    this.#metered.attemptStarts(this.#context.network.isMetered(this.#connectionUrl));
    if (this.#metered.mustAsk(this.#progress.remaining) && !(await this.#askPermission(generation)))
      return;

    let client: PullClient;
    let notice: TimerHandle | null = this.#context.clock.timeout(KEYRING_NOTICE_MS, () => {
      notice = null;
      if (generation !== this.#generation) return;
      this.#waitingFor = 'keyring';
      this.#updates.request();
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
    this.#updates.request();
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
    if (seen.discarded !== undefined && this.#discarded === 0 && !this.#refetching) {
      this.#discarded = seen.discarded;
      this.notify('text');
    }
    this.#statusLine = cutText(line.status, MAX_TEXT);
    if (seen.arrived > 0 || seen.advanced || seen.phaseChanged) this.#lastActivityAt = now;
    if (seen.advanced) {
      // New bytes: the retries start afresh, and the last error no longer stands.
      this.#retryCount = 0;
      this.#error = null;
    }
    this.#context.progressChanged(this);
    if (this.#metered.mustAsk(this.#progress.remaining)) {
      // The size is known only now: stop before much is spent, ask, and resume if allowed.
      this.#abort = 'confirm';
      this.#cancellable?.cancel();
      return;
    }
    this.#updates.request();
  }

  /** True when allowed; else the job is paused (or something else already happened to it). */
  async #askPermission(generation: number): Promise<boolean> {
    const bytes = this.#progress.remaining ?? 0;
    this.#metered.ask();
    this.#updates.request();
    let allowed = false;
    try {
      allowed = await this.#context.confirmMetered(this.name, bytes);
    } catch {
      // No answer is no permission.
    }
    if (generation !== this.#generation) return false;
    this.#metered.answered(allowed);
    if (allowed) return true;
    this.#error = fillTemplate(
      _(
        'Paused: the network is metered, and {size} is left to download. Resume to download anyway.',
      ),
      { size: formatBytes(bytes) },
    );
    this.#setStatus('paused');
    return false;
  }

  async #confirmThenRestart(generation: number): Promise<void> {
    this.#stopStream();
    if (await this.#askPermission(generation)) inBackground(this.#attempt(), 'pulling a model');
  }

  /** What to do after a failed attempt: fail, wait for the network, or retry after a while. */
  #attemptFailed(error: unknown, message: string | null = null): void {
    this.#stopStream();
    this.#refetching = error instanceof StreamError && error.reason === 'digest-mismatch';
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
    if (this.#status === 'pending-retry') this.#updates.request();
    else this.#setStatus('pending-retry');
  }

  #retryNow(): void {
    this.#retryTimer = null;
    if (this.#status !== 'pending-retry') return;
    this.#stopEverything();
    this.#setStatus('pulling');
    inBackground(this.#attempt(), 'pulling a model');
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
        this.#updates.request();
    } else if (this.#status === 'pending-retry' && this.#retryAt !== null) {
      this.#updates.request();
    } else {
      return;
    }
    this.#schedulePulse();
  }

  #stallLimitSeconds(): number {
    const limit = Math.max(1, this.#context.stallSeconds());
    if (this.#progress.phase !== 'finishing') return limit;
    const reading = (this.#progress.total / FINISHING_BYTES_PER_SECOND) * 1000;
    return Math.max(limit, Math.ceil((FINISHING_BASE_MS + reading) / 1000));
  }

  /** Stops whatever runs or waits and ends in `status`. False if the job is not live. */
  #stop(status: 'paused' | 'cancelled' | 'failed', error: string | null): boolean {
    if (!this.isLive) return false;
    this.#stopEverything();
    this.#error = error;
    this.#setStatus(status);
    return true;
  }

  #setStatus(status: PullStatus): void {
    const previous = this.#status;
    this.#status = status;
    if (!isLiveStatus(status)) this.#updates.cancel();
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
    this.#metered.withdraw();
  }

  #cancelTimer(handle: TimerHandle | null): void {
    if (handle !== null) this.#context.clock.cancel(handle);
  }
}
