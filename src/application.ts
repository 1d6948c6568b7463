import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Adw from 'gi://Adw';
import Gtk from 'gi://Gtk?version=4.0';
import { gettext as _ } from 'gettext';

import type { AppServices } from './app-services.js';
import type { HubClient } from './hub/hub-client.js';
import type { AvailableModels } from './catalog/available-models.js';
import type { ClientPool } from './config/client-pool.js';
import type { ConnectionStore } from './config/connection-store.js';
import type { MemoryEvidence } from './fit/memory-evidence.js';
import type { ModelLibrary } from './library/model-library.js';
import type { ModelStates } from './library/model-states.js';
import type { UpdateCheck } from './library/update-check.js';
import type { SpeedRecord } from './library/speed-record.js';
import type { UpdateSchedule } from './library/update-schedule.js';
import type { UsageRecord } from './library/usage-record.js';
import { takePulls } from './pulls/owner-requests.js';
import { PullOwner, type ForwardedOutput } from './pulls/pull-owner.js';
import type { PullManager } from './pulls/pull-manager.js';
import { systemClock } from './util/clock.js';
import { errorText } from './util/errors.js';
import { PaddockWindow } from './ui/window.js';
import type { PaddockPreferencesDialog } from './ui/preferences-dialog.js';
import { PullNotifier } from './ui/pull-notifier.js';
import { formatBytes, fillTemplate } from './util/text.js';
import { inBackground } from './util/background.js';

/** How often a window whose pulls another window owns checks whether they are free. */
const OWNER_POLL_MS = 5000;

export class PaddockApplication extends Adw.Application {
  static {
    GObject.registerClass(this);
  }

  readonly connections: ConnectionStore;
  readonly clients: ClientPool;
  readonly pulls: PullManager;
  /** What every server has installed, for the window, Preferences and commands. */
  readonly library: ModelLibrary;
  /** What the views show of installed models besides the models: loaded, outdated, … */
  readonly modelStates: ModelStates;
  readonly settings: Gio.Settings;
  /** Settles once connections.json has been read; a problem with it is kept for the window. */
  readonly ready: Promise<void>;
  loadProblem: string | null = null;
  private resolveReady!: () => void;
  private notifier: PullNotifier | null = null;
  /** The lock that makes this window the one process running the user's pulls. */
  private owner: PullOwner | null = null;

