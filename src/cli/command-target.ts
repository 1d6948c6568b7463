import { gettext as _ } from 'gettext';

import { HttpError, InvalidModelNameError } from '../ollama/errors.js';
import { ModelName } from '../ollama/model-name.js';
import { CommandArguments } from './command-arguments.js';
import {
  chooseConnection,
  type ChosenConnection,
  type ConnectionChoices,
} from './connection-choice.js';
import { fillTemplate } from '../util/text.js';
import { CommandError } from './errors.js';

/** What `paddock pull|rm NAME [--connection NAME|URL]` acts on. */
export interface ModelTarget {
  /** Checked by Ollama's rules, before anything is sent. */
  name: ModelName;
  connection: ChosenConnection;
}

/** The model's name as Ollama would take it; CommandError, before anything is sent, otherwise. */
export function checkModelName(text: string): ModelName {
  try {
    return ModelName.parse(text.trim());
  } catch (error) {
    if (error instanceof InvalidModelNameError) throw new CommandError(error.message);
    throw error;
  }
}

/** `NAME [--connection NAME|URL]`; CommandError with `missing` when no name is given. */
export function modelTarget(
  args: readonly string[],
  connections: ConnectionChoices,
  missing: string,
): ModelTarget {
  const parsed = CommandArguments.parse(args, ['connection']);
  const name = checkModelName(parsed.single(missing));
  return { name, connection: chooseConnection(connections, parsed.option('connection')) };
}

/** `[--connection NAME|URL]` and nothing else, for `command`. */
export function connectionTarget(
  args: readonly string[],
  connections: ConnectionChoices,
  command: string,
): ChosenConnection {
  const parsed = CommandArguments.parse(args, ['connection']);
  parsed.none(command);
  return chooseConnection(connections, parsed.option('connection'));
}

/**
 * Runs a call about `model` on `connection`; the server's 404 becomes the command's
 * "model 'x' not found on Name (url)".
 */
export async function aboutModel<T>(
  model: string,
  connection: ChosenConnection,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpError && error.status === 404 && error.serverText !== null)
      throw new CommandError(
        fillTemplate(_("model '{model}' not found on {name} ({url})"), {
          model,
          name: connection.name,
          url: connection.url,
        }),
      );
    throw error;
  }
}
