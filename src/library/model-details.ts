import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import type { InstalledModel, ShowReply } from '../ollama/types.js';
import { fillTemplate, formatAge, formatBytes } from '../util/text.js';

/** What a fact is, whatever the language: for `--json`, widget names and specs. */
export type FactKey =
  | 'architecture'
  | 'parameter_count'
  | 'context_length'
  | 'embedding_length'
  | 'layers'
  | 'attention_heads'
  | 'quantization'
  | 'capabilities'
  | 'size'
  | 'digest'
  | 'modified';

/** One line of the details: a label and its value, both plain text for people. */
export interface DetailFact {
  key: FactKey;
  label: string;
  value: string;
}

/** The licence as the page shows it: its first lines, and the whole text behind "more". */
export interface LicenseText {
  summary: string;
  text: string;
  /** Whether the text goes on after the summary. */
  more: boolean;
}

/** The stable shape of `paddock show --json` (docs/cli.md): null where the server said nothing. */
export interface ModelDetailsJson {
  name: string;
  architecture: string | null;
  family: string | null;
  format: string | null;
  parameter_count: number | null;
  parameter_size: string | null;
  quantization: string | null;
  context_length: number | null;
  embedding_length: number | null;
  block_count: number | null;
  head_count: number | null;
  head_count_kv: number | null;
  capabilities: string[];
  size: number | null;
  digest: string | null;
  modified_at: string | null;
  license: string | null;
  system: string | null;
  template: string | null;
  parameters: string | null;
  modelfile: string | null;
}

const SUMMARY_LINES = 3;
const SHORT_DIGEST = 12;

/**
 * What the details page shows of one installed model, from its /api/show reply and its
 * /api/tags entry (which alone has the digest and the size on disk): the facts in display
 * order with their labels, then the long texts. Plain text throughout; the page lays it out.
 */
export class ModelDetails {
  readonly name: string;
  /** Facts the server gave, in display order; the ones it left out are left out. */
  readonly facts: readonly DetailFact[];
  readonly capabilities: readonly string[];
  readonly license: LicenseText | null;
  readonly system: string | null;
  readonly template: string | null;
  readonly parameters: string | null;
  readonly modelfile: string | null;
  private readonly json: ModelDetailsJson;

  constructor(
    name: string,
    show: ShowReply,
    installed: InstalledModel | null = null,
    now: GLib.DateTime = GLib.DateTime.new_now_utc(),
  ) {
    this.name = name;
    const info = show.model_info;
    const details = show.details;
    const text = (value: string | undefined) => (value?.trim() ? value : null);
    const digest = text(installed?.digest);
    const modifiedAt = text(show.modified_at) ?? text(installed?.modified_at);
    this.json = {
      name,
      architecture: info.architecture ?? null,
      family: text(details.family),
      format: text(details.format),
      parameter_count: info.parameter_count ?? null,
      parameter_size: text(details.parameter_size),
      quantization: text(details.quantization_level),
      context_length: info.context_length ?? null,
      embedding_length: info.embedding_length ?? null,
      block_count: info.block_count ?? null,
      head_count: info.head_count ?? null,
      head_count_kv: info.head_count_kv ?? null,
      capabilities: [...show.capabilities],
      size: installed?.size ?? null,
      digest,
      modified_at: modifiedAt,
      license: text(show.license),
      system: text(show.system),
      template: text(show.template),
      parameters: text(show.parameters),
      modelfile: text(show.modelfile),
    };
    const json = this.json;
    this.capabilities = json.capabilities;
    this.system = json.system;
    this.template = json.template;
    this.parameters = json.parameters;
    this.modelfile = json.modelfile;
    this.license = json.license === null ? null : ModelDetails.summarize(json.license);

    const facts: [FactKey, string, string | null][] = [
      ['architecture', _('Architecture'), json.architecture ?? json.family],
      [
        'parameter_count',
        _('Parameters'),
        json.parameter_count
          ? ModelDetails.formatParameters(json.parameter_count)
          : json.parameter_size,
      ],
      [
        'context_length',
        _('Context length'),
        json.context_length
          ? fillTemplate(_('{count} tokens'), { count: json.context_length.toLocaleString() })
          : null,
      ],
      [
        'embedding_length',
        _('Embedding length'),
        json.embedding_length ? json.embedding_length.toLocaleString() : null,
      ],
      ['layers', _('Layers'), json.block_count ? json.block_count.toLocaleString() : null],
      ['attention_heads', _('Attention heads'), ModelDetails.formatHeads(json)],
      ['quantization', _('Quantization'), json.quantization],
      [
        'capabilities',
        _('Capabilities'),
        json.capabilities.length > 0 ? json.capabilities.join(', ') : null,
      ],
      ['size', _('Size on disk'), json.size === null ? null : formatBytes(json.size)],
      ['digest', _('Digest'), digest === null ? null : digest.slice(0, SHORT_DIGEST)],
      ['modified', _('Modified'), modifiedAt === null ? null : formatAge(modifiedAt, now)],
    ];
    this.facts = facts.flatMap(([key, label, value]) => (value ? [{ key, label, value }] : []));
  }

  /** The fact called `key`, or null when the server did not give it. */
  fact(key: FactKey): DetailFact | null {
    return this.facts.find((fact) => fact.key === key) ?? null;
  }

  /** The numbers and texts as they came, for `paddock show --json`. */
  toJson(): ModelDetailsJson {
    return { ...this.json, capabilities: [...this.json.capabilities] };
  }

  /** "8.2 B", "137 M", "1.2 T": the way models are named by size. */
  static formatParameters(count: number): string {
    const units: [number, string][] = [
      [1e12, 'T'],
      [1e9, 'B'],
      [1e6, 'M'],
      [1e3, 'K'],
    ];
    for (const [scale, unit] of units) {
      if (count < scale) continue;
      const digits = count >= 100 * scale ? 0 : 1;
      const amount = (count / scale).toLocaleString(undefined, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      // The letters are how models are named everywhere ("8b"), in every language.
      return `${amount} ${unit}`;
    }
    return count.toLocaleString();
  }

  /** The first lines that say something (a licence often starts with a blank line). */
  private static summarize(text: string): LicenseText {
    const lines = text.split('\n').map((line) => line.trim());
    const first = lines.findIndex((line) => line !== '');
    const kept = lines.slice(first, first + SUMMARY_LINES);
    const rest = lines.slice(first + SUMMARY_LINES);
    return {
      summary: kept.join('\n').trim(),
      text,
      more: rest.some((line) => line !== ''),
    };
  }

  private static formatHeads(json: ModelDetailsJson): string | null {
    if (!json.head_count) return null;
    const heads = json.head_count.toLocaleString();
    if (!json.head_count_kv || json.head_count_kv === json.head_count) return heads;
    // Translators: attention heads of a model: all of them, and how many key/value heads they share.
    return fillTemplate(_('{heads} ({kv} for keys and values)'), {
      heads,
      kv: json.head_count_kv.toLocaleString(),
    });
  }
}
