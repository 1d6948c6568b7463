import type Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import type { SavedPull } from '../../../src/pulls/saved-pull.js';
import { SavedPullStore } from '../../../src/pulls/saved-pull-store.js';
import {
  isChildWithoutCapabilities,
  listNames,
  makeTempDir,
  permissionsAreIgnored,
  readText,
  removeTree,
  runSpecWithoutCapabilities,
  writeBytes,
} from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

const ENTRY: SavedPull = {
  id: 'a1',
  model: 'llama3.2:latest',
  connectionId: 'c1',
  connectionUrl: 'http://127.0.0.1:11434',
  status: 'pending-retry',
  error: 'Ollama at 127.0.0.1:11434 failed (HTTP 500). Try again later.',
  statusLine: 'pulling dde5aa3fc5ff',
  completed: 1_000_000,
  total: 2_019_377_376,
  retryCount: 2,
  startedAt: '2026-01-01T10:00:00.000Z',
  layers: [{ digest: `sha256:${'d'.repeat(64)}`, total: 2_019_377_376, completed: 1_000_000 }],
  sizeHint: 2_000_000_000,
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('Pulls SavedPullStore', () => {
  const spec = 'Pulls SavedPullStore';
  let dir: Gio.File;
  let store: SavedPullStore;

  beforeEach(() => {
    dir = makeTempDir();
    store = new SavedPullStore(dir, new ManualClock());
  });

  afterEach(() => removeTree(dir));

  /** Runs the spec again without capabilities when root would ignore file modes. */
  async function needsFileModes(name: string): Promise<boolean> {
    if (!permissionsAreIgnored()) return true;
    if (isChildWithoutCapabilities()) pending('file modes are ignored even without capabilities');
    const child = await runSpecWithoutCapabilities(import.meta.url, `${spec} ${name}`);
    if (!child) pending('root ignores file modes, and setpriv is missing to drop that');
    expect(child!.passed).withContext(child!.output).toBeTrue();
    return false;
  }

  it('starts empty without a file', async () => {
    expect(await store.load()).toEqual({ entries: [], problem: null });
    expect(listNames(dir)).toEqual([]);
  });

  it('writes a JSON array of loading statuses and reads it back', async () => {
    await store.save([ENTRY]);
    expect(JSON.parse(readText(store.file))).toEqual([ENTRY]);
    expect(await store.load()).toEqual({ entries: [ENTRY], problem: null });
    await store.save([]);
    expect(readText(store.file)).toBe('[]\n');
    expect(listNames(dir)).toEqual(['loading.json']);
  });

  it('makes the folder when it is missing', async () => {
    store = new SavedPullStore(dir.get_child('paddock'), new ManualClock());
    await store.save([ENTRY]);
    expect(listNames(dir.get_child('paddock'))).toEqual(['loading.json']);
  });

  it('says why it cannot save in a read-only folder, and leaves the old file', async () => {
    if (!(await needsFileModes('says why it cannot save in a read-only folder'))) return;
    await store.save([ENTRY]);
    GLib.chmod(dir.get_path()!, 0o500);
    const error = await rejection(store.save([]));
    expect(error.message).toMatch(
      /^Paddock could not save its list of downloads to .*loading\.json \(.*Permission denied.*\)\. They go on, but may not resume after a restart\.$/,
    );
    expect(JSON.parse(readText(store.file))).toEqual([ENTRY]);
  });

  it('never writes over a file it could neither read nor set aside', async () => {
    if (!(await needsFileModes('never writes over a file it could neither read'))) return;
    writeBytes(store.file, JSON.stringify([ENTRY]));
    GLib.chmod(store.file.get_path()!, 0o000);
    GLib.chmod(dir.get_path()!, 0o500);
    const { entries, problem } = await store.load();
    expect(entries).toEqual([]);
    expect(problem).toMatch(
      /^Paddock could not read its saved downloads in .*loading\.json because .*, nor set the file aside \(.*\)\. Downloads will not be saved until the file is moved away\.$/,
    );
    GLib.chmod(dir.get_path()!, 0o700);
    const error = await rejection(store.save([]));
    expect(error.message).toContain('could not be read nor set aside');
    GLib.chmod(store.file.get_path()!, 0o600);
    expect(JSON.parse(readText(store.file))).toEqual([ENTRY]);
  });
});
