import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import { processorText, gpuPercent } from '../library/gpu-share.js';
import { unloadCountdown } from '../library/unload-countdown.js';
import type { RunningModel } from '../ollama/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { fillTemplate, formatBytes } from '../util/text.js';
import { CommandArguments } from './command-arguments.js';
import type { Command } from './command-line.js';
import { chooseConnection, clientForChosen, type ChosenConnection } from './connection-choice.js';
import { formatColumns } from './columns.js';
import { formatJson } from './json-output.js';

const UNKNOWN = '-';

/** When the model unloads, for the UNTIL column: "4 min from now", "forever", "unloading…". */
function untilText(model: RunningModel, clock: Clock): string {
  const countdown = unloadCountdown(model.expires_at, clock);
  switch (countdown.state) {
    case 'counting':
      // Translators: when a loaded model unloads, in the UNTIL column of `paddock ps`.
      return fillTemplate(_('{time} from now'), { time: countdown.remaining });
    case 'kept':
      // Translators: a model kept loaded, in the UNTIL column of `paddock ps`.
      return _('forever');
    case 'unloading':
      return countdown.text;
    case 'unknown':
      return UNKNOWN;
  }
}

/**
 * The table `paddock ps` prints, in the server's order (the longest-staying first), e.g.
 * `qwen3:8b   5.8 GB   48%/52% CPU/GPU   4096   4 min from now`.
 */
export function formatRunningTable(
  models: readonly RunningModel[],
  clock: Clock = systemClock,
): string[] {
  return formatColumns([
    [
      // Translators: a column heading of `paddock ps`, as in `ollama ps`.
      _('NAME'),
      // Translators: a column heading of `paddock ps`, as in `ollama ps`.
      _('SIZE'),
      // Translators: a column heading of `paddock ps`, as in `ollama ps`.
      _('PROCESSOR'),
      // Translators: a column heading of `paddock ps`, as in `ollama ps`.
      _('CONTEXT'),
      // Translators: a column heading of `paddock ps`, as in `ollama ps`.
      _('UNTIL'),
    ],
    ...models.map((model) => [
      model.name,
      formatBytes(model.size),
      processorText(model),
      model.context_length === undefined ? UNKNOWN : String(model.context_length),
      untilText(model, clock),
    ]),
  ]);
}

/** expires_at in UTC with whole seconds, or null when the server gave none. */
function utcTime(iso: string): string | null {
  if (iso === '') return null;
  return GLib.DateTime.new_from_iso8601(iso, null)?.to_utc()?.format('%Y-%m-%dT%H:%M:%SZ') ?? null;
}

/** What `paddock ps --json` prints (documented in docs/cli.md: keep it stable). */
export function runningJson(
  connection: ChosenConnection,
  models: readonly RunningModel[],
  clock: Clock = systemClock,
): string {
  return formatJson({
    connection: { name: connection.name, url: connection.url },
    models: models.map((model) => ({
      name: model.name,
      model: model.model,
      digest: model.digest,
      size: model.size,
      size_vram: model.size_vram,
      gpu_percent: gpuPercent(model),
      context_length: model.context_length ?? null,
      expires_at: utcTime(model.expires_at),
      kept_loaded: unloadCountdown(model.expires_at, clock).state === 'kept',
    })),
  });
}

/** `paddock ps [--json] [--connection NAME|URL]`: the models loaded in the server's memory. */
export const runPs: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['connection'], ['json']);
  parsed.none('ps');
  const connection = chooseConnection(services.connections, parsed.option('connection'));
  const client = await clientForChosen(services.clients, connection, output);
  const models = await client.ps(cancellable);
  if (parsed.flag('json')) output.print(runningJson(connection, models));
  else if (models.length === 0)
    output.print(
      fillTemplate(_('No model is loaded on {name} ({url}).'), {
        name: connection.name,
        url: connection.url,
      }),
    );
  else for (const line of formatRunningTable(models)) output.print(line);
  return 0;
};
