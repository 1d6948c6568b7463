import type { InstalledModel } from '../ollama/types.js';
import { NO_MATCH, rankMatch, searchKey } from '../util/search-rank.js';

/**
 * How a list of installed models is ordered: A to Z, largest first, newest first, most
 * recently used first.
 */
export type ModelSort = 'name' | 'size' | 'modified' | 'used';

/** When an entry's model was last used (wall-clock ms), or null when nobody knows. */
export type LastUsed = (entry: LibraryEntry) => number | null;

/** An installed model and the server it is on. */
export interface LibraryEntry {
  readonly connectionId: string;
  readonly model: InstalledModel;
}

interface Keys {
  name: string;
  /** Family, parameter size and quantisation: what a search finds besides the name. */
  details: string;
  /** Milliseconds since the epoch; -Infinity when the server's date is unusable. */
  modified: number;
}

// Computed once per model: a refresh that finds nothing new keeps the same objects.
const keysOf = new WeakMap<InstalledModel, Keys>();

/** The model's search keys (searchKey()): its name, and its family, size and quantisation. */
export function modelKeys(model: InstalledModel): Readonly<Keys> {
  let found = keysOf.get(model);
  if (!found) {
    const details = model.details;
    const modified = Date.parse(model.modified_at);
    found = {
      name: searchKey(model.name),
      details: searchKey(
        [details.family, details.parameter_size, details.quantization_level].join(' '),
      ),
      modified: Number.isNaN(modified) ? -Infinity : modified,
    };
    keysOf.set(model, found);
  }
  return found;
}

/**
 * Whether the model is among the results for `query`, by the catalog search's rules
 * (search-rank.ts): its name, else its family, parameter size or quantisation, holds it.
 * An empty query matches every model.
 */
export function modelMatches(model: InstalledModel, query: string): boolean {
  return modelMatcher(query)(model);
}

/** modelMatches() for one query and many models: the query's key is worked out once. */
export function modelMatcher(query: string): (model: InstalledModel) => boolean {
  const key = searchKey(query);
  if (key === '') return () => true;
  return (model) => {
    const { name, details } = modelKeys(model);
    return rankMatch(key, name, details) !== NO_MATCH;
  };
}

/**
 * The entries that match `query`, ordered by `sort`; equal ones by name, then in the
 * order given (servers first to last). Ranks only filter: the order is the user's. By
 * 'used', models never seen used (per `lastUsed`) come last.
 */
export function searchModels(
  entries: readonly LibraryEntry[],
  query: string,
  sort: ModelSort,
  lastUsed: LastUsed = () => null,
): LibraryEntry[] {
  const key = searchKey(query);
  const found: Found[] = [];
  entries.forEach((entry, index) => {
    const entryKeys = modelKeys(entry.model);
    if (key === '' || rankMatch(key, entryKeys.name, entryKeys.details) !== NO_MATCH)
      found.push({
        entry,
        keys: entryKeys,
        index,
        used: sort === 'used' ? (lastUsed(entry) ?? -Infinity) : -Infinity,
      });
  });
  const first = ORDERS[sort];
  found.sort((a, b) => first(a, b) || byName(a, b) || a.index - b.index);
  return found.map(({ entry }) => entry);
}

interface Found {
  entry: LibraryEntry;
  keys: Keys;
  index: number;
  /** When it was last used; -Infinity when unknown (or not sorted by use). */
  used: number;
}

function byName(a: Found, b: Found): number {
  if (a.keys.name === b.keys.name) return 0;
  return a.keys.name < b.keys.name ? -1 : 1;
}

const ORDERS: Record<ModelSort, (a: Found, b: Found) => number> = {
  name: byName,
  size: (a, b) => b.entry.model.size - a.entry.model.size,
  modified: (a, b) => {
    if (a.keys.modified === b.keys.modified) return 0;
    return a.keys.modified > b.keys.modified ? -1 : 1;
  },
  used: (a, b) => {
    if (a.used === b.used) return 0;
    return a.used > b.used ? -1 : 1;
  },
};