  constructor(private readonly services: AppServices) {
    super({ application_id: services.build.appId });
    this.connections = services.connections;
    this.settings = services.settings;
    this.clients = services.clients;
    this.pulls = services.createPullManager((name, bytes) => this.confirmMetered(name, bytes));
    this.library = services.library();
    this.modelStates = services.createModelStates(this.pulls);
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
        // print() is GJS's plain line on stdout, which is what --version owes scripts
        // (console adds a prefix).
        // eslint-disable-next-line no-restricted-globals -- the one plain stdout line
        print(`Paddock ${this.appVersion}`); // not translated: scripts read it
        return 0;
      }
      return -1;
    });
  }

  override vfunc_startup(): void {
    super.vfunc_startup();
    Gtk.Window.set_default_icon_name(this.services.build.appId);
    // Dialogs load their code when first opened (build-aux/bundle.mjs splits it off).
    const opening = (dialog: Promise<unknown>) => inBackground(dialog, 'opening a dialog');
    this.addAction('preferences', () => opening(this.showPreferences()), ['<Control>comma']);
    this.addAction('connections', () => opening(this.showPreferences('connections')));
    this.addAction('add-model', () => opening(this.showAddModel()), ['<Control>n']);
    this.addAction('show-models', () => opening(this.showPreferences('models')));
    this.addAction('search-models', () => opening(this.searchModels()), ['<Control>f']);
    this.addAction('about', () => this.showAbout());
    // Pulls stop here and go on at the next start (loading.json keeps them), or in a
    // `paddock pull` that was following one of them.
    this.addAction(
      'quit',
      () =>
        inBackground(
          this.library
            .saveNow()
            .then(() => this.pulls.shutdown())
            .then(() => this.owner?.release())
            .finally(() => this.quit()),
          'quitting',
        ),
      ['<Control>q'],
    );
    this.notifier = new PullNotifier(this, this.pulls, this.connections);
    this.set_accels_for_action('window.close', ['<Control>w']);

    this.hold();
    // Read while the connections load: the saved lists show as soon as the servers are known.
    inBackground(
      this.library.restore(this.services.librarySnapshot()),
      'showing the saved model lists',
    );
    this.connections
      .load()
      .then(async ({ problem }) => {
        this.loadProblem = problem;
        // The servers are asked now, not after the pulls: the window that shows their
        // lists joins this load, and shows the lists saved last time until they answer.
        inBackground(this.library.load(), 'listing the models of the servers');
        const problems = await this.ownPulls();
        if (problems.length > 0)
          this.loadProblem = [problem, ...problems].filter(Boolean).join('\n');
      })
      .catch((error: unknown) => (this.loadProblem = errorText(error)))
      .finally(() => {
        this.resolveReady();
        this.release();
      });
  }

  /**
   * Takes the pulls over (from a `paddock pull` running them, which then follows its pull
   * here) and resumes what loading.json lists. Another window keeps them: then pulls
   * cannot start here, and this window checks now and then whether they are free.
   */
  private async ownPulls(): Promise<string[]> {
    const owner = await takePulls(this.services.dataDir, systemClock);
    if (typeof owner === 'string') {
      this.pulls.ownedElsewhere(owner);
      GLib.timeout_add(GLib.PRIORITY_LOW, OWNER_POLL_MS, () => {
        const free = PullOwner.tryAcquire(this.services.dataDir);
        if (!free) return GLib.SOURCE_CONTINUE;
        inBackground(this.servePulls(free), 'taking the downloads over');
        return GLib.SOURCE_REMOVE;
      });
      return [owner];
    }
    return await this.servePulls(owner);
  }

  private async servePulls(owner: PullOwner): Promise<string[]> {
    this.owner = owner;
    owner.serve({
      run: (args, output) => this.runForwarded(args, output),
      takeover: () =>
        Promise.resolve(
          _('Paddock is open in another session and runs the downloads there; quit it first.'),
        ),
    });
    // Pulls left running by the last session, a crash or a `paddock pull` go on now.
    const { problems } = await this.pulls.load();
    return problems;
  }

  /** A command sent by `paddock COMMAND`; it prints on the terminal that started it. */
  private async runForwarded(args: string[], output: ForwardedOutput): Promise<number> {
    this.hold();
    try {
      await this.ready;
      const { runCommand } = await import('./cli/command-line.js');
      return await runCommand(args, output, {
        catalog: () => this.catalog(),
        connections: this.connections,
        clients: this.clients,
        library: () => this.library,
        pulls: () => Promise.resolve(this.pulls),
        updates: () => this.services.updates(),
        hub: () => this.services.hub(),
        fitAdvisor: () => this.services.fitAdvisor(),
      });
    } finally {
      this.release();
    }
  }

  /** The model catalog, loaded once (cache, network or the copy shipped with the app). */
  catalog(): Promise<AvailableModels> {
    return this.services.catalog();
  }

  /** The Hugging Face Hub, for Add Model's search. */
  hub(): HubClient {
    return this.services.hub();
  }

  /** The registry update check, whose cached answers the library's badges show. */
  updates(): UpdateCheck {
    return this.services.updates();
  }

  /** What /api/ps showed of each server's GPU memory, as evidence for the fit verdicts. */
  memoryEvidence(): MemoryEvidence {
    return this.services.memoryEvidence();
  }

  /** The last tokens/s measured per model and server (speeds.json). */
  speeds(): Promise<SpeedRecord> {
    return this.services.speeds();
  }

  /** When each model was last seen used per server (usage.json). */
  usage(): Promise<UsageRecord> {
    return this.services.usage();
  }

  /** The daily update check of the window, and the models it found outdated. */
  updateSchedule(): UpdateSchedule {
    return this.services.updateSchedule();
  }

  get appVersion(): string {
    return this.services.build.version;
  }

  override vfunc_activate(): void {
    let window = this.get_active_window();
    if (!window) {
      window = new PaddockWindow(this);
      // A development build looks like one (striped header bar), as GNOME apps do.
      if (this.services.build.profile === 'development') window.add_css_class('devel');
      window.connect('close-request', () => {
        this.notifier?.windowClosed();
        // Lists that changed in the last seconds are not lost if the process ends now.
        this.hold();
        inBackground(
          this.library.saveNow().finally(() => this.release()),
          'saving the model lists',
        );
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

  private async showPreferences(
    page?: 'models' | 'connections',
  ): Promise<PaddockPreferencesDialog> {
    const { PaddockPreferencesDialog } = await import('./ui/preferences-dialog.js');
    const window = this.get_active_window();
    const dialog = new PaddockPreferencesDialog(this);
    if (page) dialog.set_visible_page_name(page);
    dialog.present(window);
    return dialog;
  }

  /** Ctrl+F: the window's library search when it shows the library, else Preferences'. */
  private async searchModels(): Promise<void> {
    const window = this.get_active_window();
    if (window instanceof PaddockWindow && window.focusLibrarySearch()) return;
    (await this.showPreferences('models')).showModelsSearch();
  }

  private async showAddModel(): Promise<void> {
    const [{ PaddockAddModelDialog }, { FitSizeAdviser }] = await Promise.all([
      import('./ui/add-model-dialog.js'),
      import('./ui/fit-size-adviser.js'),
    ]);
    const window = this.get_active_window();
    if (window)
      new PaddockAddModelDialog(
        this,
        new FitSizeAdviser(this.services.fitAdvisor(), this.connections),
      ).present(window);
  }

  private showAbout(): void {
    const about = new Adw.AboutDialog({
      application_name: _('Paddock'),
      application_icon: this.services.build.appId,
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
