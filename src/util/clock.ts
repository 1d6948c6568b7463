import GLib from 'gi://GLib';

export type TimerHandle = number;

/** Time as the app sees it. Tests pass a manual clock so they never sleep. */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for timestamps that are saved. */
  wallNow(): number;
  timeout(ms: number, callback: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => GLib.get_monotonic_time() / 1000,
  wallNow: () => Date.now(),
  timeout(ms, callback) {
    return GLib.timeout_add(GLib.PRIORITY_DEFAULT, Math.max(0, Math.round(ms)), () => {
      callback();
      return GLib.SOURCE_REMOVE;
    });
  },
  cancel(handle) {
    GLib.source_remove(handle);
  },
};
