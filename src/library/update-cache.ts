import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { JsonFile } from '../util/json-file.js';

const FILE_NAME = 'updates.json';
/** Some 200 bytes an entry: room for thousands of models. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Entries nobody asked about for this long are dropped when the file is written. */
const FORGET_AFTER_MS = 30 * 24 * 3600 * 1000;
const HEX64 = /^[0-9a-f]{64}$/;

/** What a registry said about one manifest address, and when. */
export interface CachedManifest {
  /** The sha256 (64 hex) of the manifest's bytes; null when the registry had none to give. */
  digest: string | null;
  /** 'found' with a digest; 'not-found' (404) and 'unauthorized' (401, 403) without. */
  result: 'found' | 'not-found' | 'unauthorized';
  /** Wall-clock milliseconds of the answer. */
  checkedAt: number;
}

function isEntry(value: unknown): value is CachedManifest {
  if (typeof value !== 'object' || value === null) return false;
  const { digest, result, checkedAt } = value as Record<string, unknown>;
  if (typeof checkedAt !== 'number' || !Number.isFinite(checkedAt)) return false;
  if (result === 'found') return typeof digest === 'string' && HEX64.test(digest);
  return (result === 'not-found' || result === 'unauthorized') && digest === null;
}

/**
 * `<data folder>/updates.json`: the registry's answers of the update check, by manifest
 * address, so that each is asked at most once a day. Only definite answers are kept (an
 * offline registry is asked again next time). Entries that do not check out are left out;
 * a file that is not JSON at all is set aside.
 */
export class UpdateCache {
  readonly #json: JsonFile | null;
  readonly #clock: Clock;
  readonly #entries = new Map<string, CachedManifest>();
  #loading: Promise<void> | null = null;
  #saving: Promise<void> = Promise.resolve();
  /** What went wrong with the file, for the user; null when nothing did. */
  problem: string | null = null;

  /** `dir` is Paddock's data folder; null keeps the answers in memory only. */
  constructor(dir: Gio.File | null, clock: Clock = systemClock) {
    this.#clock = clock;
    this.#json = dir
      ? new JsonFile(dir.get_child(FILE_NAME), { maxBytes: MAX_FILE_BYTES, clock })
      : null;
  }

  /** Reads the file once; never rejects. */
  load(): Promise<void> {
    this.#loading ??= this.#read();
    return this.#loading;
  }

  get(url: string): CachedManifest | null {
    return this.#entries.get(url) ?? null;
  }

  set(url: string, entry: CachedManifest): void {
    this.#entries.set(url, entry);
  }

  /** Writes every entry, one write after the other; never rejects (see problem). */
  save(): Promise<void> {
    this.#saving = this.#saving.then(() => this.#write());
    return this.#saving;
  }

  async #read(): Promise<void> {
    if (!this.#json) return;
    const { items, problem } = await this.#json.readKeyed(
      'manifests',
      _('the results of the update check'),
    );
    if (problem) this.problem = problem;
    for (const [url, entry] of Object.entries(items))
      if (isEntry(entry)) this.#entries.set(url, entry);
  }

  async #write(): Promise<void> {
    if (!this.#json) return;
    const now = this.#clock.wallNow();
    const manifests = Object.fromEntries(
      [...this.#entries].filter(([, entry]) => now - entry.checkedAt < FORGET_AFTER_MS),
    );
    try {
      await this.#json.write({ version: 1, manifests });
    } catch (error) {
      this.problem = errorText(error);
    }
  }
}
