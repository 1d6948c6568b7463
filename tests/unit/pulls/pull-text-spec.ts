import type { PullStatus } from '../../../src/pulls/saved-pull.js';
import { describePull, formatDuration, formatTimeLeft } from '../../../src/pulls/pull-text.js';
import type { PullView } from '../../../src/pulls/pull-view.js';
import { formatBytes } from '../../../src/util/text.js';
import { pullView } from '../helpers/pull-view.js';

const GB = 1e9;

function view(status: PullStatus, fields: Partial<PullView> = {}): PullView {
  return pullView({
    status,
    completed: 1.2 * GB,
    total: 2 * GB,
    fraction: 0.6,
    phase: 'download',
    statusLine: 'pulling dde5aa3fc5ff',
    ...fields,
  });
}

const amount = `60% · ${formatBytes(1.2 * GB)} of ${formatBytes(2 * GB)}`;

describe('Pulls text', () => {
  it('writes durations to the second, and time left rounded up', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(25.2)).toBe('25 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatTimeLeft(0.2)).toBe('1 s left');
    expect(formatTimeLeft(29.5)).toBe('30 s left');
    expect(formatTimeLeft(61)).toBe('2 min left');
    expect(formatTimeLeft(7800)).toBe('2 h 10 min left');
  });

  it('shows a running pull with its amount, speed and time left', () => {
    expect(describePull(view('pulling', { speed: 25e6, secondsLeft: 30 }))).toBe(
      `${amount} · ${formatBytes(25e6)}/s · 30 s left`,
    );
    expect(describePull(view('pulling'))).toBe(amount);
  });

  it('shows a stall instead of a speed', () => {
    expect(describePull(view('pulling', { stalledFor: 40 }))).toBe(`${amount} · stalled for 40 s`);
    expect(
      describePull(
        view('pulling', {
          phase: 'manifest',
          total: 0,
          completed: 0,
          fraction: null,
          stalledFor: 12,
        }),
      ),
    ).toBe('Looking up the model… · stalled for 12 s');
  });

  it('shows the steps before and after the download', () => {
    const none = { completed: 0, total: 0, fraction: null };
    expect(describePull(view('pulling', { ...none, phase: 'starting' }))).toBe('Starting…');
    expect(describePull(view('pulling', { ...none, phase: 'manifest' }))).toBe(
      'Looking up the model…',
    );
    const done = { completed: 2 * GB, fraction: 1, phase: 'finishing' as const };
    const all = `100% · ${formatBytes(2 * GB)} of ${formatBytes(2 * GB)}`;
    expect(describePull(view('pulling', { ...done, statusLine: 'verifying sha256 digest' }))).toBe(
      `${all} · Verifying…`,
    );
    expect(describePull(view('pulling', { ...done, statusLine: 'writing manifest' }))).toBe(
      `${all} · Writing the manifest…`,
    );
    expect(describePull(view('pulling', { ...done, statusLine: 'removing unused layers' }))).toBe(
      `${all} · Removing unused files…`,
    );
    expect(describePull(view('pulling', { completed: 5000, total: 0, fraction: null }))).toBe(
      formatBytes(5000),
    );
  });

  it('shows every other state', () => {
    expect(describePull(view('queued'))).toBe(`Queued · ${amount}`);
    expect(describePull(view('queued', { completed: 0, total: 0, fraction: null }))).toBe('Queued');
    expect(describePull(view('pending-retry', { retryIn: 25 }))).toBe('Retrying in 25 s…');
    expect(describePull(view('pending-retry', { retryIn: 300 }))).toBe('Retrying in 5 min…');
    expect(describePull(view('pending-retry', { waitingFor: 'network' }))).toBe(
      'Waiting for the network…',
    );
    expect(describePull(view('pulling', { waitingFor: 'confirmation' }))).toBe(
      'Waiting for permission to download over a metered network',
    );
    expect(describePull(view('paused'))).toBe(`Paused · ${amount}`);
    expect(describePull(view('complete', { completed: 2 * GB, fraction: 1 }))).toBe(
      `Complete · ${formatBytes(2 * GB)}`,
    );
    expect(describePull(view('failed'))).toBe('Failed');
    expect(describePull(view('cancelled'))).toBe(
      'Cancelled. Ollama may keep the part it downloaded, and use it if the model is pulled again.',
    );
  });
});
