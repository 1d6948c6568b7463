import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import { writeFileAtomically } from './atomic-file.js';
import { systemClock, type Clock } from './clock.js';
import { formatBytes, fillTemplate } from './text.js';
import { readBounded } from './read-bounded.js';
import { errorText, JsonFileError } from './errors.js';

/** Names tried for one second's set-aside files: .corrupt-<stamp>, -2, … */
const MAX_ASIDE = 100;

export interface JsonFileOptions {
  /** Larger files are not read, and values that would make one are not written. */
  maxBytes: number;
  /** One line without indentation, for a large file nobody edits (the catalog cache). */
  compact?: boolean;
  /** For the set-aside file's name. */
  clock?: Clock;
}

/** What setAside() did: `aside` is null when the file could not be moved and stays. */
export interface SetAside {
  aside: Gio.File | null;
  /** For the user: what was wrong and where the file is now. */
  message: string;
}

function isIOError(error: unknown, code: number): boolean {
  return error instanceof GLib.Error && error.matches(Gio.io_error_quark(), code);
}

function pathOf(file: Gio.File): string {
  return file.get_path() ?? file.get_uri();
}

/**
 * One JSON file Paddock owns (connections.json, loading.json, the catalog cache), read and
 * written the same way: reading stops at `maxBytes`, so a huge file costs no memory;
 * writing replaces the file whole (GIO writes a new 0600 file, syncs it and renames it
 * over the old one), so a crash leaves the old contents or the new, never a mix; a file
 * that cannot be used is moved aside as `<name>.corrupt-<UTC time>[-N]`, never lost.
 */
export class JsonFile {
  readonly file: Gio.File;
  readonly #maxBytes: number;
  readonly #compact: boolean;
  readonly #clock: Clock;

  constructor(file: Gio.File, options: JsonFileOptions) {
    this.file = file;
    this.#maxBytes = options.maxBytes;
    this.#compact = options.compact ?? false;
    this.#clock = options.clock ?? systemClock;
  }

  /** The file's path, for messages. */
  get path(): string {
    return pathOf(this.file);
  }

