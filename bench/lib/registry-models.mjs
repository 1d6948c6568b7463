// Five registry models with the real sizes of their weights blobs (registry.ollama.ai);
// the simulator writes a GGUF header of each family at the start of the blob.
export const REGISTRY_MODELS = [
  { name: 'llama3.2:3b', size: 2_019_377_376, family: 'llama' },
  { name: 'qwen3:8b', size: 5_225_374_048, family: 'qwen3' },
  { name: 'gemma3:4b', size: 3_338_801_804, family: 'gemma3' },
  { name: 'qwen3:30b', size: 18_556_688_736, family: 'qwen3moe' },
  { name: 'deepseek-r1:7b', size: 4_683_073_184, family: 'qwen2' },
];
