import { gettext as _ } from 'gettext';

import { processorText } from '../../library/gpu-share.js';
import type { ModelState } from '../../library/model-states.js';
import { fillTemplate } from '../../util/text.js';
import { featureNames } from '../feature-pills.js';

/** A small mark on a model's row: a state (Loaded, Update available) or a capability. */
export interface ModelMark {
  label: string;
  /** Style classes besides the pill's: the colour of a state. */
  style: string | null;
}

/**
 * The marks of a model in the library: its states first (Loaded with where it runs,
 * Update available, Downloading N%), then what it can do.
 */
export function modelMarks(state: ModelState): ModelMark[] {
  const marks: ModelMark[] = [];
  if (state.running)
    marks.push({
      label: fillTemplate(_('Loaded · {where}'), { where: processorText(state.running) }),
      style: 'success',
    });
  if (state.outdated) marks.push({ label: _('Update available'), style: 'accent' });
  if (state.downloading !== null)
    marks.push({
      label: fillTemplate(_('Downloading {percent}%'), {
        percent: Math.floor(state.downloading * 100),
      }),
      style: 'accent',
    });
  for (const label of featureNames(state.capabilities ?? [])) marks.push({ label, style: null });
  return marks;
}
