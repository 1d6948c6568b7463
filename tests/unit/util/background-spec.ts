import { inBackground } from '../../../src/util/background.js';

describe('inBackground', () => {
  it('logs a rejection with what was being done, instead of leaving it unhandled', async () => {
    // console.error cannot be replaced in GJS: the log is passed in.
    const logged: unknown[][] = [];
    const log = (...details: unknown[]) => logged.push(details);
    const failure = new Error('boom');
    inBackground(Promise.reject(failure), 'testing', log);
    inBackground(Promise.resolve(1), 'succeeding', log);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(logged).toEqual([['Paddock: testing:', failure]]);
  });
});
