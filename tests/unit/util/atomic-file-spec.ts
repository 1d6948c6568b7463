import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { makeDirectoryWithParents, writeFileAtomically } from '../../../src/util/atomic-file.js';
import {
  exists,
  isChildWithoutCapabilities,
  listNames,
  makeTempDir,
  modeOf,
  readText,
  permissionsAreIgnored,
  removeTree,
  runSpecWithoutCapabilities,
  writeBytes,
} from '../config/temp-dir.js';

function ioCode(error: unknown): number | null {
  return error instanceof GLib.Error && error.domain === Gio.io_error_quark() ? error.code : null;
}

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('AtomicFile', () => {
  let dir: Gio.File;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => {
    removeTree(dir);
  });

  it('writes a new file, creating its folders, readable by the owner only', async () => {
    const file = dir.get_child('a').get_child('b').get_child('c.json');
    await writeFileAtomically(file, bytes('{"x": "ü"}\n'));
    expect(readText(file)).toBe('{"x": "ü"}\n');
    expect(modeOf(file)).toBe(0o600);
  });

  it('replaces a file whole, with 0600 permissions, leaving no temporary file behind', async () => {
    const file = dir.get_child('c.json');
    writeBytes(file, 'old contents that are longer than the new ones');
    GLib.chmod(file.get_path()!, 0o644);
    await writeFileAtomically(file, bytes('new'));
    expect(readText(file)).toBe('new');
    expect(modeOf(file)).toBe(0o600);
    expect(listNames(dir)).toEqual(['c.json']);
  });

  it('replaces the file by renaming a new one over it, so an open reader keeps the old one', async () => {
    const file = dir.get_child('c.json');
    writeBytes(file, 'old');
    const before = file.query_info('unix::inode', Gio.FileQueryInfoFlags.NONE, null);
    await writeFileAtomically(file, bytes('new'));
    const after = file.query_info('unix::inode', Gio.FileQueryInfoFlags.NONE, null);
    expect(after.get_attribute_uint64('unix::inode')).not.toBe(
      before.get_attribute_uint64('unix::inode'),
    );
  });

  it('fails without touching the old file when the target cannot be replaced', async () => {
    const file = dir.get_child('c.json');
    file.make_directory(null);
    expect(ioCode(await rejection(writeFileAtomically(file, bytes('new'))))).toBe(
      Gio.IOErrorEnum.IS_DIRECTORY,
    );
    expect(exists(file)).toBeTrue();
  });

  it('fails in a read-only folder and keeps the old file as it was', async () => {
    if (permissionsAreIgnored()) {
      if (isChildWithoutCapabilities()) pending('file modes are ignored even without capabilities');
      const child = await runSpecWithoutCapabilities(
        import.meta.url,
        'AtomicFile fails in a read-only folder',
      );
      if (!child) pending('root ignores file modes, and setpriv is missing to drop that');
      expect(child!.passed).withContext(child!.output).toBeTrue();
      return;
    }
    const file = dir.get_child('c.json');
    writeBytes(file, 'old');
    GLib.chmod(dir.get_path()!, 0o500);
    expect(ioCode(await rejection(writeFileAtomically(file, bytes('new'))))).toBe(
      Gio.IOErrorEnum.PERMISSION_DENIED,
    );
    expect(readText(file)).toBe('old');
    expect(listNames(dir)).toEqual(['c.json']);
  });

  it('makes nested folders and accepts ones that exist', async () => {
    const deep = dir.get_child('x').get_child('y').get_child('z');
    await makeDirectoryWithParents(deep);
    await makeDirectoryWithParents(deep);
    expect(deep.query_file_type(Gio.FileQueryInfoFlags.NONE, null)).toBe(Gio.FileType.DIRECTORY);
  });

  it('fails to make a folder below a file', async () => {
    const file = dir.get_child('plain');
    writeBytes(file, 'x');
    const error = await rejection(makeDirectoryWithParents(file.get_child('sub')));
    expect(error).toEqual(jasmine.any(GLib.Error));
  });
});
