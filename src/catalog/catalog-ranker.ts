import type { AvailableModel } from './available-model.js';

/** How well a model matches a query; lower is better. */
export enum CatalogRank {
  ExactName = 0,
  NamePrefix = 1,
  NameSubstring = 2,
  Description = 3,
  NoMatch = 4,
}

/**
 * Ranks catalog models for one query: the exact name first, then names that start with
 * the query, then names that contain it, then descriptions that do; within a rank the
 * shorter name first. Case is ignored. Make one ranker per query: the query is normalised
 * once, and rank(), matches() and compare() only compare precomputed lower-case strings,
 * so they allocate nothing. For a whole list at once, CatalogSearch is faster still: it
 * never sorts per query.
 */
export class CatalogRanker {
  /** Trimmed, lower case, single spaces; empty matches everything. */
  readonly query: string;

  constructor(query: string) {
    this.query = CatalogRanker.normalize(query);
  }

  static normalize(query: string): string {
    return query.trim().replace(/\s+/g, ' ').toLowerCase();
  }

  rank(model: AvailableModel): CatalogRank {
    const query = this.query;
    const name = model.searchText;
    if (query === '' || name === query) return CatalogRank.ExactName;
    if (name.startsWith(query)) return CatalogRank.NamePrefix;
    if (name.includes(query)) return CatalogRank.NameSubstring;
    if (model.searchDescription.includes(query)) return CatalogRank.Description;
    return CatalogRank.NoMatch;
  }

  /** For a Gtk.CustomFilter. */
  matches(model: AvailableModel): boolean {
    return this.rank(model) !== CatalogRank.NoMatch;
  }

  /**
   * -1, 0 or 1 (a Gtk.Ordering, for a Gtk.CustomSorter): better rank first, then the
   * shorter name, then the more pulled, then by name. Without a query only the last two
   * count, so the list starts with what most people use.
   */
  compare(a: AvailableModel, b: AvailableModel): -1 | 0 | 1 {
    const byRank = this.rank(a) - this.rank(b);
    if (byRank !== 0) return byRank < 0 ? -1 : 1;
    return this.compareWithinRank(a, b);
  }

  /** The order within a rank; it does not depend on the query, only on whether there is one. */
  compareWithinRank(a: AvailableModel, b: AvailableModel): -1 | 0 | 1 {
    if (this.query !== '' && a.searchText.length !== b.searchText.length)
      return a.searchText.length < b.searchText.length ? -1 : 1;
    const pullsA = a.downloads ?? -1;
    const pullsB = b.downloads ?? -1;
    if (pullsA !== pullsB) return pullsA > pullsB ? -1 : 1;
    if (a.searchText !== b.searchText) return a.searchText < b.searchText ? -1 : 1;
    return 0;
  }
}
