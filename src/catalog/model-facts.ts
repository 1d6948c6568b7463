import { gettext as _, ngettext } from 'gettext';

import { formatBytes, fillTemplate } from '../util/text.js';
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
    const count = rounded >= 1000 && index > 0 ? `1${units[index - 1][1]}` : `${rounded}${suffix}`;
    // Translators: {count} is an abbreviated number such as 1.2M or 48K.
    return fillTemplate(_('{count} pulls'), { count });
  }
  return fillTemplate(_('{count} pulls'), { count: downloads });
}
