// `model_info` of /api/show as Ollama reads it from a GGUF file's header, per architecture.
import type { InstalledModel } from './types.js';

export interface Architecture {
  contextLength: number;
  embeddingLength: number;
  blockCount: number;
  headCount: number;
  headCountKv: number;
  keyLength: number;
  feedForwardLength: number;
  ropeFreqBase: number;
  tokenizer: 'gpt2' | 'llama' | 'bert';
  pre: string;
  vocabSize: number;
  bos: number;
  eos: number;
  /** Whether llama.cpp writes `.attention.key_length` / `.value_length` for it. */
  writesKeyLength: boolean;
  /** gemma3: the local layers' window. */
  slidingWindow?: number;
  /** Ollama's multimodal files: the vision encoder (`<arch>.vision.*`). */
  vision?: {
    blockCount: number;
    embeddingLength: number;
    headCount: number;
    imageSize: number;
    patchSize: number;
  };
  /** Mixture of experts: experts, experts used per token, an expert's feed-forward length. */
  experts?: { count: number; used: number; feedForwardLength: number };
}

/** The values of real models (llama3.2:3b, qwen3:8b, gemma3:4b, nomic-embed-text, …). */
export const ARCHITECTURES: Record<string, Architecture> = {
  llama: {
    contextLength: 131072,
    embeddingLength: 3072,
    blockCount: 28,
    headCount: 24,
    headCountKv: 8,
    keyLength: 128,
    feedForwardLength: 8192,
    ropeFreqBase: 500000,
    tokenizer: 'gpt2',
    pre: 'llama-bpe',
    vocabSize: 128256,
    bos: 128000,
    eos: 128009,
    writesKeyLength: true,
  },
  qwen3: {
    contextLength: 40960,
    embeddingLength: 4096,
    blockCount: 36,
    headCount: 32,
    headCountKv: 8,
    keyLength: 128,
    feedForwardLength: 12288,
    ropeFreqBase: 1000000,
    tokenizer: 'gpt2',
    pre: 'qwen2',
    vocabSize: 151936,
    bos: 151643,
    eos: 151645,
    writesKeyLength: true,
  },
  qwen2: {
    contextLength: 131072,
    embeddingLength: 3584,
    blockCount: 28,
    headCount: 28,
    headCountKv: 4,
    keyLength: 128,
    feedForwardLength: 18944,
    ropeFreqBase: 10000,
    tokenizer: 'gpt2',
    pre: 'deepseek-r1-qwen',
    vocabSize: 152064,
    bos: 151646,
    eos: 151643,
    writesKeyLength: false,
  },
  gemma3: {
    contextLength: 131072,
    embeddingLength: 2560,
    blockCount: 34,
    headCount: 8,
    headCountKv: 4,
    keyLength: 256,
    feedForwardLength: 10240,
    ropeFreqBase: 1000000,
    tokenizer: 'llama',
    pre: 'default',
    vocabSize: 262144,
    bos: 2,
    eos: 1,
    writesKeyLength: true,
    slidingWindow: 1024,
    vision: { blockCount: 27, embeddingLength: 1152, headCount: 16, imageSize: 896, patchSize: 14 },
  },
  // qwen3:30b (30b-a3b)
  qwen3moe: {
    contextLength: 262144,
    embeddingLength: 2048,
    blockCount: 48,
    headCount: 32,
    headCountKv: 4,
    keyLength: 128,
    feedForwardLength: 6144,
    ropeFreqBase: 10000000,
    tokenizer: 'gpt2',
    pre: 'qwen2',
    vocabSize: 151936,
    bos: 151643,
    eos: 151645,
    writesKeyLength: true,
    experts: { count: 128, used: 8, feedForwardLength: 768 },
  },
  'nomic-bert': {
    contextLength: 2048,
    embeddingLength: 768,
    blockCount: 12,
    headCount: 12,
    headCountKv: 12,
    keyLength: 64,
    feedForwardLength: 3072,
    ropeFreqBase: 1000,
    tokenizer: 'bert',
    pre: 'default',
    vocabSize: 30522,
    bos: 101,
    eos: 102,
    writesKeyLength: false,
  },
};

