import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { HttpError } from '../ollama/errors.js';
import { fillTemplate } from '../util/text.js';
import { CommandArguments } from './command-arguments.js';
import { CommandError } from './errors.js';
import type { CommandOutput, CommandServices } from './command-line.js';
import { chooseConnection, clientForChosen } from './connection-choice.js';
import { checkModelName } from './model-name-argument.js';

/** `paddock rm NAME [--connection NAME|URL]`: deletes the model from the server. */
export async function runRemove(
  args: readonly string[],
  output: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null,
): Promise<number> {
  const parsed = CommandArguments.parse(args, ['connection']);
  const name = checkModelName(
    parsed.single(_('rm needs the name of a model, e.g. paddock rm qwen3:8b')),
  );
  const connection = chooseConnection(services.connections, parsed.option('connection'));
  const client = await clientForChosen(services.clients, connection, output);
  try {
    await client.delete(name.display, cancellable);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404 && error.serverText !== null)
      throw new CommandError(
        fillTemplate(_("model '{model}' not found on {name} ({url})"), {
          model: name.display,
          name: connection.name,
          url: connection.url,
        }),
      );
    throw error;
  }
  output.print(fillTemplate(_('removed {model}'), { model: name.display }));
  return 0;
}
