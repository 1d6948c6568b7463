import { unloadCountdown } from '../../../src/library/unload-countdown.js';
import { ManualClock } from '../helpers/manual-clock.js';

// The manual clock starts at 2026-01-01T00:00:00Z.
describe('Unload countdown', () => {
  let clock: ManualClock;

  beforeEach(() => {
    clock = new ManualClock();
  });

  it('counts down in minutes, rounded up, and says when the text next changes', () => {
    const expires = '2026-01-01T00:04:30Z';
    expect(unloadCountdown(expires, clock)).toEqual({
      state: 'counting',
      text: 'unloads in 5 min',
      remaining: '5 min',
      changesInMs: 30_000,
    });
    clock.advance(30_000);
    expect(unloadCountdown(expires, clock).text).toBe('unloads in 4 min');
    expect(unloadCountdown(expires, clock).changesInMs).toBe(60_000);
    clock.advance(3 * 60_000 + 1);
    expect(unloadCountdown(expires, clock)).toEqual({
      state: 'counting',
      text: 'unloads in 60 s',
      remaining: '60 s',
      changesInMs: 999,
    });
    clock.advance(58_999);
    expect(unloadCountdown(expires, clock).text).toBe('unloads in 1 s');
    expect(unloadCountdown(expires, clock).changesInMs).toBe(1000);
  });

  it('says unloading once the time is past, with nothing more to count', () => {
    clock.advance(5 * 60_000);
    const countdown = unloadCountdown('2026-01-01T00:05:00Z', clock);
    expect(countdown).toEqual({
      state: 'unloading',
      text: 'unloading…',
      remaining: '',
      changesInMs: null,
    });
    clock.advance(60_000);
    expect(unloadCountdown('2026-01-01T00:05:00Z', clock).state).toBe('unloading');
  });

  it('says kept loaded for the far future keep_alive -1 gives', () => {
    expect(unloadCountdown('2318-01-01T00:00:00Z', clock)).toEqual({
      state: 'kept',
      text: 'kept loaded',
      remaining: '',
      changesInMs: null,
    });
    expect(unloadCountdown('2026-12-31T00:00:00Z', clock).text).toBe('unloads in 364 days');
  });

  it('switches units exactly when the larger count would drop', () => {
    expect(unloadCountdown('2026-01-01T02:00:00Z', clock).text).toBe('unloads in 120 min');
    const hours = unloadCountdown('2026-01-01T02:00:01Z', clock);
    expect(hours.text).toBe('unloads in 3 h');
    expect(hours.changesInMs).toBe(1000);
    const days = unloadCountdown('2026-01-03T00:00:01Z', clock);
    expect(days.text).toBe('unloads in 3 days');
    expect(days.changesInMs).toBe(1000);
    expect(unloadCountdown('2026-01-03T00:00:00Z', clock).text).toBe('unloads in 48 h');
  });

  it('reads Ollama’s local times with a zone offset and a nanosecond fraction', () => {
    // 2025-12-31T16:10:00.5-08:00 is 00:10:00.5 UTC.
    const countdown = unloadCountdown('2025-12-31T16:10:00.500000000-08:00', clock);
    expect(countdown.text).toBe('unloads in 11 min');
    expect(countdown.changesInMs).toBe(500);
  });

  it('knows nothing from a missing or unreadable time', () => {
    for (const text of ['', 'soon', '<b>2026</b>'])
      expect(unloadCountdown(text, clock)).toEqual({
        state: 'unknown',
        text: '',
        remaining: '',
        changesInMs: null,
      });
  });
});
