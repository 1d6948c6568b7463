import { EventEmitter } from 'node:events';
import { DownloadManager, type DownloadInfo } from './download-manager.js';
import { FaultQueue } from './faults.js';
import { HubState } from './hub-state.js';
import { ModelName } from './model-name.js';
import { ModelStore } from './model-store.js';
import { Registry } from './registry.js';
import type { LoggedRequest, RegistryModel, SimConfig, Snapshot } from './types.js';

/** A model in memory, for /api/ps. */
export interface LoadedModel {
  /** Wall-clock milliseconds when it unloads; Number.MAX_SAFE_INTEGER for never. */
  expiresAt: number;
  contextLength: number;
}

/** Ollama's default context (num_ctx) when a request does not set one. */
export const DEFAULT_CONTEXT_LENGTH = 4096;

export interface StateInfo {
  installed: string[];
  partials: Record<string, number>;
  activePulls: number;
  /** Per model, the most `/api/pull` streams that ran at once since the last reset. */
  peakPullsPerModel: Record<string, number>;
  downloads: Record<string, DownloadInfo>;
  /** The most registry manifest requests answered at once since the last reset. */
  peakManifestRequests: number;
  /** Registry blob requests answered with a redirect to the blob store since the last reset. */
  blobRedirects: number;
  /** Blob store reads (ranged or whole) since the last reset, and the bytes they sent. */
  blobReads: number;
  blobBytes: number;
}

/** Everything the simulated server knows, and the snapshot a reset returns to. */
export class SimState {
  static defaultConfig(): SimConfig {
    // 6 MB every 60 ms: 100 MB/s, so a multi-GB pull visibly takes tens of seconds.
    return {
      tickMs: 60,
      bytesPerTick: 6_000_000,
      token: null,
      stepMs: 0,
      version: '0.12.3',
      registryLatencyMs: 0,
    };
  }

  config: SimConfig;
  registry: Registry;
  store: ModelStore;
  readonly faults = new FaultQueue();
  /** The simulated Hugging Face Hub (under /hf), which also serves `hf.co/ID:QUANT` pulls. */
  readonly hub = new HubState();
  readonly downloads: DownloadManager;
  readonly requests: LoggedRequest[] = [];
  /** Models a chat or generate loaded, for /api/ps, by name key. */
  readonly loaded = new Map<string, LoadedModel>();
  /** The part of a loaded model's memory on the GPU, 0–1 (`POST /__sim/gpu`). */
  gpuShare = 1;
  blobRedirects = 0;
  blobReads = 0;
  blobBytes = 0;
  private pulls = 0;
  private manifestRequests = 0;
  private peakManifests = 0;
  private readonly pullsPerModel = new Map<string, number>();
  private peakPerModel: Record<string, number> = {};
  private readonly events = new EventEmitter();
  private readonly initial: string;

  constructor(initial: Snapshot) {
    this.initial = JSON.stringify(initial);
    this.config = { ...initial.config };
    this.registry = new Registry(initial.registry);
    this.store = new ModelStore(initial.installed, initial.blobs, initial.partials);
    this.downloads = new DownloadManager(
      () => this.store,
      () => this.config,
    );
  }

  get activePulls(): number {
    return this.pulls;
  }

  pullStarted(model: string): void {
    this.pulls++;
    const running = (this.pullsPerModel.get(model) ?? 0) + 1;
    this.pullsPerModel.set(model, running);
    this.peakPerModel[model] = Math.max(this.peakPerModel[model] ?? 0, running);
    this.events.emit('pulls');
  }

  pullEnded(model: string): void {
    this.pulls--;
    this.pullsPerModel.set(model, (this.pullsPerModel.get(model) ?? 1) - 1);
    this.events.emit('pulls');
  }

  manifestStarted(): void {
    this.manifestRequests++;
    this.peakManifests = Math.max(this.peakManifests, this.manifestRequests);
  }

  manifestEnded(): void {
    this.manifestRequests--;
  }

  /**
   * What a pull of `name` fetches: the registry's model; else, for `hf.co/…` names, the
   * Hub's quant (or the error Ollama reports for it); undefined for an unknown model.
   */
  pullable(name: ModelName): RegistryModel | string | undefined {
    const model = this.registry.lookup(name);
    if (model || !HubState.isHubName(name)) return model;
    return this.hub.pull(name);
  }

  /** Resolves once `count` pulls are active, or after `timeoutMs` regardless. */
  waitForActivePulls(count: number, timeoutMs: number): Promise<void> {
    if (this.pulls === count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.pulls !== count) return;
        finish();
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.events.off('pulls', check);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.events.on('pulls', check);
    });
  }

  /** Back to the snapshot the simulator started with (after in-flight pulls were cut). */
  reset(): void {
    this.downloads.stopAll();
    const initial = JSON.parse(this.initial) as Snapshot;
    this.config = { ...initial.config };
    this.registry = new Registry(initial.registry);
    this.store = new ModelStore(initial.installed, initial.blobs, initial.partials);
    this.faults.clear();
    this.hub.reset();
    this.requests.length = 0;
    this.loaded.clear();
    this.gpuShare = 1;
    this.peakPerModel = {};
    this.peakManifests = this.manifestRequests;
    this.blobRedirects = 0;
    this.blobReads = 0;
    this.blobBytes = 0;
  }

  snapshot(): Snapshot {
    return {
      config: { ...this.config },
      registry: this.registry.list(),
      installed: this.store.installedModels(),
      blobs: this.store.blobSizes(),
      partials: this.store.partialSizes(),
    };
  }

  info(): StateInfo {
    return {
      installed: this.store.list().map((model) => model.name),
      partials: this.store.partialSizes(),
      activePulls: this.pulls,
      peakPullsPerModel: { ...this.peakPerModel },
      downloads: this.downloads.info(),
      peakManifestRequests: this.peakManifests,
      blobRedirects: this.blobRedirects,
      blobReads: this.blobReads,
      blobBytes: this.blobBytes,
    };
  }

  /**
   * Marks a model as loaded in memory for `keepAliveMs` (negative: for good; 0 unloads),
   * with `contextLength` or, as Ollama, the context it was loaded with before.
   */
  load(name: ModelName, keepAliveMs: number, now: number, contextLength?: number): void {
    const key = name.key();
    if (keepAliveMs === 0) {
      this.loaded.delete(key);
      return;
    }
    this.loaded.set(key, {
      expiresAt: keepAliveMs < 0 ? Number.MAX_SAFE_INTEGER : now + keepAliveMs,
      contextLength: contextLength ?? this.loaded.get(key)?.contextLength ?? DEFAULT_CONTEXT_LENGTH,
    });
  }
}
