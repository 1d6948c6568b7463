import type { PullProgress } from '../ollama/types.js';
import { cutText } from '../util/text.js';
import {
  MAX_DIGEST,
  MAX_LAYERS,
  toCount,
  type LayerProgress,
  type SavedPull,
} from './saved-pull.js';

/**
 * Where a pull's stream is: before any line, looking up the manifest, downloading blobs,
 * or finishing (verifying digests, writing the manifest), when Ollama sends nothing for
 * a long time on purpose.
 */
export type PullPhase = 'starting' | 'manifest' | 'download' | 'finishing';

export interface ObserveResult {
  /** The whole model's completed bytes went past their highest so far (new progress). */
  advanced: boolean;
  /** Bytes the server fetched since its previous line for this blob (also when re-fetching). */
  arrived: number;
  phaseChanged: boolean;
  /** The line named a new blob beyond MAX_LAYERS: it was ignored, and the pull must stop. */
  tooManyLayers: boolean;
  /**
   * Bytes of a blob the server no longer has: its first line in this attempt starts (near)
   * 0 although more had come before. Ollama deletes unfinished downloads when it restarts
   * (unless OLLAMA_NOPRUNE is set). Absent when nothing was lost.
   */
  discarded?: number;
}

/** Less lost than this is not worth a word (a blob's first line may lag behind its file). */
const MIN_DISCARDED = 1024 * 1024;

/** How long without new bytes before the pull counts as stalled on screen. */
export const STALL_SHOWN_MS = 10_000;
/** Speed is measured over windows of at least this… */
const SAMPLE_MS = 1000;
/** …and smoothed with this time constant, so it follows changes in a few seconds. */
const SMOOTHING_MS = 4000;

interface Layer {
  total: number;
  completed: number;
}

/**
 * A whole model's progress from Ollama's per-blob lines: the sum over the blobs seen, a
 * smoothed speed, the time left and how long no bytes came. What is shown never goes
 * back: a blob's count only rises, and the fraction holds when a new blob adds to the
 * total. A new digest or a finishing line means the blobs before it are done (Ollama
 * promises no last line per blob). Time comes from the caller, in monotonic ms.
 *
 * What the server sends is kept within what loading.json may hold: counts are whole
 * numbers up to 2^53 - 1, digests at most MAX_DIGEST long, at most MAX_LAYERS blobs.
 */
export class ModelProgress {
  /** In the order first seen, which is the manifest's. */
  readonly #layers = new Map<string, Layer>();
  #current: string | null = null;
  #sizeHint: number | null;
  /** After the finishing lines every blob has been seen, so the sum is the real total. */
  #allLayersKnown = false;
  #completed: number;
  #total: number;
  #fraction = 0;
  #phase: PullPhase = 'starting';
  /**
   * The server's last count per blob in this attempt. The first line of a blob is a
   * baseline (bytes resumed or already on disk), not speed; and a blob fetched again
   * after a digest mismatch shows its bytes arriving while what is shown holds.
   */
  readonly #serverCounts = new Map<string, number>();
  #speed: number | null = null;
  #sampleStart = 0;
  #sampleBytes = 0;
  #lastByteAt = 0;

  constructor(saved: Pick<SavedPull, 'layers' | 'completed' | 'total' | 'sizeHint'> | null = null) {
    for (const layer of saved?.layers ?? [])
      this.#layers.set(layer.digest, { total: layer.total, completed: layer.completed });
    this.#sizeHint = saved?.sizeHint ?? null;
    this.#completed = 0;
    this.#total = 0;
    this.#recount();
    this.#completed = Math.max(this.#completed, saved?.completed ?? 0);
    this.#total = Math.max(this.#total, saved?.total ?? 0, this.#completed);
    this.#updateFraction();
  }

  get completed(): number {
    return this.#completed;
  }

  /** 0 while unknown. */
  get total(): number {
    return this.#total;
  }

  /** 0–1, or null while the size is unknown. */
  get fraction(): number | null {
    return this.#total > 0 ? this.#fraction : null;
  }

  get phase(): PullPhase {
    return this.#phase;
  }

  get sizeHint(): number | null {
    return this.#sizeHint;
  }

  /** Bytes still to come as far as known, or null while the size is unknown. */
  get remaining(): number | null {
    return this.#total > 0 ? Math.max(0, this.#total - this.#completed) : null;
  }

