import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { RunningModel } from '../ollama/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { JsonFile } from '../util/json-file.js';
import type { MemoryFigure } from './server-memory.js';

const FILE_NAME = 'memory-seen.json';
/** Some 200 bytes a server. */
const MAX_FILE_BYTES = 256 * 1024;
/** Longest model name Ollama allows (host, namespace, model and tag). */
const MAX_MODEL_NAME = 600;
const MAX_SERVERS = 1000;

interface Sighting {
  /** The most GPU memory one model was seen to use on the server. */
  gpuBytes: number;
  model: string;
  /** Wall-clock ms. */
  seenAt: number;
}

function isSighting(value: unknown): value is Sighting {
  if (typeof value !== 'object' || value === null) return false;
  const { gpuBytes, model, seenAt } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(gpuBytes) &&
    (gpuBytes as number) > 0 &&
    typeof model === 'string' &&
    model.length > 0 &&
    model.length <= MAX_MODEL_NAME &&
    typeof seenAt === 'number' &&
    Number.isFinite(seenAt)
  );
}

/**
 * Evidence of a server's GPU memory from /api/ps: the most `size_vram` one loaded model was
 * seen to use, with its name ("seen when qwen3:8b was loaded"), kept per server address in
 * `<data folder>/memory-seen.json`. A lower bound, used only when nothing better is known.
 */
export class MemoryEvidence {
  readonly #json: JsonFile | null;
  readonly #clock: Clock;
  readonly #servers = new Map<string, Sighting>();
  #loading: Promise<void> | null = null;
  #saving: Promise<void> = Promise.resolve();
  /** What went wrong with the file, for the user; null when nothing did. */
  problem: string | null = null;

  /** `dataDir` is Paddock's data folder; null keeps the evidence in memory only. */
  constructor(dataDir: Gio.File | null, clock: Clock = systemClock) {
    this.#clock = clock;
    this.#json = dataDir
      ? new JsonFile(dataDir.get_child(FILE_NAME), { maxBytes: MAX_FILE_BYTES, clock })
      : null;
  }

  /** The GPU memory seen on the server at `serverUrl`, null when no model was seen on its GPU. */
  async gpuSeen(serverUrl: string): Promise<MemoryFigure | null> {
    await this.#load();
    const sighting = this.#servers.get(serverUrl);
    return sighting
      ? { bytes: sighting.gpuBytes, source: { kind: 'observed', model: sighting.model } }
      : null;
  }

  /**
   * Remembers the largest GPU share among `running` (an /api/ps reply of that server) when
   * it is more than seen before; writes the file only then. Never rejects (see problem).
   */
  async note(serverUrl: string, running: readonly RunningModel[]): Promise<void> {
    await this.#load();
    const largest = running.reduce<RunningModel | null>(
      (best, model) => (best === null || model.size_vram > best.size_vram ? model : best),
      null,
    );
    if (largest === null || largest.size_vram <= 0 || largest.name.length > MAX_MODEL_NAME) return;
    const known = this.#servers.get(serverUrl);
    if (known && known.gpuBytes >= largest.size_vram) return;
    if (!known && this.#servers.size >= MAX_SERVERS) return;
    this.#servers.set(serverUrl, {
      gpuBytes: largest.size_vram,
      model: largest.name,
      seenAt: this.#clock.wallNow(),
    });
    this.#saving = this.#saving.then(() => this.#write());
    await this.#saving;
  }

  #load(): Promise<void> {
    this.#loading ??= this.#read();
    return this.#loading;
  }

  async #read(): Promise<void> {
    if (!this.#json) return;
    const { items, problem } = await this.#json.readKeyed(
      'servers',
      _('the memory seen on servers'),
    );
    if (problem) this.problem = problem;
    for (const [url, entry] of Object.entries(items).slice(0, MAX_SERVERS))
      if (isSighting(entry)) this.#servers.set(url, entry);
  }

  async #write(): Promise<void> {
    if (!this.#json) return;
    try {
      await this.#json.write({ version: 1, servers: Object.fromEntries(this.#servers) });
    } catch (error) {
      this.problem = errorText(error);
    }
  }
}
