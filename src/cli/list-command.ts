import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import type { InstalledModel } from '../ollama/types.js';
import { formatAge, formatBytes, terminalSafe, fillTemplate, oneLine } from '../util/text.js';
import type { Command } from './command-line.js';
import { clientForChosen } from './connection-choice.js';
import { connectionTarget } from './command-target.js';
import { CommandError } from './errors.js';

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

/** `paddock list [--connection NAME|URL]`: the models installed on the server. */
export const runList: Command = async (args, output, services, cancellable) => {
  const connection = connectionTarget(args, services.connections, 'list');
  await clientForChosen(services.clients, connection, output);
  const library = services.library();
  await library.refresh(connection.id, cancellable);
  cancellable?.set_error_if_cancelled();
  const state = library.state(connection.id);
  if (state?.error) throw new CommandError(state.error);
  const models = state?.models ?? [];
  if (models.length === 0) {
    output.print(
      fillTemplate(_('No models are installed on {name} ({url}).'), {
        name: connection.name,
        url: connection.url,
      }),
    );
    return 0;
  }
  for (const line of formatModelTable(models)) output.print(line);
  return 0;
};
