import { summarizePulls } from '../../../src/pulls/pull-summary.js';
import type { PullView } from '../../../src/pulls/pull-view.js';
import { pullView } from '../helpers/pull-view.js';

function item(overrides: Partial<PullView>): PullView {
  return pullView({ text: '42% · 1.2 GB of 2.0 GB', ...overrides });
}

describe('Pulls summary', () => {
  it('is null without running or waiting pulls', () => {
    expect(summarizePulls([])).toBeNull();
    expect(summarizePulls([item({ status: 'paused' }), item({ status: 'complete' })])).toBeNull();
  });

  it('names the model and its progress when one pull runs', () => {
    expect(summarizePulls([item({})])).toBe('Downloading llama3.2:3b — 42% · 1.2 GB of 2.0 GB');
  });

  it('counts several pulls and adds up their bytes', () => {
    const summary = summarizePulls([
      item({ name: 'a', completed: 1e9, total: 2e9, fraction: 0.5 }),
      item({ name: 'b', completed: 0.4e9, total: 2e9, fraction: 0.2 }),
      item({ name: 'c', status: 'queued' }),
    ]);
    expect(summary).toBe('Downloading 3 models — 35%');
  });

  it('leaves the percentage out while no size is known', () => {
    expect(summarizePulls([item({ name: 'a' }), item({ name: 'b' })])).toBe('Downloading 2 models');
  });

  it('says which pull waits to retry, and for how long', () => {
    const summary = summarizePulls([
      item({}),
      item({ name: 'qwen3:8b', status: 'pending-retry', retryIn: 25 }),
    ]);
    expect(summary).toBe(
      'Downloading llama3.2:3b — 42% · 1.2 GB of 2.0 GB · Retrying qwen3:8b in 25 s…',
    );
  });

  it('counts a pull with more bytes done than its size as complete, not more', () => {
    const summary = summarizePulls([
      item({ name: 'a', completed: 3e9, total: 2e9, fraction: 1 }),
      item({ name: 'b', completed: 0, total: 2e9, fraction: 0 }),
    ]);
    expect(summary).toBe('Downloading 2 models — 50%');
  });
});
