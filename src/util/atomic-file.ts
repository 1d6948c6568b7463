import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

Gio._promisify(Gio.File.prototype, 'load_contents_async', 'load_contents_finish');
Gio._promisify(Gio.File.prototype, 'make_directory_async', 'make_directory_finish');
Gio._promisify(Gio.File.prototype, 'create_async', 'create_finish');
Gio._promisify(Gio.File.prototype, 'delete_async', 'delete_finish');
Gio._promisify(Gio.OutputStream.prototype, 'write_bytes_async', 'write_bytes_finish');
Gio._promisify(Gio.OutputStream.prototype, 'close_async', 'close_finish');

function isIOError(error: unknown, code: number): boolean {
  return error instanceof GLib.Error && error.matches(Gio.io_error_quark(), code);
}

/** The file's bytes, or null when it does not exist. */
export async function readFileBytes(
  file: Gio.File,
  cancellable: Gio.Cancellable | null = null,
): Promise<Uint8Array | null> {
  try {
    const [contents] = await file.load_contents_async(cancellable);
    return contents;
  } catch (error) {
    if (isIOError(error, Gio.IOErrorEnum.NOT_FOUND)) return null;
    throw error;
  }
}

/** The file's text, or null when it does not exist. Throws a TypeError when it is not UTF-8. */
export async function readTextFile(
  file: Gio.File,
  cancellable: Gio.Cancellable | null = null,
): Promise<string | null> {
  const bytes = await readFileBytes(file, cancellable);
  return bytes === null ? null : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Creates the folder and its missing parents; one that already exists is fine. */
export async function makeDirectoryWithParents(
  dir: Gio.File,
  cancellable: Gio.Cancellable | null = null,
): Promise<void> {
  try {
    await dir.make_directory_async(GLib.PRIORITY_DEFAULT, cancellable);
  } catch (error) {
    if (isIOError(error, Gio.IOErrorEnum.EXISTS)) return;
    const parent = dir.get_parent();
    if (!parent || !isIOError(error, Gio.IOErrorEnum.NOT_FOUND)) throw error;
    await makeDirectoryWithParents(parent, cancellable);
    await makeDirectoryWithParents(dir, cancellable);
  }
}

/**
 * Replaces the file's contents all at once: readers see the old file or the new one, never
 * a mix, and a failed write leaves the old file as it was. With REPLACE_DESTINATION, GIO
 * writes a temporary file beside the old one, syncs it and renames it over the old one,
 * never copying the old file's permissions or following a symlink; PRIVATE makes the new
 * file 0600 (config may name private servers). A file that did not exist yet is written
 * in place, so a crash can leave it partial, but there was nothing to lose.
 */
export async function writeTextFileAtomically(
  file: Gio.File,
  text: string,
  cancellable: Gio.Cancellable | null = null,
): Promise<void> {
  const parent = file.get_parent();
  if (parent) await makeDirectoryWithParents(parent, cancellable);
  const bytes = new GLib.Bytes(new TextEncoder().encode(text));
  await new Promise<void>((resolve, reject) => {
    file.replace_contents_bytes_async(
      bytes,
      null,
      false,
      Gio.FileCreateFlags.PRIVATE | Gio.FileCreateFlags.REPLACE_DESTINATION,
      cancellable,
      (_file, result) => {
        try {
          file.replace_contents_finish(result);
          resolve();
        } catch (error) {
          reject(error);
        }
      },
    );
  });
}

/**
 * Writes a file that must not exist yet (0600). Resolves to false, writing nothing, when a
 * file of that name is already there, so an earlier file is never overwritten.
 */
export async function createFileExclusively(
  file: Gio.File,
  contents: Uint8Array,
  cancellable: Gio.Cancellable | null = null,
): Promise<boolean> {
  let stream: Gio.FileOutputStream;
  try {
    stream = await file.create_async(
      Gio.FileCreateFlags.PRIVATE,
      GLib.PRIORITY_DEFAULT,
      cancellable,
    );
  } catch (error) {
    if (isIOError(error, Gio.IOErrorEnum.EXISTS)) return false;
    throw error;
  }
  try {
    let offset = 0;
    while (offset < contents.length) {
      const chunk = new GLib.Bytes(contents.subarray(offset));
      offset += await stream.write_bytes_async(chunk, GLib.PRIORITY_DEFAULT, cancellable);
    }
    await stream.close_async(GLib.PRIORITY_DEFAULT, cancellable);
  } catch (error) {
    // A half-written copy is worse than none: the caller reports the failure instead.
    await stream.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
    await file.delete_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
    throw error;
  }
  return true;
}
