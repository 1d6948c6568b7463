import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GLibUnix from 'gi://GLibUnix';
import { gettext as _ } from 'gettext';
import { exit } from 'system';

import type { AppServices } from '../app-services.js';
import { PullsElsewhereError } from '../pulls/errors.js';
import { runInOwner } from '../pulls/owner-requests.js';
import { systemClock, type Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { fillTemplate, oneLine } from '../util/text.js';
import { runCommand, safeOutput, type CommandOutput } from './command-line.js';
import { HeadlessPulls } from './headless-pulls.js';
import { inBackground } from '../util/background.js';

const SIGINT = 2;
/** What a shell reports for a process that Ctrl+C ended. */
const INTERRUPTED_STATUS = 130;

/**
 * `paddock COMMAND …` without GTK, so it works where there is no display and no session
 * bus. It never claims the app's name: a window started meanwhile is the app.
 *
 * A command that needs the pulls runs them here if no other Paddock owns them, else it
 * goes to the owner (the window, or another `paddock pull`) and prints what the owner
 * says. When the owner goes away or hands the pulls on before the command ended, the
 * command follows them to the next owner, or becomes the owner itself: its exit status is
 * always the pull's real outcome (docs/pull-owner.md).
 *
 * The first Ctrl+C cancels a pull run here (the command ends saying so); a pull run by
 * another process goes on there, and only this process ends. A second Ctrl+C ends the
 * process at once.
 */
export class PaddockCommandLineApplication extends Gio.Application {
  static {
    GObject.registerClass(this);
  }

  exitStatus = 0;

  constructor(
    private readonly services: AppServices,
    private readonly clock: Clock = systemClock,
  ) {
    super({
      application_id: services.build.appId,
      flags: Gio.ApplicationFlags.HANDLES_COMMAND_LINE | Gio.ApplicationFlags.NON_UNIQUE,
    });
  }

  override vfunc_command_line(commandLine: Gio.ApplicationCommandLine): number {
    this.hold();
    const args = commandLine.get_arguments().slice(1);
    // Everything this process prints passes here: its own lines, notes about files and
    // what an owner process sends back; text from servers never reaches the terminal raw.
    const output = safeOutput({
      print: (text: string) => commandLine.print_literal(`${text}\n`),
      printError: (text: string) => commandLine.printerr_literal(`${text}\n`),
    });
    const cancellable = new Gio.Cancellable();
    const interrupt = GLibUnix.signal_add_full(GLib.PRIORITY_DEFAULT, SIGINT, () => {
      if (cancellable.is_cancelled()) exit(INTERRUPTED_STATUS);
      cancellable.cancel();
      return GLib.SOURCE_CONTINUE;
    });
    const done = this.#run(args, output, cancellable)
      .catch((error: unknown) => {
        output.printError(
          fillTemplate(_('error: {message}'), {
            message: oneLine(errorText(error)),
          }),
        );
        return 1;
      })
      .then((status) => {
        this.exitStatus = status;
        GLib.source_remove(interrupt);
        this.release();
      });
    inBackground(done, 'running a command');
    return 0;
  }

  async #run(args: string[], output: CommandOutput, cancellable: Gio.Cancellable): Promise<number> {
    const { problem } = await this.services.connections.load();
    if (problem) output.printError(fillTemplate(_('note: {message}'), { message: problem }));
    const pulls = new HeadlessPulls(this.services, output);
    try {
      for (;;) {
        try {
          return await runCommand(args, output, pulls.commandServices, cancellable);
        } catch (error) {
          if (!(error instanceof PullsElsewhereError)) throw error;
        }
        // Another process owns the pulls, or took them over from this one.
        await pulls.giveUp();
        const status = await runInOwner(
          this.services.dataDir,
          args,
          output,
          this.clock,
          cancellable,
          INTERRUPTED_STATUS,
        );
        if (status !== null) return status;
      }
    } finally {
      try {
        await pulls.giveUp();
      } catch (error) {
        output.printError(
          fillTemplate(_('note: {message}'), {
            message: errorText(error),
          }),
        );
      }
    }
  }
}
