import { AsyncCallBacklog } from '../../../src/util/async-call-backlog.js';

describe('AsyncCallBacklog', () => {
  it('collects once every `limit` calls, never in between', () => {
    let collections = 0;
    const backlog = new AsyncCallBacklog(3, () => collections++);
    const seen: number[] = [];
    for (let call = 1; call <= 7; call++) {
      backlog.note();
      seen.push(collections);
    }
    expect(seen).toEqual([0, 0, 1, 1, 1, 2, 2]);
  });
});
