import { gettext as _ } from 'gettext';

import { speedText } from '../library/speed-record.js';
import type { InstalledModel } from '../ollama/types.js';
import { fillTemplate, formatAge, formatBytes } from '../util/text.js';

/**
 * One line about an installed model: parameters, quantisation, family, size, when it was
 * modified, and the last speed measured (when known).
 */
export function modelSummary(model: InstalledModel, tokensPerSecond: number | null = null): string {
  const details = model.details;
  const age = formatAge(model.modified_at);
  return [
    details.parameter_size,
    details.quantization_level,
    details.family,
    formatBytes(model.size),
    age ? fillTemplate(_('modified {age}'), { age }) : null,
    tokensPerSecond === null ? null : speedText(tokensPerSecond),
  ]
    .filter((fact): fact is string => Boolean(fact))
    .join(' · ');
}
