// Registry models for the fit specs, and their weights layers.
import type { Simulator } from '../helpers/simulator.js';

const ACCEPT = { Accept: 'application/vnd.docker.distribution.manifest.v2+json' };

/** The simulator's registry models: real sizes, GGUF headers of their family. */
export const REGISTRY_MODELS = [
  { name: 'llama3.2:3b', layers: [{ size: 2_019_377_376 }], details: { family: 'llama' } },
  { name: 'qwen3:8b', layers: [{ size: 5_225_374_048 }], details: { family: 'qwen3' } },
  { name: 'gemma3:4b', layers: [{ size: 3_338_801_804 }], details: { family: 'gemma3' } },
  { name: 'qwen3:30b', layers: [{ size: 18_556_688_736 }], details: { family: 'qwen3moe' } },
  // Cut inside its header's keys.
  { name: 'tiny:1b', layers: [{ size: 200 }] },
];

export async function weightsLayer(
  sim: Simulator,
  model: string,
  tag: string,
): Promise<{ digest: string; size: number }> {
  const manifest = (
    await sim.request('GET', `/v2/library/${model}/manifests/${tag}`, { headers: ACCEPT })
  ).json() as { layers: { digest: string; size: number }[] };
  return manifest.layers[0];
}
