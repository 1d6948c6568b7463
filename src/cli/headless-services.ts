import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import { loadCatalog } from '../catalog/load-catalog.js';
import { ClientPool } from '../config/client-pool.js';
import { ConnectionStore } from '../config/connection-store.js';
import { LibsecretStore } from '../config/libsecret-store.js';
import { PullManager } from '../pulls/pull-manager.js';
import { fillTemplate } from '../util/template.js';
import type { CommandOutput, CommandServices } from './command-line.js';

const APP_ID = 'io.github.paddock.Paddock';

/**
 * The services of a command run without the window: the same connections, keyring,
 * pull manager and loading.json as the app, so a pull started here survives a crash
 * and is resumed by the next start of either. Loading the pull manager resumes the pulls
 * loading.json lists, as the window would; they run while the command does, and
 * close() writes down where they stand.
 */
export async function loadHeadlessServices(output: CommandOutput): Promise<CommandServices> {
  const settings = new Gio.Settings({ schema_id: APP_ID });
  const configDir = Gio.File.new_for_path(
    GLib.build_filenamev([GLib.get_user_config_dir(), 'paddock']),
  );
  const connections = new ConnectionStore({ configDir, secrets: new LibsecretStore() });
  const { problem } = await connections.load();
  if (problem) output.printError(fillTemplate(_('note: {message}'), { message: problem }));
  const clients = new ClientPool(connections, () => settings.get_uint('request-timeout'));
  let pulls: Promise<PullManager> | null = null;
  const loadPulls = async () => {
    const manager = new PullManager({
      clients,
      connections,
      dataDir: Gio.File.new_for_path(GLib.build_filenamev([GLib.get_user_data_dir(), 'paddock'])),
      maxPullsPerConnection: () => settings.get_uint('max-pulls-per-connection'),
      stallSeconds: () => settings.get_uint('stall-timeout'),
    });
    const { problems } = await manager.load();
    for (const text of problems)
      output.printError(fillTemplate(_('note: {message}'), { message: text }));
    return manager;
  };
  return {
    catalog: loadCatalog,
    connections,
    clients,
    pulls: () => (pulls ??= loadPulls()),
    // Other pulls resumed from loading.json stop with the process; it keeps them for later.
    close: async () => {
      if (pulls) await (await pulls).shutdown();
    },
  };
}
