import type { ModelTag } from './model-tag.js';

/**
 * A parameter size as tags start with it: "8b", "0.6b", "270m", "e2b" (gemma3n),
 * "16x17b" (mixture of experts). Bounded digits: the tag comes from the catalog.
 */
const SIZE_TOKEN = /^(?:\d{1,4}x)?e?\d{1,5}(?:\.\d{1,3})?[kmbt]$/i;

/** How a server would run a size: what the fit verdicts say (see src/fit/). */
export type FitKind = 'fits-gpu' | 'partly-cpu' | 'too-large' | 'unknown';

/** One entry of the Size list: a parameter size and the tags that download it. */
export interface SizeChoice {
  /** "8b"; a tag's own name when it has no size ("latest", "v1.5", "Q4_K_M", "cloud"). */
  readonly size: string;
  /** What picking the size pulls: the plain tag ("8b"), else "latest", else the likeliest. */
  readonly defaultTag: ModelTag;
  /** Every tag of the size, the default first, then the catalog's order (smallest first). */
  readonly variants: readonly ModelTag[];
  /** A real parameter size, not a tag without one ("latest" that nothing matched). */
  readonly isParameterSize: boolean;
  /** Every variant runs on ollama.com. */
  readonly isCloud: boolean;
}

/** Where a tag sits in the Size and Variant lists. */
export interface SizeVariantPosition {
  readonly size: number;
  readonly variant: number;
}

/** The size a tag starts with ("8b" of "8b-q8_0"), or null ("latest", "instruct"). */
export function sizeTokenOf(tagName: string): string | null {
  const lead = tagName.split('-')[0];
  return SIZE_TOKEN.test(lead) ? lead : null;
}

/**
 * Groups a family's tags (sorted as AvailableModel sorts them) by parameter size. Tags
 * without a size ("latest", "instruct", "v1.6", "scout") are aliases on ollama.com: such a
 * tag joins the size whose plain tag has the same download size, when exactly one does;
 * otherwise it stays an entry of its own. The list is ordered by the default tag's
 * download, smallest first; sizes of unknown download next, cloud-only sizes last.
 */
export function groupSizes(tags: readonly ModelTag[]): SizeChoice[] {
  const bySize = new Map<string, { size: string; tags: ModelTag[] }>();
  const loose: ModelTag[] = [];
  for (const tag of tags) {
    const token = sizeTokenOf(tag.name);
    if (token === null) {
      loose.push(tag);
      continue;
    }
    const key = token.toLowerCase();
    const group = bySize.get(key);
    if (group) group.tags.push(tag);
    else bySize.set(key, { size: token, tags: [tag] });
  }
  const groups = [...bySize.values()].map((group) => ({ ...group, sized: true }));
  const own: { size: string; tags: ModelTag[]; sized: boolean }[] = [];
  for (const tag of loose) {
    const target = aliasTarget(tag, groups);
    if (target) target.tags.push(tag);
    else own.push({ size: tag.name, tags: [tag], sized: false });
  }
  const catalogOrder = new Map(tags.map((tag, index) => [tag, index]));
  const choices = [...groups, ...own].map((group) =>
    makeChoice(
      group.size,
      group.tags.sort((a, b) => catalogOrder.get(a)! - catalogOrder.get(b)!),
      group.sized,
    ),
  );
  const order = (choice: SizeChoice): number =>
    choice.isCloud ? 2 : choice.defaultTag.sizeBytes === null ? 1 : 0;
  // Array.prototype.sort is stable: equal downloads keep the catalog's order.
  return choices.sort(
    (a, b) => order(a) - order(b) || (a.defaultTag.sizeBytes ?? 0) - (b.defaultTag.sizeBytes ?? 0),
  );
}

/** The size and variant of a tag (ignoring case); null when the family has no such tag. */
export function findSizeVariant(
  sizes: readonly SizeChoice[],
  tagName: string,
): SizeVariantPosition | null {
  const wanted = tagName.toLowerCase();
  for (let size = 0; size < sizes.length; size++) {
    const variant = sizes[size].variants.findIndex((tag) => tag.name.toLowerCase() === wanted);
    if (variant >= 0) return { size, variant };
  }
  return null;
}

/** What is known of one size's fit on the chosen server. */
export interface SizeFit {
  readonly kind: FitKind;
  /** The adviser recommends this size above the others. */
  readonly preferred?: boolean;
}

/**
 * The size chosen before the user chooses: one the adviser prefers; else the largest
 * parameter size that fits entirely in GPU memory; else the size of the catalog's default
 * tag (AvailableModel.defaultTag); else the first. Cloud sizes are never the default.
 */
export function pickDefaultSize(
  sizes: readonly SizeChoice[],
  catalogDefault: ModelTag | null,
  fitOf: (choice: SizeChoice) => SizeFit | null,
): number {
  const candidates = sizes
    .map((choice, index) => ({ choice, index, fit: fitOf(choice) }))
    .filter(({ choice }) => !choice.isCloud);
  const preferred = candidates.find(({ fit }) => fit?.preferred === true);
  if (preferred) return preferred.index;
  let largest: { index: number; bytes: number } | null = null;
  for (const { choice, index, fit } of candidates) {
    const bytes = choice.defaultTag.sizeBytes;
    if (!choice.isParameterSize || fit?.kind !== 'fits-gpu' || bytes === null) continue;
    if (!largest || bytes > largest.bytes) largest = { index, bytes };
  }
  if (largest) return largest.index;
  const catalogs = catalogDefault ? findSizeVariant(sizes, catalogDefault.name) : null;
  return catalogs?.size ?? 0;
}

function aliasTarget<T extends { size: string; tags: ModelTag[] }>(
  alias: ModelTag,
  groups: readonly T[],
): T | null {
  if (alias.isCloud || alias.sizeBytes === null) return null;
  const matching = groups.filter((group) => {
    const lead = leadTag(group.size, group.tags);
    return !lead.isCloud && lead.sizeBytes === alias.sizeBytes;
  });
  return matching.length === 1 ? matching[0] : null;
}

/** The plain tag of a size ("8b"), else its likeliest default among its own tags. */
function leadTag(size: string, tags: readonly ModelTag[]): ModelTag {
  const lower = size.toLowerCase();
  return (
    tags.find((tag) => tag.name.toLowerCase() === lower) ??
    tags.find((tag) => !tag.isCloud && /q4_k_m$/i.test(tag.name)) ??
    tags.find((tag) => !tag.isCloud) ??
    tags[0]
  );
}

function makeChoice(size: string, tags: readonly ModelTag[], sized: boolean): SizeChoice {
  const lower = size.toLowerCase();
  // The plain tag, else what `ollama pull family` fetches, else another tag of no size.
  const defaultTag =
    tags.find((tag) => tag.name.toLowerCase() === lower) ??
    tags.find((tag) => tag.name === 'latest' && !tag.isCloud) ??
    tags.find((tag) => sizeTokenOf(tag.name) === null && !tag.isCloud) ??
    leadTag(size, tags);
  return {
    size,
    defaultTag,
    variants: [defaultTag, ...tags.filter((tag) => tag !== defaultTag)],
    isParameterSize: sized,
    isCloud: tags.every((tag) => tag.isCloud),
  };
}
