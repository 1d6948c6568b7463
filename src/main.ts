// First: the promise-returning Gio/Soup methods every other module awaits.
import './util/promisify.js';
import { AppServices, type BuildInfo } from './app-services.js';
import { PaddockApplication } from './application.js';
import { PaddockCommandLineApplication } from './cli/command-line-application.js';

export async function main(argv: string[], build: BuildInfo): Promise<number> {
  const services = new AppServices(build);
  const [, command] = argv;
  if (command !== undefined && !command.startsWith('-')) {
    // Commands never need a display or a session bus.
    const application = new PaddockCommandLineApplication(services);
    await application.runAsync(argv);
    return application.exitStatus;
  }
  return await new PaddockApplication(services).runAsync(argv);
}