  layers(): LayerProgress[] {
    return [...this.#layers].map(([digest, layer]) => ({ digest, ...layer }));
  }

  /** A new stream starts: speed is measured afresh, and "stalled" counts from now. */
  beginAttempt(now: number): void {
    this.#serverCounts.clear();
    this.#current = null;
    this.#phase = 'starting';
    this.#speed = null;
    this.#sampleStart = now;
    this.#sampleBytes = 0;
    this.#lastByteAt = now;
  }

  observe(line: PullProgress, now: number): ObserveResult {
    const digest =
      line.digest !== undefined && line.digest !== '' ? cutText(line.digest, MAX_DIGEST) : null;
    if (digest !== null && !this.#layers.has(digest) && this.#layers.size >= MAX_LAYERS)
      return {
        advanced: false,
        arrived: 0,
        phaseChanged: false,
        tooManyLayers: true,
      };
    const before = this.#completed;
    const phase = this.#phaseOf(line);
    const phaseChanged = phase !== this.#phase;
    this.#phase = phase;
    let arrived = 0;
    let discarded = 0;
    if (digest !== null) {
      if (this.#current !== null && this.#current !== digest) this.#markDone(this.#current);
      this.#current = digest;
      let layer = this.#layers.get(digest);
      if (!layer) {
        layer = { total: 0, completed: 0 };
        this.#layers.set(digest, layer);
      }
      const known = { ...layer };
      const total = toCount(line.total ?? 0);
      if (total > 0) layer.total = total;
      const reported = Math.min(
        toCount(line.completed ?? 0),
        layer.total > 0 ? layer.total : Infinity,
      );
      layer.completed = Math.max(layer.completed, reported);
      const previous = this.#serverCounts.get(digest);
      if (previous !== undefined) arrived = Math.max(0, reported - previous);
      else discarded = ModelProgress.#discarded(known, reported);
      this.#serverCounts.set(digest, reported);
    } else if (phase === 'finishing') {
      this.#allLayersKnown = true;
      for (const known of this.#layers.keys()) this.#markDone(known);
    }
    this.#recount();
    this.#updateFraction();
    if (arrived > 0) {
      this.#measure(arrived, now);
      this.#lastByteAt = now;
    }
    return {
      advanced: this.#completed > before,
      arrived,
      phaseChanged,
      tooManyLayers: false,
      ...(discarded > 0 ? { discarded } : {}),
    };
  }

  /** What a blob's first line of an attempt says was lost of the unfinished blob known before. */
  static #discarded(known: Layer, reported: number): number {
    const unfinished = known.total === 0 || known.completed < known.total;
    if (!unfinished || known.completed < MIN_DISCARDED || reported >= known.completed / 2) return 0;
    return known.completed - reported;
  }

  /** The pull succeeded: every blob is there. */
  finish(): void {
    this.#allLayersKnown = true;
    for (const digest of this.#layers.keys()) this.#markDone(digest);
    this.#recount();
    this.#total = Math.max(this.#total, this.#completed);
    this.#completed = this.#total;
    this.#fraction = 1;
    this.#phase = 'finishing';
  }

  /** Smoothed bytes a second; null before it is measured and while stalled. */
  speedAt(now: number): number | null {
    if (this.#speed === null || this.stalledForAt(now) !== null) return null;
    return this.#speed;
  }

  secondsLeftAt(now: number): number | null {
    const speed = this.speedAt(now);
    const remaining = this.remaining;
    if (speed === null || speed <= 0 || remaining === null) return null;
    return remaining / speed;
  }

  /** Whole seconds without new bytes while bytes are expected; null when not stalled. */
  stalledForAt(now: number): number | null {
    if (this.#phase === 'finishing') return null;
    const quiet = now - this.#lastByteAt;
    return quiet >= STALL_SHOWN_MS ? Math.floor(quiet / 1000) : null;
  }

  #phaseOf(line: PullProgress): PullPhase {
    if (line.digest !== undefined && line.digest !== '') return 'download';
    if (line.status === 'pulling manifest') return 'manifest';
    // Also a line Ollama may add one day: only blobs bring bytes.
    return 'finishing';
  }

  #markDone(digest: string): void {
    const layer = this.#layers.get(digest);
    if (layer && layer.total > 0) layer.completed = layer.total;
  }

  #recount(): void {
    let completed = 0;
    let total = 0;
    for (const layer of this.#layers.values()) {
      completed += layer.completed;
      total += Math.max(layer.total, layer.completed);
    }
    // Sums of many huge blobs stay counts loading.json can hold.
    completed = Math.min(completed, Number.MAX_SAFE_INTEGER);
    total = Math.min(total, Number.MAX_SAFE_INTEGER);
    this.#completed = Math.max(this.#completed, completed);
    const expected = this.#allLayersKnown ? total : Math.max(total, this.#sizeHint ?? 0);
    // Once every blob is known the sum is exact, even if the catalog said more.
    this.#total = Math.max(
      this.#allLayersKnown ? expected : Math.max(this.#total, expected),
      this.#completed,
    );
  }

  #updateFraction(): void {
    if (this.#total > 0)
      this.#fraction = Math.max(this.#fraction, Math.min(1, this.#completed / this.#total));
  }

  #measure(bytes: number, now: number): void {
    if (now - this.#lastByteAt >= STALL_SHOWN_MS) {
      // Bytes again after a stall: the old speed says nothing about the new one.
      this.#speed = null;
      this.#sampleStart = now;
      this.#sampleBytes = 0;
      return;
    }
    this.#sampleBytes += bytes;
    const elapsed = now - this.#sampleStart;
    if (elapsed < SAMPLE_MS) return;
    const rate = (this.#sampleBytes * 1000) / elapsed;
    this.#speed =
      this.#speed === null
        ? rate
        : this.#speed + (1 - Math.exp(-elapsed / SMOOTHING_MS)) * (rate - this.#speed);
    this.#sampleStart = now;
    this.#sampleBytes = 0;
  }
}
