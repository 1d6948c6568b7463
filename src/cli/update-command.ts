import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { UpdateResult } from '../library/update-check.js';
import { ModelName } from '../ollama/model-name.js';
import type { InstalledModel } from '../ollama/types.js';
import { fillTemplate, oneLine } from '../util/text.js';
import { CommandArguments } from './command-arguments.js';
import type { Command, CommandOutput, CommandServices } from './command-line.js';
import { checkModelName } from './command-target.js';
import { chooseConnection, clientForChosen } from './connection-choice.js';
import { CommandError } from './errors.js';
import { pullModels } from './pull-command.js';

/**
 * Asks the registries now (the command line always forces the check: someone asked) and
 * says on stderr which models could not be checked and why; models that do not come from a
 * registry (cloud tags) need no note. The answers are cached for the window too.
 */
export async function checkForUpdates(
  models: readonly InstalledModel[],
  output: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null,
): Promise<Map<string, UpdateResult>> {
  const updates = services.updates();
  const results = await updates.check(models, { force: true, cancellable });
  for (const [name, result] of results) {
    if (result.state !== 'unknown' || result.reason === 'not-from-registry') continue;
    output.printError(
      fillTemplate(_('note: could not check {name} for updates: {reason}'), {
        name,
        reason: oneLine(result.detail ?? ''),
      }),
    );
  }
  if (updates.cacheProblem)
    output.printError(fillTemplate(_('note: {message}'), { message: updates.cacheProblem }));
  return results;
}

/**
 * `paddock update NAME|--all [--connection NAME|URL]`: pulls the newest version of an
 * installed model, or of every model a registry has a newer version of, through the pull
 * manager as `paddock pull` does (progress lines; the exit status says whether all of them
 * completed).
 */
export const runUpdate: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['connection'], ['all']);
  const all = parsed.flag('all');
  if (all) parsed.none('update --all');
  const wanted = all
    ? null
    : checkModelName(
        parsed.single(
          _('update needs the name of a model, or --all, e.g. paddock update qwen3:8b'),
        ),
      );
  const connection = chooseConnection(services.connections, parsed.option('connection'));
  const client = await clientForChosen(services.clients, connection, output);
  const installed = await client.tags(cancellable);
  let names: ModelName[];
  if (wanted) {
    // Pulled under the name the server knows it by.
    const model = installed.find(
      (entry) => ModelName.isValid(entry.name) && ModelName.parse(entry.name).equals(wanted),
    );
    if (!model)
      throw new CommandError(
        fillTemplate(
          _('{name} is not installed on {connection}; paddock pull {name} downloads it'),
          {
            name: wanted.display,
            connection: connection.name,
          },
        ),
      );
    names = [ModelName.parse(model.name)];
  } else {
    const results = await checkForUpdates(installed, output, services, cancellable);
    names = installed
      .filter((model) => results.get(model.name)?.state === 'outdated')
      .map((model) => ModelName.parse(model.name));
    if (names.length === 0) {
      output.print(
        fillTemplate(_('No model on {connection} has a newer version.'), {
          connection: connection.name,
        }),
      );
      return 0;
    }
  }
  return pullModels(names, connection, output, services, cancellable);
};
