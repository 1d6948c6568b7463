import Gio from 'gi://Gio';
import GObject from 'gi://GObject';

import type { MemoryEvidence } from '../fit/memory-evidence.js';
import { ModelName } from '../ollama/model-name.js';
import type { OllamaClient } from '../ollama/client.js';
import type { InstalledModel, RunningModel } from '../ollama/types.js';
import type { PullJob } from '../pulls/pull-job.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { inBackground } from '../util/background.js';
import type { SpeedRecord } from './speed-record.js';
import type { UpdateCheck } from './update-check.js';
import type { UsageRecord } from './usage-record.js';

/** What a view shows of an installed model besides the model itself. */
export interface ModelState {
  /** What it can do (/api/show), once asked; null before. */
  readonly capabilities: readonly string[] | null;
  /** It is in the server's memory (/api/ps). */
  readonly running: RunningModel | null;
  /** The last update check found a newer version. */
  readonly outdated: boolean;
  /** How far a pull of it on that server is (0–1); null when none is under way. */
  readonly downloading: number | null;
  /** The last generation speed Try it measured there; null when never. */
  readonly tokensPerSecond: number | null;
}

export interface ModelStatesOptions {
  clients: { clientFor(connectionId: string): Promise<Pick<OllamaClient, 'ps' | 'show'>> };
  pulls: Pick<PullManager, 'jobs' | 'connect' | 'disconnect'>;
  updates: () => Pick<UpdateCheck, 'cached'>;
  speeds: () => Promise<SpeedRecord>;
  usage: () => Promise<UsageRecord>;
  memoryEvidence: () => Pick<MemoryEvidence, 'note'>;
  /** Server addresses by connection id, for the memory seen there. */
  urlOf: (connectionId: string) => string | null;
}

/** /api/show requests at once per server: capabilities are a nicety, the server has work. */
const SHOW_CONCURRENCY = 2;

/**
 * The states of installed models the library's views show: capabilities (/api/show, asked
 * once per model digest), what is loaded (/api/ps), what the last update check found
 * outdated, pulls under way, and the last measured speed. What /api/ps shows is also noted
 * as used (usage.json) and as memory seen on the server (memory-seen.json).
 *
 * Signal: `changed` (connection id) when something about that server's models changed.
 */
