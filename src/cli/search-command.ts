import type { AvailableModel } from '../catalog/available-model.js';
import { CatalogRanker } from '../catalog/catalog-ranker.js';
import { CatalogSearch } from '../catalog/catalog-search.js';
import { pullsText, sizeRangeText } from '../catalog/model-facts.js';

/** Names longer than this do not widen the name column. */
const NAME_COLUMN_MAX = 40;

/**
 * The lines `paddock search TEXT` prints: the best `limit` matches, ranked as in the
 * app, one a line: name, sizes, features and pulls, e.g.
 * `llama3.2   1.3 GB – 2.0 GB · tools · 50.8M pulls`.
 */
export function formatSearchResults(
  models: readonly AvailableModel[],
  query: string,
  limit = 20,
): string[] {
  const found = new CatalogSearch(models).search(query);
  if (found.length === 0)
    return [
      CatalogRanker.normalize(query) === ''
        ? 'The model catalog is empty.'
        : `No models match “${query.trim()}”.`,
    ];
  const shown = found.slice(0, Math.max(1, limit));
  const width = Math.min(NAME_COLUMN_MAX, Math.max(...shown.map((model) => model.name.length)));
  const lines = shown.map((model) => {
    const details = [sizeRangeText(model), model.features.join(', '), pullsText(model.downloads)];
    return `${model.name.padEnd(width)}  ${details.filter((part) => part !== '').join(' · ')}`.trimEnd();
  });
  if (found.length > shown.length) lines.push(`… and ${found.length - shown.length} more`);
  return lines;
}
