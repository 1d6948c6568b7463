import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import type { AvailableModels } from './catalog/available-models.js';
import { ClientPool } from './config/client-pool.js';
import { ConnectionStore } from './config/connection-store.js';
import { HubClient } from './hub/hub-client.js';
import { LibsecretStore } from './config/libsecret-store.js';
import { UpdateCheck } from './library/update-check.js';
import { BlobHeaderReader } from './fit/blob-header-reader.js';
import { MemoryEstimator } from './fit/memory-estimator.js';
import { ModelLibrary } from './library/model-library.js';
import { LibrarySnapshot } from './library/library-snapshot.js';
import { ModelStates } from './library/model-states.js';
import { SpeedRecord } from './library/speed-record.js';
import { UpdateSchedule } from './library/update-schedule.js';
import { UsageRecord } from './library/usage-record.js';
import { DiskSpace } from './fit/disk-space.js';
import { FitAdvisor } from './fit/fit-advisor.js';
import { HostMemoryProbe } from './fit/host-memory-probe.js';
import { MemoryEvidence } from './fit/memory-evidence.js';
import { ServerMemoryLookup } from './fit/server-memory-lookup.js';
import { RegistryClient } from './ollama/registry-client.js';
import { PullManager, type PullManagerOptions } from './pulls/pull-manager.js';
import { connectObject, disconnectObject } from './util/signals.js';

const BUNDLED_CATALOG = '/io/github/paddock/Paddock/catalog.json';

/** What the build tells the app about itself (see paddock.in). */
export interface BuildInfo {
  version: string;
  /** The application id, also the GSettings schema id. */
  appId: string;
  /** 'development' for a `-Dprofile=development` build (app id ending in .Devel). */
  profile: string;
}

/**
 * The one place where Paddock's services are made, for the window and for the command
 * line alike: settings, connections, the client pool, the catalog, the model library,
 * pull managers, the registry and its update check, the fit advisor and the Hugging Face
 * Hub.
 */
export class AppServices {
  readonly settings: Gio.Settings;
  readonly connections: ConnectionStore;
  readonly clients: ClientPool;
  /** Paddock's data folder: loading.json, and the key of the pulls' owner lock. */
  readonly dataDir: Gio.File;
  #catalog: Promise<AvailableModels> | null = null;
  #updates: UpdateCheck | null = null;
  #estimator: MemoryEstimator | null = null;
  #registry: RegistryClient | null = null;
  #memoryEvidence: MemoryEvidence | null = null;
  #serverMemory: ServerMemoryLookup | null = null;
  #diskSpace: DiskSpace | null = null;
  #fitAdvisor: FitAdvisor | null = null;
  #library: ModelLibrary | null = null;
  #speeds: Promise<SpeedRecord> | null = null;
  #usage: Promise<UsageRecord> | null = null;
  #updateSchedule: UpdateSchedule | null = null;
  #hub: HubClient | null = null;

  constructor(readonly build: BuildInfo) {
    this.settings = new Gio.Settings({ schema_id: build.appId });
    this.connections = new ConnectionStore({
      configDir: Gio.File.new_for_path(
        GLib.build_filenamev([GLib.get_user_config_dir(), 'paddock']),
      ),
      secrets: new LibsecretStore(),
    });
    this.clients = new ClientPool(this.connections, () =>
      this.settings.get_uint('request-timeout'),
    );
    this.dataDir = Gio.File.new_for_path(
      GLib.build_filenamev([GLib.get_user_data_dir(), 'paddock']),
    );
  }

  /**
   * A pull manager with the user's settings. Only the process that owns the pulls
   * (PullOwner) may load() it; it follows the pulls-per-connection setting until shut down.
   */
  createPullManager(confirmMetered?: PullManagerOptions['confirmMetered']): PullManager {
    const manager = new PullManager({
      clients: this.clients,
      connections: this.connections,
      dataDir: this.dataDir,
      maxPullsPerConnection: () => this.settings.get_uint('max-pulls-per-connection'),
      stallSeconds: () => this.settings.get_uint('stall-timeout'),
      confirmMetered,
    });
    connectObject(manager, this.settings, {
      'changed::max-pulls-per-connection': () => manager.settingsChanged(),
    });
    manager.connect('closed', () => disconnectObject(manager));
    this.library().followPulls(manager);
    return manager;
  }

  /**
   * The states of installed models the window's views show (loaded, outdated, downloading
   * with `pulls`, capabilities, speed), for the one pull manager of a window's process.
   */
  createModelStates(pulls: PullManager): ModelStates {
    return new ModelStates({
      clients: this.clients,
      pulls,
      updates: () => this.updates(),
      speeds: () => this.speeds(),
      usage: () => this.usage(),
      memoryEvidence: () => this.memoryEvidence(),
      urlOf: (connectionId) => this.connections.get(connectionId)?.url ?? null,
    });
  }

  /** The installed models of every server, one source for all views (made on first use). */
  library(): ModelLibrary {
    this.#library ??= new ModelLibrary({ connections: this.connections, clients: this.clients });
    return this.#library;
  }