  /**
   * The parsed contents, or undefined when there is no file. Rejects with a JsonFileError
   * when the file is too large, not UTF-8 or not JSON, and with the GLib.Error when it
   * cannot be read (permissions, a folder, cancelled).
   */
  async read(cancellable: Gio.Cancellable | null = null): Promise<unknown> {
    let stream: Gio.FileInputStream;
    try {
      stream = await this.file.read_async(GLib.PRIORITY_DEFAULT, cancellable);
    } catch (error) {
      if (isIOError(error, Gio.IOErrorEnum.NOT_FOUND)) return undefined;
      throw error;
    }
    let bytes: Uint8Array | null;
    try {
      const info = await stream.query_info_async(
        Gio.FILE_ATTRIBUTE_STANDARD_SIZE,
        GLib.PRIORITY_DEFAULT,
        cancellable,
      );
      // The size says it at once; the bounded read also stops a file that grows meanwhile.
      bytes =
        info.get_size() > this.#maxBytes
          ? null
          : await readBounded(stream, this.#maxBytes, cancellable);
    } finally {
      await stream.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
    }
    if (bytes === null)
      throw new JsonFileError(
        fillTemplate(_('it is larger than {limit}'), { limit: formatBytes(this.#maxBytes) }),
      );
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new JsonFileError(_('it is not UTF-8 text'));
    }
    try {
      return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    } catch (error) {
      throw new JsonFileError(
        // JSON.parse throws only SyntaxErrors, whose message says where the text went wrong.
        fillTemplate(_('it is not valid JSON ({detail})'), {
          detail: (error as SyntaxError).message,
        }),
      );
    }
  }

  /**
   * Replaces the file with the value as JSON, creating its folders. Rejects with a
   * JsonFileError, writing nothing, when the file would be too large to read back.
   */
  async write(value: unknown, cancellable: Gio.Cancellable | null = null): Promise<void> {
    const text = this.#compact ? JSON.stringify(value) : `${JSON.stringify(value, null, 2)}\n`;
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > this.#maxBytes)
      throw new JsonFileError(
        fillTemplate(_('it would be larger than {limit}'), { limit: formatBytes(this.#maxBytes) }),
      );
    await writeFileAtomically(this.file, bytes, cancellable);
  }

  /**
   * Reads a file `{"entries": […]}` (speeds.json, usage.json) entry by entry: `parse` gives
   * null for an entry that does not check out, which is left out. Never rejects: a file
   * that cannot be read or holds no list is set aside, one with entries left out is set
   * aside as fixed, and `problem` says so for the user. `words`: what the file holds
   * (_('its record of model speeds')), and the clauses for no list and invalid entries.
   */
  async readEntries<T>(
    parse: (item: unknown) => T | null,
    words: { what: string; noList: string; invalid: string },
    cancellable: Gio.Cancellable | null = null,
  ): Promise<{ entries: T[]; problem: string | null }> {
    const setAside = async (reason: string, fixed: boolean) =>
      (await this.setAside(words.what, reason, fixed)).message;
    let data: unknown;
    try {
      data = await this.read(cancellable);
    } catch (error) {
      return { entries: [], problem: await setAside(errorText(error), false) };
    }
    if (data === undefined) return { entries: [], problem: null };
    const list =
      typeof data === 'object' && data !== null && !Array.isArray(data)
        ? (data as Record<string, unknown>).entries
        : undefined;
    if (!Array.isArray(list)) return { entries: [], problem: await setAside(words.noList, false) };
    const entries = list.map(parse).filter((entry) => entry !== null);
    const problem = entries.length === list.length ? null : await setAside(words.invalid, true);
    return { entries, problem };
  }

  /**
   * The object under `key` in the file's JSON object: what a cache keyed by digest or
   * address holds ({} when the file is missing or holds none). Never rejects: a file that
   * cannot be read is set aside, and `problem` says so for the user; `what` names the
   * contents (_('the results of the update check')).
   */
  async readKeyed(
    key: string,
    what: string,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<{ items: Record<string, unknown>; problem: string | null }> {
    let data: unknown;
    try {
      data = await this.read(cancellable);
    } catch (error) {
      return { items: {}, problem: (await this.setAside(what, errorText(error))).message };
    }
    const items =
      typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : null;
    return {
      items:
        typeof items === 'object' && items !== null && !Array.isArray(items)
          ? (items as Record<string, unknown>)
          : {},
      problem: null,
    };
  }

  /**
   * Moves the file Paddock cannot use to `<name>.corrupt-<YYYYMMDDTHHMMSSZ>` (or -2, -3, …
   * when that is taken), readable by the owner only, and says so. `what` names the
   * contents for the user (_('its saved downloads')); `reason` is a clause saying what is
   * wrong; `fixed`: Paddock used the file after leaving out or fixing parts of it.
   */
  async setAside(what: string, reason: string, fixed = false): Promise<SetAside> {
    const stamp = GLib.DateTime.new_from_unix_utc(Math.floor(this.#clock.wallNow() / 1000)).format(
      '%Y%m%dT%H%M%SZ',
    )!;
    const dir = this.file.get_parent()!;
    const name = this.file.get_basename()!;
    let lastError: unknown = null;
    for (let n = 1; n <= MAX_ASIDE; n++) {
      const aside = dir.get_child(`${name}.corrupt-${stamp}${n === 1 ? '' : `-${n}`}`);
      try {
        await this.file.move_async(
          aside,
          Gio.FileCopyFlags.NO_FALLBACK_FOR_MOVE,
          GLib.PRIORITY_DEFAULT,
          null,
          null,
        );
      } catch (error) {
        lastError = error;
        if (isIOError(error, Gio.IOErrorEnum.EXISTS)) continue;
        break;
      }
      await JsonFile.#makePrivate(aside);
      const template = fixed
        ? _('Paddock had to fix {what} ({reason}). The file was kept as {path}.')
        : _('Paddock could not read {what} because {reason}. The file was kept as {path}.');
      return { aside, message: fillTemplate(template, { what, reason, path: pathOf(aside) }) };
    }
    return {
      aside: null,
      message: fillTemplate(
        _(
          'Paddock could not read {what} in {path} because {reason}, nor set the file aside ({detail}).',
        ),
        { what, path: this.path, reason, detail: errorText(lastError) },
      ),
    };
  }

  /** It may name private servers; failing to change the mode loses nothing. */
  static async #makePrivate(file: Gio.File): Promise<void> {
    const info = new Gio.FileInfo();
    info.set_attribute_uint32(Gio.FILE_ATTRIBUTE_UNIX_MODE, 0o600);
    try {
      await file.set_attributes_async(
        info,
        Gio.FileQueryInfoFlags.NOFOLLOW_SYMLINKS,
        GLib.PRIORITY_DEFAULT,
        null,
      );
    } catch {
      // The file keeps the mode it had as the original.
    }
  }
}
