import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { checkDiskRoom, DiskSpace } from '../../../src/fit/disk-space.js';
import { makeTempDir, removeTree, writeBytes } from '../config/temp-dir.js';

const GB = 1e9;

function realFree(folder: Gio.File): number {
  const info = folder.query_filesystem_info(Gio.FILE_ATTRIBUTE_FILESYSTEM_FREE, null);
  return Number(info.get_attribute_uint64(Gio.FILE_ATTRIBUTE_FILESYSTEM_FREE));
}

describe('DiskSpace', () => {
  let root: Gio.File;
  let home: Gio.File;
  let service: Gio.File;

  beforeEach(() => {
    root = makeTempDir();
    home = root.resolve_relative_path('home/.ollama/models');
    service = root.resolve_relative_path('usr/share/ollama/.ollama/models');
  });

  afterEach(() => removeTree(root));

  function disk(environment: Record<string, string> = {}): DiskSpace {
    return new DiskSpace({
      environment: (name) => environment[name] ?? null,
      folders: [home, service, root.get_child('var-lib-ollama')],
    });
  }

  it('reads the free space of the first model folder there is', async () => {
    GLib.mkdir_with_parents(service.get_path()!, 0o755);
    const free = await disk().freeSpaceFor('http://127.0.0.1:11434');
    expect(free?.folder.get_path()).toBe(service.get_path()!);
    // Other processes write meanwhile: the same file system, within a little.
    expect(Math.abs(free!.freeBytes - realFree(service))).toBeLessThan(100e6);
  });

  it('takes OLLAMA_MODELS first, and passes over what is not a folder', async () => {
    GLib.mkdir_with_parents(home.get_path()!, 0o755);
    const custom = root.get_child('models');
    GLib.mkdir_with_parents(custom.get_path()!, 0o755);
    const free = await disk({ OLLAMA_MODELS: custom.get_path()! }).freeSpaceFor(
      'http://localhost:11434',
    );
    expect(free?.folder.get_path()).toBe(custom.get_path()!);
    const file = root.get_child('a-file');
    writeBytes(file, 'x');
    const fallback = await disk({ OLLAMA_MODELS: file.get_path()! }).freeSpaceFor(
      'http://localhost:11434',
    );
    expect(fallback?.folder.get_path()).toBe(home.get_path()!);
  });

  it('knows nothing without a model folder, or for a server elsewhere', async () => {
    expect(await disk().freeSpaceFor('http://127.0.0.1:11434')).toBeNull();
    GLib.mkdir_with_parents(home.get_path()!, 0o755);
    expect(await disk().freeSpaceFor('http://gpu-box:11434')).toBeNull();
  });
});

describe('checkDiskRoom', () => {
  const folder = Gio.File.new_for_path('/models');

  it('keeps 1 GB free beyond the download, and says both numbers when there is no room', () => {
    expect(checkDiskRoom(4 * GB, { folder, freeBytes: 5 * GB }).verdict).toBe('room');
    const tight = checkDiskRoom(4.5 * GB, { folder, freeBytes: 5 * GB });
    expect(tight.verdict).toBe('no-room');
    expect(tight.text?.replace(/\u00a0/g, ' ')).toBe(
      'Not enough disk space: the download is 4.5 GB, the disk of the models has 5.0 GB free',
    );
  });

  it('is unknown when the free space is', () => {
    expect(checkDiskRoom(400 * GB, null)).toEqual({ verdict: 'unknown', text: null });
  });
});
