import { gettext as _ } from 'gettext';

import type { OllamaClient } from '../ollama/client.js';
import { validateServerUrl } from '../ollama/ollama-host.js';
import { fillTemplate } from '../util/text.js';
import { CommandError } from './errors.js';
import type { CommandOutput } from './command-line.js';

/** What a command needs of a saved connection (ConnectionItem has it). */
export interface ChosenConnection {
  readonly id: string;
  readonly name: string;
  readonly url: string;
}

/** The saved connections to choose from: the ConnectionStore. */
export interface ConnectionChoices {
  list(): readonly ChosenConnection[];
  getDefault(): ChosenConnection | null;
}

function sameUrl(stored: string, wanted: string): boolean {
  const check = validateServerUrl(stored);
  return ('url' in check ? check.url : stored) === wanted;
}

/**
 * The connection `--connection WANTED` names: the default one without it; else the one
 * called WANTED (ignoring case), else the one at the address WANTED, written any way
 * OLLAMA_HOST may be (`host:port`, `http://host:port/`, …). Commands use saved connections
 * only, never an address on the fly, because a pull is resumed after a crash or a restart
 * from its connection. Throws CommandError saying what to do when there is no such one.
 */
export function chooseConnection(
  connections: ConnectionChoices,
  wanted: string | null,
): ChosenConnection {
  if (wanted === null) {
    const fallback = connections.getDefault();
    if (!fallback)
      throw new CommandError(
        _('there is no connection to a server — add it in Preferences → Connections'),
      );
    return fallback;
  }
  const text = wanted.trim();
  const all = connections.list();
  const named = all.find(
    (connection) => connection.name.toLocaleLowerCase() === text.toLocaleLowerCase(),
  );
  if (named) return named;
  const check = validateServerUrl(text);
  const found =
    'url' in check ? all.find((connection) => sameUrl(connection.url, check.url)) : null;
  if (found) return found;
  // "lab" is more likely a mistyped name than the address http://lab:11434.
  if (/[:/.]/.test(text)) {
    if ('error' in check)
      throw new CommandError(
        fillTemplate(_('“{text}” is not the name of a connection, nor an address: {reason}'), {
          text,
          reason: check.error,
        }),
      );
    throw new CommandError(
      fillTemplate(
        _('no connection with the address {url} — add it in Preferences → Connections'),
        { url: check.url },
      ),
    );
  }
  const known = all
    .map((connection) =>
      fillTemplate(_('“{name}” ({url})'), { name: connection.name, url: connection.url }),
    )
    .join(', ');
  throw new CommandError(
    known === ''
      ? fillTemplate(_('no connection named “{text}” — add it in Preferences → Connections'), {
          text,
        })
      : fillTemplate(_('no connection named “{text}”; the connections are {connections}'), {
          text,
          connections: known,
        }),
  );
}

/**
 * The chosen connection's client. Like the connection dialog, warns (on stderr) when its
 * API key goes to another machine over plain HTTP.
 */
export async function clientForChosen(
  clients: { clientFor(connectionId: string): Promise<OllamaClient> },
  connection: ChosenConnection,
  output: CommandOutput,
): Promise<OllamaClient> {
  const client = await clients.clientFor(connection.id);
  if (client.sendsKeyInClear)
    output.printError(
      fillTemplate(
        _(
          'warning: the API key of {name} goes unencrypted over the network to {url}. Use an https:// address unless you trust every network between you and this server.',
        ),
        { name: connection.name, url: connection.url },
      ),
    );
  return client;
}
