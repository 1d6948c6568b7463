import { gettext as _ } from 'gettext';

import type { RunningModel } from '../ollama/types.js';
import { fillTemplate } from '../util/text.js';

/** The part of a loaded model in GPU memory, 0–100, or null when the server's sizes say nothing. */
export function gpuPercent(model: Pick<RunningModel, 'size' | 'size_vram'>): number | null {
  if (model.size <= 0 || model.size_vram > model.size) return null;
  return Math.round((model.size_vram / model.size) * 100);
}

/**
 * Where a loaded model runs, the way `ollama ps` says it (same tests, same rounding):
 * "100% GPU", "100% CPU", "48%/52% CPU/GPU".
 */
export function processorText(model: Pick<RunningModel, 'size' | 'size_vram'>): string {
  // Translators: where a loaded model runs, as `ollama ps` prints it.
  if (model.size_vram === 0) return _('100% CPU');
  // Translators: where a loaded model runs, as `ollama ps` prints it.
  if (model.size_vram === model.size) return _('100% GPU');
  if (model.size <= 0 || model.size_vram > model.size) return _('unknown');
  const cpu = Math.round(((model.size - model.size_vram) / model.size) * 100);
  // Translators: where a loaded model runs, as `ollama ps` prints it: CPU share, then GPU share.
  return fillTemplate(_('{cpu}%/{gpu}% CPU/GPU'), { cpu, gpu: 100 - cpu });
}
