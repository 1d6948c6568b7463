import type { AvailableModel } from '../catalog/available-model.js';
import { CatalogRanker } from '../catalog/catalog-ranker.js';
import { CatalogSearch } from '../catalog/catalog-search.js';
import { formatBytes } from '../util/format.js';

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
    const details = [sizeText(model), model.features.join(', '), pullsText(model.downloads)];
    return `${model.name.padEnd(width)}  ${details.filter((part) => part !== '').join(' · ')}`.trimEnd();
  });
  if (found.length > shown.length) lines.push(`… and ${found.length - shown.length} more`);
  return lines;
}

function sizeText(model: AvailableModel): string {
  if (model.isCloudOnly) return 'cloud only';
  const range = model.sizeRange;
  const hasCloud = model.tags.some((tag) => tag.isCloud);
  let text = '';
  if (range !== null)
    text =
      range.min === range.max
        ? formatBytes(range.min)
        : `${formatBytes(range.min)} – ${formatBytes(range.max)}`;
  if (hasCloud) text = text === '' ? 'also in the cloud' : `${text}, also in the cloud`;
  return text;
}

/** "1 pull", "950 pulls", "7K pulls", "48.5M pulls". */
function pullsText(downloads: number | null): string {
  if (downloads === null) return '';
  if (downloads === 1) return '1 pull';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [index, [size, suffix]] of units.entries()) {
    if (downloads < size) continue;
    const value = downloads / size;
    // One decimal below 100, none above: "1.2M", "48.5M", "108M".
    const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
    // 999,960 is "1M", not "1000K".
    if (rounded >= 1000 && index > 0) return `1${units[index - 1][1]} pulls`;
    return `${rounded}${suffix} pulls`;
  }
  return `${downloads} pulls`;
}
