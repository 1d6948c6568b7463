import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { CatalogCache } from '../../../src/catalog/catalog-cache.js';
import { ConnectionStore } from '../../../src/config/connection-store.js';
import { MemorySecretStore } from '../../../src/config/memory-secret-store.js';
import { SavedPullStore } from '../../../src/pulls/saved-pull-store.js';
import { formatBytes } from '../../../src/util/text.js';
import { JsonFile } from '../../../src/util/json-file.js';
import { JsonFileError } from '../../../src/util/errors.js';
import {
  exists,
  listNames,
  makeTempDir,
  modeOf,
  readBytes,
  readText,
  removeTree,
  writeBytes,
} from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

const MIB = 1024 * 1024;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** A file of `bytes` that takes no room on disk: a hole, as `truncate -s` makes. */
function sparseFile(file: Gio.File, bytes: number): void {
  const stream = file.replace(null, false, Gio.FileCreateFlags.NONE, null);
  stream.truncate(bytes, null);
  stream.close(null);
}

describe('Util JsonFile', () => {
  let dir: Gio.File;
  let clock: ManualClock;

  beforeEach(() => {
    dir = makeTempDir();
    clock = new ManualClock();
  });

  afterEach(() => removeTree(dir));

  function jsonFile(name = 'a.json', maxBytes = MIB, compact = false): JsonFile {
    return new JsonFile(dir.get_child(name), { maxBytes, compact, clock });
  }

  it('reads undefined for a file that does not exist', async () => {
    expect(await jsonFile().read()).toBeUndefined();
    expect(listNames(dir)).toEqual([]);
  });

  it('reads JSON, with or without a byte order mark', async () => {
    const json = jsonFile();
    writeBytes(json.file, '\uFEFF{"x": ["ü", 1, null]}');
    expect(await json.read()).toEqual({ x: ['ü', 1, null] });
    writeBytes(json.file, 'null');
    expect(await json.read()).toBeNull();
  });

  it('reads the object under a key, {} for a missing file or a key of another shape', async () => {
    const json = jsonFile();
    expect(await json.readKeyed('servers', 'the servers')).toEqual({ items: {}, problem: null });
    writeBytes(json.file, '{"servers": {"a": 1}, "other": 2}');
    expect(await json.readKeyed('servers', 'the servers')).toEqual({
      items: { a: 1 },
      problem: null,
    });
    for (const text of ['{"servers": [1]}', '{"servers": "x"}', '[1]', 'null']) {
      writeBytes(json.file, text);
      expect((await json.readKeyed('servers', 'the servers')).items).toEqual({});
    }
  });

  it('sets a file it cannot read aside when reading the object under a key, and says so', async () => {
    const json = jsonFile();
    writeBytes(json.file, '{"servers": ');
    const { items, problem } = await json.readKeyed('servers', 'the servers');
    expect(items).toEqual({});
    expect(problem).toContain('the servers');
    expect(listNames(dir).some((name) => name.startsWith('a.json.corrupt-'))).toBeTrue();
  });

  it('says why a file is not usable: not UTF-8, not JSON', async () => {
    const json = jsonFile();
    writeBytes(json.file, new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]));
    let error = await rejection(json.read());
    expect(error).toEqual(jasmine.any(JsonFileError));
    expect((error as Error).message).toBe('it is not UTF-8 text');
    writeBytes(json.file, '[{"id": ');
    error = await rejection(json.read());
    expect(error).toEqual(jasmine.any(JsonFileError));
    expect((error as Error).message).toMatch(/^it is not valid JSON \(.+\)$/);
  });

  it('passes on read errors other than a missing file', async () => {
    const json = jsonFile();
    json.file.make_directory(null);
    const error = await rejection(json.read());
    expect(error).toEqual(jasmine.any(GLib.Error));
    expect((error as GLib.Error).matches(Gio.io_error_quark(), Gio.IOErrorEnum.IS_DIRECTORY))
      .withContext(String(error))
      .toBeTrue();
  });

  it('refuses a 2 GB file at once, with a clear reason, without reading it', async () => {
    const json = jsonFile('huge.json', 4 * MIB);
    sparseFile(json.file, 2 * 1024 * MIB);
    const started = GLib.get_monotonic_time();
    const error = await rejection(json.read());
    expect(error).toEqual(jasmine.any(JsonFileError));
    expect((error as Error).message).toBe(`it is larger than ${formatBytes(4 * MIB)}`);
    expect(GLib.get_monotonic_time() - started).toBeLessThan(1e6);
  });

  it('reads a file of exactly the limit, and refuses one byte more', async () => {
    const json = jsonFile('edge.json', 10);
    writeBytes(json.file, '"12345678"');
    expect(await json.read()).toBe('12345678');
    writeBytes(json.file, '"123456789"');
    expect(((await rejection(json.read())) as Error).message).toBe('it is larger than 10 bytes');
  });

  it('writes a new file, creating its folders, readable by the owner only', async () => {
    const json = new JsonFile(dir.get_child('a').get_child('b.json'), { maxBytes: MIB });
    await json.write({ x: 'ü' });
    expect(readText(json.file)).toBe('{\n  "x": "ü"\n}\n');
    expect(modeOf(json.file)).toBe(0o600);
    expect(await json.read()).toEqual({ x: 'ü' });
  });

  it('replaces a file whole, 0600, leaving no temporary file behind', async () => {
    const json = jsonFile('c.json', MIB, true);
    writeBytes(json.file, 'old contents that are longer than the new ones');
    GLib.chmod(json.file.get_path()!, 0o644);
    const before = json.file.query_info('unix::inode', Gio.FileQueryInfoFlags.NONE, null);
    await json.write([1, 2]);
    expect(readText(json.file)).toBe('[1,2]');
    expect(modeOf(json.file)).toBe(0o600);
    expect(listNames(dir)).toEqual(['c.json']);
    // Renamed over the old file, so a reader that has it open keeps the old contents.
    const after = json.file.query_info('unix::inode', Gio.FileQueryInfoFlags.NONE, null);
    expect(after.get_attribute_uint64('unix::inode')).not.toBe(
      before.get_attribute_uint64('unix::inode'),
    );
  });

  it('writes nothing that it could not read back', async () => {
    const json = jsonFile('small.json', 10, true);
    await json.write('12345678');
    const error = await rejection(json.write('123456789'));
    expect(error).toEqual(jasmine.any(JsonFileError));
    expect((error as Error).message).toBe('it would be larger than 10 bytes');
    expect(readText(json.file)).toBe('"12345678"');
  });

  it('sets a file aside as <name>.corrupt-<UTC time>, then -2, -3, owner only', async () => {
    const json = jsonFile('x.json');
    writeBytes(json.file, 'first');
    GLib.chmod(json.file.get_path()!, 0o644);
    const first = await json.setAside('its things', 'it is broken');
    expect(first.aside?.get_basename()).toBe('x.json.corrupt-20260101T000000Z');
    expect(first.message).toBe(
      `Paddock could not read its things because it is broken. The file was kept as ${first.aside!.get_path()}.`,
    );
    expect(readText(first.aside!)).toBe('first');
    expect(modeOf(first.aside!)).toBe(0o600);
    writeBytes(json.file, 'second');
    const second = await json.setAside('its things', 'entry 2 was left out', true);
    expect(second.message).toBe(
      `Paddock had to fix its things (entry 2 was left out). The file was kept as ${second.aside!.get_path()}.`,
    );
    writeBytes(json.file, 'third');
    clock.advance(61_000);
    await json.setAside('its things', 'it is broken');
    expect(listNames(dir)).toEqual([
      'x.json.corrupt-20260101T000000Z',
      'x.json.corrupt-20260101T000000Z-2',
      'x.json.corrupt-20260101T000101Z',
    ]);
    expect(readText(dir.get_child('x.json.corrupt-20260101T000000Z-2'))).toBe('second');
  });

  it('says so when a file cannot be set aside, and leaves it', async () => {
    const json = jsonFile('gone.json');
    const { aside, message } = await json.setAside('its things', 'it is broken');
    expect(aside).toBeNull();
    expect(message).toMatch(
      /^Paddock could not read its things in .*gone\.json because it is broken, nor set the file aside \(.+\)\.$/,
    );
  });

  // The catalog cache's message only goes to the log (GJS's console cannot be spied on).
  it('is how all three stores set a damaged file aside: one naming, one message', async () => {
    const damaged = new Uint8Array([0xff, 0xfe, 0x00]);
    const data = dir.get_child('data');
    const config = dir.get_child('config');
    data.make_directory(null);
    config.make_directory(null);
    const loading = new SavedPullStore(data, clock);
    const connections = new ConnectionStore({
      configDir: config,
      secrets: new MemorySecretStore(),
      environment: () => null,
      clock,
    });
    const catalog = new CatalogCache(data.get_child('models.cache.json'), clock);
    for (const file of [loading.file, connections.file, catalog.file]) writeBytes(file, damaged);

    const problems = [(await loading.load()).problem, (await connections.load()).problem];
    expect(await catalog.read()).toBeNull();

    const asides = [
      data.get_child('loading.json.corrupt-20260101T000000Z'),
      config.get_child('connections.json.corrupt-20260101T000000Z'),
      data.get_child('models.cache.json.corrupt-20260101T000000Z'),
    ];
    for (const aside of asides) {
      expect(exists(aside)).withContext(aside.get_path()!).toBeTrue();
      expect(Array.from(readBytes(aside))).toEqual(Array.from(damaged));
    }
    expect(problems).toEqual([
      `Paddock could not read its saved downloads because it is not UTF-8 text. The file was kept as ${asides[0].get_path()}.`,
      `Paddock could not read its saved connections because it is not UTF-8 text. The file was kept as ${asides[1].get_path()}.`,
    ]);
  });

  it('keeps every store to its size limit: a 2 GB file is set aside with a clear message', async () => {
    const data = dir.get_child('data');
    data.make_directory(null);
    const loading = new SavedPullStore(data, clock);
    const connections = new ConnectionStore({
      configDir: data,
      secrets: new MemorySecretStore(),
      environment: () => null,
      clock,
    });
    const catalog = new CatalogCache(data.get_child('models.cache.json'), clock);
    for (const file of [loading.file, connections.file, catalog.file])
      sparseFile(file, 2 * 1024 * MIB);
    const limit = formatBytes(4 * MIB);

    expect((await loading.load()).problem).toContain(
      `its saved downloads because it is larger than ${limit}. The file was kept as`,
    );
    expect((await connections.load()).problem).toContain(
      `its saved connections because it is larger than ${limit}. The file was kept as`,
    );
    expect(connections.list().length).toBe(1);
    expect(await catalog.read()).toBeNull();
    expect(listNames(data)).toEqual([
      'connections.json',
      'connections.json.corrupt-20260101T000000Z',
      'loading.json.corrupt-20260101T000000Z',
      'models.cache.json.corrupt-20260101T000000Z',
    ]);
  });
});
