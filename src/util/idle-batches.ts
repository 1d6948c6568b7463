import GLib from 'gi://GLib';

/**
 * Works through a list a batch at a time: the first items at once, the rest a batch per
 * idle moment of the main loop. Idle sources run after the frames GTK draws (its redraw
 * priority is higher), so a long list shows its head at once and the window keeps
 * drawing and answering while the rest is made.
 */
export class IdleBatches<T> {
  #queue: T[] = [];
  #source: number | null = null;

  /** `work` gets each batch in order; `done` runs after the last one. */
  constructor(
    private readonly batchSize: number,
    private readonly work: (items: T[]) => void,
    private readonly done: () => void = () => {},
  ) {}

  /** Items still waiting for their batch. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Drops what is still waiting, starts on `items`: `first` of them before it returns. */
  start(items: readonly T[], first: number): void {
    this.cancel();
    this.#queue = items.slice(first);
    this.work(items.slice(0, first));
    if (this.#queue.length === 0) {
      this.done();
      return;
    }
    this.#source = GLib.idle_add(GLib.PRIORITY_DEFAULT_IDLE, () => {
      this.work(this.#queue.splice(0, this.batchSize));
      if (this.#queue.length > 0) return GLib.SOURCE_CONTINUE;
      this.#source = null;
      this.done();
      return GLib.SOURCE_REMOVE;
    });
  }

  /** Whatever is still waiting is dropped. */
  cancel(): void {
    if (this.#source !== null) GLib.source_remove(this.#source);
    this.#source = null;
    this.#queue = [];
  }
}
