import Gio from 'gi://Gio';

import type { Clock, TimerHandle } from '../util/clock.js';
import { CancelledError, TimeoutError } from './errors.js';
import { mapError } from './error-mapper.js';

/**
 * One request's cancellable: cancelled by the caller's cancellable or by a deadline on
 * the injected clock, and able to tell the two apart afterwards.
 */
export class RequestGuard {
  readonly cancellable = new Gio.Cancellable();
  private timer: TimerHandle | null = null;
  private outerHandler = 0;
  private timedOut = false;

  constructor(
    private readonly clock: Clock,
    private readonly seconds: number,
    private readonly outer: Gio.Cancellable | null,
  ) {
    if (outer?.is_cancelled()) this.cancellable.cancel();
    else if (outer)
      // GJS maps Cancellable.connect(callback) to g_cancellable_connect; this is the plain signal.
      this.outerHandler = outer.connect_after('cancelled', () => this.cancellable.cancel());
    if (seconds > 0)
      this.timer = clock.timeout(seconds * 1000, () => {
        this.timer = null;
        this.timedOut = true;
        this.cancellable.cancel();
      });
  }

  /** The request got far enough; from here only the caller may stop it. */
  stopDeadline(): void {
    if (this.timer === null) return;
    this.clock.cancel(this.timer);
    this.timer = null;
  }

  release(): void {
    this.stopDeadline();
    if (this.outer && this.outerHandler !== 0) this.outer.disconnect(this.outerHandler);
    this.outerHandler = 0;
  }

  /** The error to report for a failure of the guarded request. */
  explain(error: unknown, host: string | null): unknown {
    const mapped = mapError(error, { host });
    if (this.timedOut && mapped instanceof CancelledError)
      return new TimeoutError(this.seconds, { host, cause: error });
    return mapped;
  }
}
