import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GLibUnix from 'gi://GLibUnix';
import { gettext as _ } from 'gettext';
import { exit } from 'system';

import { fillTemplate } from '../util/template.js';

import { runCommand, type CommandOutput, type CommandServices } from './command-line.js';
import { oneLine } from './pull-report.js';

const SIGINT = 2;
/** What a shell reports for a process that Ctrl+C ended. */
const INTERRUPTED_STATUS = 130;

/**
 * `paddock COMMAND …` without GTK, so it works where there is no display. With the
 * window open, the command line goes to that instance (and prints here); otherwise the
 * command runs in this process, without claiming the app's name on the bus, so that a
 * window started meanwhile still becomes the primary instance.
 *
 * Run here, the first Ctrl+C cancels the command (a pull is cancelled, and the command
 * ends saying so); a second one ends the process at once. A command forwarded to the
 * window is not interrupted by Ctrl+C: only this process ends, and the window goes on.
 */
export class PaddockCommandLineApplication extends Gio.Application {
  static {
    GObject.registerClass(this);
  }

  exitStatus = 0;

  constructor(
    applicationId: string,
    standalone: boolean,
    private readonly services: (output: CommandOutput) => Promise<CommandServices>,
  ) {
    super({
      application_id: applicationId,
      flags:
        Gio.ApplicationFlags.HANDLES_COMMAND_LINE |
        (standalone ? Gio.ApplicationFlags.NON_UNIQUE : Gio.ApplicationFlags.DEFAULT_FLAGS),
    });
  }

  /** Whether a Paddock is already running on this session bus (it will run the command). */
  static async primaryIsRunning(applicationId: string): Promise<boolean> {
    try {
      const bus = await Gio.bus_get(Gio.BusType.SESSION, null);
      const reply = await bus.call(
        'org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus',
        'NameHasOwner',
        new GLib.Variant('(s)', [applicationId]),
        new GLib.VariantType('(b)'),
        Gio.DBusCallFlags.NONE,
        1000,
        null,
      );
      return (reply.deepUnpack() as [boolean])[0];
    } catch {
      // No session bus: nothing can be running that we could talk to.
      return false;
    }
  }

  override vfunc_command_line(commandLine: Gio.ApplicationCommandLine): number {
    this.hold();
    const args = commandLine.get_arguments().slice(1);
    const output = {
      print: (text: string) => commandLine.print_literal(`${text}\n`),
      printError: (text: string) => commandLine.printerr_literal(`${text}\n`),
    };
    const cancellable = new Gio.Cancellable();
    const interrupt = GLibUnix.signal_add_full(GLib.PRIORITY_DEFAULT, SIGINT, () => {
      if (cancellable.is_cancelled()) exit(INTERRUPTED_STATUS);
      cancellable.cancel();
      return GLib.SOURCE_CONTINUE;
    });
    let services: CommandServices | null = null;
    this.services(output)
      .then((loaded) => {
        services = loaded;
        return runCommand(args, output, loaded, cancellable);
      })
      .catch((error: unknown) => {
        output.printError(
          fillTemplate(_('error: {message}'), {
            message: oneLine(error instanceof Error ? error.message : String(error)),
          }),
        );
        return 1;
      })
      .then(async (status) => {
        this.exitStatus = status;
        try {
          await services?.close?.();
        } catch (error) {
          output.printError(
            fillTemplate(_('note: {message}'), {
              message: error instanceof Error ? error.message : String(error),
            }),
          );
        }
        GLib.source_remove(interrupt);
        this.release();
      });
    return 0;
  }
}
