import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { ClientPool } from '../../../src/config/client-pool.js';
import { ConnectionStore } from '../../../src/config/connection-store.js';
import { MemorySecretStore } from '../../../src/config/memory-secret-store.js';
import type { SecretStore } from '../../../src/config/secret-store.js';
import type { PullProgress } from '../../../src/ollama/types.js';
import type { PullClient, PullClientSource } from '../../../src/pulls/pull-job.js';
import type { PullJob } from '../../../src/pulls/pull-job.js';
import { PullManager, type PullManagerOptions } from '../../../src/pulls/pull-manager.js';
import { makeTempDir, removeTree } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { SimModel, Simulator } from '../helpers/simulator.js';
import { FakeNetworkState } from './fake-network-state.js';

export const CONFIG_BLOB = 'application/vnd.docker.container.image.v1+json';
export const TEMPLATE_BLOB = 'application/vnd.ollama.image.template';

/** Fast enough for a spec, with a handful of lines per blob. */
export const TINY = {
  name: 'tiny:1b',
  layers: [
    { size: 1_000_000 },
    { size: 1_200, mediaType: TEMPLATE_BLOB },
    { size: 500, mediaType: CONFIG_BLOB },
  ],
};

/** Seconds of real time at the specs' pace: still running when a spec acts in the middle. */
export function slowModel(name: string, size = 2_000_000_000) {
  return { name, layers: [{ size }, { size: 500, mediaType: CONFIG_BLOB }] };
}

/** Waits (a few real milliseconds at a time, for I/O only) until `check` holds. */
export async function until(check: () => boolean, what: string, seconds = 20): Promise<void> {
  const end = GLib.get_monotonic_time() + seconds * 1e6;
  while (!check()) {
    if (GLib.get_monotonic_time() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise<void>((resolve) =>
      GLib.timeout_add(GLib.PRIORITY_DEFAULT, 5, () => {
        resolve();
        return GLib.SOURCE_REMOVE;
      }),
    );
  }
}

export function untilStatus(job: PullJob, status: string, retryCount?: number): Promise<void> {
  return until(
    () => job.status === status && (retryCount === undefined || job.retryCount === retryCount),
    `${job.name} is ${status}${retryCount === undefined ? '' : ` with ${retryCount} retries`} (it is ${job.status}, ${job.retryCount} retries, ${job.error})`,
  );
}

/** The lines each pull got, attempt by attempt, and a hook that runs after each line. */
export class RecordingClients implements PullClientSource {
  readonly attempts: PullProgress[][] = [];
  afterLine: ((line: PullProgress) => void) | null = null;

  constructor(private readonly pool: ClientPool) {}

  async clientFor(connectionId: string): Promise<PullClient> {
    const client = await this.pool.clientFor(connectionId);
    return {
      host: client.host,
      pull: (name, onProgress, cancellable) => {
        const lines: PullProgress[] = [];
        this.attempts.push(lines);
        return client.pull(
          name,
          (line) => {
            lines.push(line);
            onProgress(line);
            this.afterLine?.(line);
          },
          cancellable,
        );
      },
    };
  }

  /** The first `completed` of the first blob line of an attempt. */
  firstCompleted(attempt: number): number {
    return this.attempts[attempt]?.find((line) => line.digest !== undefined)?.completed ?? 0;
  }
}

/** A manager over the simulator, a temporary data folder, a manual clock and a fake network. */
export class PullHarness {
  readonly clock = new ManualClock();
  readonly network = new FakeNetworkState();
  readonly root: Gio.File;
  readonly dataDir: Gio.File;
  readonly connections: ConnectionStore;
  readonly pool: ClientPool;
  readonly clients: RecordingClients;
  readonly managers: PullManager[] = [];
  connectionId = '';

  constructor(
    private readonly sim: Simulator,
    secrets: SecretStore = new MemorySecretStore(),
  ) {
    this.root = makeTempDir();
    this.dataDir = this.root.get_child('data');
    this.connections = new ConnectionStore({
      configDir: this.root.get_child('config'),
      secrets,
      environment: () => null,
    });
    this.pool = new ClientPool(this.connections);
    this.clients = new RecordingClients(this.pool);
  }

  /** A fresh simulator state with fast ticks and these models, and a harness on it. */
  static async against(
    sim: Simulator,
    models: SimModel[],
    secrets?: SecretStore,
  ): Promise<PullHarness> {
    await sim.reset();
    await sim.configure({ tickMs: 2, bytesPerTick: 400_000 });
    await sim.addModels(models);
    const harness = new PullHarness(sim, secrets);
    await harness.setUp();
    return harness;
  }

  async setUp(): Promise<void> {
    await this.connections.load();
    const item = await this.connections.update(this.connections.getDefault()!.id, {
      url: this.sim.url,
    });
    this.connectionId = item.id;
  }

  manager(options: Partial<PullManagerOptions> = {}): PullManager {
    const manager = new PullManager({
      clients: this.clients,
      connections: this.connections,
      dataDir: this.dataDir,
      clock: this.clock,
      network: this.network,
      ...options,
    });
    this.managers.push(manager);
    return manager;
  }

  get loadingFile(): Gio.File {
    return this.dataDir.get_child('loading.json');
  }

  async tearDown(): Promise<void> {
    for (const manager of this.managers) await manager.shutdown();
    removeTree(this.root);
  }
}
