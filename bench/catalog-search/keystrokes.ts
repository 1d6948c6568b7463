// Measures what a keystroke in the model search costs, from the entry's new text to the
// updated, sorted result: the Gtk.FilterListModel + Gtk.SortListModel baseline next to
// Paddock's PaddockSearchablePulldown (and, to show where the baseline's time goes, the
// filter model alone, unsorted), over the same Gio.ListStore, in turns.
//   gjs -m keystrokes.js families|tags|synthetic FIXTURES_DIR RUNS   → one JSON line
// Needs a display (the pulldown is a widget); checks that both give the same results.
import GLib from 'gi://GLib';
import Adw from 'gi://Adw';
import Gtk from 'gi://Gtk?version=4.0';
import System, { exit, programArgs } from 'system';

import { PaddockSearchablePulldown } from '../../src/ui/searchable-pulldown.js';
import {
  CatalogEntry,
  entryStore,
  familyEntries,
  readFamilies,
  syntheticEntries,
  tagEntries,
} from './catalog-entries.js';
import { GtkListModelSearch } from './gtk-list-model-search.js';

const SYNTHETIC_ENTRIES = 100_000;

/**
 * Someone types "qwen3 coder", finds that no name has a space, takes it back to
 * "qwen3" and types "-coder": 23 keystrokes, from one letter to an exact name.
 */
function keystrokeTexts(): string[] {
  const texts: string[] = [];
  const type = (from: string, typed: string) => {
    for (const character of typed) texts.push((from += character));
    return from;
  };
  let text = type('', 'qwen3 coder');
  while (text !== 'qwen3') texts.push((text = text.slice(0, -1)));
  type(text, '-coder');
  return texts;
}

function entriesFor(catalog: string, fixtures: string) {
  const fixture = (name: string) => readFamilies(GLib.build_filenamev([fixtures, name]));
  switch (catalog) {
    case 'families':
      return familyEntries(fixture('ollama-library-2026-04.json'));
    case 'tags':
      return tagEntries(fixture('ollama-library-2025-12.json'));
    case 'synthetic': {
      const older = fixture('ollama-library-2025-12.json');
      const known = new Set(older.map((family) => family.name));
      const newer = fixture('ollama-library-2026-04.json').filter((f) => !known.has(f.name));
      return syntheticEntries([...older, ...newer], SYNTHETIC_ENTRIES);
    }
    default:
      throw new Error(`unknown catalog “${catalog}”`);
  }
}

function versions(): Record<string, string> {
  const gjs = System.version;
  return {
    gjs: `${Math.floor(gjs / 10000)}.${Math.floor(gjs / 100) % 100}.${gjs % 100}`,
    gtk: `${Gtk.get_major_version()}.${Gtk.get_minor_version()}.${Gtk.get_micro_version()}`,
    adw: `${Adw.get_major_version()}.${Adw.get_minor_version()}.${Adw.get_micro_version()}`,
    renderer: GLib.getenv('GSK_RENDERER') ?? 'default',
  };
}

function milliseconds(us: number): number {
  return Math.round(us) / 1000;
}

/** Throws unless the pulldown shows the head of the baseline's sorted list. */
function checkSame(
  text: string,
  baseline: GtkListModelSearch,
  pulldown: PaddockSearchablePulldown<CatalogEntry>,
  maxResults: number,
): { matches: number; shown: number } {
  const matches = baseline.model.get_n_items();
  const shown = pulldown.getResultCount();
  if (shown !== Math.min(matches, maxResults))
    throw new Error(`“${text}”: the pulldown shows ${shown} of ${matches} matches`);
  for (let i = 0; i < shown; i++) {
    const expected = (baseline.model.get_item(i) as CatalogEntry).position;
    const got = pulldown.getResultItem(i)!.position;
    if (got !== expected)
      throw new Error(`“${text}”: result ${i} is entry ${got} in the pulldown, ${expected} in GTK`);
  }
  return { matches, shown };
}

function main(): void {
  const [catalog, fixtures, runsArg] = programArgs;
  const runs = Number(runsArg);
  if (!catalog || !fixtures || !Number.isInteger(runs) || runs < 1) {
    printerr('usage: keystrokes.js families|tags|synthetic FIXTURES_DIR RUNS');
    exit(2);
  }
  Adw.init();
  const store = entryStore(entriesFor(catalog, fixtures));
  const texts = keystrokeTexts();

  let start = GLib.get_monotonic_time();
  const baseline = new GtkListModelSearch(store, true);
  const baselineSetupUs = GLib.get_monotonic_time() - start;
  const filterOnly = new GtkListModelSearch(store, false);
  // As the Add Model dialog makes it, less the rows (only shown results get one).
  const maxResults = 200;
  start = GLib.get_monotonic_time();
  const pulldown = new PaddockSearchablePulldown<CatalogEntry>({
    model: store,
    itemText: (entry) => entry.name,
    itemDescription: (entry) => entry.description,
    createRow: (entry) => new Gtk.Label({ label: entry.name }),
    placeholder: 'Search models',
    accessibleName: 'Model',
    listAccessibleName: 'Matching models',
    maxResults,
  });
  const paddockSetupUs = GLib.get_monotonic_time() - start;

  const samples = {
    filter: [] as number[][],
    sort: [] as number[][],
    filterOnly: [] as number[][],
    paddock: [] as number[][],
  };
  const results: { matches: number; shown: number }[] = [];
  // Run 0 warms up (the JIT, GTK's caches) and is not reported.
  for (let run = 0; run <= runs; run++) {
    baseline.setText('');
    filterOnly.setText('');
    pulldown.text = '';
    const times = {
      filter: [] as number[],
      sort: [] as number[],
      filterOnly: [] as number[],
      paddock: [] as number[],
    };
    for (const text of texts) {
      const searches = [
        () => {
          const { filterUs, sortUs } = baseline.setText(text);
          times.filter.push(filterUs);
          times.sort.push(sortUs);
        },
        () => {
          const { filterUs, sortUs } = filterOnly.setText(text);
          times.filterOnly.push(filterUs + sortUs);
        },
        () => {
          const before = GLib.get_monotonic_time();
          pulldown.text = text;
          pulldown.getResultCount();
          pulldown.getResultItem(0);
          times.paddock.push(GLib.get_monotonic_time() - before);
        },
      ];
      // Each goes first in turn, so that none always pays for another's garbage.
      for (let k = 0; k < searches.length; k++) searches[(run + k) % searches.length]();
      const checked = checkSame(text, baseline, pulldown, maxResults);
      if (filterOnly.model.get_n_items() !== checked.matches)
        throw new Error(
          `“${text}”: the filter model alone finds ${filterOnly.model.get_n_items()}`,
        );
      if (run === 0) results.push(checked);
    }
    if (run === 0) continue;
    samples.filter.push(times.filter.map(milliseconds));
    samples.sort.push(times.sort.map(milliseconds));
    samples.filterOnly.push(times.filterOnly.map(milliseconds));
    samples.paddock.push(times.paddock.map(milliseconds));
  }

  print(
    JSON.stringify({
      catalog,
      versions: versions(),
      entries: store.get_n_items(),
      texts,
      results,
      setupMs: { baseline: milliseconds(baselineSetupUs), paddock: milliseconds(paddockSetupUs) },
      baseline: { filterMs: samples.filter, sortMs: samples.sort },
      filterOnlyMs: samples.filterOnly,
      paddockMs: samples.paddock,
    }),
  );
}

try {
  main();
} catch (error) {
  printerr(`keystrokes: ${error instanceof Error ? error.message : String(error)}`);
  exit(1);
}
