import { gettext as _, ngettext } from 'gettext';

import { ModelName } from '../ollama/model-name.js';
import { fillTemplate } from '../util/text.js';
import { AvailableModel } from './available-model.js';
import { CatalogFormatError } from './errors.js';
import { ModelTag } from './model-tag.js';

export interface ParsedCatalog {
  /** In the catalog's order. */
  models: AvailableModel[];
  /** Entries dropped for want of a usable name, and repeated families. */
  skipped: number;
}

// Generous limits: far above anything ollama.com has, low enough that a hostile
// catalog cannot make one row huge.
const MAX_DESCRIPTION = 500;
const MAX_TAGS = 1000;
const MAX_FEATURES = 16;
const MAX_CONTEXT = 16;
const MAX_INPUT = 64;
const FEATURE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
// C0 and C1 controls but tab, newline and return, which become spaces below; bidi
// overrides and isolates, which could make a description look like something else;
// and halves of surrogate pairs, which JSON allows but UTF-8 does not.
const UNWANTED_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const WHITESPACE_RUN = /\s+/g;

interface FamilyDraft {
  name: string;
  description: string;
  features: string[];
  tags: ModelTag[];
  tagNames: Set<string>;
  downloads: number | null;
  /** Built from `model:tag` entries, which may add tags to it later. */
  perTag: boolean;
}

type JsonRecord = Record<string, unknown>;

/**
 * Reads a model catalog in any of the formats Paddock knows (the library format,
 * with tag objects, plain tag lists, one `model:tag` entry per tag with its size in
 * bytes, and any of those wrapped as `{"models": […]}`). The input is untrusted: every
 * field is checked, missing and null fields are fine, bad entries are skipped and
 * counted. Throws CatalogFormatError only when nothing usable is left.
 */
export function parseCatalog(json: unknown): ParsedCatalog {
  const entries = entriesOf(json);
  const families = new Map<string, FamilyDraft>();
  let skipped = 0;
  for (const entry of entries) {
    if (!addEntry(families, entry)) skipped++;
  }
  if (families.size === 0)
    throw new CatalogFormatError(
      entries.length === 0
        ? _('the catalog lists no models')
        : fillTemplate(
            ngettext(
              'none of its {count} entries names a model',
              'none of its {count} entries names a model',
              entries.length,
            ),
            { count: entries.length },
          ),
    );
  const models: AvailableModel[] = [];
  for (const draft of families.values()) models.push(toModel(draft));
  return { models, skipped };
}

function entriesOf(json: unknown): readonly unknown[] {
  if (Array.isArray(json)) return json;
  if (isRecord(json) && Array.isArray(json.models)) return json.models;
  throw new CatalogFormatError(
    _('it is neither a list of models nor an object with a “models” list'),
  );
}

/** False when the entry is skipped. */
function addEntry(families: Map<string, FamilyDraft>, entry: unknown): boolean {
  if (!isRecord(entry)) return false;
  const fullName = typeof entry.name === 'string' ? entry.name : entry.model;
  if (typeof fullName !== 'string') return false;
  const [family, tag] = ModelName.splitTag(fullName.trim());
  if (!isFamilyName(family)) return false;
  const key = family.toLowerCase();
  const existing = families.get(key);

  if (Array.isArray(entry.tags)) {
    // A family with its tags (formats 1 and 2); "name:tag" has no place here.
    if (tag !== null || existing) return false;
    const draft = newDraft(family, entry, false);
    for (const item of entry.tags) {
      if (draft.tags.length >= MAX_TAGS) break;
      addTag(draft, tagOf(family, item));
    }
    families.set(key, draft);
    return true;
  }

  if (tag !== null || 'size' in entry || 'digest' in entry) {
    // One tag per entry (format 3): group them by family.
    const modelTag = tagOf(family, { ...entry, name: tag ?? 'latest' });
    if (modelTag === null || (existing && !existing.perTag)) return false;
    const draft = existing ?? newDraft(family, entry, true);
    if (existing) mergeDetails(draft, entry);
    else families.set(key, draft);
    return draft.tags.length < MAX_TAGS && addTag(draft, modelTag);
  }

  // A family without any tags.
  if (existing) return false;
  families.set(key, newDraft(family, entry, false));
  return true;
}

