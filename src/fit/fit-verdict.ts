import { gettext as _ } from 'gettext';

import { fillTemplate, formatBytes } from '../util/text.js';
import type { MemoryNeed } from './memory-need.js';
import { sourceText, type MemoryFigure, type ServerMemory } from './server-memory.js';

export type FitVerdict = 'fits-gpu' | 'partly-cpu' | 'too-large' | 'unknown';

export interface Fit {
  readonly verdict: FitVerdict;
  /** What the model needs (MemoryNeed.total). */
  readonly needs: number;
  /** The memory the verdict was measured against, null when unknown. */
  readonly has: MemoryFigure | null;
  /** For people, e.g. "Fits in GPU memory"; null when unknown. */
  readonly text: string | null;
}

/**
 * Whether a model runs on a server: entirely in GPU memory; partly on the CPU (Ollama puts
 * the layers that do not fit in GPU memory into system memory); or not at all (more than
 * GPU and system memory together). Without a GPU figure only "too large" can be said
 * for sure; without any figure nothing.
 */
export function judgeFit(need: MemoryNeed, memory: ServerMemory): Fit {
  const { gpu, ram } = memory;
  const needs = need.total;
  if (gpu !== null && needs <= gpu.bytes)
    return { verdict: 'fits-gpu', needs, has: gpu, text: _('Fits in GPU memory') };
  const both = gpu !== null && ram !== null ? sum(gpu, ram) : ram;
  if (both !== null && needs > both.bytes)
    return {
      verdict: 'too-large',
      needs,
      has: both,
      text: fillTemplate(_('Too large for this server (needs ~{needs}, has {has})'), {
        needs: formatBytes(needs),
        has: formatBytes(both.bytes),
      }),
    };
  if (gpu !== null)
    return {
      verdict: 'partly-cpu',
      needs,
      has: both ?? gpu,
      text: _('Runs partly on the CPU (slower)'),
    };
  return { verdict: 'unknown', needs, has: null, text: null };
}

/** GPU and system memory together, with the GPU figure's source (the one that decided). */
function sum(gpu: MemoryFigure, ram: MemoryFigure): MemoryFigure {
  return { bytes: gpu.bytes + ram.bytes, source: gpu.source };
}

/** "24 GB (entered by you)". */
export function memoryFigureText(figure: MemoryFigure): string {
  return fillTemplate(_('{size} ({source})'), {
    size: formatBytes(figure.bytes),
    source: sourceText(figure.source),
  });
}

/**
 * The size to offer first: the largest (by need) that fits entirely in GPU memory, when
 * the GPU memory is known and one does; null otherwise (then the usual rule applies).
 * Sizes whose need is unknown are passed over.
 */
export function largestFittingSize<T>(
  sizes: readonly T[],
  needOf: (size: T) => MemoryNeed | null,
  memory: ServerMemory,
): T | null {
  if (memory.gpu === null) return null;
  let best: { size: T; total: number } | null = null;
  for (const size of sizes) {
    const need = needOf(size);
    if (need === null || judgeFit(need, memory).verdict !== 'fits-gpu') continue;
    if (best === null || need.total > best.total) best = { size, total: need.total };
  }
  return best?.size ?? null;
}
