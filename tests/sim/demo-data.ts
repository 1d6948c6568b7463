// `--demo`: a registry of real-looking models and a few of them installed.
import { ModelName } from './model-name.js';
import { ModelStore } from './model-store.js';
import { Registry } from './registry.js';
import { SimState } from './sim-state.js';
import { MEDIA_CONFIG, MEDIA_MODEL, type RegistryModel, type Snapshot } from './types.js';
import { sha256Hex } from './wire.js';

const TEMPLATE = 'application/vnd.ollama.image.template';
const LICENSE = 'application/vnd.ollama.image.license';
const PARAMS = 'application/vnd.ollama.image.params';
const PROJECTOR = 'application/vnd.ollama.image.projector';
const SHARED = [TEMPLATE, LICENSE, PARAMS];

interface DemoModel {
  /** Tags that share one manifest, e.g. llama3.2:3b and llama3.2:latest. */
  names: string[];
  weights: number;
  family: string;
  parameterSize: string;
  quant: string;
  capabilities: string[];
  projector?: number;
  /** Size of the licence text; Meta's is the default. */
  license?: number;
}

const MODELS: DemoModel[] = [
  {
    names: ['llama3.2:3b', 'llama3.2:latest'],
    weights: 2_019_377_376,
    family: 'llama',
    parameterSize: '3.2B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'tools'],
  },
  {
    names: ['llama3.2:1b'],
    weights: 1_321_082_688,
    family: 'llama',
    parameterSize: '1.2B',
    quant: 'Q8_0',
    capabilities: ['completion', 'tools'],
  },
  {
    names: ['qwen3:8b', 'qwen3:latest'],
    weights: 5_225_374_048,
    family: 'qwen3',
    parameterSize: '8.2B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'tools', 'thinking'],
  },
  {
    names: ['qwen3:4b'],
    weights: 2_497_279_616,
    family: 'qwen3',
    parameterSize: '4.0B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'tools', 'thinking'],
  },
  // The other sizes of qwen3, Q4_K_M as the library has them: Add Model's size list.
  ...(
    [
      ['qwen3:0.6b', 522_653_920, 'qwen3', '751.63M'],
      ['qwen3:1.7b', 1_359_293_216, 'qwen3', '2.0B'],
      ['qwen3:14b', 9_276_198_368, 'qwen3', '14.8B'],
      ['qwen3:30b', 18_556_686_208, 'qwen3moe', '30.5B'],
      ['qwen3:32b', 20_201_216_384, 'qwen3', '32.8B'],
      ['qwen3:235b', 142_055_345_600, 'qwen3moe', '235.1B'],
    ] as const
  ).map(([name, weights, family, parameterSize]) => ({
    names: [name],
    weights,
    family,
    parameterSize,
    quant: 'Q4_K_M',
    capabilities: ['completion', 'tools', 'thinking'],
  })),
  {
    names: ['gemma3:4b', 'gemma3:latest'],
    weights: 3_338_792_448,
    family: 'gemma3',
    parameterSize: '4.3B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'vision'],
    license: 8_432,
  },
  {
    names: ['gemma3:1b'],
    weights: 815_310_432,
    family: 'gemma3',
    parameterSize: '999.89M',
    quant: 'Q4_K_M',
    capabilities: ['completion'],
    license: 8_432,
  },
  {
    names: ['gemma3:12b'],
    weights: 8_149_180_896,
    family: 'gemma3',
    parameterSize: '12.2B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'vision'],
    license: 8_432,
  },
  {
    names: ['nomic-embed-text:latest', 'nomic-embed-text:v1.5'],
    weights: 274_290_656,
    family: 'nomic-bert',
    parameterSize: '137M',
    quant: 'F16',
    capabilities: ['embedding'],
    license: 11_357,
  },
  {
    names: ['deepseek-r1:7b'],
    weights: 4_683_073_184,
    family: 'qwen2',
    parameterSize: '7.6B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'thinking'],
    license: 1_065,
  },
  {
    names: ['deepseek-r1:1.5b'],
    weights: 1_117_320_832,
    family: 'qwen2',
    parameterSize: '1.8B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'thinking'],
    license: 1_065,
  },
  {
    names: ['mistral:7b', 'mistral:latest'],
    weights: 4_372_812_000,
    family: 'llama',
    parameterSize: '7.2B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'tools'],
    license: 11_343,
  },
  {
    names: ['phi4-mini:latest', 'phi4-mini:3.8b'],
    weights: 2_491_876_480,
    family: 'phi3',
    parameterSize: '3.8B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'tools'],
    license: 1_084,
  },
  {
    names: ['llava:7b', 'llava:latest'],
    weights: 4_113_289_856,
    family: 'llama',
    parameterSize: '7B',
    quant: 'Q4_0',
    capabilities: ['completion', 'vision'],
    projector: 624_434_336,
  },
  {
    names: ['tinyllama:latest', 'tinyllama:1.1b'],
    weights: 637_699_456,
    family: 'llama',
    parameterSize: '1B',
    quant: 'Q4_0',
    capabilities: ['completion'],
  },
  {
    names: ['gpt-oss:20b', 'gpt-oss:latest'],
    weights: 13_780_154_624,
    family: 'gptoss',
    parameterSize: '20.9B',
    quant: 'MXFP4',
    capabilities: ['completion', 'tools', 'thinking'],
    license: 11_353,
  },
  {
    names: ['hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M'],
    weights: 807_690_688,
    family: 'llama',
    parameterSize: '1.2B',
    quant: 'Q4_K_M',
    capabilities: ['completion', 'tools'],
  },
];

