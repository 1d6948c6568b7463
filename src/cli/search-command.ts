import { gettext as _, ngettext } from 'gettext';

import type { AvailableModel } from '../catalog/available-model.js';
import { pullsText, sizeRangeText } from '../catalog/model-facts.js';
import { SearchIndex, searchKey } from '../util/search-rank.js';
import { fillTemplate } from '../util/text.js';

/** Names longer than this do not widen the name column. */
const NAME_COLUMN_MAX = 40;

/**
 * The lines `paddock search TEXT` prints: the best `limit` matches, one a line: name,
 * sizes, features and pulls, e.g. `llama3.2   1.3 GB – 2.0 GB · tools · 50.8M pulls`.
 * They are ranked as the Add Model dialog ranks them (a SearchIndex over the names and
 * descriptions, in catalog order); without a query, in catalog order.
 */
export function formatSearchResults(
  models: readonly AvailableModel[],
  query: string,
  limit = 20,
): string[] {
  const index = new SearchIndex();
  index.splice(
    0,
    0,
    models.map((model) => model.name),
    models.map((model) => model.description),
  );
  const total = index.count(query);
  if (total === 0)
    return [
      searchKey(query) === ''
        ? _('The model catalog is empty.')
        : fillTemplate(_('No models match “{query}”.'), { query: query.trim() }),
    ];
  const shown = index.best(query, Math.max(1, limit)).map((position) => models[position]);
  const width = Math.min(NAME_COLUMN_MAX, Math.max(...shown.map((model) => model.name.length)));
  const lines = shown.map((model) => {
    const details = [sizeRangeText(model), model.features.join(', '), pullsText(model.downloads)];
    return `${model.name.padEnd(width)}  ${details.filter((part) => part !== '').join(' · ')}`.trimEnd();
  });
  const more = total - shown.length;
  if (more > 0)
    lines.push(
      fillTemplate(ngettext('… and {count} more', '… and {count} more', more), { count: more }),
    );
  return lines;
}
