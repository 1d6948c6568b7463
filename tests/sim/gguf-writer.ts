// GGUF v3 headers as llama.cpp writes them: what the registry's weights blobs start with.
import { architectureOf, type Architecture } from './model-info.js';

/** GGUF value types (gguf.h). */
const TYPE = {
  u8: 0,
  i32: 5,
  u32: 4,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
} as const;

/** ggml tensor types with their block: [elements, bytes]. */
const TENSOR = {
  f32: { id: 0, block: [1, 4] },
  q4_K: { id: 12, block: [256, 144] },
  q6_K: { id: 14, block: [256, 210] },
} as const;
type TensorKind = keyof typeof TENSOR;

const ALIGNMENT = 32;
/** general.file_type of Q4_K_M. */
const FILE_TYPE_Q4_K_M = 15;

/** Little-endian GGUF key/values and tensor infos, written in the order they are given. */
export class GgufWriter {
  private readonly kvs: Buffer[] = [];
  private readonly tensors: Buffer[] = [];
  private tensorBytes = 0;

  u32(key: string, value: number): this {
    return this.kv(key, TYPE.u32, uint32(value));
  }

  u64(key: string, value: number): this {
    return this.kv(key, TYPE.u64, uint64(value));
  }

  f32(key: string, value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeFloatLE(value);
    return this.kv(key, TYPE.f32, buffer);
  }

  bool(key: string, value: boolean): this {
    return this.kv(key, TYPE.bool, Buffer.from([value ? 1 : 0]));
  }

  string(key: string, value: string): this {
    return this.kv(key, TYPE.string, text(value));
  }

  strings(key: string, count: number, item: (index: number) => string): this {
    const items = Array.from({ length: count }, (_, index) => text(item(index)));
    return this.kv(key, TYPE.array, Buffer.concat([uint32(TYPE.string), uint64(count), ...items]));
  }

  int32s(key: string, count: number, item: (index: number) => number): this {
    const items = Buffer.alloc(count * 4);
    for (let index = 0; index < count; index++) items.writeInt32LE(item(index), index * 4);
    return this.kv(key, TYPE.array, Buffer.concat([uint32(TYPE.i32), uint64(count), items]));
  }

  /** A tensor info; its data offset follows the previous tensor's, aligned. */
  tensor(name: string, dims: number[], kind: TensorKind): this {
    const { id, block } = TENSOR[kind];
    const elements = dims.reduce((product, dim) => product * dim, 1);
    this.tensors.push(
      Buffer.concat([
        text(name),
        uint32(dims.length),
        ...dims.map(uint64),
        uint32(id),
        uint64(this.tensorBytes),
      ]),
    );
    const bytes = Math.ceil(elements / block[0]) * block[1];
    this.tensorBytes += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
    return this;
  }

  /** Magic, version 3, counts, key/values, tensor infos, padding to where the data starts. */
  bytes(): Buffer {
    const head = Buffer.concat([
      Buffer.from('GGUF', 'latin1'),
      uint32(3),
      uint64(this.tensors.length),
      uint64(this.kvs.length),
      ...this.kvs,
      ...this.tensors,
    ]);
    const padding = (ALIGNMENT - (head.length % ALIGNMENT)) % ALIGNMENT;
    return Buffer.concat([head, Buffer.alloc(padding)]);
  }

  private kv(key: string, type: number, value: Buffer): this {
    this.kvs.push(Buffer.concat([text(key), uint32(type), value]));
    return this;
  }
}

/**
 * The header of a model of `family` and `parameterSize` (the registry's details; unknown
 * families get llama's shape under their own name), in llama.cpp's order: general.*, the architecture's
 * keys, then the tokenizer with its multi-megabyte lists, then the tensor infos.
 */
