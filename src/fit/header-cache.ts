import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { JsonFile } from '../util/json-file.js';
import { MAX_LAYERS, type GgufFacts } from './gguf-header.js';

const FILE_NAME = 'gguf-headers.json';
/** Under 1 KB an entry (a per-layer list can make one a few KB). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** The most recently used entries kept when the file is written. */
const MAX_ENTRIES = 500;
const BLOB_DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_LIST = 4096;

/** What one weights blob's header said: its facts, or why it cannot be read (for good). */
export type CachedHeader =
  { facts: GgufFacts; unreadable?: undefined } | { facts?: undefined; unreadable: string };

interface Entry {
  header: CachedHeader;
  usedAt: number;
}

/**
 * `<data folder>/gguf-headers.json`: the GGUF header facts of weights blobs, by digest. A
 * blob never changes under its digest, so an entry is never asked again: the second
 * estimate of a model costs no request. Headers that could not be parsed are kept too
 * (as the reason); a registry that could not be reached is not. Entries that do not
 * check out are left out; a file that is not JSON at all is set aside.
 */
export class HeaderCache {
  readonly #json: JsonFile | null;
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();
  #loading: Promise<void> | null = null;
  #saving: Promise<void> = Promise.resolve();
  /** What went wrong with the file, for the user; null when nothing did. */
  problem: string | null = null;

  /** `dir` is Paddock's data folder; null keeps the headers in memory only. */
  constructor(dir: Gio.File | null, clock: Clock = systemClock) {
    this.#clock = clock;
    this.#json = dir
      ? new JsonFile(dir.get_child(FILE_NAME), { maxBytes: MAX_FILE_BYTES, compact: true, clock })
      : null;
  }

  /** Reads the file once; never rejects. */
  load(): Promise<void> {
    this.#loading ??= this.#read();
    return this.#loading;
  }

  get(digest: string): CachedHeader | null {
    const entry = this.#entries.get(digest);
    if (!entry) return null;
    entry.usedAt = this.#clock.wallNow();
    return entry.header;
  }

  set(digest: string, header: CachedHeader): void {
    this.#entries.set(digest, { header, usedAt: this.#clock.wallNow() });
  }

  /** Writes the entries, one write after the other; never rejects (see problem). */
  save(): Promise<void> {
    this.#saving = this.#saving.then(() => this.#write());
    return this.#saving;
  }

  async #read(): Promise<void> {
    if (!this.#json) return;
    const { items, problem } = await this.#json.readKeyed(
      'headers',
      _('the model sizes read from the registry'),
    );
    if (problem) this.problem = problem;
    for (const [digest, entry] of Object.entries(items))
      if (BLOB_DIGEST.test(digest) && isEntry(entry)) this.#entries.set(digest, entry);
  }

  async #write(): Promise<void> {
    if (!this.#json) return;
    const newest = [...this.#entries]
      .sort(([, a], [, b]) => b.usedAt - a.usedAt)
      .slice(0, MAX_ENTRIES);
    try {
      await this.#json.write({ version: 1, headers: Object.fromEntries(newest) });
    } catch (error) {
      this.problem = errorText(error);
    }
  }
}

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const { header, usedAt } = value as Record<string, unknown>;
  if (!isCount(usedAt) || typeof header !== 'object' || header === null) return false;
  const { facts, unreadable } = header as Record<string, unknown>;
  if (typeof unreadable === 'string') return facts === undefined && unreadable.length <= 1000;
  return isFacts(facts);
}

function isFacts(value: unknown): value is GgufFacts {
  if (typeof value !== 'object' || value === null) return false;
  const facts = value as Record<string, unknown>;
  const positive = (key: string) => isCount(facts[key]) && facts[key] > 0;
  const optional = (key: string) => facts[key] === null || isCount(facts[key]);
  const list = (key: string) => {
    const items = facts[key];
    return (
      Array.isArray(items) && items.length > 0 && items.length <= MAX_LIST && items.every(isCount)
    );
  };
  const vision = facts.vision as Record<string, unknown> | null | undefined;
  const visionOk =
    vision === null ||
    (typeof vision === 'object' &&
      vision !== undefined &&
      ['imageSize', 'patchSize', 'channels', 'headCount', 'embeddingLength'].every((key) =>
        isCount(vision[key]),
      ));
  return (
    visionOk &&
    typeof facts.architecture === 'string' &&
    facts.architecture.length > 0 &&
    facts.architecture.length <= 256 &&
    ['blockCount', 'contextLength', 'embeddingLength'].every(positive) &&
    (facts.blockCount as number) <= MAX_LAYERS &&
    ['headCount', 'headCountKv'].every(list) &&
    [
      'feedForwardLength',
      'keyLength',
      'valueLength',
      'slidingWindow',
      'expertCount',
      'vocabSize',
      'fileType',
    ].every(optional)
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
