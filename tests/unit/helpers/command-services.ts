import type { CommandServices } from '../../../src/cli/command-line.js';
import { ModelLibrary } from '../../../src/library/model-library.js';
import type { PullHarness } from '../pulls/pull-harness.js';

/**
 * What a command spec hands runCommand: the harness's connections and clients, a model
 * library of their own, and services a command should not need failing loudly unless the
 * spec gives them (`overrides`).
 */
export function commandServices(
  harness: PullHarness,
  overrides: Partial<CommandServices> = {},
): CommandServices {
  const library = new ModelLibrary({ connections: harness.connections, clients: harness.pool });
  return {
    catalog: () => Promise.reject(new Error('no catalog in this spec')),
    connections: harness.connections,
    clients: harness.pool,
    library: () => library,
    pulls: () => Promise.reject(new Error('no pulls in this spec')),
    updates: () => {
      throw new Error('no update check in this spec');
    },
    hub: () => {
      throw new Error('no Hugging Face client in this spec');
    },
    ...overrides,
  };
}
