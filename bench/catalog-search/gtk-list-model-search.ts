// The baseline: the search the GTK documentation suggests, a Gtk.FilterListModel with a
// Gtk.CustomFilter under a Gtk.SortListModel with a Gtk.CustomSorter, over the whole
// catalog, ranking exactly as SearchIndex does.
import GLib from 'gi://GLib';
import type Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';

import { NO_MATCH, compareMatches, rankMatch, searchKey } from '../../src/util/search-rank.js';
import type { CatalogEntry } from './catalog-entries.js';

export interface KeystrokeTimes {
  /** filter.changed(): the filter over the entries (and the sort model taking its change). */
  filterUs: number;
  /** sorter.changed() (when sorted) and reading the count and the first result. */
  sortUs: number;
}

/**
 * Sorted, or (to tell the filter's share of the cost) the filter model alone. Given its
 * best chance: entries carry their search keys, each entry's rank is worked
 * out once per query however often the sorter asks, and the filter is told when a query
 * only narrows (or widens) the last one, so that it looks at the current matches (or
 * non-matches) only.
 */
export class GtkListModelSearch {
  readonly model: Gtk.SortListModel | Gtk.FilterListModel;
  readonly #filter: Gtk.CustomFilter;
  readonly #sorter: Gtk.CustomSorter | null = null;
  #query = '';
  /** Per position: the rank for the query of #generation. */
  readonly #ranks: Float64Array;
  readonly #rankedAt: Int32Array;
  #generation = 1;

  constructor(store: Gio.ListStore<CatalogEntry>, sorted: boolean) {
    this.#ranks = new Float64Array(store.get_n_items());
    this.#rankedAt = new Int32Array(store.get_n_items());
    this.#filter = Gtk.CustomFilter.new(
      (item) => this.#query === '' || this.#rank(item as CatalogEntry) !== NO_MATCH,
    );
    const filtered = new Gtk.FilterListModel({
      model: store,
      filter: this.#filter,
      incremental: false,
    });
    if (!sorted) {
      this.model = filtered;
      return;
    }
    this.#sorter = Gtk.CustomSorter.new((a, b) =>
      this.#compare(a as CatalogEntry, b as CatalogEntry),
    );
    this.model = new Gtk.SortListModel({
      model: filtered,
      sorter: this.#sorter,
      incremental: false,
    });
  }

  /** What a keystroke costs: the entry's text changed to `text`. */
  setText(text: string): KeystrokeTimes {
    const previous = this.#query;
    const query = searchKey(text);
    const start = GLib.get_monotonic_time();
    if (query !== previous) {
      this.#query = query;
      this.#generation++;
      // A query that contains the last one matches a subset of its matches.
      this.#filter.changed(
        query.includes(previous)
          ? Gtk.FilterChange.MORE_STRICT
          : previous.includes(query)
            ? Gtk.FilterChange.LESS_STRICT
            : Gtk.FilterChange.DIFFERENT,
      );
    }
    const filtered = GLib.get_monotonic_time();
    if (query !== previous) this.#sorter?.changed(Gtk.SorterChange.DIFFERENT);
    this.model.get_n_items();
    this.model.get_item(0);
    const sorted = GLib.get_monotonic_time();
    return { filterUs: filtered - start, sortUs: sorted - filtered };
  }

  #rank(entry: CatalogEntry): number {
    const position = entry.position;
    if (this.#rankedAt[position] !== this.#generation) {
      this.#ranks[position] = rankMatch(this.#query, entry.key, entry.descriptionKey);
      this.#rankedAt[position] = this.#generation;
    }
    return this.#ranks[position];
  }

  /** SearchIndex's order: rank, shorter name, name, then catalog order; "" keeps the order. */
  #compare(a: CatalogEntry, b: CatalogEntry): number {
    if (this.#query !== '') {
      const order = compareMatches(this.#rank(a), a.key, this.#rank(b), b.key);
      if (order !== 0) return order;
    }
    return a.position - b.position;
  }
}
