/** How well a text matches a query; lower is better. */
export enum MatchRank {
  Exact = 0,
  Prefix = 1,
  Substring = 2,
  Description = 3,
}

/** What rankMatch() returns when nothing matches; sorts after every rank. */
export const NO_MATCH = Number.POSITIVE_INFINITY;

/** White space other than single spaces between words. */
const NEEDS_SPACING = /[^\S ]| {2}|^ | $/;

/**
 * The form in which queries, names and descriptions are compared: lower case, trimmed,
 * runs of white space made one space. Compute it once per text, not per comparison.
 */
export function searchKey(text: string): string {
  const lower = text.toLowerCase();
  // Most texts need nothing more, and the test is far cheaper than the replacement.
  return NEEDS_SPACING.test(lower) ? lower.trim().replace(/\s+/g, ' ') : lower;
}

/**
 * How well `name` (or else `description`) matches `query`: the exact name, a name that
 * starts with the query, a name that contains it, a description that contains it; or
 * NO_MATCH. All three must already be search keys (see searchKey()). An empty query is
 * a prefix of every name.
 */
export function rankMatch(query: string, name: string, description = ''): number {
  if (name === query) return MatchRank.Exact;
  if (name.startsWith(query)) return MatchRank.Prefix;
  if (name.includes(query)) return MatchRank.Substring;
  if (description.includes(query)) return MatchRank.Description;
  return NO_MATCH;
}

/**
 * Orders two ranked names: the better rank first, then the shorter name, then by code
 * point. Negative when `a` goes first, as Array.prototype.sort() expects.
 */
export function compareMatches(rankA: number, nameA: string, rankB: number, nameB: string): number {
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  if (nameA.length !== nameB.length) return nameA.length - nameB.length;
  if (nameA === nameB) return 0;
  return nameA < nameB ? -1 : 1;
}

// A match's group is rank · 2¹⁶ + name length: sorting by group sorts by rank, then
// length. Longer names all count as this long there; compareMatches() still tells them
// apart.
const MAX_LENGTH = 0xffff;
const LENGTH_BITS = 16;
// Groups are first counted in buckets (lengths from this on share one) to find how many
// hold the best `limit`; only the matches in those get sorted.
const BUCKET_LENGTHS = 256;
// Sorted as one number: group · 2³² + position.
const INDEX_SPAN = 2 ** 32;
// Never part of a search key, so no match can run from one text into the next.
const SEPARATOR = '\n';

/** Many texts joined into one string, for the engine's native substring search. */
interface Haystack {
  text: string;
  /** Where each entry starts in `text`; one more at the end. */
  starts: Int32Array;
}

/**
 * The entries of a list (a name and an optional description each, in the list's order),
 * searchable as the user types: best(query) gives the positions of the best matches.
 * Made for 100,000 entries: the engine's substring search runs over all names at once,
 * so the cost of a query grows with the matches rather than with the list, and only the
 * matches that can make the cut get sorted.
 */
export class SearchIndex {
  #names: string[] = [];
  #descriptions: string[] = [];
  #nameHaystack: Haystack | null = null;
  #descriptionHaystack: Haystack | null = null;
  // Scratch space for best(), reused from query to query.
  #matches = new Int32Array(0);
  #groups = new Int32Array(0);
  #packed = new Float64Array(0);
  #matched = new Uint8Array(0);
  readonly #buckets = new Int32Array((MatchRank.Description + 1) * BUCKET_LENGTHS);
  /** The last answer of best(): a key typed again ("qwen3 " after "qwen3") costs nothing. */
  #last: { key: string; wanted: number; positions: number[] } | null = null;

  get size(): number {
    return this.#names.length;
  }