/**
 * Sizes whose shape differs from their family's (ARCHITECTURES holds one size of each), by
 * family and parameter size as the registry's details give them; values of the published
 * config.json of Qwen3-0.6B … Qwen3-32B and Qwen3-235B-A22B.
 */
const SIZES: Record<string, Partial<Architecture>> = {
  'qwen3 751.63M': {
    embeddingLength: 1024,
    blockCount: 28,
    headCount: 16,
    feedForwardLength: 3072,
  },
  'qwen3 2.0B': { embeddingLength: 2048, blockCount: 28, headCount: 16, feedForwardLength: 6144 },
  'qwen3 4.0B': { embeddingLength: 2560, blockCount: 36, feedForwardLength: 9728 },
  'qwen3 14.8B': { embeddingLength: 5120, blockCount: 40, headCount: 40, feedForwardLength: 17408 },
  'qwen3 32.8B': { embeddingLength: 5120, blockCount: 64, headCount: 64, feedForwardLength: 25600 },
  'qwen3moe 235.1B': {
    embeddingLength: 4096,
    blockCount: 94,
    headCount: 64,
    feedForwardLength: 12288,
    experts: { count: 128, used: 8, feedForwardLength: 1536 },
  },
};

/** The shape of a model of `family` and `parameterSize` (unknown families get llama's). */
export function architectureOf(family: string, parameterSize: string): Architecture {
  const base = ARCHITECTURES[family || 'llama'] ?? ARCHITECTURES.llama;
  return { ...base, ...SIZES[`${family} ${parameterSize}`] };
}

/** Ollama empties lists longer than this in a reply that is not verbose. */
const SHORT_LIST = 5;

export function parameterCount(size: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMBT])$/i.exec(size);
  if (!match) return 0;
  const scale: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  return Math.round(Number(match[1]) * scale[match[2].toUpperCase()]);
}

/**
 * The header's key/values, in Ollama's (sorted) order. Verbose replies carry the tokenizer's
 * full lists (one entry per token: 262,144 for gemma3); others have them emptied.
 */
export function modelInfo(model: InstalledModel, verbose: boolean): Record<string, unknown> {
  const arch = model.details.family || 'llama';
  const facts = architectureOf(arch, model.details.parameter_size);
  const list = <T>(size: number, item: (index: number) => T): T[] =>
    verbose || size <= SHORT_LIST ? Array.from({ length: size }, (_, index) => item(index)) : [];
  const info: Record<string, unknown> = {
    'general.architecture': arch,
    'general.file_type': 15,
    'general.languages': list(
      8,
      (index) => ['en', 'de', 'fr', 'it', 'pt', 'hi', 'es', 'th'][index],
    ),
    'general.parameter_count': parameterCount(model.details.parameter_size),
    'general.quantization_version': 2,
    [`${arch}.attention.head_count`]: facts.headCount,
    [`${arch}.attention.head_count_kv`]: facts.headCountKv,
    [`${arch}.attention.key_length`]: facts.keyLength,
    [`${arch}.attention.layer_norm_rms_epsilon`]: 1e-6,
    [`${arch}.attention.value_length`]: facts.keyLength,
    [`${arch}.block_count`]: facts.blockCount,
    [`${arch}.context_length`]: facts.contextLength,
    [`${arch}.embedding_length`]: facts.embeddingLength,
    [`${arch}.feed_forward_length`]: facts.feedForwardLength,
    [`${arch}.rope.freq_base`]: facts.ropeFreqBase,
  };
  if (arch === 'nomic-bert') info[`${arch}.pooling_type`] = 1;
  Object.assign(info, {
    'tokenizer.ggml.bos_token_id': facts.bos,
    'tokenizer.ggml.eos_token_id': facts.eos,
    'tokenizer.ggml.model': facts.tokenizer,
    'tokenizer.ggml.pre': facts.pre,
    'tokenizer.ggml.token_type': list(facts.vocabSize, (index) => (index < 256 ? 3 : 1)),
    'tokenizer.ggml.tokens': list(facts.vocabSize, (index) => `tok${index.toString(36)}`),
  });
  if (facts.tokenizer === 'gpt2')
    info['tokenizer.ggml.merges'] = list(
      facts.vocabSize - 256,
      (index) => `Ġ ${index.toString(36)}`,
    );
  return info;
}
