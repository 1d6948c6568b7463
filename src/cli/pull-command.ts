import { gettext as _ } from 'gettext';

import { PullsElsewhereError } from '../pulls/errors.js';
import type { PullJob } from '../pulls/pull-job.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { CommandError } from './errors.js';
import type { Command } from './command-line.js';
import { clientForChosen } from './connection-choice.js';
import { PullReport } from './pull-report.js';
import { modelTarget } from './command-target.js';

/**
 * `paddock pull NAME [--connection NAME|URL]`: pulls through the pull manager it is given
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
  const { name, connection } = modelTarget(
    args,
    services.connections,
    _('pull needs the name of a model, e.g. paddock pull qwen3:8b'),
  );
  // The pull gets its own client; this one says early whether the key can be read and is safe.
  await clientForChosen(services.clients, connection, output);
  if (cancellable?.is_cancelled()) throw new CommandError(_('cancelled'));
  const manager = await services.pulls();
  if (cancellable?.is_cancelled()) throw new CommandError(_('cancelled'));
  if (manager.isClosed) throw new PullsElsewhereError();

  const report = new PullReport(connection.name);
  const joined = manager.find(connection.id, name.display) !== null;
  let job: PullJob | null = null;
  let cancelledHere = false;
  let handedOn = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const printLine = (line: string | null) => {
    if (line !== null) output.print(line);
  };
  const handlers = [
    manager.connect('status-changed', (_manager: PullManager, changed: PullJob) => {
      if (changed !== job) return;
      if (changed.isLive) printLine(report.statusChanged(changed));
      else finish();
    }),
    manager.connect('progress-updated', (_manager: PullManager, updated: PullJob) => {
      if (updated === job) printLine(report.progressUpdated(updated));
    }),
    manager.connect('closed', () => {
      handedOn = true;
      finish();
    }),
  ];
  // Gio's own connect(): it also runs the callback at once if already cancelled.
  const onCancel = cancellable?.connect(() => {
    if (job === null) return;
    cancelledHere = true;
    manager.cancel(job.id);
  });
  try {
    // A job whose name cannot be pulled (a cloud tag) has failed before start() returns.
    job = manager.start(connection.id, name.display);
    if (job.isLive) {
      output.print(report.started(job.name, connection.url, joined));
      printLine(report.statusChanged(job));
      if (cancellable?.is_cancelled()) {
        cancelledHere = true;
        manager.cancel(job.id);
      } else {
        await finished;
      }
    }
  } finally {
    for (const handler of handlers) manager.disconnect(handler);
    if (onCancel !== undefined) cancellable?.disconnect(onCancel);
  }
  if (handedOn && job?.isLive) throw new PullsElsewhereError();
  // The command's end may end the process: loading.json must say the pull is over first.
  await manager.whenSaved();
  const outcome = report.outcome(job, cancelledHere);
  if (outcome.toStderr) output.printError(outcome.line);
  else output.print(outcome.line);
  return outcome.status;
};
