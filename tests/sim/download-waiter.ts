export type DownloadEvent =
  { kind: 'progress'; completed: number } | { kind: 'done' } | { kind: 'stopped' };

/**
 * One pull's view of a shared blob download: the ticks it has not handled yet. A pull busy
 * writing (or blocked by a slow client) skips ticks, like Ollama's ticker does, so only the
 * latest progress is kept; `done` and `stopped` are never dropped.
 */
export class DownloadWaiter {
  private readonly queue: DownloadEvent[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly onLeave: (waiter: DownloadWaiter) => void) {}

  push(event: DownloadEvent): void {
    const last = this.queue.at(-1);
    if (event.kind === 'progress' && last?.kind === 'progress')
      this.queue[this.queue.length - 1] = event;
    else this.queue.push(event);
    this.wake?.();
  }

  async next(): Promise<DownloadEvent> {
    while (this.queue.length === 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return this.queue.shift() as DownloadEvent;
  }

  leave(): void {
    this.onLeave(this);
  }
}
