import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { JsonFile } from '../util/json-file.js';
import { RecentMap } from '../util/recent-map.js';

const FILE_NAME = 'usage.json';
/** Models not used for the longest go first beyond this many models × servers. */
const MAX_ENTRIES = 1000;
/** Room for MAX_ENTRIES entries with long names, and no more. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Longer than any connection id or Ollama name (which allows 350 characters). */
const MAX_KEY_LENGTH = 400;
/**
 * A model seen loaded again within this time is not written again: the library asks
 * /api/ps every minute, and "last used" needs no finer time than this.
 */
export const SEEN_AGAIN_MS = 10 * 60 * 1000;

/** When a model was last seen used on one server. */
export interface UsageEntry {
  connectionId: string;
  model: string;
  /** Wall-clock milliseconds since the epoch. */
  lastUsedAt: number;
}

const isKey = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value.length <= MAX_KEY_LENGTH;

function parseEntry(value: unknown): UsageEntry | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { connectionId, model, lastUsedAt } = value as Record<string, unknown>;
  if (!isKey(connectionId) || !isKey(model)) return null;
  if (typeof lastUsedAt !== 'number' || !Number.isSafeInteger(lastUsedAt) || lastUsedAt < 0)
    return null;
  return { connectionId, model, lastUsedAt };
}

/**
 * `<data folder>/usage.json`: when each model was last used per server, as far as Paddock
 * saw it (loaded in /api/ps, loaded or tried through Paddock), for the library's "Last
 * Used" order. Ollama does not say when a model was used: models Paddock never saw used
 * are simply not known. A damaged file is set aside and the record starts again.
 */
export class UsageRecord {
  readonly #json: JsonFile;
  readonly #clock: Clock;
  /** connectionId + NUL + model → entry, least recently used first. */
  readonly #entries = new RecentMap<UsageEntry>(MAX_ENTRIES);
  #saving: Promise<void> = Promise.resolve();

  constructor(dir: Gio.File, clock: Clock = systemClock) {
    this.#json = new JsonFile(dir.get_child(FILE_NAME), { maxBytes: MAX_FILE_BYTES, clock });
    this.#clock = clock;
  }

  static #key(connectionId: string, model: string): string {
    return `${connectionId}\0${model}`;
  }

  /**
   * Reads the file. Never rejects: resolves with a message for the user when the file
   * was damaged (and has been set aside, or left out of the record), else null.
   */
  async load(cancellable: Gio.Cancellable | null = null): Promise<string | null> {
    this.#entries.clear();
    const { entries, problem } = await this.#json.readEntries(
      parseEntry,
      {
        what: _('its record of when models were used'),
        noList: _('it holds no list of models'),
        invalid: _('some models in it were not valid'),
      },
      cancellable,
    );
    entries.sort((a, b) => a.lastUsedAt - b.lastUsedAt);
    for (const entry of entries) this.#remember(entry);
    return problem;
  }

  /** When the model was last seen used on that server (wall-clock ms), or null. */
  lastUsed(connectionId: string, model: string): number | null {
    return this.#entries.get(UsageRecord.#key(connectionId, model))?.lastUsedAt ?? null;
  }

  /**
   * The model was used now through Paddock (loaded, tried). Rejects with the JsonFile or
   * GLib error when the file cannot be written.
   */
  used(connectionId: string, model: string): Promise<void> {
    return this.#mark(connectionId, [model], 0);
  }

  /**
   * The server has these models loaded now (/api/ps): they are in use. Written only when
   * some model was not seen within SEEN_AGAIN_MS, so a refresh a minute costs nothing.
   */
  seenLoaded(connectionId: string, models: readonly string[]): Promise<void> {
    return this.#mark(connectionId, models, SEEN_AGAIN_MS);
  }

  #mark(connectionId: string, models: readonly string[], unlessWithinMs: number): Promise<void> {
    const now = Math.round(this.#clock.wallNow());
    let changed = false;
    for (const model of models) {
      if (!isKey(connectionId) || !isKey(model)) continue;
      const last = this.lastUsed(connectionId, model);
      if (last !== null && now >= last && now - last < unlessWithinMs) continue;
      this.#remember({ connectionId, model, lastUsedAt: now });
      changed = true;
    }
    if (!changed) return Promise.resolve();
    // One write after the other: the last one has every entry.
    this.#saving = this.#saving
      .catch(() => undefined)
      .then(() => this.#json.write({ entries: this.#entries.values() }));
    return this.#saving;
  }

  #remember(entry: UsageEntry): void {
    this.#entries.set(UsageRecord.#key(entry.connectionId, entry.model), entry);
  }
}
