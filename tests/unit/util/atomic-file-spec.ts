import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {
  createFileExclusively,
  makeDirectoryWithParents,
  readFileBytes,
  readTextFile,
  writeTextFileAtomically,
} from '../../../src/util/atomic-file.js';
import {
  exists,
  isChildWithoutCapabilities,
  listNames,
  makeTempDir,
  modeOf,
  readBytes,
  readText,
  permissionsAreIgnored,
  removeTree,
  runSpecWithoutCapabilities,
  writeBytes,
} from '../config/temp-dir.js';

function ioCode(error: unknown): number | null {
  return error instanceof GLib.Error && error.domain === Gio.io_error_quark() ? error.code : null;
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

  it('reads null for a file that does not exist', async () => {
    expect(await readTextFile(dir.get_child('missing.json'))).toBeNull();
    expect(await readFileBytes(dir.get_child('missing.json'))).toBeNull();
  });

  it('reads text and bytes as they are on disk', async () => {
    const file = dir.get_child('a.txt');
    writeBytes(file, 'Grüße\n');
    expect(await readTextFile(file)).toBe('Grüße\n');
    expect(Array.from((await readFileBytes(file))!)).toEqual(Array.from(readBytes(file)));
  });

  it('refuses to read text that is not UTF-8', async () => {
    const file = dir.get_child('latin1.txt');
    writeBytes(file, new Uint8Array([0x47, 0x72, 0xfc, 0xdf, 0x65]));
    expect(await rejection(readTextFile(file))).toEqual(jasmine.any(TypeError));
  });

  it('passes on read errors other than a missing file', async () => {
    const sub = dir.get_child('sub');
    sub.make_directory(null);
    expect(ioCode(await rejection(readTextFile(sub)))).toBe(Gio.IOErrorEnum.IS_DIRECTORY);
  });

  it('writes a new file, creating its folders, readable by the owner only', async () => {
    const file = dir.get_child('a').get_child('b').get_child('c.json');
    await writeTextFileAtomically(file, '{"x": "ü"}\n');
    expect(readText(file)).toBe('{"x": "ü"}\n');
    expect(modeOf(file)).toBe(0o600);
  });

  it('replaces a file whole, with 0600 permissions, leaving no temporary file behind', async () => {
    const file = dir.get_child('c.json');
    writeBytes(file, 'old contents that are longer than the new ones');
    GLib.chmod(file.get_path()!, 0o644);
    await writeTextFileAtomically(file, 'new');
    expect(readText(file)).toBe('new');
    expect(modeOf(file)).toBe(0o600);
    expect(listNames(dir)).toEqual(['c.json']);
  });

  it('replaces the file by renaming a new one over it, so an open reader keeps the old one', async () => {
    const file = dir.get_child('c.json');
    writeBytes(file, 'old');
    const before = file.query_info('unix::inode', Gio.FileQueryInfoFlags.NONE, null);
    await writeTextFileAtomically(file, 'new');
    const after = file.query_info('unix::inode', Gio.FileQueryInfoFlags.NONE, null);
    expect(after.get_attribute_uint64('unix::inode')).not.toBe(
      before.get_attribute_uint64('unix::inode'),
    );
  });

  it('fails without touching the old file when the target cannot be replaced', async () => {
    const file = dir.get_child('c.json');
    file.make_directory(null);
    expect(ioCode(await rejection(writeTextFileAtomically(file, 'new')))).toBe(
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
    expect(ioCode(await rejection(writeTextFileAtomically(file, 'new')))).toBe(
      Gio.IOErrorEnum.PERMISSION_DENIED,
    );
    expect(readText(file)).toBe('old');
    expect(listNames(dir)).toEqual(['c.json']);
    expect(await createFileExclusively(dir.get_child('x'), new Uint8Array([1])).catch(ioCode)).toBe(
      Gio.IOErrorEnum.PERMISSION_DENIED,
    );
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

  it('creates a file exclusively, never overwriting one', async () => {
    const file = dir.get_child('copy.bak');
    const bytes = new Uint8Array([0, 1, 2, 255, 10]);
    expect(await createFileExclusively(file, bytes)).toBeTrue();
    expect(Array.from(readBytes(file))).toEqual([0, 1, 2, 255, 10]);
    expect(modeOf(file)).toBe(0o600);
    expect(await createFileExclusively(file, new Uint8Array([9]))).toBeFalse();
    expect(Array.from(readBytes(file))).toEqual([0, 1, 2, 255, 10]);
  });

  it('creates an empty file exclusively', async () => {
    const file = dir.get_child('empty');
    expect(await createFileExclusively(file, new Uint8Array(0))).toBeTrue();
    expect(readBytes(file).length).toBe(0);
  });
});
