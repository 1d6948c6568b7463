import type { GgufFacts } from './gguf-header.js';
import type { MemoryNeed } from './memory-need.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** Ollama's num_batch default. */
const BATCH = 512;
/** Bytes of one f16 KV cache element (Ollama's default cache type). */
const F16 = 2;
/** What Ollama sets aside on a CUDA or ROCm GPU besides the model (ml.DeviceInfo.MinimumMemory). */
export const GPU_MINIMUM_MEMORY = 457 * MIB;
/** gemma3: every 6th layer attends to the whole context, the others to a sliding window. */
const GEMMA3_GLOBAL_EVERY = 6;
/** gpt-oss: the even layers' window. */
const GPTOSS_WINDOW = 4096;
/** A rough estimate's KV cache per token of context: llama3.1:8b's (32 layers × 8 heads × 128 × 2 × f16). */
const ROUGH_KV_PER_TOKEN = 128 * 1024;
/** A rough estimate's guess at the layers, for Ollama's one-layer buffer. */
const ROUGH_LAYERS = 32;

/**
 * What running a model needs when all its layers go to one GPU, as Ollama estimated it
 * before loading (llm/memory.go estimateGPULayers and fs/ggml GraphSize, Ollama 0.12):
 * the weights (the weights blob's size), the f16 KV cache at `contextLength` (capped at
 * the model's own, as Ollama does), and the compute graph of the model's architecture
 * with Ollama's fixed reserve: the GPU minimum (457 MiB) and a buffer of one more layer.
 * `parallel` requests at once (OLLAMA_NUM_PARALLEL: 1 since Ollama 0.10, 2 in 0.6.7–0.9,
 * up to 4 before), batch 512. docs/memory-estimate.md.
 */
export function estimateMemory(
  facts: GgufFacts,
  weights: number,
  contextLength: number,
  parallel = 1,
): MemoryNeed {
  const perRequest = Math.max(1, Math.min(contextLength, facts.contextLength));
  // Ollama sizes the cache and the graph for every request it serves at once.
  const shape = { context: perRequest * parallel, batch: Math.min(BATCH, perRequest), parallel };
  const kv = kvCachePerLayer(facts, shape, true);
  const kvCache = sum(kv);
  const layerBuffer = Math.round(weights / facts.blockCount) + (kv[0] ?? 0);
  const graph =
    graphSize(facts, shape, kvCache, sum(kvCachePerLayer(facts, shape, false))) +
    visionGraphSize(facts) +
    GPU_MINIMUM_MEMORY +
    layerBuffer;
  return {
    total: weights + kvCache + graph,
    weights,
    kvCache,
    graph,
    contextLength: perRequest,
    rough: false,
  };
}

/** From the file size alone, when the header could not be read: llama3.1:8b's shape scaled. */
export function roughMemoryNeed(weights: number, contextLength: number): MemoryNeed {
  const kvCache = contextLength * ROUGH_KV_PER_TOKEN;
  const graph = GPU_MINIMUM_MEMORY + Math.round(weights / ROUGH_LAYERS) + 4 * BATCH * contextLength;
  return { total: weights + kvCache + graph, weights, kvCache, graph, contextLength, rough: true };
}

/**
 * The context a server gives a model when nobody sets num_ctx: 2048 before Ollama 0.6.7,
 * 4096 until 0.15.5, then by the GPU memory it has (4k, 32k from 23 GiB, 256k from 47 GiB;
 * 4k when unknown). An unreadable version counts as the newest.
 */
export function defaultContextLength(
  serverVersion: string | null,
  gpuMemory: number | null,
): number {
  const version = parseVersion(serverVersion);
  if (version !== null && compare(version, [0, 6, 7]) < 0) return 2048;
  if (version !== null && compare(version, [0, 15, 5]) < 0) return 4096;
  if (gpuMemory !== null && gpuMemory >= 47 * GIB) return 262144;
  if (gpuMemory !== null && gpuMemory >= 23 * GIB) return 32768;
  return 4096;
}

/** Tokens of context over all requests at once, the batch, and the requests at once. */
interface Shape {
  context: number;
  batch: number;
  parallel: number;
}

/**
 * GraphSize's KV cache per layer: context × (key + value length) × KV heads × f16; with
 * `windows`, the sliding-window layers of gemma3 and gpt-oss hold only their window.
 */
