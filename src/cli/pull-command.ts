import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { ModelName } from '../ollama/model-name.js';
import { PullsElsewhereError } from '../pulls/errors.js';
import type { PullJob } from '../pulls/pull-job.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { CommandError } from './errors.js';
import type { Command, CommandOutput, CommandServices } from './command-line.js';
import { clientForChosen, type ChosenConnection } from './connection-choice.js';
import { PullReport } from './pull-report.js';
import { checkModelName } from './command-target.js';
import { CommandArguments } from './command-arguments.js';
import { chooseConnection } from './connection-choice.js';
import { adviseBeforePull } from './pull-advice.js';

/**
 * `paddock pull NAME [--force] [--connection NAME|URL]`: first prints whether the model
 * fits (see adviseBeforePull; a download larger than the known free disk is refused
 * unless --force), then pulls through the pull manager it is given
 * (the window's, whose banner then shows the pull, or a headless one), so the pull joins
 * one of the same model under way, is kept in loading.json and retries as in the app.
 * Prints a line per change and progress at most every 2 s until the pull ends; resolves
 * to 0 once it is complete, 1 when it failed or was cancelled.
 *
 * Cancelling `cancellable` (Ctrl+C in a headless run) cancels the pull. A command run by
 * the window has none: when its terminal goes away, the window keeps the pull.
 *
 * Rejects with PullsElsewhereError when the manager closes before the pull ended (its
 * process handed the pulls to another or is quitting): the command then follows the pull
 * wherever it went on (see the command line application).
 */
export const runPull: Command = async (args, output, services, cancellable) => {
  const parsed = CommandArguments.parse(args, ['connection'], ['force']);
  const name = checkModelName(
    parsed.single(_('pull needs the name of a model, e.g. paddock pull qwen3:8b')),
  );
  const connection = chooseConnection(services.connections, parsed.option('connection'));
  return pullModels([name], connection, output, services, cancellable, async (manager) => {
    // A pull that is refused anyway (another process owns the pulls) needs no advice.
    if (manager.refusal === null)
      await adviseBeforePull(name, connection, parsed.flag('force'), output, services, cancellable);
  });
};

/**
 * Pulls `names` on `connection` as `paddock pull` does one (see runPull): each joins a pull
 * of the same model under way, and the lines of all of them are printed as they come.
 * Resolves to 0 once every pull is complete, 1 when any failed or was cancelled.
 * `beforeStart` runs once the manager is there, before any pull starts; what it throws
 * ends the command.
 */
export async function pullModels(
  names: readonly ModelName[],
  connection: ChosenConnection,
  output: CommandOutput,
  services: CommandServices,
  cancellable: Gio.Cancellable | null,
  beforeStart: (manager: PullManager) => Promise<void> = async () => {},
): Promise<number> {
  // The pull gets its own client; this one says early whether the key can be read and is safe.
  await clientForChosen(services.clients, connection, output);
  if (cancellable?.is_cancelled()) throw new CommandError(_('cancelled'));
  const manager = await services.pulls();
  if (cancellable?.is_cancelled()) throw new CommandError(_('cancelled'));
  if (manager.isClosed) throw new PullsElsewhereError();
  await beforeStart(manager);
  if (manager.isClosed) throw new PullsElsewhereError();

  const reports = new Map<PullJob, PullReport>();
  const anyLive = () => [...reports.keys()].some((job) => job.isLive);
  let allStarted = false;
  let cancelledHere = false;
  let handedOn = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const printLine = (line: string | null) => {
    if (line !== null) output.print(line);
  };
  const cancelAll = () => {
    cancelledHere = true;
    for (const job of reports.keys()) if (job.isLive) manager.cancel(job.id);
  };
  const handlers = [
    manager.connect('status-changed', (_manager: PullManager, changed: PullJob) => {
      const report = reports.get(changed);
      if (!report) return;
      if (changed.isLive) printLine(report.statusChanged(changed));
      else if (allStarted && !anyLive()) finish();
    }),
    manager.connect('progress-updated', (_manager: PullManager, updated: PullJob) => {
      const report = reports.get(updated);
      if (report) printLine(report.progressUpdated(updated));
    }),
    manager.connect('closed', () => {
      handedOn = true;
      finish();
    }),
  ];
  // Gio's own connect(): it also runs the callback at once if already cancelled.
  const onCancel = cancellable?.connect(() => {
    if (reports.size > 0) cancelAll();
  });
  try {
    for (const name of names) {
      const report = new PullReport(connection.name);
      const joined = manager.find(connection.id, name.display) !== null;
      // A job whose name cannot be pulled (a cloud tag) has failed before start() returns.
      const job = manager.start(connection.id, name.display);
      reports.set(job, report);
      if (job.isLive) {
        output.print(report.started(job.name, connection.url, joined));
        printLine(report.statusChanged(job));
      }
    }
    allStarted = true;
    if (cancellable?.is_cancelled()) cancelAll();
    else if (anyLive()) await finished;
  } finally {
    for (const handler of handlers) manager.disconnect(handler);
    if (onCancel !== undefined) cancellable?.disconnect(onCancel);
  }
  if (handedOn && anyLive()) throw new PullsElsewhereError();
  // The command's end may end the process: loading.json must say the pulls are over first.
  await manager.whenSaved();
  let status = 0;
  for (const [job, report] of reports) {
    const outcome = report.outcome(job, cancelledHere);
    if (outcome.toStderr) output.printError(outcome.line);
    else output.print(outcome.line);
    status = Math.max(status, outcome.status);
  }
  return status;
}
