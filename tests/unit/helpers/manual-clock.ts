import type { Clock, TimerHandle } from '../../../src/util/clock.js';

interface Timer {
  handle: TimerHandle;
  due: number;
  callback: () => void;
}

/** A clock that only moves when a test calls advance(). */
export class ManualClock implements Clock {
  private current = 0;
  private wallStart = Date.UTC(2026, 0, 1);
  private nextHandle = 1;
  private timers: Timer[] = [];

  now(): number {
    return this.current;
  }

  wallNow(): number {
    return this.wallStart + this.current;
  }

  timeout(ms: number, callback: () => void): TimerHandle {
    const handle = this.nextHandle++;
    this.timers.push({ handle, due: this.current + Math.max(0, ms), callback });
    return handle;
  }

  cancel(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.handle !== handle);
  }

  /** Delays of the timers still pending, soonest first. */
  pendingDelays(): number[] {
    return this.timers.map((timer) => timer.due - this.current).sort((a, b) => a - b);
  }

  /** Moves time forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.timers
        .filter((timer) => timer.due <= end)
        .sort((a, b) => a.due - b.due || a.handle - b.handle)[0];
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.current = next.due;
      next.callback();
    }
    this.current = end;
  }
}
