import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Adw from 'gi://Adw';
import Gtk from 'gi://Gtk?version=4.0';
import { gettext as _ } from 'gettext';

import { ConnectionStore } from './config/connection-store.js';
import { LibsecretStore } from './config/libsecret-store.js';
import { ClientPool } from './config/client-pool.js';
import { PaddockWindow } from './ui/window.js';
import { PaddockPreferencesDialog } from './ui/preferences-dialog.js';
import type { AvailableModels } from './catalog/available-models.js';
import { loadCatalog } from './catalog/load-catalog.js';
import { runCommand } from './cli/command-line.js';
import { PullManager } from './pulls/pull-manager.js';
import { PaddockAddModelDialog } from './ui/add-model-dialog.js';
import { PullNotifier } from './ui/pull-notifier.js';
import { formatBytes } from './util/format.js';
import { fillTemplate } from './util/template.js';

export const APP_ID = 'io.github.paddock.Paddock';

export class PaddockApplication extends Adw.Application {
  static {
    GObject.registerClass(this);
  }

  readonly connections: ConnectionStore;
  readonly clients: ClientPool;
  readonly pulls: PullManager;
  readonly settings: Gio.Settings;
  /** Settles once connections.json has been read; a problem with it is kept for the window. */
  readonly ready: Promise<void>;
  loadProblem: string | null = null;
  private resolveReady!: () => void;
  private notifier: PullNotifier | null = null;