function newDraft(name: string, entry: JsonRecord, perTag: boolean): FamilyDraft {
  return {
    name,
    description: cleanText(entry.description, MAX_DESCRIPTION) ?? '',
    features: featuresOf(entry.features),
    tags: [],
    tagNames: new Set(),
    downloads: countOf(entry.downloads),
    perTag,
  };
}

/** Later `model:tag` entries of a family may know what the first one did not. */
function mergeDetails(draft: FamilyDraft, entry: JsonRecord): void {
  if (draft.description === '')
    draft.description = cleanText(entry.description, MAX_DESCRIPTION) ?? '';
  for (const feature of featuresOf(entry.features))
    if (!draft.features.includes(feature) && draft.features.length < MAX_FEATURES)
      draft.features.push(feature);
  const downloads = countOf(entry.downloads);
  if (downloads !== null) draft.downloads = Math.max(draft.downloads ?? 0, downloads);
}

/** False when the family already has a tag of that name. */
function addTag(draft: FamilyDraft, tag: ModelTag | null): boolean {
  if (tag === null) return false;
  const key = tag.name.toLowerCase();
  if (draft.tagNames.has(key)) return false;
  draft.tagNames.add(key);
  draft.tags.push(tag);
  return true;
}

function toModel(draft: FamilyDraft): AvailableModel {
  return new AvailableModel({
    name: draft.name,
    description: draft.description,
    features: draft.features,
    // A family listed without usable tags is still pullable: `ollama pull name` means :latest.
    tags: draft.tags.length > 0 ? draft.tags : [new ModelTag('latest', null)],
    downloads: draft.downloads,
  });
}

/** A tag from a plain string (format 2) or an object with size, context and input. */
function tagOf(family: string, item: unknown): ModelTag | null {
  if (typeof item === 'string')
    return isTagName(family, item.trim()) ? new ModelTag(item.trim(), null) : null;
  if (!isRecord(item) || typeof item.name !== 'string') return null;
  const name = item.name.trim();
  if (!isTagName(family, name)) return null;
  const size = item.size;
  let sizeBytes: number | null = null;
  if (typeof size === 'number') sizeBytes = Number.isSafeInteger(size) && size >= 0 ? size : null;
  else if (typeof size === 'string') sizeBytes = ModelTag.parseSize(size);
  return new ModelTag(name, sizeBytes, {
    context: contextOf(item.context),
    input: cleanText(item.input, MAX_INPUT),
    cloudOnly: typeof size === 'string' && size.trim() === '-',
  });
}

/** A family is a model name without a tag (a host may still carry a port). */
function isFamilyName(text: string): boolean {
  return text !== '' && ModelName.splitTag(text)[1] === null && ModelName.isValid(text);
}

function isTagName(family: string, tag: string): boolean {
  return tag !== '' && !tag.includes('/') && ModelName.isValid(`${family}:${tag}`);
}

function featuresOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const features: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const feature = item.trim().toLowerCase();
    if (FEATURE_PATTERN.test(feature) && !features.includes(feature)) features.push(feature);
    if (features.length >= MAX_FEATURES) break;
  }
  return features;
}

function countOf(value: unknown): number | null {
  return typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER
    ? Math.round(value)
    : null;
}

function contextOf(value: unknown): string | null {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  const text = cleanText(value, MAX_CONTEXT);
  return text === '-' ? null : text;
}

/** Plain one-line text: no control characters, single spaces, at most `max` characters. */
function cleanText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  let text = value.replace(UNWANTED_CHARACTERS, '').replace(WHITESPACE_RUN, ' ').trim();
  if (text.length > max) {
    let end = max - 1;
    // Never cut a surrogate pair in half.
    if (/[\ud800-\udbff]/.test(text[end - 1])) end--;
    text = `${text.slice(0, end).trimEnd()}…`;
  }
  return text === '' ? null : text;
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
