import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { readFileBytes, writeTextFileAtomically } from '../util/atomic-file.js';
import { fillTemplate } from '../util/template.js';
import { formatLoadingFile, parseLoadingFile, type LoadingStatus } from './loading-status.js';

Gio._promisify(Gio.File.prototype, 'move_async', 'move_finish');

const FILE_NAME = 'loading.json';
const MAX_ASIDE = 100;

export interface LoadingStoreLoad {
  entries: LoadingStatus[];
  /** What was wrong with the file and what was done about it, for the user; null if nothing. */
  problem: string | null;
}

function messageOf(error: unknown): string {
  return error instanceof GLib.Error || error instanceof Error ? error.message : String(error);
}

/**
 * Reads and writes `<dir>/loading.json`, the pulls that must survive a restart. Writes
 * are atomic (a complete file is renamed over the old one), so a crash at any moment
 * leaves either the old list or the new one. A file Paddock cannot use is moved aside
 * as loading.json.corrupt-<time>, never lost and never overwritten.
 */
export class LoadingStore {
  readonly file: Gio.File;
  readonly #temp: Gio.File;
  readonly #clock: Clock;
  /** Why nothing may be written (the file is there but could be neither read nor moved). */
  #doNotWrite: string | null = null;

  /** `dir` is Paddock's data folder, e.g. ~/.local/share/paddock. */
  constructor(dir: Gio.File, clock: Clock = systemClock) {
    this.file = dir.get_child(FILE_NAME);
    this.#temp = dir.get_child(`${FILE_NAME}.tmp`);
    this.#clock = clock;
  }

  /** Never rejects: whatever is wrong, the app starts with what could be read. */
  async load(cancellable: Gio.Cancellable | null = null): Promise<LoadingStoreLoad> {
    this.#doNotWrite = null;
    let bytes: Uint8Array | null;
    try {
      bytes = await readFileBytes(this.file, cancellable);
    } catch (error) {
      return { entries: [], problem: await this.#setAside(messageOf(error), cancellable) };
    }
    if (bytes === null) return { entries: [], problem: null };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { entries: [], problem: await this.#setAside(_('it is not UTF-8 text'), cancellable) };
    }
    let parsed: ReturnType<typeof parseLoadingFile>;
    try {
      parsed = parseLoadingFile(text);
    } catch (error) {
      const reason =
        error instanceof SyntaxError
          ? fillTemplate(_('it is not valid JSON ({detail})'), { detail: error.message })
          : messageOf(error);
      return { entries: [], problem: await this.#setAside(reason, cancellable) };
    }
    if (parsed.problems.length === 0) return { entries: parsed.entries, problem: null };
    return {
      entries: parsed.entries,
      problem: await this.#setAside(parsed.problems.join('; '), cancellable, parsed.entries.length),
    };
  }

  /** Replaces the file with these entries; rejects with a message for the user. */
  async save(
    entries: readonly LoadingStatus[],
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    if (this.#doNotWrite) throw new Error(this.#doNotWrite);
    try {
      // A file written in place can be caught half-written by a crash; a rename cannot.
      await writeTextFileAtomically(this.#temp, formatLoadingFile(entries), cancellable);
      await this.#temp.move_async(
        this.file,
        Gio.FileCopyFlags.OVERWRITE | Gio.FileCopyFlags.NO_FALLBACK_FOR_MOVE,
        GLib.PRIORITY_DEFAULT,
        cancellable,
        null,
      );
    } catch (error) {
      throw new Error(
        fillTemplate(
          _(
            'Paddock could not save its list of downloads to {path} ({detail}). They go on, but may not resume after a restart.',
          ),
          { path: this.#path(this.file), detail: messageOf(error) },
        ),
        { cause: error },
      );
    }
  }

  /**
   * Moves the file to loading.json.corrupt-<time>[-N] and says so. If even that fails,
   * the file stays and is never written over: it may hold downloads worth resuming.
   */
  async #setAside(reason: string, cancellable: Gio.Cancellable | null, kept = 0): Promise<string> {
    const stamp = GLib.DateTime.new_from_unix_utc(Math.floor(this.#clock.wallNow() / 1000))!.format(
      '%Y%m%dT%H%M%SZ',
    )!;
    const dir = this.file.get_parent()!;
    let lastError: unknown = null;
    for (let n = 1; n <= MAX_ASIDE; n++) {
      const aside = dir.get_child(`${FILE_NAME}.corrupt-${stamp}${n === 1 ? '' : `-${n}`}`);
      try {
        await this.file.move_async(
          aside,
          Gio.FileCopyFlags.NO_FALLBACK_FOR_MOVE,
          GLib.PRIORITY_DEFAULT,
          cancellable,
          null,
        );
        const template =
          kept > 0
            ? _(
                'Some saved downloads could not be resumed ({reason}). The file was kept as {path}.',
              )
            : _(
                'Paddock could not read its saved downloads because {reason}. The file was kept as {path}.',
              );
        return fillTemplate(template, { reason, path: this.#path(aside) });
      } catch (error) {
        lastError = error;
        if (!(
          error instanceof GLib.Error && error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.EXISTS)
        ))
          break;
      }
    }
    this.#doNotWrite = fillTemplate(
      _('Paddock does not save its list of downloads: {path} could not be read nor set aside.'),
      { path: this.#path(this.file) },
    );
    return fillTemplate(
      _(
        'Paddock could not read its saved downloads in {path} because {reason}, nor set the file aside ({detail}). Downloads will not be saved until the file is moved away.',
      ),
      { path: this.#path(this.file), reason, detail: messageOf(lastError) },
    );
  }

  #path(file: Gio.File): string {
    return file.get_path() ?? file.get_uri();
  }
}
