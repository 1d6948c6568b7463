import { gettext as _ } from 'gettext';

import { inBackground } from '../util/background.js';
import { fillTemplate } from '../util/text.js';
import type { Command } from './command-line.js';
import { clientForChosen } from './connection-choice.js';
import { aboutModel, modelTarget } from './command-target.js';

/** `paddock rm NAME [--connection NAME|URL]`: deletes the model from the server. */
export const runRemove: Command = async (args, output, services, cancellable) => {
  const { name, connection } = modelTarget(
    args,
    services.connections,
    _('rm needs the name of a model, e.g. paddock rm qwen3:8b'),
  );
  const client = await clientForChosen(services.clients, connection, output);
  await aboutModel(name.display, connection, () => client.delete(name.display, cancellable));
  inBackground(
    services.library().modelsChanged(connection.id),
    'listing the models after a removal',
  );
  output.print(fillTemplate(_('removed {model}'), { model: name.display }));
  return 0;
};
