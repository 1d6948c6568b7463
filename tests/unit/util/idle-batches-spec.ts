import GLib from 'gi://GLib';

import { IdleBatches } from '../../../src/util/idle-batches.js';

/** Runs the main loop until nothing is left to do at idle priority. */
function idle(): Promise<void> {
  return new Promise((resolve) =>
    GLib.idle_add(GLib.PRIORITY_LOW, () => {
      resolve();
      return GLib.SOURCE_REMOVE;
    }),
  );
}

describe('IdleBatches', () => {
  let batches: number[][];
  let done: number;
  let work: IdleBatches<number>;

  beforeEach(() => {
    batches = [];
    done = 0;
    work = new IdleBatches<number>(
      3,
      (items) => batches.push(items),
      () => done++,
    );
  });

  afterEach(() => work.cancel());

  it('does the first items at once and the rest a batch per idle moment, in order', async () => {
    work.start([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2);
    expect(batches).toEqual([[1, 2]]);
    expect(work.pending).toBe(8);
    expect(done).toBe(0);
    await idle();
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [9, 10],
    ]);
    expect(work.pending).toBe(0);
    expect(done).toBe(1);
  });

  it('is done at once when the first items are all of them', () => {
    work.start([1, 2], 5);
    expect(batches).toEqual([[1, 2]]);
    expect(done).toBe(1);
  });

  it('drops what is waiting when cancelled or started again', async () => {
    work.start([1, 2, 3, 4, 5, 6, 7], 1);
    work.cancel();
    expect(work.pending).toBe(0);
    work.start([10, 11, 12, 13], 0);
    await idle();
    expect(batches).toEqual([[1], [], [10, 11, 12], [13]]);
    expect(done).toBe(1);
  });
});
