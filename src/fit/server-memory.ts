import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';

/**
 * Where a figure comes from: measured on this computer (a loopback server), entered by
 * the user in the connection dialog, or seen in /api/ps when a model was loaded.
 */
export type MemorySource =
  | { readonly kind: 'measured' }
  | { readonly kind: 'entered' }
  | { readonly kind: 'observed'; readonly model: string };

export interface MemoryFigure {
  readonly bytes: number;
  readonly source: MemorySource;
}

/** The memory a server has; null where it is not known. */
export interface ServerMemory {
  /** System memory (RAM). */
  readonly ram: MemoryFigure | null;
  /** GPU memory (VRAM), all GPUs together. */
  readonly gpu: MemoryFigure | null;
}

export const UNKNOWN_MEMORY: ServerMemory = { ram: null, gpu: null };

/** "measured on this computer", "entered by you", "seen when qwen3:8b was loaded". */
export function sourceText(source: MemorySource): string {
  switch (source.kind) {
    case 'measured':
      return _('measured on this computer');
    case 'entered':
      return _('entered by you');
    case 'observed':
      return fillTemplate(_('seen when {model} was loaded'), { model: source.model });
  }
}

/**
 * Each figure with its source: entered beats measured (the user knows better, e.g. a GPU
 * the kernel does not report), measured beats observed (a model's share is a lower bound).
 */
export function combineMemory(...memories: readonly ServerMemory[]): ServerMemory {
  const rank = { entered: 0, measured: 1, observed: 2 };
  const best = (figures: (MemoryFigure | null)[]) =>
    figures
      .filter((figure): figure is MemoryFigure => figure !== null)
      .sort((a, b) => rank[a.source.kind] - rank[b.source.kind])[0] ?? null;
  return {
    ram: best(memories.map((memory) => memory.ram)),
    gpu: best(memories.map((memory) => memory.gpu)),
  };
}