  /**
   * The last lists of every server (library.json in the data folder), which only the
   * window restores (ModelLibrary.restore): commands show what the servers say now.
   */
  librarySnapshot(): LibrarySnapshot {
    return new LibrarySnapshot(this.dataDir);
  }

  /** The last tokens/s measured per model and server (speeds.json), read on first use. */
  speeds(): Promise<SpeedRecord> {
    this.#speeds ??= (async () => {
      const record = new SpeedRecord(this.dataDir);
      const problem = await record.load();
      if (problem !== null) console.warn(`Paddock: ${problem}`);
      return record;
    })();
    return this.#speeds;
  }

  /** When each model was last seen used per server (usage.json), read on first use. */
  usage(): Promise<UsageRecord> {
    this.#usage ??= (async () => {
      const record = new UsageRecord(this.dataDir);
      const problem = await record.load();
      if (problem !== null) console.warn(`Paddock: ${problem}`);
      return record;
    })();
    return this.#usage;
  }

  /** The window's daily update check of every server's models (started by the window). */
  updateSchedule(): UpdateSchedule {
    this.#updateSchedule ??= new UpdateSchedule({
      library: this.library(),
      updates: this.updates(),
      intervalMs: this.settings.get_uint('update-check-interval') * 3600 * 1000,
    });
    return this.#updateSchedule;
  }

  /**
   * The registry client, one per process: models of registry.ollama.ai are looked up at the
   * registry-url setting, others at their own host; PADDOCK_REGISTRY_URL replaces every
   * registry (the specs' simulator).
   */
  registry(): RegistryClient {
    this.#registry ??= new RegistryClient({
      registryUrl: this.settings.get_string('registry-url'),
      registryOverride: GLib.getenv('PADDOCK_REGISTRY_URL'),
      timeoutSeconds: this.settings.get_uint('request-timeout'),
    });
    return this.#registry;
  }

  /** What /api/ps showed of each server's GPU memory (memory-seen.json), one per process. */
  memoryEvidence(): MemoryEvidence {
    this.#memoryEvidence ??= new MemoryEvidence(this.dataDir);
    return this.#memoryEvidence;
  }

  /** The memory each connection's server has: entered, measured on loopback, or seen. */
  serverMemory(): ServerMemoryLookup {
    this.#serverMemory ??= new ServerMemoryLookup(new HostMemoryProbe(), this.memoryEvidence());
    return this.#serverMemory;
  }

  /** The free disk space where a server on this computer keeps its models. */
  diskSpace(): DiskSpace {
    this.#diskSpace ??= new DiskSpace();
    return this.#diskSpace;
  }

  /** Whether a model fits a connection's server: download, memory, disk; one per process. */
  fitAdvisor(): FitAdvisor {
    this.#fitAdvisor ??= new FitAdvisor({
      registry: this.registry(),
      estimator: this.memoryEstimator(),
      serverMemory: this.serverMemory(),
      diskSpace: this.diskSpace(),
      clientFor: (connectionId) => this.clients.clientFor(connectionId),
    });
    return this.#fitAdvisor;
  }

  /** The update check, one per process (its answers are cached in the data folder). */
  updates(): UpdateCheck {
    this.#updates ??= new UpdateCheck({
      registry: this.registry(),
      dataDir: this.dataDir,
      maxAgeMs: this.settings.get_uint('update-check-interval') * 3600 * 1000,
    });
    return this.#updates;
  }

  /** Memory estimates from the registry's GGUF headers, one per process (headers cached by digest). */
  memoryEstimator(): MemoryEstimator {
    const registry = this.registry();
    this.#estimator ??= new MemoryEstimator({
      blobUrl: (name, digest) => registry.blobUrl(name, digest),
      dataDir: this.dataDir,
      reader: new BlobHeaderReader({ timeoutSeconds: this.settings.get_uint('request-timeout') }),
    });
    return this.#estimator;
  }

  /**
   * The Hugging Face Hub client, one per process (it keeps answers for the session): at
   * PADDOCK_HF_URL, else the hub-url setting.
   */
  hub(): HubClient {
    this.#hub ??= new HubClient({
      url: GLib.getenv('PADDOCK_HF_URL') || this.settings.get_string('hub-url'),
      timeoutSeconds: this.settings.get_uint('request-timeout'),
    });
    return this.#hub;
  }

  /**
   * The model catalog, one list per process, loaded on first use: from the cache, the
   * network (PADDOCK_CATALOG_URL, else the catalog-url setting) or the copy shipped in the
   * GResource. The window keeps it fresh (AvailableModels.keepFresh), Add Model refreshes
   * it if stale.
   */
  catalog(): Promise<AvailableModels> {
    this.#catalog ??= (async () => {
      // Its code loads with it, after the window's first frame.
      const { AvailableModels } = await import('./catalog/available-models.js');
      const catalog = new AvailableModels({
        url: GLib.getenv('PADDOCK_CATALOG_URL') || this.settings.get_string('catalog-url'),
        bundled: () => {
          const bytes = Gio.resources_lookup_data(BUNDLED_CATALOG, Gio.ResourceLookupFlags.NONE);
          return Promise.resolve(new TextDecoder().decode(bytes.toArray()));
        },
      });
      await catalog.load();
      return catalog;
    })();
    return this.#catalog;
  }
}
