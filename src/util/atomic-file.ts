import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

function isIOError(error: unknown, code: number): boolean {
  return error instanceof GLib.Error && error.matches(Gio.io_error_quark(), code);
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
export async function writeFileAtomically(
  file: Gio.File,
  contents: Uint8Array,
  cancellable: Gio.Cancellable | null = null,
): Promise<void> {
  const parent = file.get_parent();
  if (parent) await makeDirectoryWithParents(parent, cancellable);
  const bytes = new GLib.Bytes(contents);
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
