import GObject from 'gi://GObject';

import type { ModelTag } from './model-tag.js';

/** Bigger downloads are never the default: few machines can run them. */
const DEFAULT_SIZE_LIMIT = 100e9;

export interface SizeRange {
  min: number;
  max: number;
}

export interface AvailableModelInit {
  /** The family as `ollama pull` takes it without a tag: "llama3.2", "user/model". */
  name: string;
  description?: string;
  features?: readonly string[];
  tags?: readonly ModelTag[];
  downloads?: number | null;
}

/**
 * A model family of the catalog, for list models and search. It is immutable: a new
 * catalog brings new objects, and what it derives from the catalog is worked out once.
 */
export class AvailableModel extends GObject.Object {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockAvailableModel',
        Properties: {
          name: GObject.ParamSpec.string('name', null, null, GObject.ParamFlags.READABLE, ''),
          description: GObject.ParamSpec.string(
            'description',
            null,
            null,
            GObject.ParamFlags.READABLE,
            '',
          ),
        },
      },
      this,
    );
  }

  #name: string;
  #description: string;
  /** tools, vision, embedding, thinking, … */
  readonly features: readonly string[];
  /** By size, smallest first; tags of unknown size after those, cloud tags last. */
  readonly tags: readonly ModelTag[];
  /** Pulls counted by ollama.com; null when the catalog does not say. */
  readonly downloads: number | null;
  /**
   * The largest plain size tag ("8b", not "8b-q8_0") up to 100 GB; else the smallest;
   * never a cloud tag or a proxy stub; null when there is nothing to download.
   */
  readonly defaultTag: ModelTag | null;
  /** Smallest and largest download; null when no size is known. */
  readonly sizeRange: SizeRange | null;
  /** `user/model` rather than one of ollama.com's own. */
  readonly isCommunity: boolean;
  /** Every tag runs on ollama.com. */
  readonly isCloudOnly: boolean;
  /** The name in lower case, for looking it up (AvailableModels.find()). */
  readonly searchText: string;

  constructor(init: AvailableModelInit) {
    super();
    this.#name = init.name;
    this.#description = init.description ?? '';
    this.features = Object.freeze([...(init.features ?? [])]);
    this.tags = Object.freeze(AvailableModel.sortTags(init.tags ?? []));
    this.downloads = init.downloads ?? null;
    this.defaultTag = AvailableModel.pickDefault(this.tags);
    this.sizeRange = AvailableModel.rangeOf(this.tags);
    this.isCommunity = init.name.includes('/');
    this.isCloudOnly = this.tags.length > 0 && this.tags.every((tag) => tag.isCloud);
    this.searchText = init.name.toLowerCase();
  }

  get name(): string {
    return this.#name;
  }

  /** Plain text: escape it before using it in Pango markup. */
  get description(): string {
    return this.#description;
  }

  /** The tag of that name (ignoring case), or null. */
  findTag(name: string): ModelTag | null {
    const wanted = name.toLowerCase();
    return this.tags.find((tag) => tag.name.toLowerCase() === wanted) ?? null;
  }

  private static sortTags(tags: readonly ModelTag[]): ModelTag[] {
    const order = (tag: ModelTag): number => (tag.isCloud ? 2 : tag.sizeBytes === null ? 1 : 0);
    // Array.prototype.sort is stable: tags of equal size stay in the catalog's order.
    return [...tags].sort((a, b) => order(a) - order(b) || (a.sizeBytes ?? 0) - (b.sizeBytes ?? 0));
  }

  /** `tags` is sorted: downloads of known size come first, smallest first. */
  private static pickDefault(tags: readonly ModelTag[]): ModelTag | null {
    const local = tags.filter((tag) => !tag.isCloud && !isProxyStub(tag));
    // Plain size tags ("8b", "latest") over their quantisation variants ("8b-q8_0"):
    // the variants are for people who know they want one.
    const plain = local.filter((tag) => !tag.name.includes('-'));
    const sized = (plain.some((tag) => tag.sizeBytes !== null) ? plain : local).filter(
      (tag) => tag.sizeBytes !== null,
    );
    const fitting = sized.filter((tag) => tag.sizeBytes! <= DEFAULT_SIZE_LIMIT);
    if (fitting.length > 0) {
      const largest = fitting[fitting.length - 1].sizeBytes;
      const candidates = fitting.filter((tag) => tag.sizeBytes === largest);
      return candidates.find((tag) => tag.name === 'latest') ?? candidates[0];
    }
    if (sized.length > 0) return sized[0];
    // No sizes at all (a plain tag list): what `ollama pull name` would fetch.
    return local.find((tag) => tag.name === 'latest') ?? local[0] ?? null;
  }

  private static rangeOf(tags: readonly ModelTag[]): SizeRange | null {
    let min = Infinity;
    let max = -Infinity;
    for (const tag of tags) {
      if (tag.isCloud || tag.sizeBytes === null) continue;
      min = Math.min(min, tag.sizeBytes);
      max = Math.max(max, tag.sizeBytes);
    }
    return min === Infinity ? null : { min, max };
  }
}

/** Community "cloud proxy" tags of a few hundred bytes: nothing a person means to download. */
function isProxyStub(tag: ModelTag): boolean {
  return tag.sizeBytes !== null && tag.sizeBytes < 1_000_000;
}
