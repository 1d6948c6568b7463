import type Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { ModelDetails } from '../library/model-details.js';
import type { OllamaClient } from '../ollama/client.js';
import { HttpError } from '../ollama/errors.js';
import { ModelName } from '../ollama/model-name.js';
import type { InstalledModel, ShowReply } from '../ollama/types.js';
import { fillTemplate, oneLine, terminalSafe } from '../util/text.js';
import { CommandArguments } from './command-arguments.js';
import type { Command, CommandOutput } from './command-line.js';
import { checkModelName } from './command-target.js';
import { chooseConnection, clientForChosen, type ChosenConnection } from './connection-choice.js';
import { CommandError } from './errors.js';
import { formatJson } from './json-output.js';

/** The texts `--NAME` prints alone, as `ollama show --NAME` does. */
const TEXTS = ['license', 'modelfile', 'parameters', 'system', 'template'] as const;
type TextFlag = (typeof TEXTS)[number];

/** `paddock show --json`: stable field names (docs/cli.md), two-space indented. */
export function formatDetailsJson(details: ModelDetails): string {
  return formatJson(details.toJson());
}

/**
 * The human form: one aligned `label   value` line a fact, then the licence's first line
 * and how to read all of it.
 */
export function formatDetails(details: ModelDetails): string[] {
  const rows = [
    [_('Model'), details.name],
    ...details.facts.map((fact) => [fact.label, fact.value]),
  ];
  const license = details.license;
  const firstLine = license?.summary.split('\n')[0] ?? '';
  if (license) rows.push([_('License'), firstLine]);
  // Cleaned before measuring, so that what the server sent cannot break the columns.
  const cells = rows.map((row) => row.map((cell) => oneLine(terminalSafe(cell))));
  const width = Math.max(...cells.map(([label]) => label.length));
  const lines = cells.map(([label, value]) => `${label.padEnd(width)}   ${value}`.trimEnd());
  if (license && license.text.trim() !== firstLine)
    lines.push(
      `${''.padEnd(width)}   ${fillTemplate(_('(all of it: paddock show {model} --license)'), {
        model: details.name,
      })}`,
    );
  return lines;
}

/** A long text as lines, each printed (and so made safe) on its own. */
function printText(text: string, output: CommandOutput): void {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) output.print(line);
}

/** The /api/tags entry of `name`, which alone has the digest and the size on disk. */
async function installedEntry(
  client: OllamaClient,
  name: ModelName,
  cancellable: Gio.Cancellable | null,
): Promise<InstalledModel | null> {
  const models = await client.tags(cancellable);
  return (
    models.find(
      (model) => ModelName.isValid(model.name) && ModelName.parse(model.name).equals(name),
    ) ?? null
  );
}

async function fetchShow(
  client: OllamaClient,
  name: ModelName,
  connection: ChosenConnection,
  cancellable: Gio.Cancellable | null,
): Promise<ShowReply> {
  try {
    return await client.show(name.display, {}, cancellable);
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
}

/**
 * `paddock show NAME [--json | --license | --modelfile | --parameters | --system | --template]
 * [--connection NAME|URL]`: what the server knows of an installed model.
 */
export const runShow: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['connection'], ['json', ...TEXTS]);
  const name = checkModelName(
    parsed.single(_('show needs the name of a model, e.g. paddock show qwen3:8b')),
  );
  const chosen = ['json', ...TEXTS].filter((flag) => parsed.flag(flag));
  if (chosen.length > 1)
    throw new CommandError(
      fillTemplate(_('--{first} and --{second} cannot be combined'), {
        first: chosen[0],
        second: chosen[1],
      }),
      2,
    );
  const connection = chooseConnection(services.connections, parsed.option('connection'));
  const client = await clientForChosen(services.clients, connection, output);
  const show = await fetchShow(client, name, connection, cancellable);
  const only = TEXTS.find((flag: TextFlag) => parsed.flag(flag));
  if (only !== undefined) {
    const text = show[only] ?? '';
    if (text.trim() === '')
      output.printError(
        fillTemplate(_('note: {model} has nothing for --{option}'), {
          model: name.display,
          option: only,
        }),
      );
    else printText(text, output);
    return 0;
  }
  const details = new ModelDetails(
    name.display,
    show,
    await installedEntry(client, name, cancellable),
  );
  if (parsed.flag('json')) output.print(formatDetailsJson(details));
  else for (const line of formatDetails(details)) output.print(line);
  return 0;
};
