import { gettext as _ } from 'gettext';

import { cutText, fillTemplate, formatBytes, oneLine } from '../util/text.js';
import { GgufHeaderError } from './errors.js';

/** What the memory estimate needs from a GGUF header. */
export interface GgufFacts {
  readonly architecture: string;
  readonly blockCount: number;
  readonly contextLength: number;
  readonly embeddingLength: number;
  readonly feedForwardLength: number | null;
  /** One value for every layer, or one per layer when the header lists them. */
  readonly headCount: readonly number[];
  readonly headCountKv: readonly number[];
  readonly keyLength: number | null;
  readonly valueLength: number | null;
  /** gemma2/3: the local (sliding window) layers' window. */
  readonly slidingWindow: number | null;
  readonly expertCount: number | null;
  /** Entries of tokenizer.ggml.tokens; null when the parser stopped before that list. */
  readonly vocabSize: number | null;
  readonly fileType: number | null;
  /** Ollama's multimodal files (gemma3, mistral3): the vision encoder's shape. */
  readonly vision: VisionFacts | null;
}

export interface VisionFacts {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly channels: number;
  readonly headCount: number;
  readonly embeddingLength: number;
}

export interface GgufParserOptions {
  /** The file's size: lengths pointing past it are lies. */
  fileSize?: number | null;
  /** Bytes handed in before the parser gives up (default 2 MiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 2 * 1024 * 1024;
/** Real keys are under 100 bytes. */
const MAX_KEY_BYTES = 1024;
/** Chat templates and licences are tens of KB. */
const MAX_STRING_BYTES = 1024 * 1024;
/** gemma3's 262,144 tokens are the largest lists known; 64 times that is a lie. */
const MAX_ARRAY_ITEMS = 1 << 24;
const MAX_KV_COUNT = 1 << 16;
/** The largest models have under 200 layers. */
export const MAX_LAYERS = 4096;
/** Per-layer lists (head counts) are kept; longer numeric lists are skipped unread. */
const MAX_KEPT_ITEMS = 4096;
/** Architecture names and the like; longer strings are not kept. */
const MAX_KEPT_STRING = 256;

const STRING = 8;
const ARRAY = 9;
/** Bytes of each fixed-size GGUF value type; strings and arrays are not fixed. */
const FIXED_SIZE: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};
const TOKENS = 'tokenizer.ggml.tokens';

type Value = number | string | number[];

type State =
  | { kind: 'header' }
  | { kind: 'key' }
  | { kind: 'value'; key: string; type: number }
  | { kind: 'array'; key: string }
  | { kind: 'strings'; left: number }
  | { kind: 'done' };

/**
 * Reads a GGUF header from chunks of bytes, as they arrive, and stops as soon as the keys
 * the memory estimate needs are in: the architecture's keys and the size of the token
 * list, which files written by llama.cpp and Ollama put before the tokenizer's
 * multi-megabyte lists. Numeric lists are skipped without their bytes (`offset` jumps);
 * every length is checked against a cap and the file size, and the bytes handed in are
 * capped, so a hostile header costs at most `maxBytes`.
 */
export class GgufHeaderParser {
  readonly #fileSize: number | null;
  readonly #maxBytes: number;
  readonly #values = new Map<string, Value>();
  #state: State = { kind: 'header' };
  /** Bytes not consumed yet, starting at file offset #start. */
  #buffer: Uint8Array = new Uint8Array(0);
  #start = 0;
  /** File offset of the next unparsed byte (#start + what was consumed of #buffer). */
  #position = 0;
  #kvLeft = 0;
  #bytesRead = 0;
  #vocabSize: number | null = null;

  constructor(options: GgufParserOptions = {}) {
    this.#fileSize = options.fileSize ?? null;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_HEADER_BYTES;
  }

