import Gio from 'gi://Gio';

import type { AvailableModels } from '../catalog/available-models.js';
import type { ClientPool } from '../config/client-pool.js';
import type { ConnectionStore } from '../config/connection-store.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { formatSearchResults } from './search-command.js';

/** Where a command writes: the terminal that started it, even through a running instance. */
export interface CommandOutput {
  print(text: string): void;
  printError(text: string): void;
}

/** What commands work with: the running window's own, or a headless set (see main.ts). */
export interface CommandServices {
  catalog: () => Promise<AvailableModels>;
  /** Loaded before a command runs. */
  connections: ConnectionStore;
  clients: ClientPool;
  /** Loaded on first use (reading loading.json resumes earlier pulls). */
  pulls: () => Promise<PullManager>;
}

export const USAGE = `Usage:
  paddock                      open the window
  paddock search TEXT          list catalog models that match TEXT
  paddock --version            show the version`;

/**
 * The subcommands of `paddock`. Returns the exit status: 0 done, 1 failed (with a line
 * `error: <reason>` on stderr), 2 not understood.
 */
export async function runCommand(
  args: string[],
  output: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null = null,
): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'search': {
      if (rest.length === 0) {
        output.printError('error: search needs the text to look for, e.g. paddock search qwen');
        return 2;
      }
      const catalog = await services.catalog();
      if (cancellable?.is_cancelled()) return 1;
      for (const line of formatSearchResults(catalog.list(), rest.join(' '))) output.print(line);
      if (catalog.problem) output.printError(`note: ${catalog.problem}`);
      return 0;
    }
    case 'help':
      output.print(USAGE);
      return 0;
    default:
      output.printError(`error: unknown command “${command}”\n${USAGE}`);
      return 2;
  }
}
