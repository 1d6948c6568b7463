import Gio from 'gi://Gio';

import { SEEN_AGAIN_MS, UsageRecord } from '../../../src/library/usage-record.js';
import { listNames, makeTempDir, readText, removeTree, writeBytes } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

const START = Date.UTC(2026, 0, 1);

describe('Usage record', () => {
  let dir: Gio.File;
  let clock: ManualClock;

  beforeEach(() => {
    dir = makeTempDir();
    clock = new ManualClock();
  });

  afterEach(() => {
    removeTree(dir);
  });

  const saved = () =>
    (JSON.parse(readText(dir.get_child('usage.json'))) as { entries: unknown[] }).entries;

  it('keeps when a model was last used per server across a restart', async () => {
    const record = new UsageRecord(dir, clock);
    expect(await record.load()).toBeNull();
    expect(record.lastUsed('local', 'qwen3:8b')).toBeNull();
    await record.used('local', 'qwen3:8b');
    clock.advance(5000);
    await record.seenLoaded('lab', ['qwen3:8b', 'gemma3:4b']);

    const again = new UsageRecord(dir, clock);
    expect(await again.load()).toBeNull();
    expect(again.lastUsed('local', 'qwen3:8b')).toBe(START);
    expect(again.lastUsed('lab', 'qwen3:8b')).toBe(START + 5000);
    expect(again.lastUsed('lab', 'gemma3:4b')).toBe(START + 5000);
    expect(again.lastUsed('lab', 'llama3.2:3b')).toBeNull();
    expect(listNames(dir)).toEqual(['usage.json']);
  });

  it('writes a model seen loaded again only after a while; a use through Paddock at once', async () => {
    const record = new UsageRecord(dir, clock);
    await record.seenLoaded('local', ['qwen3:8b']);
    // The library's ps refresh a minute later: nothing to write.
    removeTree(dir.get_child('usage.json'));
    clock.advance(60_000);
    await record.seenLoaded('local', ['qwen3:8b']);
    expect(listNames(dir)).toEqual([]);
    expect(record.lastUsed('local', 'qwen3:8b')).toBe(START);

    await record.used('local', 'qwen3:8b');
    expect(record.lastUsed('local', 'qwen3:8b')).toBe(START + 60_000);
    clock.advance(SEEN_AGAIN_MS);
    await record.seenLoaded('local', ['qwen3:8b']);
    expect(record.lastUsed('local', 'qwen3:8b')).toBe(START + 60_000 + SEEN_AGAIN_MS);
    expect(saved()).toEqual([
      { connectionId: 'local', model: 'qwen3:8b', lastUsedAt: START + 60_000 + SEEN_AGAIN_MS },
    ]);
  });

  it('keeps at most 1000 models, forgetting the least recently used', async () => {
    const record = new UsageRecord(dir, clock);
    await record.seenLoaded(
      'local',
      Array.from({ length: 1003 }, (_, i) => `m${i}:1b`),
    );
    clock.advance(1);
    await record.used('local', 'm3:1b');
    await record.used('local', 'new:1b');
    expect(record.lastUsed('local', 'm0:1b')).toBeNull();
    expect(record.lastUsed('local', 'm3:1b')).toBe(START + 1);
    expect(record.lastUsed('local', 'm4:1b')).toBeNull();
    expect(record.lastUsed('local', 'm5:1b')).toBe(START);
    expect(saved().length).toBe(1000);
  });

  it('keeps the valid entries of a file with hostile ones, and says it fixed it', async () => {
    const good = { connectionId: 'local', model: 'qwen3:8b', lastUsedAt: 7 };
    writeBytes(
      dir.get_child('usage.json'),
      JSON.stringify({
        entries: [
          good,
          { ...good, model: 'x'.repeat(100_000) },
          { ...good, model: 'a:1', lastUsedAt: -1 },
          { ...good, model: 'b:1', lastUsedAt: '7' },
          { ...good, model: 'c:1', lastUsedAt: 1.5 },
          null,
        ],
      }),
    );
    const record = new UsageRecord(dir, clock);
    expect(await record.load()).toMatch(/^Paddock had to fix its record of when models were used/);
    expect(record.lastUsed('local', 'qwen3:8b')).toBe(7);
    for (const model of ['a:1', 'b:1', 'c:1']) expect(record.lastUsed('local', model)).toBeNull();
  });

  it('sets a damaged file aside and starts again', async () => {
    writeBytes(dir.get_child('usage.json'), '{"entries": [ oops');
    const record = new UsageRecord(dir, clock);
    expect(await record.load()).toMatch(/not valid JSON/);
    expect(listNames(dir)).toEqual(['usage.json.corrupt-20260101T000000Z']);
    await record.used('local', 'qwen3:8b');
    expect(listNames(dir)).toEqual(['usage.json', 'usage.json.corrupt-20260101T000000Z']);
  });
});
