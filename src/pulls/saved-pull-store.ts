import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { JsonFile } from '../util/json-file.js';
import { fillTemplate } from '../util/text.js';
import { parseSavedPulls, type SavedPull } from './saved-pull.js';

const FILE_NAME = 'loading.json';
/** Far above what the loader's limits allow for any sensible number of pulls. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface SavedPullsRead {
  entries: SavedPull[];
  /** What was wrong with the file and what was done about it, for the user; null if nothing. */
  problem: string | null;
}

/**
 * Reads and writes `<dir>/loading.json`, the pulls that must survive a restart, through
 * JsonFile: a crash at any moment leaves either the old list or the new one, and a file
 * Paddock cannot use is set aside, never lost and never overwritten.
 */
export class SavedPullStore {
  readonly #json: JsonFile;
  /** Why nothing may be written (the file is there but could be neither read nor moved). */
  #doNotWrite: string | null = null;

  /** `dir` is Paddock's data folder, e.g. ~/.local/share/paddock. */
  constructor(dir: Gio.File, clock: Clock = systemClock) {
    this.#json = new JsonFile(dir.get_child(FILE_NAME), { maxBytes: MAX_FILE_BYTES, clock });
  }

  get file(): Gio.File {
    return this.#json.file;
  }

  /** Never rejects: whatever is wrong, the app starts with what could be read. */
  async load(cancellable: Gio.Cancellable | null = null): Promise<SavedPullsRead> {
    this.#doNotWrite = null;
    let parsed: ReturnType<typeof parseSavedPulls>;
    try {
      const data = await this.#json.read(cancellable);
      if (data === undefined) return { entries: [], problem: null };
      parsed = parseSavedPulls(data);
    } catch (error) {
      return { entries: [], problem: await this.#setAside(errorText(error)) };
    }
    if (parsed.problems.length === 0) return { entries: parsed.entries, problem: null };
    return {
      entries: parsed.entries,
      problem: await this.#setAside(parsed.problems.join('; '), parsed.entries.length > 0),
    };
  }

  /** Replaces the file with these entries; rejects with a message for the user. */
  async save(
    entries: readonly SavedPull[],
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    if (this.#doNotWrite) throw new Error(this.#doNotWrite);
    try {
      await this.#json.write(entries, cancellable);
    } catch (error) {
      throw new Error(
        fillTemplate(
          _(
            'Paddock could not save its list of downloads to {path} ({detail}). They go on, but may not resume after a restart.',
          ),
          { path: this.#json.path, detail: errorText(error) },
        ),
        { cause: error },
      );
    }
  }

  /**
   * Sets the file aside and says so. If even that fails, the file stays and is never
   * written over: it may hold downloads worth resuming.
   */
  async #setAside(reason: string, fixed = false): Promise<string> {
    const { aside, message } = await this.#json.setAside(_('its saved downloads'), reason, fixed);
    if (aside) return message;
    this.#doNotWrite = fillTemplate(
      _('Paddock does not save its list of downloads: {path} could not be read nor set aside.'),
      { path: this.#json.path },
    );
    return `${message} ${_('Downloads will not be saved until the file is moved away.')}`;
  }
}
