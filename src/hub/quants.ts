import type { HubFile } from './types.js';

/** One quantisation of a repository: a single GGUF file, or the parts of a split one. */
export interface Quant {
  /**
   * The scheme as the file name spells it, upper-cased: `Q4_K_M`, `IQ3_XXS`, `UD-Q4_K_XL`,
   * `BF16`. It is the tag of the pull name (the Hub matches tags case-insensitively).
   */
  name: string;
  /** Bytes: the sum of the parts present, for a split file. */
  size: number;
  /** Its files, in part order (one for a single file). */
  files: HubFile[];
  /** How many parts the file names announce (1 for a single file). */
  parts: number;
  /** Whether every announced part is in the tree. */
  complete: boolean;
  /** Approximate bits per weight (llama.cpp's figures), null for a scheme not known here. */
  bitsPerWeight: number | null;
}

export interface QuantList {
  /** Smallest first. */
  quants: Quant[];
  /** What to offer first (see chooseDefault); null when no quant can be pulled. */
  preferred: Quant | null;
  /** A vision projector (`mmproj…gguf`) beside the weights; Ollama does not pull it from hf.co. */
  visionProjector: HubFile | null;
}

/** Ollama's own default for an `hf.co/…` name without a tag. */
export const OLLAMA_DEFAULT_QUANT = 'Q4_K_M';

// The quant at the end of a file's name, after `-`, `.` or `_`: Q4_K_M, q4_k_m, IQ3_XXS,
// Q4_0_4_4, TQ1_0, UD-Q4_K_XL (unsloth's dynamic quants), BF16, F16, FP16, MXFP4.
const QUANT = /(?:^|[-._])((?:UD-)?(?:[IT]?Q\d(?:_[A-Z0-9]+)*|B?FP?(?:16|32)|MXFP4(?:_MOE)?))$/i;
const SPLIT = /-(\d{5})-of-(\d{5})$/i;

// Whole-model bits per weight of llama.cpp's schemes, as its quantize tables give them
// (about; the mixes vary by model). Only used to rank quants, never shown.
const BITS: Record<string, number> = {
  IQ1_S: 1.56,
  IQ1_M: 1.75,
  TQ1_0: 1.69,
  IQ2_XXS: 2.06,
  TQ2_0: 2.06,
  IQ2_XS: 2.31,
  IQ2_S: 2.5,
  IQ2_M: 2.7,
  Q2_K: 2.96,
  Q2_K_S: 2.96,
  IQ3_XXS: 3.06,
  IQ3_XS: 3.3,
  IQ3_S: 3.44,
  Q3_K_S: 3.5,
  IQ3_M: 3.66,
  Q3_K: 3.91,
  Q3_K_M: 3.91,
  Q3_K_L: 4.27,
  IQ4_XS: 4.25,
  MXFP4: 4.25,
  MXFP4_MOE: 4.25,
  IQ4_NL: 4.5,
  Q4_0: 4.5,
  Q4_K_S: 4.58,
  Q4_K: 4.89,
  Q4_K_M: 4.89,
  Q4_1: 5,
  Q5_0: 5.5,
  Q5_K_S: 5.54,
  Q5_K: 5.69,
  Q5_K_M: 5.69,
  Q5_1: 6,
  Q6_K: 6.56,
  Q8_0: 8.5,
  BF16: 16,
  F16: 16,
  FP16: 16,
  F32: 32,
  FP32: 32,
};

