import Gio from 'gi://Gio';

import { APP_ID, PaddockApplication } from './application.js';
import { PaddockCommandLineApplication } from './cli/command-line-application.js';
import { loadHeadlessServices } from './cli/headless-services.js';

Gio._promisify(Gio, 'bus_get', 'bus_get_finish');
Gio._promisify(Gio.DBusConnection.prototype, 'call', 'call_finish');

export interface BuildInfo {
  version: string;
}

export async function main(argv: string[], buildInfo: BuildInfo): Promise<number> {
  const [, command] = argv;
  if (command !== undefined && !command.startsWith('-')) {
    // Commands never need a display: a running window runs them, or this process does.
    const running = await PaddockCommandLineApplication.primaryIsRunning(APP_ID);
    const application = new PaddockCommandLineApplication(APP_ID, !running, loadHeadlessServices);
    const status = await application.runAsync(argv);
    return running ? status : application.exitStatus;
  }
  return await new PaddockApplication(buildInfo.version).runAsync(argv);
}
