import type { Clock, TimerHandle } from './clock.js';

/**
 * Runs an action at most once per interval: at once when the last run is that old,
 * otherwise once when it is, however many requests came meanwhile.
 */
export class Throttle {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #action: () => void;
  #lastRunAt = -Infinity;
  #timer: TimerHandle | null = null;

  constructor(clock: Clock, intervalMs: number, action: () => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#action = action;
  }

  /** Whether a run waits for its turn. */
  get pending(): boolean {
    return this.#timer !== null;
  }

  request(): void {
    const wait = this.#lastRunAt + this.#intervalMs - this.#clock.now();
    if (wait <= 0) this.#run();
    else
      this.#timer ??= this.#clock.timeout(wait, () => {
        this.#timer = null;
        this.#run();
      });
  }

  /** The action's work was just done another way: the interval starts again, nothing waits. */
  restart(): void {
    this.cancel();
    this.#lastRunAt = this.#clock.now();
  }

  /** Drops the run that waits, if any. */
  cancel(): void {
    if (this.#timer !== null) this.#clock.cancel(this.#timer);
    this.#timer = null;
  }

  #run(): void {
    this.restart();
    this.#action();
  }
}