/** What a file name says: its quant, and which part of how many it is. */
export interface QuantFileName {
  quant: string;
  part: number;
  parts: number;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The quant a GGUF file holds, by its name; null for a file that is not GGUF weights
 * (another extension, a vision projector, an importance matrix) or names no known scheme.
 */
export function quantOfFile(path: string): QuantFileName | null {
  const name = baseName(path);
  if (!/\.gguf$/i.test(name) || /mmproj|imatrix/i.test(name)) return null;
  let stem = name.slice(0, -'.gguf'.length);
  let part = 1;
  let parts = 1;
  const split = SPLIT.exec(stem);
  if (split) {
    part = Number(split[1]);
    parts = Number(split[2]);
    if (part < 1 || parts < 1 || part > parts) return null;
    stem = stem.slice(0, split.index);
  }
  const quant = QUANT.exec(stem)?.[1];
  return quant ? { quant: quant.toUpperCase(), part, parts } : null;
}

/**
 * Bits per weight of a scheme: its own figure, else its base's (`UD-Q4_K_XL` and
 * `Q6_K_L` are Q4_K and Q6_K with some tensors kept larger; `Q4_0_4_4` is Q4_0 laid out
 * for ARM), else half a bit over its digit.
 */
export function bitsPerWeight(quant: string): number | null {
  const scheme = quant.replace(/^UD-/, '');
  const candidates = [
    scheme,
    scheme.replace(/_X?L$/, ''),
    scheme.replace(/^(Q\d_\d)_\d_\d$/, '$1'),
  ];
  for (const candidate of candidates) if (candidate in BITS) return BITS[candidate];
  const digit = /^[IT]?Q(\d)/.exec(scheme)?.[1];
  return digit === undefined ? null : Number(digit) + 0.5;
}

/** Whether Ollama can pull it: the Hub refuses split ("sharded") GGUFs to Ollama. */
export function isPullable(quant: Quant): boolean {
  return quant.parts === 1 && quant.complete;
}

/**
 * The quant offered first: Q4_K_M when it can be pulled (Ollama's own default); else the
 * pullable quant whose bits per weight are nearest Q4_K_M's among those of at least 4 bits
 * (the smaller file on a tie), so the choice stays close in quality and size; else,
 * when every quant has fewer bits, the one with the most. Null when none can be pulled.
 */
export function chooseDefault(quants: readonly Quant[]): Quant | null {
  const pullable = quants.filter(isPullable);
  const exact = pullable.find((quant) => quant.name === OLLAMA_DEFAULT_QUANT);
  if (exact) return exact;
  const target = BITS[OLLAMA_DEFAULT_QUANT];
  const bits = (quant: Quant) => quant.bitsPerWeight ?? 0;
  const atLeastFour = pullable.filter((quant) => bits(quant) >= 4);
  if (atLeastFour.length > 0)
    return atLeastFour.reduce((best, quant) => {
      const distance = Math.abs(bits(quant) - target) - Math.abs(bits(best) - target);
      return distance < 0 || (distance === 0 && quant.size < best.size) ? quant : best;
    });
  if (pullable.length === 0) return null;
  return pullable.reduce((best, quant) => (bits(quant) > bits(best) ? quant : best));
}

/**
 * A repository's quants from its files: split parts grouped into one quant with their
 * total size, files that are not GGUF weights left out. Where two files hold the same
 * quant, a pullable one is kept.
 */
export function listQuants(files: readonly HubFile[]): QuantList {
  const groups = new Map<string, { quant: string; parts: number; files: Map<number, HubFile> }>();
  let visionProjector: HubFile | null = null;
  for (const file of files) {
    const parsed = quantOfFile(file.path);
    if (!parsed) {
      if (visionProjector === null && /mmproj.*\.gguf$/i.test(baseName(file.path)))
        visionProjector = file;
      continue;
    }
    // Parts of one split file differ only in their part number.
    const key = `${file.path.replace(/-\d{5}-of-\d{5}\.gguf$/i, '').toLowerCase()}#${parsed.parts}`;
    let group = groups.get(key);
    if (!group) {
      group = { quant: parsed.quant, parts: parsed.parts, files: new Map() };
      groups.set(key, group);
    }
    group.files.set(parsed.part, file);
  }
  const byName = new Map<string, Quant>();
  for (const group of groups.values()) {
    const parts = [...group.files.entries()].sort(([a], [b]) => a - b).map(([, file]) => file);
    const quant: Quant = {
      name: group.quant,
      size: parts.reduce((sum, file) => sum + file.size, 0),
      files: parts,
      parts: group.parts,
      complete: parts.length === group.parts,
      bitsPerWeight: bitsPerWeight(group.quant),
    };
    const other = byName.get(quant.name);
    if (!other || (!isPullable(other) && isPullable(quant))) byName.set(quant.name, quant);
  }
  const quants = [...byName.values()].sort(
    (a, b) => a.size - b.size || a.name.localeCompare(b.name),
  );
  return { quants, preferred: chooseDefault(quants), visionProjector };
}

/** The name Ollama pulls a quant by: `hf.co/author/repo:QUANT`. */
export function pullName(repoId: string, quant: Quant): string {
  return `hf.co/${repoId}:${quant.name}`;
}
