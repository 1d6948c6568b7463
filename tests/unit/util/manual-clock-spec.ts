import { ManualClock } from '../helpers/manual-clock.js';

describe('ManualClock', () => {
  it('fires timers in order of their due time, only when advanced', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.timeout(300, () => fired.push('late'));
    clock.timeout(100, () => fired.push('early'));
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(250);
    expect(fired).toEqual(['early', 'late']);
    expect(clock.now()).toBe(349);
  });

  it('runs timers scheduled by other timers within the same advance', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.timeout(10, () => clock.timeout(10, () => fired.push(clock.now())));
    clock.advance(25);
    expect(fired).toEqual([20]);
  });

  it('never fires a cancelled timer', () => {
    const clock = new ManualClock();
    let fired = false;
    const handle = clock.timeout(5, () => (fired = true));
    clock.cancel(handle);
    clock.advance(10);
    expect(fired).toBeFalse();
    expect(clock.pendingDelays()).toEqual([]);
  });
});