export class ModelStates extends GObject.Object {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockModelStates',
        Signals: { changed: { param_types: [GObject.TYPE_STRING] } },
      },
      this,
    );
  }

  readonly #options: ModelStatesOptions;
  /** By server address and digest: a model's capabilities do not change with its name. */
  readonly #capabilities = new Map<string, readonly string[]>();
  /** Capabilities asked (or being asked), by server address and digest. */
  readonly #asking = new Map<string, Promise<void>>();
  /** Each server's requests for capabilities under way, and those waiting for a place. */
  readonly #turns = new Map<string, { running: number; waiting: (() => void)[] }>();
  readonly #running = new Map<string, readonly RunningModel[]>();
  readonly #outdated = new Map<string, ReadonlySet<string>>();
  #speeds: SpeedRecord | null = null;
  readonly #cancellable = new Gio.Cancellable();
  readonly #handlers: [GObject.Object, number][] = [];

  constructor(options: ModelStatesOptions) {
    super();
    this.#options = options;
    const pullsChanged = (job?: PullJob) => {
      const ids = job
        ? [job.connectionId]
        : [...new Set(this.#livePulls().map((j) => j.connectionId))];
      for (const id of ids) this.emit('changed', id);
    };
    const pulls = options.pulls as unknown as GObject.Object;
    this.#handlers.push(
      [pulls, pulls.connect('changed', () => this.#emitAll())],
      [
        pulls,
        pulls.connect('progress-updated', (_pulls: unknown, job: PullJob) => pullsChanged(job)),
      ],
    );
    inBackground(this.#followSpeeds(), 'reading the speeds of the models');
  }

  /** The model's state on that server, as known now. */
  state(connectionId: string, model: InstalledModel): ModelState {
    const url = this.#options.urlOf(connectionId);
    const running = this.#running
      .get(connectionId)
      ?.find((other) => sameName(other.name, model.name));
    const download = this.#livePulls().find(
      (job) => job.connectionId === connectionId && sameName(job.name, model.name),
    );
    return {
      capabilities:
        model.capabilities ??
        (url ? (this.#capabilities.get(`${url} ${model.digest}`) ?? null) : null),
      running: running ?? null,
      outdated: this.#outdated.get(connectionId)?.has(model.name) ?? false,
      downloading: download ? download.progress : null,
      tokensPerSecond: this.#speeds?.get(connectionId, model.name)?.tokensPerSecond ?? null,
    };
  }

  /**
   * Asks the server what these models can do, SHOW_CONCURRENCY at a time per server, for
   * those not known or asked yet; `changed` follows each answer. A model whose details
   * fail has no pills (and is not asked again).
   */
  async readCapabilities(connectionId: string, models: readonly InstalledModel[]): Promise<void> {
    await Promise.all(models.map((model) => this.#askCapabilities(connectionId, model)));
  }

  /**
   * The model's capabilities are wanted (its row is on screen): asked in turn, unless known
   * or asked already. A list shows a thousand models, but asks for the ones it draws.
   */
  wantCapabilities(connectionId: string, model: InstalledModel): void {
    inBackground(this.#askCapabilities(connectionId, model), 'reading model capabilities');
  }

  #askCapabilities(connectionId: string, model: InstalledModel): Promise<void> {
    const url = this.#options.urlOf(connectionId);
    if (!url || model.capabilities) return Promise.resolve();
    const key = `${url} ${model.digest}`;
    let asked = this.#asking.get(key);
    if (!asked) {
      asked = this.#inTurn(connectionId, async () => {
        try {
          const client = await this.#options.clients.clientFor(connectionId);
          const details = await client.show(model.name, {}, this.#cancellable);
          this.#capabilities.set(key, details.capabilities);
        } catch {
          // Pills are a nicety: the model lists all the same.
          return;
        }
        this.emit('changed', connectionId);
      });
      this.#asking.set(key, asked);
    }
    return asked;
  }

  /** Runs `work` when one of the server's SHOW_CONCURRENCY places is free. */
  async #inTurn(connectionId: string, work: () => Promise<void>): Promise<void> {
    const turns = this.#turns.get(connectionId) ?? { running: 0, waiting: [] };
    this.#turns.set(connectionId, turns);
    if (turns.running >= SHOW_CONCURRENCY)
      await new Promise<void>((resolve) => turns.waiting.push(resolve));
    else turns.running++;
    try {
      if (!this.#cancellable.is_cancelled()) await work();
    } finally {
      // The place goes to the next in line, or is free.
      const next = turns.waiting.shift();
      if (next) next();
      else turns.running--;
    }
  }

  /**
   * Asks the server what is loaded (/api/ps) and the update cache what is outdated. Models
   * seen loaded count as used, and their share of GPU memory as evidence of its size.
   */
  async readStates(connectionId: string, models: readonly InstalledModel[]): Promise<void> {
    const [running, updates] = await Promise.allSettled([
      this.#options.clients.clientFor(connectionId).then((client) => client.ps(this.#cancellable)),
      this.#options.updates().cached(models),
    ]);
    if (this.#cancellable.is_cancelled()) return;
    // Rows are drawn again only when what they show changed: a refresh usually changes nothing.
    let changed = false;
    // States are a nicety: a server without /api/ps still lists its models.
    if (running.status === 'fulfilled') {
      const before = this.#running.get(connectionId);
      changed ||= before === undefined || JSON.stringify(before) !== JSON.stringify(running.value);
      this.#running.set(connectionId, running.value);
      const loaded = models
        .filter((model) => running.value.some((other) => sameName(other.name, model.name)))
        .map((model) => model.name);
      inBackground(this.#noteUsed(connectionId, loaded), 'noting which models were used');
      const url = this.#options.urlOf(connectionId);
      if (url)
        inBackground(
          this.#options.memoryEvidence().note(url, running.value),
          'noting the GPU memory a loaded model uses',
        );
    }
    if (updates.status === 'fulfilled') {
      const outdated = new Set(
        [...updates.value]
          .filter(([, result]) => result?.state === 'outdated')
          .map(([name]) => name),
      );
      const before = this.#outdated.get(connectionId);
      changed ||=
        before === undefined ||
        before.size !== outdated.size ||
        [...outdated].some((name) => !before.has(name));
      this.#outdated.set(connectionId, outdated);
    }
    if (changed) this.emit('changed', connectionId);
  }

  /** Nothing more is asked or followed. */
  close(): void {
    this.#cancellable.cancel();
    for (const [object, handler] of this.#handlers.splice(0)) object.disconnect(handler);
  }

  #livePulls(): PullJob[] {
    return this.#options.pulls.jobs.filter((job) => job.isLive);
  }

  #emitAll(): void {
    for (const connectionId of new Set([
      ...this.#running.keys(),
      ...this.#outdated.keys(),
      ...this.#livePulls().map((job) => job.connectionId),
    ]))
      this.emit('changed', connectionId);
  }

  async #noteUsed(connectionId: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const usage = await this.#options.usage();
    try {
      await usage.seenLoaded(connectionId, names);
    } catch (error) {
      // Only the order by use misses it; the list is shown all the same.
      console.warn('Paddock: noting which models were used:', error);
    }
  }

  async #followSpeeds(): Promise<void> {
    const speeds = await this.#options.speeds();
    if (this.#cancellable.is_cancelled()) return;
    this.#speeds = speeds;
    this.#handlers.push([
      speeds,
      speeds.connect('changed', (_speeds: unknown, connectionId: string) =>
        this.emit('changed', connectionId),
      ),
    ]);
    this.#emitAll();
  }
}

/** Whether two names mean the same model (`llama3.2` and `llama3.2:latest`). */
export function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return ModelName.parse(a).equals(ModelName.parse(b));
  } catch {
    return false;
  }
}
