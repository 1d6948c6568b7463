import Gio from 'gi://Gio';
import GObject from 'gi://GObject';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { JsonFile } from '../util/json-file.js';
import { RecentMap } from '../util/recent-map.js';
import { fillTemplate } from '../util/text.js';
import type { GenerationStats } from './generation-stats.js';

const FILE_NAME = 'speeds.json';
/** Oldest measurements go first beyond this many models × servers. */
const MAX_ENTRIES = 500;
/** Room for MAX_ENTRIES entries with long names, and no more. */
const MAX_FILE_BYTES = 512 * 1024;
/** Longer than any connection id or Ollama name (which allows 350 characters). */
const MAX_KEY_LENGTH = 400;
const MAX_TOKENS_PER_SECOND = 1e6;

/** The last speed measured for one model on one server. */
export interface SpeedEntry {
  connectionId: string;
  model: string;
  /** Null when the server did not say (see GenerationStats). */
  promptTokensPerSecond: number | null;
  tokensPerSecond: number;
  /** Wall-clock milliseconds since the epoch. */
  measuredAt: number;
}

const isKey = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value.length <= MAX_KEY_LENGTH;
const isRate = (value: unknown): value is number =>
  typeof value === 'number' &&
  Number.isFinite(value) &&
  value > 0 &&
  value <= MAX_TOKENS_PER_SECOND;

/** A measured speed in a model's row: “42 tokens/s”. */
export function speedText(tokensPerSecond: number): string {
  return fillTemplate(_('{rate} tokens/s'), {
    rate: Math.round(tokensPerSecond).toLocaleString(),
  });
}

function parseEntry(value: unknown): SpeedEntry | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entry = value as Record<string, unknown>;
  const { connectionId, model, promptTokensPerSecond, tokensPerSecond, measuredAt } = entry;
  if (!isKey(connectionId) || !isKey(model) || !isRate(tokensPerSecond)) return null;
  if (promptTokensPerSecond !== null && !isRate(promptTokensPerSecond)) return null;
  if (typeof measuredAt !== 'number' || !Number.isSafeInteger(measuredAt) || measuredAt < 0)
    return null;
  return { connectionId, model, promptTokensPerSecond, tokensPerSecond, measuredAt };
}

/**
 * `<data folder>/speeds.json`: the last tokens/s measured per model and server, so the
 * library can show how fast a model was without running it again. Small and bounded; a
 * damaged file is set aside (JsonFile) and the record starts again, since a speed is
 * measured again by the next Try.
 *
 * Signal: `changed` (connection id, model) when a speed was recorded, for the rows that
 * show it.
 */
export class SpeedRecord extends GObject.Object {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockSpeedRecord',
        Signals: {
          changed: { param_types: [GObject.TYPE_STRING, GObject.TYPE_STRING] },
        },
      },
      this,
    );
  }

  readonly #json: JsonFile;
  readonly #clock: Clock;
  /** connectionId + NUL + model → entry, in the order measured (oldest first). */
  readonly #entries = new RecentMap<SpeedEntry>(MAX_ENTRIES);

  constructor(dir: Gio.File, clock: Clock = systemClock) {
    super();
    this.#json = new JsonFile(dir.get_child(FILE_NAME), { maxBytes: MAX_FILE_BYTES, clock });
    this.#clock = clock;
  }

  get file(): Gio.File {
    return this.#json.file;
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
        what: _('its record of model speeds'),
        noList: _('it holds no list of speeds'),
        invalid: _('some speeds in it were not valid'),
      },
      cancellable,
    );
    for (const entry of entries) this.#remember(entry);
    return problem;
  }

  /** The last speed of the model on that server, or null when none was measured. */
  get(connectionId: string, model: string): SpeedEntry | null {
    return this.#entries.get(SpeedRecord.#key(connectionId, model)) ?? null;
  }

  /**
   * Keeps the speed of a run, replacing the model's last one, and saves the file. A run
   * without a generation speed (an embedding, a server that sent no timings) changes
   * nothing. Rejects with the JsonFile or GLib error when the file cannot be written.
   */
  async record(
    connectionId: string,
    model: string,
    stats: GenerationStats,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    const { tokensPerSecond, promptTokensPerSecond } = stats;
    if (tokensPerSecond === null || !isKey(connectionId) || !isKey(model)) return;
    this.#remember({
      connectionId,
      model,
      promptTokensPerSecond,
      tokensPerSecond,
      measuredAt: Math.round(this.#clock.wallNow()),
    });
    this.emit('changed', connectionId, model);
    await this.#json.write({ entries: this.#entries.values() }, cancellable);
  }

  #remember(entry: SpeedEntry): void {
    this.#entries.set(SpeedRecord.#key(entry.connectionId, entry.model), entry);
  }
}
