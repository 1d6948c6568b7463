import { DownloadWaiter } from './download-waiter.js';
import type { ModelStore } from './model-store.js';
import type { Layer, SimConfig } from './types.js';

/**
 * One blob being fetched from the simulated registry, shared by every pull that needs it.
 * Each tick first reports the bytes so far to every waiting pull (Ollama's 60 ms ticker),
 * then advances; so the first line of a fresh blob has no `completed` and the last one
 * may fall short of `total`. It runs only while some pull waits; the bytes so far stay
 * behind as a partial blob for the next pull to resume from.
 */
export class BlobDownload {
  private readonly waiters = new Set<DownloadWaiter>();
  private timer: NodeJS.Timeout | null = null;
  private finished = false;
  private completed: number;

  constructor(
    readonly layer: Layer,
    private readonly store: ModelStore,
    private readonly config: () => SimConfig,
    private readonly onEnd: (download: BlobDownload) => void,
  ) {
    this.completed = Math.min(store.partial(layer.digest), layer.size);
  }

  get waiterCount(): number {
    return this.waiters.size;
  }

  get bytes(): number {
    return this.completed;
  }

  join(): DownloadWaiter {
    const waiter = new DownloadWaiter((leaving) => this.leave(leaving));
    this.waiters.add(waiter);
    this.schedule();
    return waiter;
  }

  /** Forgets the bytes so far (a digest mismatch); the waiters carry on from zero. */
  discard(): void {
    this.completed = 0;
    this.store.discardBlob(this.layer.digest);
  }

  /** Ends the download for good (reset, shutdown); waiters hear `stopped`. */
  stop(): void {
    this.halt();
    for (const waiter of this.waiters) waiter.push({ kind: 'stopped' });
    this.waiters.clear();
  }

  private leave(waiter: DownloadWaiter): void {
    if (!this.waiters.delete(waiter) || this.waiters.size > 0) return;
    this.halt();
    this.onEnd(this);
  }

  private halt(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.finished) return;
    this.timer = setTimeout(() => this.tick(), this.config().tickMs);
  }

  private tick(): void {
    this.timer = null;
    for (const waiter of this.waiters) waiter.push({ kind: 'progress', completed: this.completed });
    this.completed = Math.min(this.layer.size, this.completed + this.config().bytesPerTick);
    if (this.completed < this.layer.size) {
      this.store.setPartial(this.layer.digest, this.completed);
      this.schedule();
      return;
    }
    this.finished = true;
    this.store.completeBlob(this.layer.digest, this.layer.size);
    for (const waiter of this.waiters) waiter.push({ kind: 'done' });
    this.waiters.clear();
    this.onEnd(this);
  }
}
