import type { CommandServices } from '../../../src/cli/command-line.js';
import { DiskSpace } from '../../../src/fit/disk-space.js';
import { FitAdvisor } from '../../../src/fit/fit-advisor.js';
import { HostMemoryProbe } from '../../../src/fit/host-memory-probe.js';
import { MemoryEstimator } from '../../../src/fit/memory-estimator.js';
import { MemoryEvidence } from '../../../src/fit/memory-evidence.js';
import { ServerMemoryLookup } from '../../../src/fit/server-memory-lookup.js';
import { ModelLibrary } from '../../../src/library/model-library.js';
import { RegistryClient } from '../../../src/ollama/registry-client.js';
import type { PullHarness } from '../pulls/pull-harness.js';

/**
 * A fit advisor on the harness's simulator (its registry too) that sees nothing of this
 * machine: no /proc, /sys or nvidia-smi, and model folders that do not exist, so that the
 * machine's memory and free disk never decide a spec. `disk` replaces the disk.
 */
export function simulatedFitAdvisor(
  harness: PullHarness,
  disk: Pick<DiskSpace, 'freeSpaceFor'> | null = null,
): FitAdvisor {
  const nothing = harness.root.get_child('nothing-here');
  const registry = new RegistryClient({
    registryOverride: harness.connections.getDefault()!.url,
    clock: harness.clock,
  });
  return new FitAdvisor({
    registry,
    estimator: new MemoryEstimator({
      blobUrl: (name, digest) => registry.blobUrl(name, digest),
      clock: harness.clock,
    }),
    serverMemory: new ServerMemoryLookup(
      new HostMemoryProbe({ procDir: nothing, sysDir: nothing, nvidiaSmi: null }),
      new MemoryEvidence(null, harness.clock),
    ),
    diskSpace: disk ?? new DiskSpace({ environment: () => null, folders: [nothing] }),
    clientFor: (connectionId) => harness.pool.clientFor(connectionId),
  });
}

/**
 * What a command spec hands runCommand: the harness's connections and clients, a model
 * library of their own, a fit advisor on the simulator (simulatedFitAdvisor), the
 * harness's clock, and services a command should not need failing loudly unless the
 * spec gives them (`overrides`).
 */
export function commandServices(
  harness: PullHarness,
  overrides: Partial<CommandServices> = {},
): CommandServices {
  const library = new ModelLibrary({ connections: harness.connections, clients: harness.pool });
  let advisor: FitAdvisor | null = null;
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
    fitAdvisor: () => (advisor ??= simulatedFitAdvisor(harness)),
    clock: harness.clock,
    ...overrides,
  };
}

/** What a command printed, line by line, on stdout (`out`) and stderr (`err`). */
export function capturedOutput(): {
  out: string[];
  err: string[];
  output: { print(text: string): void; printError(text: string): void };
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    output: {
      print: (text) => void out.push(text),
      printError: (text) => void err.push(text),
    },
  };
}
