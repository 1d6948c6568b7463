import { BlobDownload } from './blob-download.js';
import type { DownloadWaiter } from './download-waiter.js';
import type { ModelStore } from './model-store.js';
import type { Layer, SimConfig } from './types.js';

export interface DownloadInfo {
  completed: number;
  total: number;
  waiters: number;
}

/** The blob downloads in flight, one per digest, so concurrent pulls share them. */
export class DownloadManager {
  private readonly active = new Map<string, BlobDownload>();

  constructor(
    private readonly store: () => ModelStore,
    private readonly config: () => SimConfig,
  ) {}

  join(layer: Layer): DownloadWaiter {
    let download = this.active.get(layer.digest);
    if (!download) {
      download = new BlobDownload(layer, this.store(), this.config, (ended) => {
        if (this.active.get(ended.layer.digest) === ended) this.active.delete(ended.layer.digest);
      });
      this.active.set(layer.digest, download);
    }
    return download.join();
  }

  /** Throws away what was fetched of a blob, in flight or on disk. */
  discard(digest: string): void {
    const download = this.active.get(digest);
    if (download) download.discard();
    else this.store().discardBlob(digest);
  }

  stopAll(): void {
    for (const download of this.active.values()) download.stop();
    this.active.clear();
  }

  info(): Record<string, DownloadInfo> {
    const info: Record<string, DownloadInfo> = {};
    for (const [digest, download] of this.active) {
      info[digest] = {
        completed: download.bytes,
        total: download.layer.size,
        waiters: download.waiterCount,
      };
    }
    return info;
  }
}
