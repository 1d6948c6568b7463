import Gio from 'gi://Gio';

import { parseTagsReply } from '../ollama/replies.js';
import type { InstalledModel } from '../ollama/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { JsonFile } from '../util/json-file.js';
import { cutText, terminalSafe } from '../util/text.js';

const FILE_NAME = 'library.json';
const VERSION = 1;
/** A model's entry is some 400 bytes: room for about 20,000 models over all servers. */
export const MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024;

/** One server's list as it was last seen. */
export interface SavedList {
  /** The server's address then: a list saved for another address says nothing of this one. */
  readonly url: string;
  /** Wall-clock ms of the list. */
  readonly savedAt: number;
  readonly models: readonly InstalledModel[];
}

export interface SnapshotOptions {
  clock?: Clock;
  warn?: (text: string) => void;
}

/**
 * `<data folder>/library.json`: every server's last list of installed models, so that the
 * window can show them before the servers answer. A cache: a file that cannot be used
 * gives no lists (and a warning in the log), and the next write replaces it. Every model
 * is checked as an /api/tags reply is, so the file is trusted no more than a server.
 */
export class LibrarySnapshot {
  readonly #json: JsonFile;
  readonly #warn: (text: string) => void;
  #writing: Promise<void> = Promise.resolve();

  /** `dir` is Paddock's data folder; `warn` tells the log what was wrong with the file. */
  constructor(
    dir: Gio.File,
    { clock = systemClock, warn = (text: string) => console.warn(text) }: SnapshotOptions = {},
  ) {
    this.#json = new JsonFile(dir.get_child(FILE_NAME), {
      maxBytes: MAX_SNAPSHOT_BYTES,
      compact: true,
      clock,
    });
    this.#warn = warn;
  }

  /** The saved lists by connection id; empty when there is no usable file. Never rejects. */
  async read(cancellable: Gio.Cancellable | null = null): Promise<Map<string, SavedList>> {
    const lists = new Map<string, SavedList>();
    let data: unknown;
    try {
      data = await this.#json.read(cancellable);
    } catch (error) {
      this.#problem(errorText(error));
      return lists;
    }
    if (data === undefined) return lists;
    const servers = isObject(data) && data.version === VERSION ? data.servers : undefined;
    if (!isObject(servers)) {
      // not translated: the log's, for developers (as the other lines of #problem)
      this.#problem('it is not a snapshot of version 1');
      return lists;
    }
    for (const [id, entry] of Object.entries(servers)) {
      const list = parseList(entry);
      if (typeof list !== 'string') lists.set(id, list);
      // not translated: the log's
      else this.#problem(`the list of ${cutText(id, 100)} is left out: ${list}`);
    }
    return lists;
  }

  /** Replaces the file with these lists, one write after the other. Never rejects. */
  write(lists: ReadonlyMap<string, SavedList>): Promise<void> {
    const value = { version: VERSION, servers: Object.fromEntries(lists) };
    this.#writing = this.#writing.then(() =>
      this.#json.write(value).catch((error: unknown) => this.#problem(errorText(error))),
    );
    return this.#writing;
  }

  /** A line for the log; the file's text in it may be anyone's, and reach a terminal. */
  #problem(problem: string): void {
    // not translated: the log's
    this.#warn(terminalSafe(`Paddock: the saved model lists in ${this.#json.path}: ${problem}`));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The list, or what is wrong with it. */
function parseList(entry: unknown): SavedList | string {
  if (!isObject(entry)) return 'not an object';
  const { url, savedAt, models } = entry;
  if (typeof url !== 'string') return 'no address';
  if (typeof savedAt !== 'number' || !Number.isSafeInteger(savedAt) || savedAt < 0)
    return 'no time';
  try {
    return { url, savedAt, models: parseTagsReply({ models }) };
  } catch (error) {
    return errorText(error);
  }
}
