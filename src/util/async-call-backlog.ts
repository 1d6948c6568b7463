import System from 'system';

/**
 * GJS keeps what every finished async call leaves behind until the next full garbage
 * collection, and that collection takes time that grows with the square of their number:
 * after 20,000 calls it stops the main loop for 200 ms, after the 30,000 reads of eight
 * fast pulls for 0.4 s (docs/benchmarks.md, pulls-under-load). Collecting every
 * `limit` calls (300: about ten a second with eight fast pulls) keeps each collection to
 * a few milliseconds, and costs less CPU than the big collections it replaces. Stream readers call note()
 * once per async read.
 */
export class AsyncCallBacklog {
  #calls = 0;

  constructor(
    private readonly limit = 300,
    private readonly collect: () => void = () => System.gc(),
  ) {}

  note(): void {
    if (++this.#calls < this.limit) return;
    this.#calls = 0;
    this.collect();
  }
}

/** The process' backlog, shared by every stream reader. */
export const asyncCallBacklog = new AsyncCallBacklog();
