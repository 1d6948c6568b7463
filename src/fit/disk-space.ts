import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { isLoopbackUrl } from '../ollama/ollama-host.js';
import { fillTemplate, formatBytes } from '../util/text.js';

/** Room kept free beyond the download: a full disk breaks more than the pull. */
export const DISK_MARGIN_BYTES = 1e9;

export interface DiskSpaceOptions {
  /** Reads an environment variable (OLLAMA_MODELS); GLib.getenv unless a spec passes its own. */
  environment?: (name: string) => string | null;
  /** The folders where Ollama keeps models, most likely first (without OLLAMA_MODELS). */
  folders?: readonly Gio.File[];
}

export interface FreeSpace {
  /** The model folder whose file system was asked. */
  readonly folder: Gio.File;
  readonly freeBytes: number;
}

export interface DiskCheck {
  /** 'unknown' when the free space is not known (a remote server). */
  readonly verdict: 'room' | 'no-room' | 'unknown';
  /** For people when there is no room, with both numbers; null otherwise. */
  readonly text: string | null;
}

function defaultFolders(): Gio.File[] {
  return [
    GLib.build_filenamev([GLib.get_home_dir(), '.ollama', 'models']),
    '/usr/share/ollama/.ollama/models',
    '/var/lib/ollama',
  ].map((path) => Gio.File.new_for_path(path));
}

/**
 * The free space where a server on this computer keeps its models: the file system of the
 * first model folder Paddock can see (OLLAMA_MODELS, ~/.ollama/models, the Linux
 * service's /usr/share/ollama/.ollama/models, /var/lib/ollama). Unknown for other servers.
 */
export class DiskSpace {
  readonly #environment: (name: string) => string | null;
  readonly #folders: readonly Gio.File[];

  constructor(options: DiskSpaceOptions = {}) {
    this.#environment = options.environment ?? ((name) => GLib.getenv(name));
    this.#folders = options.folders ?? defaultFolders();
  }

  /** The free space for the models of the server at `serverUrl`; null when not known. */
  async freeSpaceFor(
    serverUrl: string,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<FreeSpace | null> {
    if (!isLoopbackUrl(serverUrl)) return null;
    const fromEnvironment = this.#environment('OLLAMA_MODELS')?.trim();
    const folders = fromEnvironment
      ? [Gio.File.new_for_path(fromEnvironment), ...this.#folders]
      : this.#folders;
    for (const folder of folders) {
      const free = await freeBytes(folder, cancellable);
      if (free !== null) return { folder, freeBytes: free };
    }
    return null;
  }
}

/** The free bytes of a folder's file system; null when the folder is not there or not visible. */
async function freeBytes(
  folder: Gio.File,
  cancellable: Gio.Cancellable | null,
): Promise<number | null> {
  try {
    const type = (
      await folder.query_info_async(
        Gio.FILE_ATTRIBUTE_STANDARD_TYPE,
        Gio.FileQueryInfoFlags.NONE,
        GLib.PRIORITY_DEFAULT,
        cancellable,
      )
    ).get_file_type();
    if (type !== Gio.FileType.DIRECTORY) return null;
    const info = await folder.query_filesystem_info_async(
      Gio.FILE_ATTRIBUTE_FILESYSTEM_FREE,
      GLib.PRIORITY_DEFAULT,
      cancellable,
    );
    if (!info.has_attribute(Gio.FILE_ATTRIBUTE_FILESYSTEM_FREE)) return null;
    return Number(info.get_attribute_uint64(Gio.FILE_ATTRIBUTE_FILESYSTEM_FREE));
  } catch (error) {
    if (error instanceof GLib.Error && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED))
      throw error;
    return null;
  }
}

/**
 * Whether a download fits on the disk, keeping DISK_MARGIN_BYTES free:
 * "Not enough disk space: the download is 20.1 GB, the disk has 12.3 GB free".
 */
export function checkDiskRoom(downloadBytes: number, free: FreeSpace | null): DiskCheck {
  if (free === null) return { verdict: 'unknown', text: null };
  if (downloadBytes <= free.freeBytes - DISK_MARGIN_BYTES) return { verdict: 'room', text: null };
  return {
    verdict: 'no-room',
    text: fillTemplate(
      _('Not enough disk space: the download is {size}, the disk of the models has {free} free'),
      { size: formatBytes(downloadBytes), free: formatBytes(free.freeBytes) },
    ),
  };
}
