import type Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { Connection } from '../config/connection.js';
import { downloadSizeText } from '../fit/download-size.js';
import type { FitAdvice } from '../fit/fit-advisor.js';
import type { MemoryFigure } from '../fit/server-memory.js';
import { memoryFigureText } from '../fit/fit-verdict.js';
import type { ModelName } from '../ollama/model-name.js';
import { fillTemplate, formatBytes, oneLine, terminalSafe } from '../util/text.js';
import { CommandArguments } from './command-arguments.js';
import type { Command, CommandServices } from './command-line.js';
import { checkModelName } from './command-target.js';
import { chooseConnection, type ChosenConnection } from './connection-choice.js';
import { CommandError } from './errors.js';
import { formatJson } from './json-output.js';

/** `paddock fit`'s exit status when the model cannot run on the server or has no room on its disk. */
export const DOES_NOT_FIT_STATUS = 3;

const REGISTRY_HOST = 'registry.ollama.ai';

/** The saved connection behind a chosen one, with its memory figures and context length. */
export function savedConnection(services: CommandServices, chosen: ChosenConnection): Connection {
  const item = services.connections.get(chosen.id);
  if (!item) throw new CommandError(_('That connection was removed.'));
  return item;
}

/**
 * The catalog's download size of a library model's tag, for when the registry cannot be
 * reached; null when the catalog does not list it (or cannot be had).
 */
async function catalogBytes(services: CommandServices, name: ModelName): Promise<number | null> {
  if (name.host.toLowerCase() !== REGISTRY_HOST) return null;
  const family = name.namespace === 'library' ? name.model : `${name.namespace}/${name.model}`;
  try {
    return (await services.catalog()).find(family)?.findTag(name.tag)?.sizeBytes ?? null;
  } catch {
    // A catalog never rejects but when cancelled; the registry's figures do without it.
    return null;
  }
}

/** What the fit advisor says of `name` on `connection` (see FitAdvisor.advise). */
export async function adviseOn(
  services: CommandServices,
  connection: Connection,
  name: ModelName,
  cancellable: Gio.Cancellable | null,
): Promise<FitAdvice> {
  return services
    .fitAdvisor()
    .advise(connection, name, await catalogBytes(services, name), cancellable);
}

/** Whether `paddock fit` says no: too large for the memory, or no room on the disk. */
export function doesNotFit(advice: FitAdvice): boolean {
  return advice.fit.verdict === 'too-large' || advice.disk.verdict === 'no-room';
}

function figureJson(figure: MemoryFigure | null) {
  return figure === null
    ? null
    : {
        bytes: figure.bytes,
        source: figure.source.kind,
        model: figure.source.kind === 'observed' ? figure.source.model : null,
      };
}

/** `paddock fit --json`: stable field names (docs/cli.md). */
export function formatFitJson(name: ModelName, connection: Connection, advice: FitAdvice): string {
  const { need, download, memory, disk, freeSpace } = advice;
  return formatJson({
    name: name.display,
    connection: { name: connection.name, url: connection.url },
    verdict: advice.fit.verdict,
    verdict_text: advice.fit.text,
    download:
      download === null
        ? null
        : {
            total: download.total,
            present: download.present,
            download: download.download,
            approximate: download.approximate,
          },
    memory_needed:
      need === null
        ? null
        : {
            total: need.total,
            weights: need.weights,
            kv_cache: need.kvCache,
            graph: need.graph,
            rough: need.rough,
          },
    context_length: advice.contextLength,
    context_length_source: connection.contextLength === undefined ? 'server' : 'connection',
    memory: { ram: figureJson(memory.ram), gpu: figureJson(memory.gpu) },
    disk: {
      verdict: disk.verdict,
      free_bytes: freeSpace?.freeBytes ?? null,
      folder: freeSpace?.folder.get_path() ?? null,
    },
  });
}

/** The human form: one aligned `label   value` line a fact, the verdict last. */
export function formatFit(name: ModelName, connection: Connection, advice: FitAdvice): string[] {
  const { need, download, memory, disk, freeSpace } = advice;
  const unknown = _('unknown');
  const rows: [string, string][] = [
    [
      _('Model'),
      fillTemplate(_('{model} on {name} ({url})'), {
        model: name.display,
        name: connection.name,
        url: connection.url,
      }),
    ],
    [_('Download'), download === null ? unknown : downloadSizeText(download)],
    [
      _('Memory needed'),
      need === null
        ? unknown
        : fillTemplate(need.rough ? _('~{size} (rough estimate)') : _('~{size}'), {
            size: formatBytes(need.total),
          }),
    ],
    [
      _('Context length'),
      fillTemplate(
        connection.contextLength === undefined
          ? _('{tokens} tokens (the server’s default)')
          : _('{tokens} tokens (set for this connection)'),
        { tokens: advice.contextLength.toLocaleString() },
      ),
    ],
    [_('GPU memory'), memory.gpu === null ? unknown : memoryFigureText(memory.gpu)],
    [_('System memory'), memory.ram === null ? unknown : memoryFigureText(memory.ram)],
    [
      _('Disk'),
      freeSpace === null
        ? _('unknown (only known for a server on this computer)')
        : fillTemplate(_('{free} free in {folder}'), {
            free: formatBytes(freeSpace.freeBytes),
            folder: freeSpace.folder.get_path() ?? freeSpace.folder.get_uri(),
          }),
    ],
    [
      _('Verdict'),
      advice.fit.text ??
        (need === null
          ? _('unknown: nothing is known of the model’s size')
          : _('unknown: the memory of the server is not known (enter it in the connection)')),
    ],
  ];
  if (disk.text !== null) rows.push(['', disk.text]);
  // Cleaned before measuring, so that what a server sent cannot break the columns.
  const cells = rows.map((row) => row.map((cell) => oneLine(terminalSafe(cell))));
  const width = Math.max(...cells.map(([label]) => label.length));
  return cells.map(([label, value]) => `${label.padEnd(width)}   ${value}`.trimEnd());
}

/**
 * `paddock fit NAME [--connection NAME|URL] [--json]`: whether a model would run on the
 * server before pulling it. Exit 0 when it fits or it is not known; DOES_NOT_FIT_STATUS
 * when it is too large or the disk has no room; 1 when the command failed.
 */
export const runFit: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['connection'], ['json']);
  const name = checkModelName(
    parsed.single(_('fit needs the name of a model, e.g. paddock fit qwen3:8b')),
  );
  const connection = savedConnection(
    services,
    chooseConnection(services.connections, parsed.option('connection')),
  );
  const advice = await adviseOn(services, connection, name, cancellable);
  if (parsed.flag('json')) output.print(formatFitJson(name, connection, advice));
  else for (const line of formatFit(name, connection, advice)) output.print(line);
  return doesNotFit(advice) ? DOES_NOT_FIT_STATUS : 0;
};
