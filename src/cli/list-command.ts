import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import type { UpdateResult } from '../library/update-check.js';
import type { InstalledModel } from '../ollama/types.js';
import { formatAge, formatBytes, terminalSafe, fillTemplate, oneLine } from '../util/text.js';
import type { Command } from './command-line.js';
import { CommandArguments } from './command-arguments.js';
import { chooseConnection, clientForChosen, type ChosenConnection } from './connection-choice.js';
import { CommandError } from './errors.js';
import { formatJson } from './json-output.js';
import { checkForUpdates } from './update-command.js';

const UNKNOWN = '-';

/**
 * The table `paddock list` prints, newest first as the server lists them: a heading,
 * then one model a line in aligned columns, e.g.
 * `llama3.2:3b   2.0 GB   3.2B   Q4_K_M   3 days ago`.
 */
export function formatModelTable(
  models: readonly InstalledModel[],
  now: GLib.DateTime = GLib.DateTime.new_now_utc(),
): string[] {
  const headings = [
    // Translators: a column heading of `paddock list`, as in `ollama list`.
    _('NAME'),
    // Translators: a column heading of `paddock list`, as in `ollama list`.
    _('SIZE'),
    // Translators: a column heading of `paddock list`, as in `ollama list`.
    _('PARAMETERS'),
    // Translators: a column heading of `paddock list`, as in `ollama list`.
    _('QUANTIZATION'),
    // Translators: a column heading of `paddock list`, as in `ollama list`.
    _('MODIFIED'),
  ];
  const rows = [
    headings,
    // Cleaned before measuring, so that what the server sent cannot break the columns.
    ...models.map((model) =>
      [
        model.name,
        formatBytes(model.size),
        model.details?.parameter_size || UNKNOWN,
        model.details?.quantization_level || UNKNOWN,
        formatAge(model.modified_at, now) ?? UNKNOWN,
      ].map((cell) => oneLine(terminalSafe(cell))),
    ),
  ];
  const widths = headings.map((_heading, column) =>
    Math.max(...rows.map((row) => row[column].length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('   ')
      .trimEnd(),
  );
}

/**
 * The stable `--json` form of `paddock list` (documented in docs/cli.md), escaped so that
 * passing safeOutput changes nothing and the values arrive exactly as the server sent them.
 */
export function modelListJson(
  connection: ChosenConnection,
  models: readonly InstalledModel[],
  updates: ReadonlyMap<string, UpdateResult | null> | null,
): string {
  const value = {
    connection: { name: connection.name, url: connection.url },
    models: models.map((model) => {
      const update = updates?.get(model.name) ?? null;
      return {
        name: model.name,
        size: model.size,
        digest: model.digest,
        modified_at: model.modified_at,
        family: model.details?.family ?? null,
        parameter_size: model.details?.parameter_size ?? null,
        quantization_level: model.details?.quantization_level ?? null,
        capabilities: model.capabilities ?? null,
        update: update && {
          state: update.state,
          reason: update.reason,
          checked_at: update.checkedAt === null ? null : new Date(update.checkedAt).toISOString(),
        },
      };
    }),
  };
  return formatJson(value);
}

/**
 * `paddock list [--outdated] [--json] [--connection NAME|URL]`: the models installed on the
 * server. `--outdated` asks the registries now and lists only models with a newer version;
 * `--json` includes what the last update check found (without asking) for each model.
 */
export const runList: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['connection'], ['outdated', 'json']);
  parsed.none('list');
  const connection = chooseConnection(services.connections, parsed.option('connection'));
  await clientForChosen(services.clients, connection, output);
  const library = services.library();
  await library.refresh(connection.id, cancellable);
  cancellable?.set_error_if_cancelled();
  const state = library.state(connection.id);
  if (state?.error) throw new CommandError(state.error);
  const installed = state?.models ?? [];
  const outdatedOnly = parsed.flag('outdated');
  const json = parsed.flag('json');
  let updates: ReadonlyMap<string, UpdateResult | null> | null = null;
  if (outdatedOnly) updates = await checkForUpdates(installed, output, services, cancellable);
  else if (json) updates = await services.updates().cached(installed);
  const models = outdatedOnly
    ? installed.filter((model) => updates?.get(model.name)?.state === 'outdated')
    : installed;
  if (json) {
    output.print(modelListJson(connection, models, updates));
    return 0;
  }
  if (models.length === 0) {
    output.print(
      fillTemplate(
        outdatedOnly
          ? _('No model on {name} ({url}) has a newer version.')
          : _('No models are installed on {name} ({url}).'),
        { name: connection.name, url: connection.url },
      ),
    );
    return 0;
  }
  for (const line of formatModelTable(models)) output.print(line);
  return 0;
};
