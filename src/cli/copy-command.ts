import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';
import { CommandArguments } from './command-arguments.js';
import type { Command } from './command-line.js';
import { aboutModel, checkModelName } from './command-target.js';
import { chooseConnection, clientForChosen } from './connection-choice.js';
import { CommandError } from './errors.js';
import { inBackground } from '../util/background.js';

/**
 * `paddock cp SOURCE DESTINATION [--connection NAME|URL]`: a second name for an installed
 * model (no bytes are copied). Both names are checked before anything is sent. Like
 * `ollama cp`, a model already called DESTINATION is replaced: the server says nothing of it.
 */
export const runCopy: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['connection']);
  if (parsed.positionals.length !== 2)
    throw new CommandError(
      _('cp needs the model and its new name, e.g. paddock cp qwen3:8b my-qwen:latest'),
      2,
    );
  const source = checkModelName(parsed.positionals[0]);
  const destination = checkModelName(parsed.positionals[1]);
  if (source.equals(destination))
    throw new CommandError(
      fillTemplate(_('{model} is already called that; give the copy another name'), {
        model: source.display,
      }),
    );
  const connection = chooseConnection(services.connections, parsed.option('connection'));
  const client = await clientForChosen(services.clients, connection, output);
  await aboutModel(source.display, connection, () =>
    client.copy(source.display, destination.display, cancellable),
  );
  inBackground(services.library().modelsChanged(connection.id), 'listing the models after a copy');
  output.print(
    fillTemplate(_('copied {source} to {destination}'), {
      source: source.display,
      destination: destination.display,
    }),
  );
  return 0;
};
