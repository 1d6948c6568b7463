import { Throttle } from '../../../src/util/throttle.js';
import { ManualClock } from '../helpers/manual-clock.js';

describe('Throttle', () => {
  let clock: ManualClock;
  let runs: number[];
  let throttle: Throttle;

  beforeEach(() => {
    clock = new ManualClock();
    runs = [];
    throttle = new Throttle(clock, 2000, () => runs.push(clock.now()));
  });

  it('runs the first request at once', () => {
    throttle.request();
    expect(runs).toEqual([0]);
    expect(throttle.pending).toBeFalse();
  });

  it('runs the requests of one interval once, when the interval is over', () => {
    throttle.request();
    clock.advance(500);
    throttle.request();
    clock.advance(500);
    throttle.request();
    expect(runs).toEqual([0]);
    expect(throttle.pending).toBeTrue();
    expect(clock.pendingDelays()).toEqual([1000]);
    clock.advance(5000);
    expect(runs).toEqual([0, 2000]);
    expect(throttle.pending).toBeFalse();
  });

  it('runs at once again once the interval is over', () => {
    throttle.request();
    clock.advance(2000);
    throttle.request();
    expect(runs).toEqual([0, 2000]);
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('drops the waiting run when cancelled', () => {
    throttle.request();
    throttle.request();
    throttle.cancel();
    clock.advance(5000);
    expect(runs).toEqual([0]);
    expect(throttle.pending).toBeFalse();
  });

  it('starts the interval again when the work was done another way', () => {
    throttle.request();
    throttle.request();
    clock.advance(1500);
    throttle.restart();
    expect(clock.pendingDelays()).toEqual([]);
    throttle.request();
    expect(runs).toEqual([0]);
    expect(clock.pendingDelays()).toEqual([2000]);
    clock.advance(2000);
    expect(runs).toEqual([0, 3500]);
  });
});
