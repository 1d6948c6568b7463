// GGUF bytes for the parser's specs, good and broken alike.

const encoder = new TextEncoder();

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

function u64(value: number | bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return bytes;
}

function text(value: string): Uint8Array {
  const bytes = encoder.encode(value);
  return concat([u64(bytes.length), bytes]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((size, part) => size + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Key/values written in the order given; `raw` writes anything, lies included. */
export class GgufBytes {
  private readonly kvs: Uint8Array[] = [];
  version = 3;
  magic = 'GGUF';
  /** The key/value count written in the header (default: the real count). */
  kvCount: number | bigint | null = null;

  u32(key: string, value: number): this {
    return this.raw(concat([text(key), u32(4), u32(value)]));
  }

  string(key: string, value: string): this {
    return this.raw(concat([text(key), u32(8), text(value)]));
  }

  u32s(key: string, values: number[]): this {
    return this.raw(concat([text(key), u32(9), u32(4), u64(values.length), ...values.map(u32)]));
  }

  /** An f32 list of `count` zeros (a tokenizer's scores). */
  f32s(key: string, count: number): this {
    return this.raw(concat([text(key), u32(9), u32(6), u64(count), new Uint8Array(count * 4)]));
  }

  strings(key: string, count: number, item: (index: number) => string): this {
    const items = Array.from({ length: count }, (_, index) => text(item(index)));
    return this.raw(concat([text(key), u32(9), u32(8), u64(count), ...items]));
  }

  /** A list header claiming `count` items of `type`, with no items after it. */
  listHead(key: string, type: number, count: number | bigint): this {
    return this.raw(concat([text(key), u32(9), u32(type), u64(count)]));
  }

  /** A key whose length field says `length`. */
  keyClaiming(length: number | bigint): this {
    return this.raw(concat([u64(length), encoder.encode('x')]));
  }

  /** A string value whose length field says `length`, followed by `actual` bytes. */
  stringClaiming(key: string, length: number | bigint, actual: number): this {
    return this.raw(concat([text(key), u32(8), u64(length), new Uint8Array(actual)]));
  }

  raw(bytes: Uint8Array): this {
    this.kvs.push(bytes);
    return this;
  }

  bytes(): Uint8Array {
    return concat([
      encoder.encode(this.magic),
      u32(this.version),
      u64(0),
      u64(this.kvCount ?? this.kvs.length),
      ...this.kvs,
    ]);
  }
}

/** llama3.2:3b's keys as llama.cpp writes them, the token list after them. */
export function llamaHeader(vocab = 128256): GgufBytes {
  return new GgufBytes()
    .string('general.architecture', 'llama')
    .string('general.name', 'Llama 3.2 3B Instruct')
    .u32('general.file_type', 15)
    .u32('llama.block_count', 28)
    .u32('llama.context_length', 131072)
    .u32('llama.embedding_length', 3072)
    .u32('llama.feed_forward_length', 8192)
    .u32('llama.attention.head_count', 24)
    .u32('llama.attention.head_count_kv', 8)
    .u32('llama.attention.key_length', 128)
    .u32('llama.attention.value_length', 128)
    .string('tokenizer.ggml.model', 'gpt2')
    .strings('tokenizer.ggml.tokens', vocab, (index) => `t${index}`)
    .strings('tokenizer.ggml.merges', 1000, (index) => `a ${index}`);
}
