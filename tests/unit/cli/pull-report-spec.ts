import { PullReport } from '../../../src/cli/pull-report.js';
import type { PullView } from '../../../src/pulls/pull-view.js';
import { oneLine } from '../../../src/util/text.js';
import { pullView } from '../helpers/pull-view.js';

function pull(changes: Partial<PullView>): PullView {
  return pullView({ name: 'qwen3:8b', text: 'Starting…', ...changes });
}

describe('CLI PullReport', () => {
  it('opens with the server, or says it joins a pull under way', () => {
    const report = new PullReport('Lab');
    expect(report.started('qwen3:8b', 'http://lab:11434', false)).toBe(
      'pulling qwen3:8b on Lab (http://lab:11434)',
    );
    expect(report.started('qwen3:8b', 'http://lab:11434', true)).toBe(
      'joining the pull of qwen3:8b already under way on Lab (http://lab:11434)',
    );
  });

  it('prints progress while bytes flow, never the same line twice in a row', () => {
    const report = new PullReport('Lab');
    const text = '42% · 2.2 GB of 5.2 GB · 25.0 MB/s · 2 min left';
    expect(report.progressUpdated(pull({ text }))).toBe(`pulling qwen3:8b: ${text}`);
    expect(report.progressUpdated(pull({ text }))).toBeNull();
    expect(report.statusChanged(pull({ text }))).toBeNull();
    expect(
      report.progressUpdated(pull({ status: 'pending-retry', text: 'Retrying in 9 s…' })),
    ).toBeNull();
  });

  it('says why it waits, and for how long', () => {
    const report = new PullReport('Lab');
    const error = 'The connection to Ollama at lab:11434 broke off.\nTry again.';
    expect(report.statusChanged(pull({ status: 'pending-retry', error, retryIn: 30 }))).toBe(
      'retrying qwen3:8b in 30 s: The connection to Ollama at lab:11434 broke off. Try again.',
    );
    expect(
      report.statusChanged(pull({ status: 'pending-retry', error, waitingFor: 'network' })),
    ).toBe(
      'qwen3:8b is waiting for the network: The connection to Ollama at lab:11434 broke off. Try again.',
    );
    expect(report.statusChanged(pull({ status: 'queued' }))).toBe(
      'queued qwen3:8b: other pulls on Lab go first',
    );
    expect(report.statusChanged(pull({ status: 'paused' }))).toBe(
      'paused qwen3:8b: waiting for it to be resumed in Paddock',
    );
  });

  it('ends with the outcome and the exit status', () => {
    const report = new PullReport('Lab');
    expect(report.outcome(pull({ status: 'complete' }), false)).toEqual({
      line: 'pulled qwen3:8b',
      toStderr: false,
      status: 0,
    });
    expect(report.outcome(pull({ status: 'failed', error: 'Disk full.' }), false)).toEqual({
      line: 'error: Disk full.',
      toStderr: true,
      status: 1,
    });
    expect(report.outcome(pull({ status: 'cancelled' }), false).line).toBe(
      'error: the pull of qwen3:8b was cancelled in Paddock',
    );
    expect(report.outcome(pull({ status: 'cancelled' }), true).line).toMatch(
      /^error: cancelled the pull of qwen3:8b; /,
    );
  });

  it('keeps messages on one line', () => {
    expect(oneLine(' a\n  b \n c ')).toBe('a b c');
  });
});
