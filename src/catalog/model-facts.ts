import { gettext as _, ngettext } from 'gettext';

import { formatBytes, formatCount, fillTemplate } from '../util/text.js';
import type { AvailableModel } from './available-model.js';

/** "1.3 GB – 40.0 GB", "cloud only", "2.0 GB, also in the cloud". */
export function sizeRangeText(model: AvailableModel): string {
  if (model.isCloudOnly) return _('cloud only');
  const range = model.sizeRange;
  const hasCloud = model.tags.some((tag) => tag.isCloud);
  let text = '';
  if (range !== null)
    text =
      range.min === range.max
        ? formatBytes(range.min)
        : `${formatBytes(range.min)} – ${formatBytes(range.max)}`;
  if (hasCloud)
    text =
      text === ''
        ? _('also in the cloud')
        : fillTemplate(_('{sizes}, also in the cloud'), { sizes: text });
  return text;
}

/** "1 pull", "950 pulls", "7K pulls", "48.5M pulls". */
export function pullsText(downloads: number | null): string {
  if (downloads === null) return '';
  if (downloads < 1000)
    return fillTemplate(ngettext('{n} pull', '{n} pulls', downloads), { n: downloads });
  // Translators: {count} is an abbreviated number such as 1.2M or 48K.
  return fillTemplate(_('{count} pulls'), { count: formatCount(downloads) });
}
