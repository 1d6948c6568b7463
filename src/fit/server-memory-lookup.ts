import Gio from 'gi://Gio';

import type { Connection } from '../config/connection.js';
import { isLoopbackUrl } from '../ollama/ollama-host.js';
import type { HostMemoryProbe } from './host-memory-probe.js';
import type { MemoryEvidence } from './memory-evidence.js';
import {
  combineMemory,
  enteredMemory,
  UNKNOWN_MEMORY,
  type ServerMemory,
} from './server-memory.js';

/**
 * The memory a connection's server has, from the best source there is: what the user
 * entered, what this computer measures (a server on loopback), what /api/ps showed.
 */
export class ServerMemoryLookup {
  readonly #probe: HostMemoryProbe;
  readonly #evidence: MemoryEvidence;

  constructor(probe: HostMemoryProbe, evidence: MemoryEvidence) {
    this.#probe = probe;
    this.#evidence = evidence;
  }

  async memoryOf(
    connection: Connection,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<ServerMemory> {
    const [measured, seen] = await Promise.all([
      isLoopbackUrl(connection.url) ? this.#probe.measure(cancellable) : UNKNOWN_MEMORY,
      this.#evidence.gpuSeen(connection.url),
    ]);
    return combineMemory(enteredMemory(connection), measured, { ram: null, gpu: seen });
  }
}