  /** The file offset the next chunk must start at. */
  get offset(): number {
    return Math.max(this.#start + this.#buffer.length, this.#position);
  }

  /** The bytes handed in so far. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  get done(): boolean {
    return this.#state.kind === 'done';
  }

  /** Feeds the bytes that start at `offset`; true once the facts are in. */
  push(chunk: Uint8Array): boolean {
    if (this.done) return true;
    this.#bytesRead += chunk.length;
    if (this.#position > this.#start + this.#buffer.length) {
      // A skipped list ended beyond what was buffered: the chunk starts after it.
      this.#buffer = chunk;
      this.#start = this.#position;
    } else {
      const joined = new Uint8Array(
        this.#buffer.length - (this.#position - this.#start) + chunk.length,
      );
      joined.set(this.#buffer.subarray(this.#position - this.#start));
      joined.set(chunk, joined.length - chunk.length);
      this.#buffer = joined;
      this.#start = this.#position;
    }
    while (this.#state.kind !== 'done' && this.#step());
    if (!this.done && this.#bytesRead >= this.#maxBytes) throw keysNotWithin(this.#maxBytes);
    return this.done;
  }

  /** No more bytes come (the file ended): an error unless the facts are in. */
  end(): void {
    if (!this.done)
      throw new GgufHeaderError(
        fillTemplate(_('it ends after {size}'), { size: formatBytes(this.offset) }),
      );
  }

  /** The facts, once `done`; a GgufHeaderError names a key the header lacks. */
  facts(): GgufFacts {
    const arch = this.#string('general.architecture');
    const count = (key: string) => this.#number(arch + '.' + key);
    const required = (key: string) => {
      const value = count(key);
      if (value === null || value <= 0)
        throw new GgufHeaderError(
          fillTemplate(_('it has no “{key}”'), { key: safeKey(arch + '.' + key) }),
        );
      return value;
    };
    const blockCount = required('block_count');
    if (blockCount > MAX_LAYERS)
      throw new GgufHeaderError(fillTemplate(_('it claims {count} layers'), { count: blockCount }));
    const headCount = this.#list(arch + '.attention.head_count');
    if (headCount === null || headCount.every((heads) => heads <= 0))
      throw new GgufHeaderError(
        fillTemplate(_('it has no “{key}”'), { key: safeKey(arch + '.attention.head_count') }),
      );
    return {
      architecture: arch,
      blockCount,
      contextLength: required('context_length'),
      embeddingLength: required('embedding_length'),
      feedForwardLength: count('feed_forward_length'),
      headCount,
      // llama.cpp's default: as many key/value heads as query heads.
      headCountKv: this.#list(arch + '.attention.head_count_kv') ?? headCount,
      keyLength: count('attention.key_length'),
      valueLength: count('attention.value_length'),
      slidingWindow: count('attention.sliding_window'),
      expertCount: count('expert_count'),
      vocabSize: this.#vocabSize,
      fileType: this.#number('general.file_type'),
      vision: this.#vision(arch),
    };
  }

  #vision(arch: string): VisionFacts | null {
    const value = (key: string) => this.#number(arch + '.vision.' + key) ?? 0;
    if (value('block_count') <= 0 || value('patch_size') <= 0) return null;
    return {
      imageSize: value('image_size'),
      patchSize: value('patch_size'),
      channels: value('num_channels'),
      headCount: value('attention.head_count'),
      embeddingLength: value('embedding_length'),
    };
  }

  #string(key: string): string {
    const value = this.#values.get(key);
    if (typeof value !== 'string' || value === '')
      throw new GgufHeaderError(fillTemplate(_('it has no “{key}”'), { key }));
    return value;
  }

  #number(key: string): number | null {
    const value = this.#values.get(key);
    return typeof value === 'number' ? value : null;
  }

  #list(key: string): number[] | null {
    const value = this.#values.get(key);
    if (typeof value === 'number') return [value];
    return Array.isArray(value) && value.length > 0 ? value : null;
  }

