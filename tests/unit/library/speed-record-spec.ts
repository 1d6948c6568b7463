import Gio from 'gi://Gio';

import { GenerationStats } from '../../../src/library/generation-stats.js';
import { SpeedRecord, speedText } from '../../../src/library/speed-record.js';
import { listNames, makeTempDir, readText, removeTree, writeBytes } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

const stats = (tokensPerSecond: number, promptTokensPerSecond = 200) =>
  GenerationStats.fromTimings({
    prompt_eval_count: promptTokensPerSecond,
    prompt_eval_duration: 1e9,
    eval_count: tokensPerSecond,
    eval_duration: 1e9,
  });

describe('Speed record', () => {
  let dir: Gio.File;
  let clock: ManualClock;

  beforeEach(() => {
    dir = makeTempDir();
    clock = new ManualClock();
  });

  afterEach(() => {
    removeTree(dir);
  });

  it('keeps the last speed per server and model across a restart', async () => {
    const record = new SpeedRecord(dir, clock);
    expect(await record.load()).toBeNull();
    await record.record('local', 'qwen3:8b', stats(30));
    clock.advance(1000);
    await record.record('local', 'qwen3:8b', stats(42));
    await record.record('lab', 'qwen3:8b', stats(90, 800));

    const again = new SpeedRecord(dir, clock);
    expect(await again.load()).toBeNull();
    expect(again.get('local', 'qwen3:8b')).toEqual({
      connectionId: 'local',
      model: 'qwen3:8b',
      promptTokensPerSecond: 200,
      tokensPerSecond: 42,
      measuredAt: Date.UTC(2026, 0, 1) + 1000,
    });
    expect(again.get('lab', 'qwen3:8b')?.tokensPerSecond).toBe(90);
    expect(again.get('lab', 'gemma3:4b')).toBeNull();
    expect(listNames(dir)).toEqual(['speeds.json']);
  });

  it('tells the rows when a speed was recorded, as a whole number of tokens/s', async () => {
    const record = new SpeedRecord(dir, clock);
    const changes: string[] = [];
    record.connect('changed', (_record: unknown, connectionId: string, model: string) =>
      changes.push(`${connectionId}/${model}`),
    );
    await record.record('local', 'qwen3:8b', stats(41.6));
    await record.record('local', 'nomic-embed-text', GenerationStats.fromTimings({}));
    expect(changes).toEqual(['local/qwen3:8b']);
    expect(speedText(record.get('local', 'qwen3:8b')!.tokensPerSecond)).toBe('42 tokens/s');
  });

  it('records nothing for a run without a generation speed', async () => {
    const record = new SpeedRecord(dir, clock);
    await record.record('local', 'nomic-embed-text', GenerationStats.fromTimings({}));
    expect(record.get('local', 'nomic-embed-text')).toBeNull();
    expect(listNames(dir)).toEqual([]);
  });

  it('keeps at most 500 entries, dropping the oldest', async () => {
    const record = new SpeedRecord(dir, clock);
    for (let i = 0; i < 505; i++) await record.record('local', `m${i}:1b`, stats(10));
    expect(record.get('local', 'm4:1b')).toBeNull();
    expect(record.get('local', 'm5:1b')).not.toBeNull();
    const saved = JSON.parse(readText(dir.get_child('speeds.json'))) as { entries: unknown[] };
    expect(saved.entries.length).toBe(500);
  });

  it('sets a damaged file aside and starts again', async () => {
    writeBytes(dir.get_child('speeds.json'), '{"entries": [ oops');
    const record = new SpeedRecord(dir, clock);
    const problem = await record.load();
    expect(problem).toMatch(
      /^Paddock could not read its record of model speeds because it is not valid JSON .*The file was kept as .*speeds\.json\.corrupt-20260101T000000Z\.$/,
    );
    expect(listNames(dir)).toEqual(['speeds.json.corrupt-20260101T000000Z']);
    await record.record('local', 'qwen3:8b', stats(42));
    expect(listNames(dir)).toEqual(['speeds.json', 'speeds.json.corrupt-20260101T000000Z']);
  });

  it('keeps the valid entries of a file with hostile ones, and says it fixed it', async () => {
    const good = {
      connectionId: 'local',
      model: 'qwen3:8b',
      promptTokensPerSecond: null,
      tokensPerSecond: 42,
      measuredAt: 1,
    };
    writeBytes(
      dir.get_child('speeds.json'),
      JSON.stringify({
        entries: [
          good,
          { ...good, model: 'x'.repeat(100_000) },
          { ...good, model: 'a:1', tokensPerSecond: 1e300 },
          { ...good, model: 'b:1', tokensPerSecond: '42' },
          { ...good, model: 'c:1', measuredAt: -1 },
          null,
          [],
        ],
      }),
    );
    const record = new SpeedRecord(dir, clock);
    expect(await record.load()).toMatch(/^Paddock had to fix its record of model speeds/);
    expect(record.get('local', 'qwen3:8b')).toEqual(good);
    for (const model of ['a:1', 'b:1', 'c:1']) expect(record.get('local', model)).toBeNull();
  });

  it('sets aside a file that is JSON but no record', async () => {
    writeBytes(dir.get_child('speeds.json'), '[1, 2, 3]');
    const record = new SpeedRecord(dir, clock);
    expect(await record.load()).toMatch(/because it holds no list of speeds/);
  });
});
