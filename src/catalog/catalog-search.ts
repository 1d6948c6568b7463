import type { AvailableModel } from './available-model.js';
import { CatalogRank, CatalogRanker } from './catalog-ranker.js';

const RANKS = CatalogRank.NoMatch;

/**
 * Searches one catalog as you type, fast enough for a keystroke on 100,000 models. The
 * order within a rank does not depend on the query, so it is worked out once, up front;
 * a search then sorts nothing: it ranks every model in catalog order (the order they
 * were made in, which is what keeps memory access cheap), then places each match by
 * counting sort. The result is what sorting with CatalogRanker.compare gives.
 */
export class CatalogSearch {
  readonly #models: readonly AvailableModel[];
  readonly #ranks: Uint8Array;
  /** Indices into #models: shorter names first, then the more pulled, then by name. */
  #queryOrder: Int32Array | null = null;
  /** The more pulled first, then by name: the order without a query. */
  #popularOrder: AvailableModel[] | null = null;

  constructor(models: readonly AvailableModel[]) {
    this.#models = models;
    this.#ranks = new Uint8Array(models.length);
  }

  /** The models that match, best first; all of them, most pulled first, for "". */
  search(query: string): AvailableModel[] {
    const ranker = new CatalogRanker(query);
    const models = this.#models;
    if (ranker.query === '') {
      this.#popularOrder ??= [...models].sort((a, b) => ranker.compareWithinRank(a, b));
      return [...this.#popularOrder];
    }
    const order = (this.#queryOrder ??= this.sortedIndices(ranker));
    const ranks = this.#ranks;
    const starts = new Int32Array(RANKS + 1);
    for (let i = 0; i < models.length; i++) {
      const rank = ranker.rank(models[i]);
      ranks[i] = rank;
      if (rank !== CatalogRank.NoMatch) starts[rank + 1]++;
    }
    for (let rank = 1; rank <= RANKS; rank++) starts[rank] += starts[rank - 1];
    const found = new Array<AvailableModel>(starts[RANKS]);
    for (let k = 0; k < order.length; k++) {
      const index = order[k];
      const rank = ranks[index];
      if (rank !== CatalogRank.NoMatch) found[starts[rank]++] = models[index];
    }
    return found;
  }

  private sortedIndices(ranker: CatalogRanker): Int32Array {
    const models = this.#models;
    const indices = Array.from(models, (_model, index) => index);
    indices.sort((a, b) => ranker.compareWithinRank(models[a], models[b]));
    return Int32Array.from(indices);
  }
}
