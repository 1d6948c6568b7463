// Five registry models with the real sizes of their weights blobs (registry.ollama.ai);
// the simulator writes a GGUF header of each family at the start of the blob.
export const REGISTRY_MODELS = [
  { name: 'llama3.2:3b', size: 2_019_377_376, family: 'llama' },
  { name: 'qwen3:8b', size: 5_225_374_048, family: 'qwen3' },
  { name: 'gemma3:4b', size: 3_338_801_804, family: 'gemma3' },
  { name: 'qwen3:30b', size: 18_556_688_736, family: 'qwen3moe' },
  { name: 'deepseek-r1:7b', size: 4_683_073_184, family: 'qwen2' },
];

const CONFIG = { size: 561, mediaType: 'application/vnd.docker.container.image.v1+json' };

/**
 * A clean simulator whose registry has REGISTRY_MODELS (their weights, `layers` and a config
 * each) and answers `latencyMs` late; nothing installed, no requests logged.
 */
export async function publishRegistryModels(control, latencyMs, layers = []) {
  await control('POST', 'reset');
  await control('POST', 'registry', {
    models: REGISTRY_MODELS.map(({ name, size, family }) => ({
      name,
      layers: [{ size }, ...layers, CONFIG],
      details: { family },
    })),
  });
  await control('POST', 'installed', { models: [] });
  await control('POST', 'config', { registryLatencyMs: latencyMs });
  await control('DELETE', 'requests');
}
