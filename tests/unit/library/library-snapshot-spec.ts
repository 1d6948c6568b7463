import Gio from 'gi://Gio';

import {
  LibrarySnapshot,
  MAX_SNAPSHOT_BYTES,
  type SavedList,
} from '../../../src/library/library-snapshot.js';
import { parseTagsReply } from '../../../src/ollama/replies.js';
import {
  listNames,
  makeTempDir,
  modeOf,
  readText,
  removeTree,
  writeBytes,
} from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

const SAVED_AT = Date.UTC(2026, 0, 1);

/** An /api/tags entry as Ollama sends it. */
function entry(name: string, size = 1000): Record<string, unknown> {
  return {
    name,
    model: name,
    modified_at: '2026-01-01T10:00:00Z',
    size,
    digest: 'a'.repeat(64),
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'qwen3',
      families: ['qwen3'],
      parameter_size: '8.2B',
      quantization_level: 'Q4_K_M',
    },
    capabilities: ['completion', 'tools'],
  };
}

function list(url: string, ...names: string[]): SavedList {
  return { url, savedAt: SAVED_AT, models: parseTagsReply({ models: names.map((n) => entry(n)) }) };
}

describe('LibrarySnapshot', () => {
  let dir: Gio.File;
  let snapshot: LibrarySnapshot;
  let warnings: string[];

  beforeEach(() => {
    dir = makeTempDir();
    snapshot = new LibrarySnapshot(dir, {
      clock: new ManualClock(),
      warn: (text) => warnings.push(text),
    });
    warnings = [];
  });

  afterEach(() => {
    removeTree(dir);
  });

  function writeFile(value: unknown): void {
    writeBytes(dir.get_child('library.json'), JSON.stringify(value));
  }

  it('reads back the lists it wrote, in library.json of the folder, readable by the owner only', async () => {
    const lists = new Map([
      ['local', list('http://127.0.0.1:11434', 'qwen3:8b', 'gemma3:4b')],
      ['lab', list('http://lab:11434')],
    ]);
    await snapshot.write(lists);
    expect(listNames(dir)).toEqual(['library.json']);
    expect(modeOf(dir.get_child('library.json'))).toBe(0o600);
    expect(JSON.parse(readText(dir.get_child('library.json')))).toEqual({
      version: 1,
      servers: {
        local: {
          url: 'http://127.0.0.1:11434',
          savedAt: SAVED_AT,
          models: lists.get('local')!.models,
        },
        lab: { url: 'http://lab:11434', savedAt: SAVED_AT, models: [] },
      },
    });

    const read = await new LibrarySnapshot(dir, { warn: (text) => warnings.push(text) }).read();
    expect([...read.keys()]).toEqual(['local', 'lab']);
    expect(read.get('local')).toEqual(lists.get('local')!);
    expect(read.get('lab')).toEqual(lists.get('lab')!);
    expect(warnings).toEqual([]);
  });

  it('gives no lists, and no warning, when there is no file', async () => {
    expect((await snapshot.read()).size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('gives no lists, with a warning, for a file that is not JSON', async () => {
    writeBytes(dir.get_child('library.json'), '{"version": 1, "servers": {');
    expect((await snapshot.read()).size).toBe(0);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/library\.json: it is not valid JSON/);
  });

  it('gives no lists, with a warning, for a file of another kind or version', async () => {
    for (const foreign of [
      [],
      { version: 2, servers: { local: list('http://a:1', 'qwen3:8b') } },
      { version: 1 },
      { version: 1, servers: [list('http://a:1', 'qwen3:8b')] },
      { entries: [] },
    ]) {
      writeFile(foreign);
      expect((await snapshot.read()).size)
        .withContext(JSON.stringify(foreign))
        .toBe(0);
    }
    expect(warnings.length).toBe(5);
  });

  it('checks every model as a server’s reply: a list with a bad entry is left out', async () => {
    const hostile = { ...entry('evil:1b'), size: '9999999999999999999999' };
    writeFile({
      version: 1,
      servers: {
        good: {
          url: 'http://good:1',
          savedAt: SAVED_AT,
          models: [{ ...entry('qwen3:8b'), extra: { huge: 'x'.repeat(1000) } }],
        },
        bad: { url: 'http://bad:1', savedAt: SAVED_AT, models: [entry('ok:1b'), hostile] },
        notAList: { url: 'http://bad:1', savedAt: SAVED_AT, models: { 0: entry('a:1b') } },
        noUrl: { savedAt: SAVED_AT, models: [] },
        noTime: { url: 'http://bad:1', savedAt: 'yesterday', models: [] },
        nothing: null,
      },
    });
    const read = await snapshot.read();
    expect([...read.keys()]).toEqual(['good']);
    // What /api/tags does not define is dropped, as from a server.
    expect(read.get('good')!.models).toEqual(parseTagsReply({ models: [entry('qwen3:8b')] }));
    expect(warnings.length).toBe(5);
    expect(warnings.find((text) => text.includes('bad is left out'))).toMatch(
      /models\[1\]\.size is "9999999999999999999999", not a count/,
    );
  });

  it('reads no file larger than its bound, and writes none', async () => {
    writeBytes(dir.get_child('library.json'), `${' '.repeat(MAX_SNAPSHOT_BYTES)}{}`);
    expect((await snapshot.read()).size).toBe(0);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/larger than/);

    await snapshot.write(new Map([['local', list('http://a:1', 'qwen3:8b')]]));
    const names = Array.from({ length: 40_000 }, (_, index) => `model-${index}:latest`);
    await snapshot.write(new Map([['local', list('http://a:1', ...names)]]));
    expect(warnings.length).toBe(2);
    expect(warnings[1]).toMatch(/would be larger than/);
    // The last list that fitted stays.
    const read = await snapshot.read();
    expect(read.get('local')!.models.map((model) => model.name)).toEqual(['qwen3:8b']);
  });
});