export function ggufHeader(family: string, name: string, parameterSize = ''): Buffer {
  const arch = family || 'llama';
  const facts: Architecture = architectureOf(arch, parameterSize);
  const writer = new GgufWriter()
    .string('general.architecture', arch)
    .string('general.type', 'model')
    .string('general.name', name)
    .u32('general.file_type', FILE_TYPE_Q4_K_M)
    .u32('general.quantization_version', 2)
    .u32(`${arch}.block_count`, facts.blockCount)
    .u32(`${arch}.context_length`, facts.contextLength)
    .u32(`${arch}.embedding_length`, facts.embeddingLength)
    .u32(`${arch}.feed_forward_length`, facts.feedForwardLength)
    .u32(`${arch}.attention.head_count`, facts.headCount)
    .u32(`${arch}.attention.head_count_kv`, facts.headCountKv)
    .f32(`${arch}.rope.freq_base`, facts.ropeFreqBase)
    .f32(`${arch}.attention.layer_norm_rms_epsilon`, 1e-6);
  if (facts.writesKeyLength)
    writer
      .u32(`${arch}.attention.key_length`, facts.keyLength)
      .u32(`${arch}.attention.value_length`, facts.keyLength);
  if (facts.slidingWindow) writer.u32(`${arch}.attention.sliding_window`, facts.slidingWindow);
  if (facts.experts)
    writer
      .u32(`${arch}.expert_count`, facts.experts.count)
      .u32(`${arch}.expert_used_count`, facts.experts.used)
      .u32(`${arch}.expert_feed_forward_length`, facts.experts.feedForwardLength);
  if (facts.vision)
    writer
      .u32(`${arch}.vision.block_count`, facts.vision.blockCount)
      .u32(`${arch}.vision.embedding_length`, facts.vision.embeddingLength)
      .u32(`${arch}.vision.attention.head_count`, facts.vision.headCount)
      .u32(`${arch}.vision.image_size`, facts.vision.imageSize)
      .u32(`${arch}.vision.patch_size`, facts.vision.patchSize)
      .u32(`${arch}.vision.num_channels`, 3);
  if (arch === 'nomic-bert') writer.u32(`${arch}.pooling_type`, 1);
  writer
    .string('tokenizer.ggml.model', facts.tokenizer)
    .string('tokenizer.ggml.pre', facts.pre)
    .strings('tokenizer.ggml.tokens', facts.vocabSize, (index) => `tok${index.toString(36)}`)
    .int32s('tokenizer.ggml.token_type', facts.vocabSize, (index) => (index < 256 ? 3 : 1));
  if (facts.tokenizer === 'gpt2')
    writer.strings('tokenizer.ggml.merges', facts.vocabSize - 256, (i) => `Ġ ${i.toString(36)}`);
  writer
    .u32('tokenizer.ggml.bos_token_id', facts.bos)
    .u32('tokenizer.ggml.eos_token_id', facts.eos)
    .string('tokenizer.chat_template', '{{ .Prompt }}');
  addTensors(writer, facts);
  return writer.bytes();
}

function addTensors(writer: GgufWriter, facts: Architecture): void {
  const embedding = facts.embeddingLength;
  const queries = facts.headCount * facts.keyLength;
  const keys = facts.headCountKv * facts.keyLength;
  writer.tensor('token_embd.weight', [embedding, facts.vocabSize], 'q4_K');
  for (let block = 0; block < facts.blockCount; block++) {
    const blk = (part: string, dims: number[], kind: TensorKind) =>
      writer.tensor(`blk.${block}.${part}.weight`, dims, kind);
    blk('attn_norm', [embedding], 'f32');
    blk('attn_q', [embedding, queries], 'q4_K');
    blk('attn_k', [embedding, keys], 'q4_K');
    blk('attn_v', [embedding, keys], 'q6_K');
    blk('attn_output', [queries, embedding], 'q4_K');
    blk('ffn_norm', [embedding], 'f32');
    if (facts.experts) {
      const { count, feedForwardLength } = facts.experts;
      blk('ffn_gate_inp', [embedding, count], 'f32');
      blk('ffn_gate_exps', [embedding, feedForwardLength, count], 'q4_K');
      blk('ffn_up_exps', [embedding, feedForwardLength, count], 'q4_K');
      blk('ffn_down_exps', [feedForwardLength, embedding, count], 'q6_K');
    } else {
      blk('ffn_gate', [embedding, facts.feedForwardLength], 'q4_K');
      blk('ffn_up', [embedding, facts.feedForwardLength], 'q4_K');
      blk('ffn_down', [facts.feedForwardLength, embedding], 'q6_K');
    }
  }
  writer.tensor('output_norm.weight', [embedding], 'f32');
  // gemma3 ties its output to the token embeddings.
  if (!facts.slidingWindow) writer.tensor('output.weight', [embedding, facts.vocabSize], 'q6_K');
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function uint64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

function text(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([uint64(bytes.length), bytes]);
}
