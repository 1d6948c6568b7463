// Byte-level habits of Ollama's Go server that clients see on the wire.
import { createHash } from 'node:crypto';

/** Go's json.Marshal: like JSON.stringify, but <, >, & and U+2028/9 are \u-escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Go's time.Time in JSON: RFC 3339 with trailing zeros of the fraction cut, in local time
 * (file times) or UTC (`time.Now().UTC()` in chat replies).
 */
export function goTime(ms: number, utc = false): string {
  const date = new Date(ms);
  const offset = utc ? 0 : -date.getTimezoneOffset();
  const local = new Date(ms + offset * 60_000).toISOString();
  const millis = local.slice(20, 23).replace(/0+$/, '');
  const fraction = millis ? `.${millis}` : '';
  let zone = 'Z';
  if (offset !== 0) {
    const abs = Math.abs(offset);
    const sign = offset < 0 ? '-' : '+';
    zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }
  return `${local.slice(0, 19)}${fraction}${zone}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Drops the fields Go's `omitempty` would leave out of a ProgressResponse. */
export function progressLine(
  status: string,
  digest: string,
  total: number,
  completed: number,
): Record<string, unknown> {
  const line: Record<string, unknown> = { status };
  if (digest) line.digest = digest;
  if (total) line.total = total;
  if (completed) line.completed = completed;
  return line;
}