  /**
   * Replaces `removed` entries from `position` on with the given ones, as a
   * Gio.ListModel's items-changed describes it. `descriptions` is parallel to `names`;
   * leave it out for entries without one.
   */
  splice(
    position: number,
    removed: number,
    names: readonly string[],
    descriptions: readonly string[] = [],
  ): void {
    const nameKeys = names.map(searchKey);
    const descriptionKeys = names.map((_, i) => searchKey(descriptions[i] ?? ''));
    this.#names = replaceRange(this.#names, position, removed, nameKeys);
    this.#descriptions = replaceRange(this.#descriptions, position, removed, descriptionKeys);
    this.#nameHaystack = null;
    this.#descriptionHaystack = null;
    this.#last = null;
  }

  /**
   * The positions of the best `limit` entries for `query`, best first: by rankMatch(),
   * then compareMatches(); equal names keep their order. An empty query matches every
   * entry and keeps the list's order, so a list sorted by popularity shows its head.
   */
  best(query: string, limit: number): number[] {
    const wanted = Math.min(Math.max(0, Math.floor(limit)), this.size);
    const key = searchKey(query);
    if (wanted === 0) return [];
    if (key === '') return Array.from({ length: wanted }, (_, i) => i);
    const last = this.#last;
    if (last?.key === key && last.wanted === wanted) return [...last.positions];
    const positions = this.#pickBest(this.#findMatches(key, wanted), wanted);
    this.#last = { key, wanted, positions };
    return [...positions];
  }

  /** How many entries match `query`: every entry for an empty query. */
  count(query: string): number {
    const key = searchKey(query);
    if (this.size === 0) return 0;
    return key === '' ? this.size : this.#findMatches(key, Infinity);
  }

  /**
   * Fills #matches and #groups with the matches; returns how many. All of them for an
   * infinite `enough`; else it stops early, since better ranks come first: with `enough`
   * names that start with the query no other name is looked at, and with `enough` names
   * no description is.
   */
  #findMatches(query: string, enough: number): number {
    const size = this.size;
    if (this.#matched.length !== size) {
      // Room for every name and then every description.
      this.#matches = new Int32Array(2 * size);
      this.#groups = new Int32Array(2 * size);
      this.#packed = new Float64Array(2 * size);
      this.#matched = new Uint8Array(size);
    }
    this.#nameHaystack ??= joinTexts(this.#names);
    this.#descriptionHaystack ??= joinTexts(this.#descriptions);
    const names = this.#names;
    const matches = this.#matches;
    const groups = this.#groups;
    const matched = this.#matched;
    const group = (rank: number, index: number) =>
      (rank << LENGTH_BITS) + Math.min(names[index].length, MAX_LENGTH);
    const haystack = this.#nameHaystack;
    let namesFound = Number.isFinite(enough) ? findPrefixed(haystack, query, matches) : 0;
    if (namesFound < enough) namesFound = findEntries(haystack, query, matches, 0);
    for (let k = 0; k < namesFound; k++)
      groups[k] = group(rankMatch(query, names[matches[k]]), matches[k]);
    if (namesFound >= enough) return namesFound;
    for (let k = 0; k < namesFound; k++) matched[matches[k]] = 1;
    // Descriptions count only for entries whose name did not match.
    const candidates = findEntries(this.#descriptionHaystack, query, matches, namesFound);
    let found = namesFound;
    for (let k = namesFound; k < candidates; k++) {
      if (matched[matches[k]]) continue;
      matches[found] = matches[k];
      groups[found++] = group(MatchRank.Description, matches[k]);
    }
    for (let k = 0; k < namesFound; k++) matched[matches[k]] = 0;
    return found;
  }

  #pickBest(found: number, wanted: number): number[] {
    const names = this.#names;
    const matches = this.#matches;
    const groups = this.#groups;
    const bucketOf = (group: number) =>
      (group >>> LENGTH_BITS) * BUCKET_LENGTHS + Math.min(group & MAX_LENGTH, BUCKET_LENGTHS - 1);

