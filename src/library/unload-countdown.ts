import GLib from 'gi://GLib';
import { ngettext, gettext as _ } from 'gettext';

import type { Clock } from '../util/clock.js';
import { fillTemplate } from '../util/text.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** `keep_alive: -1` puts expires_at some 290 years ahead; nobody sets a keep-alive of a year. */
const KEPT = 365 * DAY;

export type CountdownState = 'counting' | 'kept' | 'unloading' | 'unknown';

/** When a loaded model unloads, as the library and `paddock ps` say it. */
export interface UnloadCountdown {
  state: CountdownState;
  /** For people: "unloads in 4 min", "kept loaded", "unloading…"; '' when unknown. */
  text: string;
  /** The time left alone ("4 min") while counting, else ''. */
  remaining: string;
  /** Milliseconds until `text` changes, for the next redraw; null when it no longer changes. */
  changesInMs: number | null;
}

/**
 * [unit, the most time shown in it, its text]: every limit is a whole number of the next
 * unit, so the text switches units exactly when the count in the larger one would drop.
 */
const UNITS: [number, number, (n: number) => string][] = [
  // Translators: a duration in seconds, e.g. "1.2 s".
  [SECOND, MINUTE, () => _('{n} s')],
  // Translators: a duration in minutes.
  [MINUTE, 2 * HOUR, () => _('{n} min')],
  // Translators: a duration in hours.
  [HOUR, 2 * DAY, () => _('{n} h')],
  // Translators: time left before a model unloads from memory.
  [DAY, Infinity, (n) => ngettext('{n} day', '{n} days', n)],
];

/**
 * The countdown to `expiresAt` (RFC 3339, from /api/ps) on the clock's wall time. The
 * time left is rounded up, so it never reads "0 min" while the model is still there.
 */
export function unloadCountdown(expiresAt: string, clock: Clock): UnloadCountdown {
  const then = expiresAt === '' ? null : GLib.DateTime.new_from_iso8601(expiresAt, null);
  if (then === null) return { state: 'unknown', text: '', remaining: '', changesInMs: null };
  // to_unix_usec is missing from older GLib; seconds and the microsecond suffice.
  const left = then.to_unix() * 1000 + Math.floor(then.get_microsecond() / 1000) - clock.wallNow();
  if (left <= 0)
    return { state: 'unloading', text: _('unloading…'), remaining: '', changesInMs: null };
  if (left > KEPT)
    return { state: 'kept', text: _('kept loaded'), remaining: '', changesInMs: null };
  const [unit, , format] = UNITS.find(([, most]) => left <= most)!;
  const count = Math.ceil(left / unit);
  const remaining = fillTemplate(format(count), { n: count });
  return {
    state: 'counting',
    text: fillTemplate(_('unloads in {time}'), { time: remaining }),
    remaining,
    changesInMs: left - (count - 1) * unit,
  };
}