  constructor(readonly appVersion: string) {
    super({ application_id: APP_ID, flags: Gio.ApplicationFlags.HANDLES_COMMAND_LINE });
    const configDir = Gio.File.new_for_path(
      GLib.build_filenamev([GLib.get_user_config_dir(), 'paddock']),
    );
    this.connections = new ConnectionStore({ configDir, secrets: new LibsecretStore() });
    this.settings = new Gio.Settings({ schema_id: APP_ID });
    this.clients = new ClientPool(this.connections, () =>
      this.settings.get_uint('request-timeout'),
    );
    this.pulls = new PullManager({
      clients: this.clients,
      connections: this.connections,
      dataDir: Gio.File.new_for_path(GLib.build_filenamev([GLib.get_user_data_dir(), 'paddock'])),
      maxPullsPerConnection: () => this.settings.get_uint('max-pulls-per-connection'),
      stallSeconds: () => this.settings.get_uint('stall-timeout'),
      confirmMetered: (name, bytes) => this.confirmMetered(name, bytes),
    });
    this.settings.connect('changed::max-pulls-per-connection', () => this.pulls.settingsChanged());
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));

    this.add_main_option(
      'version',
      0,
      GLib.OptionFlags.NONE,
      GLib.OptionArg.NONE,
      _('Show the version and exit'),
      null,
    );
    this.connect('handle-local-options', (_app, options: GLib.VariantDict) => {
      if (options.contains('version')) {
        // not translated: the name and version, as scripts read them
        print(`Paddock ${this.appVersion}`);
        return 0;
      }
      return -1;
    });
  }

  override vfunc_startup(): void {
    super.vfunc_startup();
    Gtk.Window.set_default_icon_name(APP_ID);
    this.addAction('preferences', () => this.showPreferences(), ['<Control>comma']);
    this.addAction('connections', () => this.showPreferences('connections'));
    this.addAction('add-model', () => this.showAddModel(), ['<Control>n']);
    this.addAction('show-models', () => this.showPreferences('models'));
    this.addAction('search-models', () => this.showPreferences('models').showModelsSearch(), [
      '<Control>f',
    ]);
    this.addAction('about', () => this.showAbout());
    // Pulls stop here and go on at the next start (loading.json keeps them).
    this.addAction('quit', () => void this.pulls.shutdown().finally(() => this.quit()), [
      '<Control>q',
    ]);
    this.notifier = new PullNotifier(this, this.pulls, this.connections);
    this.set_accels_for_action('window.close', ['<Control>w']);

    this.hold();
    this.connections
      .load()
      .then(async ({ problem }) => {
        this.loadProblem = problem;
        // Pulls left running by the last session (or a crash) go on now.
        const { problems } = await this.pulls.load();
        if (problems.length > 0)
          this.loadProblem = [problem, ...problems].filter(Boolean).join('\n');
      })
      .catch((error: unknown) => (this.loadProblem = String(error)))
      .finally(() => {
        this.resolveReady();
        this.release();
        // Read the catalog while idle, so that Add Model opens at once.
        GLib.idle_add(GLib.PRIORITY_LOW, () => {
          void this.catalog();
          return GLib.SOURCE_REMOVE;
        });
      });
  }

  override vfunc_command_line(commandLine: Gio.ApplicationCommandLine): number {
    const args = commandLine.get_arguments().slice(1);
    if (args.length === 0) {
      this.activate();
      return 0;
    }
    // A command forwarded by `paddock COMMAND` while this window runs; it prints on the
    // terminal that started it.
    this.hold();
    const output = {
      print: (text: string) => commandLine.print_literal(`${text}\n`),
      printError: (text: string) => commandLine.printerr_literal(`${text}\n`),
    };
    this.ready
      .then(() =>
        runCommand(args, output, {
          catalog: () => this.catalog(),
          connections: this.connections,
          clients: this.clients,
          pulls: async () => this.pulls,
        }),
      )
      .catch((error: unknown) => {
        output.printError(
          fillTemplate(_('error: {message}'), {
            message: error instanceof Error ? error.message : String(error),
          }),
        );
        return 1;
      })
      .then((status) => {
        commandLine.set_exit_status(status);
        commandLine.done();
        this.release();
      });
    return 0;
  }

  /** The model catalog, loaded once (cache, network or the copy shipped with the app). */
  catalog(): Promise<AvailableModels> {
    return loadCatalog();
  }

  override vfunc_activate(): void {
    let window = this.get_active_window();
    if (!window) {
      window = new PaddockWindow(this);
      window.connect('close-request', () => {
        this.notifier?.windowClosed();
        return false;
      });
    }
    window.present();
  }

  /** Asked before a big pull on a metered network; without a window, the pull goes on. */
  private confirmMetered(name: string, bytes: number): Promise<boolean> {
    const window = this.get_active_window();
    if (!window) return Promise.resolve(true);
    return new Promise((resolve) => {
      const alert = new Adw.AlertDialog({
        heading: fillTemplate(_('Download {size} on a Metered Network?'), {
          size: formatBytes(bytes),
        }),
        body: fillTemplate(
          _(
            'Your network connection is metered. Downloading {name} may cost money or use up a data plan.',
          ),
          { name },
        ),
        close_response: 'later',
        default_response: 'later',
      });
      alert.add_response('later', _('_Later'));
      alert.add_response('download', _('_Download'));
      alert.set_response_appearance('download', Adw.ResponseAppearance.SUGGESTED);
      alert.connect('response', (_alert, response: string) => resolve(response === 'download'));
      alert.present(window);
    });
  }

  private addAction(name: string, activate: () => void, accels: string[] = []): void {
    const action = new Gio.SimpleAction({ name });
    action.connect('activate', activate);
    this.add_action(action);
    if (accels.length > 0) this.set_accels_for_action(`app.${name}`, accels);
  }

  private showPreferences(page?: 'models' | 'connections'): PaddockPreferencesDialog {
    const window = this.get_active_window();
    const dialog = new PaddockPreferencesDialog(this);
    if (page) dialog.set_visible_page_name(page);
    dialog.present(window);
    return dialog;
  }

  private showAddModel(): void {
    const window = this.get_active_window();
    if (window) new PaddockAddModelDialog(this).present(window);
  }

  private showAbout(): void {
    const about = new Adw.AboutDialog({
      application_name: _('Paddock'),
      application_icon: APP_ID,
      developer_name: _('The Paddock developers'),
      version: this.appVersion,
      comments: _('Manage the AI models on your Ollama servers.'),
      website: 'https://github.com/paddock/paddock',
      issue_url: 'https://github.com/paddock/paddock/issues',
      license_type: Gtk.License.GPL_3_0,
      // Translators: Replace "translator-credits" with your names, one name per line
      translator_credits: _('translator-credits'),
    });
    about.present(this.get_active_window());
  }
}
