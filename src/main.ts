// First: the promise-returning Gio/Soup methods every other module awaits.
import './util/promisify.js';
import { AppServices, type BuildInfo } from './app-services.js';

export async function main(argv: string[], build: BuildInfo): Promise<number> {
  const services = new AppServices(build);
  const [, command] = argv;
  if (command !== undefined && !command.startsWith('-')) {
    // Commands never need a display or a session bus, nor the window's code.
    const { PaddockCommandLineApplication } = await import('./cli/command-line-application.js');
    const application = new PaddockCommandLineApplication(services);
    await application.runAsync(argv);
    return application.exitStatus;
  }
  // Nor does the window need the commands' code.
  const { PaddockApplication } = await import('./application.js');
  return await new PaddockApplication(services).runAsync(argv);
}
