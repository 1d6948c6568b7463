import GLib from 'gi://GLib';

import { formatAge } from '../../../src/util/text.js';

describe('formatAge', () => {
  const now = GLib.DateTime.new_from_iso8601('2026-11-26T12:00:00Z', null)!;

  it('says today, yesterday, days, months and years', () => {
    expect(formatAge('2026-11-26T01:00:00Z', now)).toBe('today');
    expect(formatAge('2026-11-25T11:00:00Z', now)).toBe('yesterday');
    expect(formatAge('2026-11-20T12:00:00Z', now)).toBe('6 days ago');
    expect(formatAge('2026-08-01T12:00:00Z', now)).toBe('3 months ago');
    expect(formatAge('2023-11-01T12:00:00Z', now)).toBe('3 years ago');
  });

  it('reads the offsets Ollama writes (local time with fractions)', () => {
    expect(formatAge('2026-11-24T17:37:44.707-07:00', now)).toBe('yesterday');
  });

  it('gives null for text that is not a date', () => {
    expect(formatAge('last tuesday', now)).toBeNull();
  });

  it('treats a date in the future as today', () => {
    expect(formatAge('2026-12-01T00:00:00Z', now)).toBe('today');
  });
});
