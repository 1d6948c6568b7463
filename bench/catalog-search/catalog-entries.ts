// The catalogs the keystroke benchmark searches, as Gio.ListStores of CatalogEntry: the
// real families, every tag of a real catalog flattened, and a synthetic 100,000 entries.
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import GObject from 'gi://GObject';

import { parseCatalog } from '../../src/catalog/catalog-parser.js';
import type { AvailableModel } from '../../src/catalog/available-model.js';
import { searchKey } from '../../src/util/search-rank.js';

/** One searchable entry; both pipelines search the same objects. */
export class CatalogEntry extends GObject.Object {
  static {
    GObject.registerClass({ GTypeName: 'PaddockBenchCatalogEntry' }, this);
  }

  readonly name: string;
  readonly description: string;
  /** Its place in the catalog: the last tie-break, as in SearchIndex. */
  readonly position: number;
  /** searchKey() of the name and description, worked out once as AvailableModel would. */
  readonly key: string;
  readonly descriptionKey: string;

  constructor(name: string, description: string, position: number) {
    super();
    this.name = name;
    this.description = description;
    this.position = position;
    this.key = searchKey(name);
    this.descriptionKey = searchKey(description);
  }
}

interface Entry {
  name: string;
  description: string;
}

/** The families of a catalog file, read by the app's own parser. */
export function readFamilies(path: string): AvailableModel[] {
  const text = new TextDecoder().decode(GLib.file_get_contents(path)[1]);
  return parseCatalog(JSON.parse(text)).models;
}

/** One entry per family: `qwen3-coder`. */
export function familyEntries(families: readonly AvailableModel[]): Entry[] {
  return families.map((family) => ({ name: family.name, description: family.description }));
}

/** One entry per tag, as `ollama pull` names it: `qwen3-coder:30b`. */
export function tagEntries(families: readonly AvailableModel[]): Entry[] {
  return families.flatMap((family) =>
    family.tags.map((tag) => ({
      name: tag.pullName(family.name),
      description: family.description,
    })),
  );
}

const VARIANTS = ['', '', '', '-instruct', '-abliterated', '-uncensored', '-gguf', '-it', '-v2'];
const SYLLABLES = ['ka', 'ro', 'mi', 'tan', 'lex', 'dev', 'ai', 'no', 'vis', 'qu', 'zen', 'bo'];

/**
 * `count` entries: every real tag of `families`, then community uploads made up from
 * them (`owner/family-variant:tag`, most without a description, as on ollama.com),
 * the same every time.
 */
export function syntheticEntries(families: readonly AvailableModel[], count: number): Entry[] {
  const random = randomSource(100_000);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const owners = Array.from({ length: 3000 }, (_, i) => {
    let owner = '';
    for (let k = 0; k < 2 + (i % 3); k++) owner += pick(SYLLABLES);
    return `${owner}${i % 7 === 0 ? '' : i}`;
  });
  const entries: Entry[] = [];
  const taken = new Set<string>();
  const add = (entry: Entry): void => {
    if (entries.length === count || taken.has(entry.name)) return;
    taken.add(entry.name);
    entries.push(entry);
  };
  for (const entry of tagEntries(families)) add(entry);
  const withTags = families.filter((family) => family.tags.length > 0);
  while (entries.length < count) {
    const family = pick(withTags);
    const base = family.name.slice(family.name.lastIndexOf('/') + 1);
    add({
      name: `${pick(owners)}/${base}${pick(VARIANTS)}:${pick(family.tags).name}`,
      description: random() < 0.3 ? family.description : '',
    });
  }
  return entries;
}

export function entryStore(entries: readonly Entry[]): Gio.ListStore<CatalogEntry> {
  const store = new Gio.ListStore<CatalogEntry>({ item_type: CatalogEntry.$gtype });
  store.splice(
    0,
    0,
    entries.map((entry, position) => new CatalogEntry(entry.name, entry.description, position)),
  );
  return store;
}

/** mulberry32: a small generator, so that the synthetic catalog is the same every run. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
