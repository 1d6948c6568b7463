import type { GgufFacts } from '../../../src/fit/gguf-header.js';
import {
  defaultContextLength,
  estimateMemory,
  roughMemoryNeed,
} from '../../../src/fit/memory-estimate.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** Ollama's GPU minimum (ml.DeviceInfo.MinimumMemory, CUDA/ROCm). */
const MINIMUM = 457 * MIB;

function facts(values: Partial<GgufFacts> & Pick<GgufFacts, 'architecture'>): GgufFacts {
  return {
    blockCount: 0,
    contextLength: 131072,
    embeddingLength: 0,
    feedForwardLength: null,
    headCount: [0],
    headCountKv: [0],
    keyLength: null,
    valueLength: null,
    slidingWindow: null,
    expertCount: null,
    vocabSize: null,
    fileType: 15,
    vision: null,
    ...values,
  };
}

/** llama3.2:3b's header. */
const LLAMA_3B = facts({
  architecture: 'llama',
  blockCount: 28,
  embeddingLength: 3072,
  headCount: [24],
  headCountKv: [8],
  keyLength: 128,
  valueLength: 128,
  vocabSize: 128256,
});

/** gemma3:4b's header, without its vision keys. */
const GEMMA3_4B = facts({
  architecture: 'gemma3',
  blockCount: 34,
  embeddingLength: 2560,
  headCount: [8],
  headCountKv: [4],
  keyLength: 256,
  valueLength: 256,
  slidingWindow: 1024,
  vocabSize: 262144,
});

// The figures below were worked out by hand from Ollama's llm/memory.go and fs/ggml
// GraphSize (full offload, num_ctx 4096, num_batch 512, one request, f16 cache), and
// written as numbers so that a change of the formula shows.
describe('Memory estimate', () => {
  it('llama (llama3.2:3b): KV cache per layer, and the vocabulary graph when it is the larger', () => {
    const need = estimateMemory(LLAMA_3B, 2_019_377_376, 4096);
    // 28 layers × 4096 tokens × (128 + 128) × 8 heads × 2 bytes
    expect(need.kvCache).toBe(469_762_048);
    // graph: max(4·512·(1 + 4·3072 + 4096·25) = 234,883,072, 4·512·(3072 + 128256) = 268,959,744)
    // + 457 MiB + one layer (2,019,377,376 / 28 = 72,120,621) and its cache (16,777,216)
    expect(need.graph).toBe(268_959_744 + MINIMUM + 72_120_621 + 16_777_216);
    expect(need.graph).toBe(837_056_813);
    expect(need.total).toBe(3_326_196_237);
    expect(need).toEqual(
      jasmine.objectContaining({ weights: 2_019_377_376, contextLength: 4096, rough: false }),
    );
  });

  it('qwen3 (qwen3:8b): Ollama’s fallback graph, KV cache × query heads per KV head / 6', () => {
    const need = estimateMemory(
      facts({
        architecture: 'qwen3',
        blockCount: 36,
        embeddingLength: 4096,
        headCount: [32],
        headCountKv: [8],
        keyLength: 128,
        valueLength: 128,
        vocabSize: 151936,
      }),
      5_225_374_048,
      4096,
    );
    // 36 × 4096 × 256 × 8 × 2
    expect(need.kvCache).toBe(603_979_776);
    // 32 / 8 = 4; 4 × 603,979,776 / 6 = 402,653,184; + 457 MiB + 145,149,279 + 16,777,216
    expect(need.graph).toBe(1_043_778_911);
    expect(need.total).toBe(6_873_132_735);
  });

  it('gemma3 (gemma3:4b): five of six layers hold only the sliding window', () => {
    const need = estimateMemory(GEMMA3_4B, 3_338_801_804, 4096);
    // (256 + 256) × 4 heads × 2 bytes = 4096 a token and layer: layers 5, 11, 17, 23, 29 at
    // 4096 tokens (83,886,080), the other 29 at 1024 + 512 (182,452,224)
    expect(need.kvCache).toBe(266_338_304);
    // max(4·512·(2560 + 262144) = 542,113,792, 4·512·46082 = 94,375,936)
    // + 457 MiB + 98,200,053 + 6,291,456 (a local layer's cache)
    expect(need.graph).toBe(1_125_804_533);
    expect(need.total).toBe(4_730_944_641);
  });

  it('gemma3 with its vision encoder (Ollama’s files): the image graph on top', () => {
    const vision = {
      imageSize: 896,
      patchSize: 14,
      channels: 3,
      headCount: 16,
      embeddingLength: 1152,
    };
    const plain = estimateMemory(GEMMA3_4B, 3_338_801_804, 4096);
    const multimodal = estimateMemory({ ...GEMMA3_4B, vision }, 3_338_801_804, 4096);
    // 4 × (896² × 3 + 1152 × 14 + (64 × 64)² × 16)
    expect(multimodal.graph - plain.graph).toBe(1_083_440_128);
  });

  it('sizes cache and graph for every request served at once (OLLAMA_NUM_PARALLEL)', () => {
    const four = estimateMemory(GEMMA3_4B, 3_338_801_804, 2048, 4);
    // global layers: 5 × (4 × 2048) × 4096; local: 29 × (4 × 1024 + 512) × 4096
    expect(four.kvCache).toBe(167_772_160 + 547_356_672);
    expect(four.contextLength).toBe(2048);

    // Plain attention: 4 requests of 2048 cost what one of 8192 does.
    expect(estimateMemory(LLAMA_3B, 2_019_377_376, 2048, 4).total).toBe(
      estimateMemory(LLAMA_3B, 2_019_377_376, 8192).total,
    );
  });

  it('caps the context at the model’s own, as Ollama does', () => {
    const small = facts({
      architecture: 'qwen3',
      blockCount: 2,
      contextLength: 2048,
      embeddingLength: 64,
      headCount: [4],
      headCountKv: [4],
    });
    const need = estimateMemory(small, 1000, 32768);
    expect(need.contextLength).toBe(2048);
    // head size 64 / 4 = 16: 2 layers × 2048 × 32 × 4 × 2
    expect(need.kvCache).toBe(1_048_576);
  });

  it('estimates from the file size alone when the header is unknown, and says so', () => {
    const need = roughMemoryNeed(4 * GIB, 4096);
    expect(need.rough).toBeTrue();
    expect(need.kvCache).toBe(4096 * 128 * 1024);
    expect(need.total).toBe(need.weights + need.kvCache + need.graph);
    expect(need.total).toBeGreaterThan(4 * GIB + 512 * MIB);
  });

  it('knows Ollama’s default context for each server version', () => {
    expect(defaultContextLength('0.5.7', null)).toBe(2048);
    expect(defaultContextLength('0.6.7', null)).toBe(4096);
    expect(defaultContextLength('0.12.3', 80 * GIB)).toBe(4096);
    expect(defaultContextLength('0.15.5', null)).toBe(4096);
    expect(defaultContextLength('0.15.5', 16 * GIB)).toBe(4096);
    expect(defaultContextLength('0.16.1', 24 * GIB)).toBe(32768);
    expect(defaultContextLength('0.16.1', 48 * GIB)).toBe(262144);
    expect(defaultContextLength(null, 24 * GIB)).toBe(32768);
  });
});
