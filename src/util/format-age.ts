import GLib from 'gi://GLib';
import { ngettext, gettext as _ } from 'gettext';

import { fillTemplate } from './template.js';

/**
 * How long ago a server timestamp was, as people say it: "today", "yesterday",
 * "3 days ago", "2 months ago". Null when the text is not a date.
 */
export function formatAge(
  iso: string,
  now: GLib.DateTime = GLib.DateTime.new_now_utc(),
): string | null {
  const then = GLib.DateTime.new_from_iso8601(iso, GLib.TimeZone.new_utc());
  if (!then) return null;
  const days = Math.floor(now.difference(then) / GLib.TIME_SPAN_DAY);
  if (days <= 0) return _('today');
  if (days === 1) return _('yesterday');
  if (days < 60) return fillTemplate(ngettext('{n} day ago', '{n} days ago', days), { n: days });
  if (days < 730) {
    const months = Math.floor(days / 30);
    return fillTemplate(ngettext('{n} month ago', '{n} months ago', months), { n: months });
  }
  const years = Math.floor(days / 365);
  return fillTemplate(ngettext('{n} year ago', '{n} years ago', years), { n: years });
}
