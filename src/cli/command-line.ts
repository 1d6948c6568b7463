import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { AvailableModels } from '../catalog/available-models.js';
import type { ClientPool } from '../config/client-pool.js';
import type { ConnectionStore } from '../config/connection-store.js';
import type { HubClient } from '../hub/hub-client.js';
import type { ModelLibrary } from '../library/model-library.js';
import { PullsElsewhereError } from '../pulls/errors.js';
import type { UpdateCheck } from '../library/update-check.js';
import type { PullManager } from '../pulls/pull-manager.js';
import type { FitAdvisor } from '../fit/fit-advisor.js';
import type { Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { terminalSafe, fillTemplate, oneLine } from '../util/text.js';
import { CommandError } from './errors.js';
import { runCopy } from './copy-command.js';
import { runList } from './list-command.js';
import { runPs } from './ps-command.js';
import { runPull } from './pull-command.js';
import { runFit } from './fit-command.js';
import { runRemove } from './remove-command.js';
import { runHubSearch } from './hub-search-command.js';
import { formatSearchResults } from './search-command.js';
import { runShow } from './show-command.js';
import { runStop } from './stop-command.js';
import { runUpdate } from './update-command.js';

/** Where a command writes: the terminal that started it, even through a running instance. */
export interface CommandOutput {
  print(text: string): void;
  printError(text: string): void;
}

/**
 * The output with every line made terminal-safe: names, descriptions and error texts
 * come from servers and the catalog, and must not reach the terminal as escape sequences.
 */
export function safeOutput(output: CommandOutput): CommandOutput {
  return {
    print: (text) => output.print(terminalSafe(text)),
    printError: (text) => output.printError(terminalSafe(text)),
  };
}

/** What commands work with: the running window's own, or a headless set (see main.ts). */
export interface CommandServices {
  catalog: () => Promise<AvailableModels>;
  /** Loaded before a command runs. */
  connections: ConnectionStore;
  clients: ClientPool;
  /** The installed models of each server, shared with the window's views. */
  library: () => ModelLibrary;
  /**
   * Loaded on first use (reading loading.json resumes earlier pulls). Rejects with
   * PullsElsewhereError when another process owns the pulls.
   */
  pulls: () => Promise<PullManager>;
  /** The update check (see UpdateCheck), made on first use. */
  updates: () => UpdateCheck;
  /** The Hugging Face Hub client, made on first use. */
  hub: () => HubClient;
  /** Whether a model fits a server (download, memory, disk), made on first use. */
  fitAdvisor: () => FitAdvisor;
  /** For the commands' own timeouts (pull's advice); the system clock unless given. */
  clock?: Clock;
  /** Called once the command is done, when the process ends with it (headless). */
  close?: () => Promise<void>;
}

/** The usage line of each command that takes arguments, for the errors that need it. */
const COMMAND_USAGE: Record<string, string> = {
  // Translators: command syntax; translate only the NAME and URL placeholders, if at all.
  pull: _('paddock pull NAME [--force] [--connection NAME|URL]'),
  // Translators: command syntax; translate only the NAME and URL placeholders, if at all.
  fit: _('paddock fit NAME [--json] [--connection NAME|URL]'),
  // Translators: command syntax; translate only the NAME and URL placeholders, if at all.
  list: _('paddock list [--outdated] [--json] [--connection NAME|URL]'),
  // Translators: command syntax; translate only the NAME and URL placeholders, if at all.
  rm: _('paddock rm NAME [--connection NAME|URL]'),
  // Translators: command syntax; translate only the NAME and URL placeholders, if at all.
  show: _(
    'paddock show NAME [--json|--license|--modelfile|--parameters|--system|--template] [--connection NAME|URL]',
  ),
  // Translators: command syntax; translate only the SOURCE, DESTINATION, NAME and URL placeholders, if at all.
  cp: _('paddock cp SOURCE DESTINATION [--connection NAME|URL]'),
  ps: _('paddock ps [--json] [--connection NAME|URL]'),
  // Translators: command syntax; translate only the NAME and URL placeholders, if at all.
  stop: _('paddock stop NAME [--connection NAME|URL]'),
  update: _('paddock update NAME|--all [--connection NAME|URL]'),
  // Translators: command syntax; translate only the TEXT, ID and N placeholders, if at all.
  search: _('paddock search TEXT | paddock search --hf TEXT|ID [--limit N] [--json]'),
};

// Translators: keep the commands and options as they are, and the columns aligned.
export const USAGE = _(`Usage:
  paddock                      open the window
  paddock search TEXT          list catalog models that match TEXT
  paddock search --hf TEXT     list GGUF repositories on Hugging Face that match TEXT
  paddock search --hf ID       list the quantisations of a Hugging Face repository
  paddock fit NAME             tell whether a model fits the server: download, memory, disk
  paddock pull NAME            download a model to the server, showing the progress
  paddock list                 list the models installed on the server
  paddock list --outdated      list the models that have a newer version
  paddock update NAME|--all    pull the newer version of a model, or of all
  paddock rm NAME              remove a model from the server
  paddock show NAME            show what the server knows of a model
  paddock cp SOURCE DEST       copy a model on the server to a new name
  paddock ps [--json]          list the models loaded in the server's memory
  paddock stop NAME            unload a model from the server's memory
  paddock --version            show the version

Every command but search uses the default connection; --connection NAME|URL picks
another saved one (Preferences → Connections) by its name or address. With the window open,
pull and update run in the window, which keeps the pull if the terminal goes away; without
it, Ctrl+C cancels the pull. pull refuses a download larger than the free disk unless
--force. fit exits 3 when the model does not fit. list, show, ps, fit and search --hf take
--json (see docs/cli.md).`);

/** One subcommand: resolves to its exit status (see runCommand). */
export type Command = (
  args: readonly string[],
  output: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null,
) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  pull: runPull,
  fit: runFit,
  list: runList,
  rm: runRemove,
  show: runShow,
  cp: runCopy,
  ps: runPs,
  stop: runStop,
  update: runUpdate,
};

