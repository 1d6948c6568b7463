import { GenerationStats } from '../../../src/library/generation-stats.js';

describe('Generation stats', () => {
  it('turns the final line’s nanoseconds into load time and tokens a second', () => {
    const stats = GenerationStats.fromTimings({
      total_duration: 1_559_567_890,
      load_duration: 45_678_901,
      prompt_eval_count: 26,
      prompt_eval_duration: 130_000_000,
      eval_count: 13,
      eval_duration: 325_000_000,
    });
    expect(stats.loadMs).toBeCloseTo(45.678901, 6);
    expect(stats.promptTokensPerSecond).toBeCloseTo(200, 9);
    expect(stats.tokensPerSecond).toBeCloseTo(40, 9);
    expect(stats.describe()).toEqual([
      'loaded in 46 ms',
      'prompt read at 200 tokens/s',
      'answer written at 40.0 tokens/s',
    ]);
  });

  it('shows seconds for a slow load and one decimal below 100 tokens/s', () => {
    const stats = GenerationStats.fromTimings({
      load_duration: 12_345_000_000,
      eval_count: 100,
      eval_duration: 2_400_000_000,
    });
    expect(stats.describe()).toEqual(['loaded in 12.3 s', 'answer written at 41.7 tokens/s']);
  });

  it('leaves out what is missing, zero or absurd instead of dividing by it', () => {
    const none = GenerationStats.fromTimings({});
    expect([none.loadMs, none.promptTokensPerSecond, none.tokensPerSecond]).toEqual([
      null,
      null,
      null,
    ]);
    expect(none.describe()).toEqual([]);
    const zero = GenerationStats.fromTimings({
      load_duration: 0,
      prompt_eval_count: 5,
      prompt_eval_duration: 0,
      eval_count: 0,
      eval_duration: 1_000_000,
    });
    expect(zero.loadMs).toBe(0);
    expect(zero.promptTokensPerSecond).toBeNull();
    expect(zero.tokensPerSecond).toBeNull();
    const absurd = GenerationStats.fromTimings({
      load_duration: 1e30,
      prompt_eval_count: 1e9,
      prompt_eval_duration: 1,
      eval_count: Number.MAX_VALUE,
      eval_duration: Number.MIN_VALUE,
    });
    expect([absurd.loadMs, absurd.promptTokensPerSecond, absurd.tokensPerSecond]).toEqual([
      null,
      null,
      null,
    ]);
  });
});