/** Installed at start, with how long ago each was pulled. */
const INSTALLED: [string, number][] = [
  ['qwen3:8b', 5 * 3_600_000],
  ['deepseek-r1:7b', 26 * 3_600_000],
  ['llama3.2:3b', 3 * 86_400_000],
  ['gemma3:4b', 20 * 86_400_000],
  ['nomic-embed-text:latest', 61 * 86_400_000],
];

/** An interrupted pull the demo can resume: mistral:7b's weights, 30 % there. */
const PARTIAL: [string, number] = ['mistral:7b', 0.3];

function manifests(model: DemoModel): RegistryModel[] {
  const base = model.names[0];
  const layers = [
    { mediaType: MEDIA_MODEL, size: model.weights },
    ...(model.projector ? [{ mediaType: PROJECTOR, size: model.projector }] : []),
    { mediaType: TEMPLATE, size: 1_429 },
    { mediaType: LICENSE, size: model.license ?? 7_711 },
    { mediaType: PARAMS, size: 96 },
    { mediaType: MEDIA_CONFIG, size: 561 },
  ].map((layer, index) => ({
    ...layer,
    // As in the real registry, a family's tags share their template, licence and params blobs.
    digest: `sha256:${sha256Hex(SHARED.includes(layer.mediaType) ? `demo#${model.family}#${layer.mediaType}#${layer.size}` : `demo#${base}#${index}`)}`,
  }));
  return model.names.map((name) =>
    Registry.fromInput(
      {
        name,
        layers,
        capabilities: model.capabilities,
        details: {
          family: model.family,
          families: [model.family],
          parameter_size: model.parameterSize,
          quantization_level: model.quant,
        },
      },
      `demo ${name}`,
    ),
  );
}

export function demoSnapshot(now: number): Snapshot {
  const registry = new Registry(MODELS.flatMap(manifests));
  const installed = INSTALLED.map(([name, age]) =>
    ModelStore.fromInput({ name }, `demo ${name}`, registry, now - age),
  );
  const partialWeights = registry.lookup(ModelName.parse(PARTIAL[0]))?.layers[0];
  return {
    // A little think time around the manifest and verification, as a real server has.
    config: { ...SimState.defaultConfig(), stepMs: 300 },
    registry: registry.list(),
    installed,
    blobs: {},
    partials: partialWeights
      ? { [partialWeights.digest]: Math.round(partialWeights.size * PARTIAL[1]) }
      : {},
  };
}

export function emptySnapshot(): Snapshot {
  return { config: SimState.defaultConfig(), registry: [], installed: [], blobs: {}, partials: {} };
}
