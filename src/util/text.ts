import GLib from 'gi://GLib';
import { ngettext, gettext as _ } from 'gettext';

/**
 * Fills `{name}` placeholders. Translatable strings use names rather than `%s` so that
 * translators can reorder them: _('Ollama {version} at {url}').
 */
export function fillTemplate(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Sizes the GNOME way (decimal units, as Files shows them): "2.0 GB", "512 bytes". */
export function formatBytes(bytes: number): string {
  return GLib.format_size(Math.max(0, Math.round(bytes)));
}

/** A count as people read it at a glance: "950", "7K", "1.2M", "48.5M", "108M", "2.1B". */
export function formatCount(count: number): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [index, [size, suffix]] of units.entries()) {
    if (count < size) continue;
    const value = count / size;
    // One decimal below 100, none above: "1.2M", "48.5M", "108M".
    const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
    // 999,960 is "1M", not "1000K".
    return rounded >= 1000 && index > 0 ? `1${units[index - 1][1]}` : `${rounded}${suffix}`;
  }
  return String(count);
}

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

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The text, or when it is longer than `max` UTF-16 units (JavaScript's length, which is
 * what readers of Paddock's files check) its beginning and "…": cut between user-perceived
 * characters, never inside an emoji, a surrogate pair or before a combining mark.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

/* eslint-disable no-control-regex -- matching control characters is the point here */

/**
 * Escape sequences, in 7-bit (ESC …) and 8-bit (C1) form: CSI (`ESC [` or U+009B, up to
 * its final byte); OSC, DCS, SOS, PM and APC strings (up to BEL or ST, else to the end of
 * the text, which a terminal would swallow too); any other ESC with its intermediates
 * and final character.
 */
const ESCAPE_SEQUENCE = new RegExp(
  [
    '(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]?',
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^]*?(?:\\x07|\\x1b\\\\|\\x9c|$)',
    '\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]?',
  ].join('|'),
  'g',
);

/**
 * What is left to drop: C0 controls but newline and tab (so also CR, which could
 * overwrite a line), DEL, C1 controls, and the bidi embeddings, overrides and isolates
 * that could make a line read other than it is.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a server, the catalog or a config file as it may go to a terminal: without
 * escape sequences or control characters, so it can neither move the cursor, clear the
 * screen, set the title, make links nor overwrite what was printed. Newlines and tabs
 * stay, and so does every printable character.
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** Messages are single lines on the terminal, whatever their source put in them. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