  /** Whether the keys are in: the architecture's, and the token count unless a list came first. */
  #haveKeys(): boolean {
    const arch = this.#values.get('general.architecture');
    if (typeof arch !== 'string') return false;
    return ['block_count', 'context_length', 'embedding_length', 'attention.head_count'].every(
      (key) => this.#values.has(arch + '.' + key),
    );
  }

  /** Parses one piece; false when it needs more bytes. */
  #step(): boolean {
    const state = this.#state;
    switch (state.kind) {
      case 'header':
        return this.#header();
      case 'key':
        return this.#key();
      case 'value':
        return this.#value(state.key, state.type);
      case 'array':
        return this.#arrayHead(state.key);
      case 'strings':
        return this.#stringItem(state.left);
      case 'done':
        return false;
    }
  }

  #header(): boolean {
    if (this.#available() >= 4 && decodeLatin1(this.#bytes(0, 4)) !== 'GGUF')
      throw new GgufHeaderError(_('it does not start with GGUF'));
    if (this.#available() < 24) return false;
    const view = this.#view(24);
    const version = view.getUint32(4, true);
    // Version 1 had 32-bit counts; 2 and 3 differ only in byte order support.
    if (version !== 2 && version !== 3)
      throw new GgufHeaderError(
        fillTemplate(_('it is GGUF version {version}, which Paddock cannot read'), { version }),
      );
    this.#kvLeft = this.#u64(view, 16, MAX_KV_COUNT);
    this.#consume(24);
    this.#nextKey();
    return true;
  }

  #key(): boolean {
    if (this.#available() < 8) return false;
    const length = this.#u64(this.#view(8), 0, MAX_KEY_BYTES);
    if (this.#available() < 8 + length + 4) return false;
    const key = this.#text(8, length);
    const type = this.#view(8 + length + 4).getUint32(8 + length, true);
    if (type !== STRING && type !== ARRAY && !(type in FIXED_SIZE))
      throw new GgufHeaderError(
        fillTemplate(_('it holds a value of unknown type {type}'), { type }),
      );
    this.#consume(8 + length + 4);
    this.#state = type === ARRAY ? { kind: 'array', key } : { kind: 'value', key, type };
    return true;
  }

  #value(key: string, type: number): boolean {
    if (type === STRING) {
      if (this.#available() < 8) return false;
      const length = this.#u64(this.#view(8), 0, MAX_STRING_BYTES);
      if (this.#available() < 8 + length) return false;
      if (length <= MAX_KEPT_STRING) this.#values.set(key, this.#text(8, length));
      this.#consume(8 + length);
    } else {
      const size = FIXED_SIZE[type];
      if (this.#available() < size) return false;
      const value = readNumber(this.#view(size), 0, type);
      if (value !== null) this.#values.set(key, value);
      this.#consume(size);
    }
    this.#nextKey();
    return true;
  }

  #arrayHead(key: string): boolean {
    if (this.#available() < 12) return false;
    const view = this.#view(12);
    const type = view.getUint32(0, true);
    const count = view.getBigUint64(4, true);
    if (count > BigInt(MAX_ARRAY_ITEMS))
      throw new GgufHeaderError(
        fillTemplate(_('the list “{key}” claims {count} entries'), {
          key: safeKey(key),
          count: count.toString(),
        }),
      );
    const items = Number(count);
    if (type === STRING) {
      if (key === TOKENS) this.#vocabSize = items;
      // The token list or another text list: the keys that matter came before it (when
      // they did not, its texts are read one by one, within the byte cap).
      if (this.#haveKeys()) {
        this.#state = { kind: 'done' };
        return false;
      }
      this.#consume(12);
      this.#state = { kind: 'strings', left: items };
      return true;
    }
    const size = FIXED_SIZE[type];
    if (size === undefined)
      throw new GgufHeaderError(
        type === ARRAY
          ? _('it holds a list of lists')
          : fillTemplate(_('it holds a value of unknown type {type}'), { type }),
      );
    const bytes = items * size;
    this.#checkFits(this.#position + 12 + bytes);
    if (items <= MAX_KEPT_ITEMS) {
      if (this.#available() < 12 + bytes) return false;
      const values = this.#view(12 + bytes);
      const list: number[] = [];
      for (let index = 0; index < items; index++) {
        const value = readNumber(values, 12 + index * size, type);
        if (value !== null) list.push(value);
      }
      this.#values.set(key, list);
    }
    // A longer list is skipped: the next chunk may start after it.
    this.#consume(12 + bytes);
    this.#nextKey();
    return true;
  }

  #stringItem(left: number): boolean {
    if (left === 0) {
      this.#nextKey();
      return true;
    }
    if (this.#available() < 8) return false;
    const length = this.#u64(this.#view(8), 0, MAX_STRING_BYTES);
    if (this.#available() < 8 + length) return false;
    this.#consume(8 + length);
    this.#state = { kind: 'strings', left: left - 1 };
    return true;
  }

  #nextKey(): void {
    if (this.#haveKeys() && this.#vocabSize !== null) this.#state = { kind: 'done' };
    else if (this.#kvLeft === 0) this.#state = { kind: 'done' };
    else {
      this.#kvLeft--;
      this.#state = { kind: 'key' };
    }
  }

  /** A u64 length or count: beyond `max`, or past the end of the file, the header lies. */
  #u64(view: DataView, at: number, max: number): number {
    const value = view.getBigUint64(at, true);
    if (value > BigInt(max))
      throw new GgufHeaderError(
        fillTemplate(_('a length in it ({length}) is larger than Paddock accepts'), {
          length: value.toString(),
        }),
      );
    const length = Number(value);
    if (max !== MAX_KV_COUNT) this.#checkFits(this.#position + at + 8 + length);
    return length;
  }

  #checkFits(end: number): void {
    if (this.#fileSize !== null && end > this.#fileSize)
      throw new GgufHeaderError(_('a length in it points past the end of the file'));
  }

  #available(): number {
    return this.#start + this.#buffer.length - this.#position;
  }

  #bytes(from: number, length: number): Uint8Array {
    const at = this.#position - this.#start + from;
    return this.#buffer.subarray(at, at + length);
  }

  #view(length: number): DataView {
    const bytes = this.#bytes(0, length);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #text(from: number, length: number): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.#bytes(from, length));
    } catch {
      throw new GgufHeaderError(_('a text in it is not UTF-8'));
    }
  }

  #consume(length: number): void {
    this.#position += length;
    const used = Math.min(this.#position - this.#start, this.#buffer.length);
    if (used >= 64 * 1024) {
      this.#buffer = this.#buffer.slice(used);
      this.#start += used;
    }
  }
}

/** The keys were not found within the first `maxBytes` of the file. */
export function keysNotWithin(maxBytes: number): GgufHeaderError {
  return new GgufHeaderError(
    fillTemplate(_('the keys Paddock needs are not within its first {size}'), {
      size: formatBytes(maxBytes),
    }),
  );
}

/** Parses a header held whole in memory (from a file, or a test). */
export function parseGgufHeader(bytes: Uint8Array, options: GgufParserOptions = {}): GgufFacts {
  const parser = new GgufHeaderParser({ fileSize: bytes.length, ...options });
  if (
    !parser.push(
      bytes.subarray(0, Math.min(bytes.length, options.maxBytes ?? DEFAULT_MAX_HEADER_BYTES)),
    )
  )
    parser.end();
  return parser.facts();
}

function readNumber(view: DataView, at: number, type: number): number | null {
  switch (type) {
    case 0:
    case 7:
      return view.getUint8(at);
    case 1:
      return view.getInt8(at);
    case 2:
      return view.getUint16(at, true);
    case 3:
      return view.getInt16(at, true);
    case 4:
      return view.getUint32(at, true);
    case 5:
      return view.getInt32(at, true);
    case 6:
      return view.getFloat32(at, true);
    case 12:
      return view.getFloat64(at, true);
    case 10:
    case 11: {
      const value = type === 10 ? view.getBigUint64(at, true) : view.getBigInt64(at, true);
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : null;
    }
    default:
      return null;
  }
}

function decodeLatin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** A key from the file, fit for a message. */
function safeKey(key: string): string {
  return cutText(oneLine(key), 80);
}
