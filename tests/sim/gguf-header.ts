/** A GGUF metadata value: text, or a number of the given GGUF type. */
export type GgufValue = string | { u32: number } | { u64: number } | { f32: number };

const TYPE_U32 = 4;
const TYPE_F32 = 6;
const TYPE_STRING = 8;
const TYPE_U64 = 10;

/**
 * The bytes of a GGUF v3 file's header with these metadata and no tensors, little-endian
 * as llama.cpp writes it: `GGUF`, version, tensor count, metadata count, then each key
 * (u64 length + UTF-8) with its type and value. Enough for a reader of the header.
 */
export function ggufHeader(metadata: [string, GgufValue][]): Buffer {
  const parts: Buffer[] = [];
  const u32 = (value: number) => {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    parts.push(buffer);
  };
  const u64 = (value: number) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    parts.push(buffer);
  };
  const text = (value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    u64(bytes.length);
    parts.push(bytes);
  };
  parts.push(Buffer.from('GGUF', 'ascii'));
  u32(3);
  u64(0);
  u64(metadata.length);
  for (const [key, value] of metadata) {
    text(key);
    if (typeof value === 'string') {
      u32(TYPE_STRING);
      text(value);
    } else if ('u32' in value) {
      u32(TYPE_U32);
      u32(value.u32);
    } else if ('u64' in value) {
      u32(TYPE_U64);
      u64(value.u64);
    } else {
      u32(TYPE_F32);
      const buffer = Buffer.alloc(4);
      buffer.writeFloatLE(value.f32);
      parts.push(buffer);
    }
  }
  return Buffer.concat(parts);
}