/**
 * The subcommands of `paddock`. Returns the exit status: 0 done, 1 failed (with a line
 * `error: <reason>` on stderr), 2 not understood.
 */
export async function runCommand(
  args: string[],
  unsafeOutput: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null = null,
): Promise<number> {
  const output = safeOutput(unsafeOutput);
  const [command, ...rest] = args;
  switch (command) {
    case 'search': {
      if (rest.some((word) => word === '--hf' || word.startsWith('--hf=')))
        return runGuarded(command, runHubSearch, rest, output, services, cancellable);
      if (rest.length === 0) {
        output.printError(_('error: search needs the text to look for, e.g. paddock search qwen'));
        return 2;
      }
      const catalog = await services.catalog();
      if (cancellable?.is_cancelled()) return 1;
      for (const line of formatSearchResults(catalog.list(), rest.join(' '))) output.print(line);
      if (catalog.problem)
        output.printError(fillTemplate(_('note: {message}'), { message: catalog.problem }));
      return 0;
    }
    case 'pull':
    case 'fit':
    case 'list':
    case 'rm':
    case 'show':
    case 'cp':
    case 'ps':
    case 'stop':
    case 'update':
      return runGuarded(command, COMMANDS[command], rest, output, services, cancellable);
    case 'help':
      output.print(USAGE);
      return 0;
    default:
      output.printError(
        `${fillTemplate(_('error: unknown command “{command}”'), { command })}\n${USAGE}`,
      );
      return 2;
  }
}

/**
 * Runs a command that may fail: `--help` prints its usage; a CommandError or any other
 * error becomes `error: reason` on stderr and the exit status.
 */
async function runGuarded(
  name: string,
  command: Command,
  rest: string[],
  output: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null,
): Promise<number> {
  if (rest.includes('--help') || rest.includes('-h')) {
    output.print(fillTemplate(_('Usage: {usage}'), { usage: COMMAND_USAGE[name] }));
    return 0;
  }
  try {
    return await command(rest, output, services, cancellable);
  } catch (error) {
    if (error instanceof PullsElsewhereError) throw error;
    if (!(error instanceof CommandError)) {
      output.printError(
        fillTemplate(_('error: {message}'), {
          message: oneLine(errorText(error)),
        }),
      );
      return 1;
    }
    const message = oneLine(error.message);
    output.printError(
      error.status === 2
        ? fillTemplate(_('error: {message} (usage: {usage})'), {
            message,
            usage: COMMAND_USAGE[name],
          })
        : fillTemplate(_('error: {message}'), { message }),
    );
    return error.status;
  }
}
