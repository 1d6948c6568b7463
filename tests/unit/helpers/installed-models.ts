import type { ServerState } from '../../../src/library/model-library.js';
import type { InstalledModel } from '../../../src/ollama/types.js';

/** What a spec says of an installed model; the rest is as Ollama lists a small llama. */
export interface ModelFields {
  size?: number;
  modified?: string;
  family?: string;
  parameters?: string;
  digest?: string;
}

/** An installed model as /api/tags lists it. */
export function installedModel(name: string, fields: ModelFields = {}): InstalledModel {
  return {
    name,
    model: name,
    modified_at: fields.modified ?? '2026-01-03T00:00:00Z',
    size: fields.size ?? 1e9,
    digest: fields.digest ?? 'a'.repeat(64),
    details: {
      parent_model: '',
      format: 'gguf',
      family: fields.family ?? 'llama',
      families: null,
      parameter_size: fields.parameters ?? '3.2B',
      quantization_level: 'Q4_K_M',
    },
  } as InstalledModel;
}

/** A server in the model library, listed by a refresh that worked, unless `changes` say. */
export function serverState(
  connectionId: string,
  models: readonly InstalledModel[],
  changes: Partial<ServerState> = {},
): ServerState {
  return {
    connectionId,
    models,
    error: null,
    loading: false,
    refreshedAt: 1,
    restoredAt: null,
    ...changes,
  };
}
