import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';
import type { Command } from './command-line.js';
import { clientForChosen } from './connection-choice.js';
import { aboutModel, modelTarget } from './command-target.js';

/** `paddock stop NAME [--connection NAME|URL]`: unloads the model from the server's memory. */
export const runStop: Command = async (args, output, services, cancellable) => {
  const { name, connection } = modelTarget(
    args,
    services.connections,
    _('stop needs the name of a model, e.g. paddock stop qwen3:8b'),
  );
  const client = await clientForChosen(services.clients, connection, output);
  await aboutModel(name.display, connection, () => client.unload(name.display, cancellable));
  output.print(fillTemplate(_('unloaded {model}'), { model: name.display }));
  return 0;
};
