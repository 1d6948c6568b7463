import { gettext as _ } from 'gettext';

import { isMemorySize, type Connection } from '../config/connection.js';
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

/** The figures the user entered for a connection. */
export function enteredMemory(connection: Connection): ServerMemory {
  const entered = { kind: 'entered' } as const;
  return {
    ram: connection.ramBytes === undefined ? null : { bytes: connection.ramBytes, source: entered },
    gpu: connection.gpuBytes === undefined ? null : { bytes: connection.gpuBytes, source: entered },
  };
}

const UNITS: Record<string, number> = {
  '': 1e9,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * A memory size as people type it: "24", "24 GB", "15,6 GB", "16 GiB", "24576 MiB"
 * (gigabytes when no unit is given). Null for an empty field; an error for anything else.
 */
export function parseMemoryText(text: string): { bytes: number | null } | { error: string } {
  const clean = text.trim();
  if (clean === '') return { bytes: null };
  const match = /^(\d{1,7}(?:[.,]\d{1,3})?)\s*([a-z]*)$/i.exec(clean);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  const bytes = match && unit ? Math.round(Number(match[1].replace(',', '.')) * unit) : 0;
  if (!isMemorySize(bytes))
    return { error: _('Enter a size such as “24 GB”, or leave the field empty.') };
  return { bytes };
}
