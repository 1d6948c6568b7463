import { gettext as _ } from 'gettext';

import { HttpError } from '../ollama/errors.js';
import { fillTemplate } from '../util/text.js';
import { CommandError } from './errors.js';
import type { Command } from './command-line.js';
import { clientForChosen } from './connection-choice.js';
import { modelTarget } from './command-target.js';

/** `paddock stop NAME [--connection NAME|URL]`: unloads the model from the server's memory. */
export const runStop: Command = async (args, output, services, cancellable) => {
  const { name, connection } = modelTarget(
    args,
    services.connections,
    _('stop needs the name of a model, e.g. paddock stop qwen3:8b'),
  );
  const client = await clientForChosen(services.clients, connection, output);
  try {
    await client.unload(name.display, cancellable);
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
  output.print(fillTemplate(_('unloaded {model}'), { model: name.display }));
  return 0;
};