function kvCachePerLayer(facts: GgufFacts, shape: Shape, windows: boolean): number[] {
  const { context, batch, parallel } = shape;
  const keyLength = facts.keyLength ?? headDimension(facts);
  const valueLength = facts.valueLength ?? headDimension(facts);
  const perToken = (layer: number) =>
    (keyLength + valueLength) * at(facts.headCountKv, layer) * F16;
  return Array.from({ length: facts.blockCount }, (_, layer) => {
    // Layers without heads are recurrent; their small state is left out.
    if (at(facts.headCount, layer) <= 0 || at(facts.headCountKv, layer) <= 0) return 0;
    if (windows)
      switch (facts.architecture) {
        case 'gemma3':
          if ((layer + 1) % GEMMA3_GLOBAL_EVERY !== 0 && facts.slidingWindow !== null)
            return perToken(layer) * (parallel * facts.slidingWindow + batch);
          break;
        case 'gptoss':
        case 'gpt-oss':
          if (layer % 2 === 0) return perToken(layer) * (parallel * GPTOSS_WINDOW + batch);
          break;
      }
    return perToken(layer) * context;
  });
}

/**
 * GraphSize's compute graph for a full offload, per architecture; others (qwen3, qwen3moe,
 * mistral3, …) get Ollama's fallback: KV cache × query heads per KV head / 6.
 */
function graphSize(
  facts: GgufFacts,
  { context, batch }: Shape,
  kvCache: number,
  kvWithoutWindows: number,
): number {
  const embedding = facts.embeddingLength;
  const heads = Math.max(...facts.headCount);
  const headsKv = Math.max(...facts.headCountKv);
  const headDim = facts.keyLength ?? headDimension(facts);
  const vocab = facts.vocabSize ?? 0;
  const vocabGraph = 4 * batch * (embedding + vocab);
  const grouped = Math.floor(heads / Math.max(1, Math.min(...facts.headCountKv)));
  switch (facts.architecture) {
    case 'llama':
    case 'llama4':
      return Math.max(4 * batch * (1 + 4 * embedding + context * (1 + heads)), vocabGraph);
    case 'gemma':
    case 'gemma2':
    case 'gemma3':
    case 'gemma3n': {
      const graph = Math.max(
        vocabGraph,
        4 * batch * (2 + context + context * heads + 2 * embedding + 2 * headDim * heads),
      );
      return facts.architecture === 'gemma3n' ? graph * 4 : graph;
    }
    case 'command-r':
      return Math.max(vocabGraph, 4 * batch * (2 + 4 * embedding + context * (1 + heads)));
    case 'qwen2':
      return Math.max(vocabGraph, 4 * batch * (1 + 2 * embedding + context + context * heads));
    case 'phi2':
      return Math.max(vocabGraph, 4 * batch * (1 + 4 * embedding + context + context * heads));
    case 'stablelm':
      return 4 * batch * (context * (1 + heads) + 3 * embedding + 2);
    case 'deepseek2':
      return Math.max(
        4 * batch * (3 * embedding + vocab),
        4 * batch * (3 * embedding + 2 + context * (1 + headsKv) + 2 * headDim * headsKv),
      );
    case 'gptoss':
    case 'gpt-oss':
      // Ollama computes it from the cache before the windows are applied.
      return Math.floor((2 * grouped * kvWithoutWindows) / 6);
    default:
      return Math.floor((grouped * kvCache) / 6);
  }
}

/** VisionGraphSize: the image encoder's graph of gemma3 and mistral3 (its weights are in the blob). */
function visionGraphSize(facts: GgufFacts): number {
  const vision = facts.vision;
  if (!vision || !['gemma3', 'mistral3'].includes(facts.architecture)) return 0;
  const side = Math.floor(vision.imageSize / vision.patchSize);
  const patches = side * side;
  return (
    4 *
    (vision.imageSize * vision.imageSize * vision.channels +
      vision.embeddingLength * vision.patchSize +
      patches * patches * vision.headCount)
  );
}

/** Ollama's default head size: embedding length / the fewest query heads of a layer. */
function headDimension(facts: GgufFacts): number {
  const heads = Math.min(...facts.headCount.filter((count) => count > 0));
  return heads > 0 ? Math.floor(facts.embeddingLength / heads) : 0;
}

function at(list: readonly number[], layer: number): number {
  return list.length === 1 ? list[0] : (list[layer] ?? list[list.length - 1]);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function parseVersion(text: string | null): number[] | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text?.trim() ?? '');
  if (!match) return null;
  const version = match.slice(1).map(Number);
  // Builds from source say 0.0.0: the newest rules.
  return version.every((part) => part === 0) ? null : version;
}

function compare(a: number[], b: number[]): number {
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return a[index] - b[index];
  return 0;
}
