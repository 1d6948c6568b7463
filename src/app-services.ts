import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import type { AvailableModels } from './catalog/available-models.js';
import { loadCatalog } from './catalog/load-catalog.js';
import { ClientPool } from './config/client-pool.js';
import { ConnectionStore } from './config/connection-store.js';
import { LibsecretStore } from './config/libsecret-store.js';
import { PullManager, type PullManagerOptions } from './pulls/pull-manager.js';

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
 * line alike: settings, connections, the client pool, the catalog and pull managers.
 */
export class AppServices {
  readonly settings: Gio.Settings;
  readonly connections: ConnectionStore;
  readonly clients: ClientPool;
  /** Paddock's data folder: loading.json, and the key of the pulls' owner lock. */
  readonly dataDir: Gio.File;

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
    const limitChanged = this.settings.connect('changed::max-pulls-per-connection', () =>
      manager.settingsChanged(),
    );
    manager.connect('closed', () => this.settings.disconnect(limitChanged));
    return manager;
  }

  /** The model catalog, loaded once (cache, network or the copy shipped with the app). */
  catalog(): Promise<AvailableModels> {
    return loadCatalog();
  }
}