    // The last bucket needed to hold `wanted` matches.
    const buckets = this.#buckets;
    buckets.fill(0);
    for (let k = 0; k < found; k++) buckets[bucketOf(groups[k])]++;
    let last = 0;
    for (let total = 0; last < buckets.length; last++) {
      total += buckets[last];
      if (total >= wanted) break;
    }

    const packed = this.#packed;
    let candidates = 0;
    for (let k = 0; k < found; k++)
      if (bucketOf(groups[k]) <= last) packed[candidates++] = groups[k] * INDEX_SPAN + matches[k];
    const sorted = packed.subarray(0, candidates).sort();

    // Within a group of equal rank and length the names go alphabetically; only the
    // groups that reach into the first `wanted` need it.
    const result: number[] = [];
    const byName = (a: number, b: number) => compareMatches(0, names[a], 0, names[b]) || a - b;
    let start = 0;
    while (start < sorted.length && result.length < wanted) {
      const group = Math.floor(sorted[start] / INDEX_SPAN);
      let end = start + 1;
      while (end < sorted.length && Math.floor(sorted[end] / INDEX_SPAN) === group) end++;
      const members: number[] = [];
      for (let k = start; k < end; k++) members.push(sorted[k] - group * INDEX_SPAN);
      for (const index of smallest(members, wanted - result.length, byName)) result.push(index);
      start = end;
    }
    return result;
  }
}

function joinTexts(texts: readonly string[]): Haystack {
  const starts = new Int32Array(texts.length + 1);
  let offset = 0;
  for (let i = 0; i < texts.length; i++) {
    starts[i] = offset;
    offset += texts[i].length + SEPARATOR.length;
  }
  starts[texts.length] = offset;
  return { text: texts.join(SEPARATOR) + SEPARATOR, starts };
}

/**
 * Writes the entries whose text contains `query` (not empty), each once and in order,
 * into `out` from `from` on; returns where they end.
 */
function findEntries(haystack: Haystack, query: string, out: Int32Array, from: number): number {
  const { text, starts } = haystack;
  const last = starts.length - 2;
  let end = from;
  let low = 0;
  for (let at = text.indexOf(query); at !== -1; at = text.indexOf(query, starts[low])) {
    // The entry that holds `at`: the last start at or before it, from `low` on.
    let high = last;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= at) low = middle;
      else high = middle - 1;
    }
    out[end++] = low++;
  }
  return end;
}

/** Like findEntries() from 0, for the entries whose text starts with `query`. */
function findPrefixed(haystack: Haystack, query: string, out: Int32Array): number {
  const { text, starts } = haystack;
  const last = starts.length - 2;
  let end = 0;
  if (last >= 0 && text.startsWith(query)) out[end++] = 0;
  // Every other entry follows a separator.
  const needle = SEPARATOR + query;
  let low = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    let high = last;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= at + 1) low = middle;
      else high = middle - 1;
    }
    out[end++] = low;
  }
  return end;
}

/** `list` with `removed` entries at `position` replaced by `inserted`. */
function replaceRange(
  list: string[],
  position: number,
  removed: number,
  inserted: string[],
): string[] {
  if (removed === 0 && inserted.length === 0) return list;
  // Spreading very many arguments can overflow the stack.
  if (inserted.length <= 10000) {
    list.splice(position, removed, ...inserted);
    return list;
  }
  return list.slice(0, position).concat(inserted, list.slice(position + removed));
}

/** The `count` smallest of `items` in order, without sorting all of a big group. */
function smallest(
  items: number[],
  count: number,
  compare: (a: number, b: number) => number,
): number[] {
  if (items.length <= count) return items.sort(compare);
  const kept = items.slice(0, count).sort(compare);
  for (let k = count; k < items.length; k++) {
    const item = items[k];
    if (compare(item, kept[count - 1]) >= 0) continue;
    let at = count - 1;
    while (at > 0 && compare(item, kept[at - 1]) < 0) at--;
    kept.splice(at, 0, item);
    kept.pop();
  }
  return kept;
}
