import Gio from 'gi://Gio';

import { CancelledError } from '../ollama/errors.js';
import type { ModelName } from '../ollama/model-name.js';
import { systemClock, type Clock } from '../util/clock.js';
import { PaddockError } from '../util/errors.js';
import { BlobHeaderReader } from './blob-header-reader.js';
import { GgufHeaderError } from './errors.js';
import type { GgufFacts } from './gguf-header.js';
import { HeaderCache } from './header-cache.js';
import { estimateMemory, roughMemoryNeed } from './memory-estimate.js';
import type { MemoryNeed } from './memory-need.js';

/** The weights layer of a model's manifest. */
export interface WeightsLayer {
  /** `sha256:` and 64 hex digits. */
  digest: string;
  size: number;
}

export interface MemoryEstimatorOptions {
  /** The registry address of a model's blob (RegistryClient.blobUrl). */
  blobUrl: (name: ModelName, digest: string) => string;
  /** Paddock's data folder, for gguf-headers.json; null keeps headers in memory. */
  dataDir?: Gio.File | null;
  clock?: Clock;
  reader?: BlobHeaderReader;
}

/** What the last header read cost (for the benchmark and the specs). */
export interface ReadCost {
  bytes: number;
  requests: number;
}

/**
 * The memory a model needs, from the GGUF header of its weights blob: read once from the
 * registry by range requests, then kept by digest in gguf-headers.json (a blob never
 * changes), so the next estimate of the same weights, at any context length, asks nobody.
 * When the header cannot be had (unparseable, the registry unreachable), the estimate
 * comes from the file size and says so (`rough`).
 */
export class MemoryEstimator {
  readonly #blobUrl: (name: ModelName, digest: string) => string;
  readonly #cache: HeaderCache;
  readonly #reader: BlobHeaderReader;
  /** Reads under way, by digest: two views asking at once share one. */
  readonly #reading = new Map<string, Promise<GgufFacts | null>>();
  /** Headers of files by address (a Hugging Face resolve URL), for this process. */
  readonly #files = new Map<string, Promise<GgufFacts | null>>();
  /** What the last read from the registry cost; null before the first. */
  lastRead: ReadCost | null = null;

  constructor(options: MemoryEstimatorOptions) {
    const clock = options.clock ?? systemClock;
    this.#blobUrl = options.blobUrl;
    this.#cache = new HeaderCache(options.dataDir ?? null, clock);
    this.#reader = options.reader ?? new BlobHeaderReader({ clock });
  }

  /** What went wrong with gguf-headers.json, for the user; null when nothing did. */
  get cacheProblem(): string | null {
    return this.#cache.problem;
  }

  /**
   * What `name` needs with its weights layer `weights` at `contextLength` (the server's
   * default, see defaultContextLength, or the connection's own), for `parallel` requests
   * at once (OLLAMA_NUM_PARALLEL). Rejects only with CancelledError.
   */
  async estimate(
    name: ModelName,
    weights: WeightsLayer,
    contextLength: number,
    cancellable: Gio.Cancellable | null = null,
    parallel = 1,
  ): Promise<MemoryNeed> {
    const facts = await this.headerFacts(name, weights, cancellable);
    return facts
      ? estimateMemory(facts, weights.size, contextLength, parallel)
      : roughMemoryNeed(weights.size, contextLength * parallel);
  }

  /**
   * What the GGUF file at `url` (`size` bytes; any address that redirects to a store
   * honouring Range, as a Hugging Face resolve URL does) needs at `contextLength`. Its
   * header is kept for this process only: such a file has no digest to keep it by.
   * Rejects only with CancelledError.
   */
  async estimateFile(
    url: string,
    size: number,
    contextLength: number,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<MemoryNeed> {
    let reading = this.#files.get(url);
    if (!reading) {
      reading = this.#readFile(url, size, cancellable);
      this.#files.set(url, reading);
    }
    const facts = await reading;
    return facts
      ? estimateMemory(facts, size, contextLength)
      : roughMemoryNeed(size, contextLength);
  }

  async #readFile(
    url: string,
    size: number,
    cancellable: Gio.Cancellable | null,
  ): Promise<GgufFacts | null> {
    try {
      const read = await this.#reader.read(url, size, cancellable);
      this.lastRead = { bytes: read.bytes, requests: read.requests };
      return read.facts;
    } catch (error) {
      // Only an unparseable header stays so; anything else may go better next time.
      if (!(error instanceof GgufHeaderError)) this.#files.delete(url);
      if (error instanceof CancelledError) throw error;
      if (cancellable?.is_cancelled()) throw new CancelledError();
      if (!(error instanceof PaddockError)) throw error;
      return null;
    }
  }

  /** The header's facts, from the cache or the registry; null when they cannot be had. */
  async headerFacts(
    name: ModelName,
    weights: WeightsLayer,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<GgufFacts | null> {
    await this.#cache.load();
    const cached = this.#cache.get(weights.digest);
    if (cached) return cached.facts ?? null;
    let reading = this.#reading.get(weights.digest);
    if (!reading) {
      reading = this.#read(name, weights, cancellable).finally(() =>
        this.#reading.delete(weights.digest),
      );
      this.#reading.set(weights.digest, reading);
    }
    return reading;
  }

  async #read(
    name: ModelName,
    weights: WeightsLayer,
    cancellable: Gio.Cancellable | null,
  ): Promise<GgufFacts | null> {
    try {
      const read = await this.#reader.read(
        this.#blobUrl(name, weights.digest),
        weights.size,
        cancellable,
      );
      this.lastRead = { bytes: read.bytes, requests: read.requests };
      this.#cache.set(weights.digest, { facts: read.facts });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (cancellable?.is_cancelled()) throw new CancelledError();
      // Anything but Paddock's own errors is a bug, which goes on as it is.
      if (!(error instanceof PaddockError)) throw error;
      // A header that cannot be parsed stays so; a registry out of reach may come back.
      if (!(error instanceof GgufHeaderError)) return null;
      this.#cache.set(weights.digest, { unreadable: error.detail });
    }
    await this.#cache.save();
    return this.#cache.get(weights.digest)?.facts ?? null;
  }
}
