import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _, ngettext } from 'gettext';

import { errorText } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';
import type { PaddockApplication } from '../application.js';
import { escapeMarkup } from './markup.js';
import { showPullsIn } from './pull-banner.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { inBackground } from '../util/background.js';
import type { ModelSort } from '../library/model-search.js';
import type { ConnectionItem } from '../config/connection-item.js';
import type { InstalledModel } from '../ollama/types.js';
import { LibraryView } from './library/library-view.js';
import { showUpdatesIn } from './updates-banner.js';
import type { UpdateSchedule } from '../library/update-schedule.js';
import type { UsageRecord } from '../library/usage-record.js';

/** The model whose details show beside the list. */
interface Selection {
  connectionId: string;
  name: string;
}

/**
 * The main window: once some server lists a model, the library of every server's models
 * beside the selected model's details (one above the other when narrow); until then, a
 * status page that tells where Paddock stands with the default server.
 */
export class PaddockWindow extends Adw.ApplicationWindow {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockWindow',
        Template: 'resource:///io/github/paddock/Paddock/ui/window.ui',
        InternalChildren: [
          'stack',
          'status_page',
          'add_model_button',
          'retry_button',
          'connections_button',
          'problem_banner',
          'pulls_banner',
          'start_problem_banner',
          'start_pulls_banner',
          'toast_overlay',
          'window_title',
          'split_view',
          'no_selection_page',
          'search_bar',
          'search_entry',
          'library_scroller',
          'library_footer',
          'sort_size',
          'sort_modified',
          'sort_used',
          'updates_banner',
        ],
      },
      this,
    );
  }

  declare _stack: Gtk.Stack;
  declare _status_page: Adw.StatusPage;
  declare _add_model_button: Gtk.Button;
  declare _retry_button: Gtk.Button;
  declare _connections_button: Gtk.Button;
  declare _problem_banner: Adw.Banner;
  declare _pulls_banner: Adw.Banner;
  declare _start_problem_banner: Adw.Banner;
  declare _start_pulls_banner: Adw.Banner;
  declare _toast_overlay: Adw.ToastOverlay;
  declare _window_title: Adw.WindowTitle;
  declare _split_view: Adw.NavigationSplitView;
  declare _no_selection_page: Adw.NavigationPage;
  declare _search_bar: Gtk.SearchBar;
  declare _search_entry: Gtk.SearchEntry;
  declare _library_scroller: Gtk.ScrolledWindow;
  declare _library_footer: Gtk.Box;
  declare _sort_size: Gtk.CheckButton;
  declare _sort_modified: Gtk.CheckButton;
  declare _sort_used: Gtk.CheckButton;
  declare _updates_banner: Adw.Banner;

  private readonly settings: Gio.Settings;
  private checking: Gio.Cancellable | null = null;
  /** The status page says where the default server stands (false while it is asked). */
  private statusKnown = false;
  private selection: Selection | null = null;
  private readonly library: LibraryView;
  /** usage.json, once read, for the "Last Used" order. */
  private usage: UsageRecord | null = null;
  /** The keyboard went to the first model listed (or stayed where it was taken). */
  private keyboardPlaced = false;

  constructor(private readonly paddock: PaddockApplication) {
    super({ application: paddock });
    // The library is laid out with the window's first frame, while the servers are asked:
    // their lists then only fill it.
    this._stack.visible_child_name = 'library';
    this.settings = new Gio.Settings({ schema_id: paddock.application_id });
    this.settings.bind('window-width', this, 'default-width', Gio.SettingsBindFlags.DEFAULT);
    this.settings.bind('window-height', this, 'default-height', Gio.SettingsBindFlags.DEFAULT);
    this.settings.bind('window-maximized', this, 'maximized', Gio.SettingsBindFlags.DEFAULT);

    let closed = false;
    let stopCatalog: (() => void) | null = null;
    // Models changed with the ollama CLI show up within a minute, or on coming back here.
    const stopLibrary = paddock.library.keepFresh();
    connectObject(this, this, {
      'notify::is-active': () => {
        if (this.is_active) paddock.library.windowActivated();
      },
    });
    // Made with the window, so that its first frame (drawn while the servers are asked) lays
    // the list out and styles it: the frame with the models then only fills it.
    this.library = new LibraryView(paddock, this._library_footer, {
      toast: (title) => this.addToast(title),
      lastUsed: (entry) => this.usage?.lastUsed(entry.connectionId, entry.model.name) ?? null,
      openDetails: (connection, model) => this.showDetails(connection, model),
      selected: () => this.selection,
    });
    this._library_scroller.child = this.library.list;
    connectObject(this, paddock.library, {
      'server-changed': () => this.showView(),
      'servers-changed': () => this.showView(),
    });
    const checkConnection = () =>
      inBackground(this.checkDefaultConnection(), 'checking the default connection');
    const start = paddock.ready.then(() => {
      if (closed) return;
      if (paddock.loadProblem) this.showProblem(paddock.loadProblem);
      connectObject(this, paddock.connections, { changed: checkConnection });
      inBackground(paddock.library.load(), 'listing the models of the servers');
      inBackground(
        paddock.usage().then((usage) => {
          this.usage = usage;
          this.library.usageChanged();
        }),
        'reading when models were used',
      );
      checkConnection();
      const updates = paddock.updateSchedule();
      this.showUpdates(updates);
      this.afterFirstView(() => {
        // A window closed meanwhile stopped the schedule: it stays stopped.
        if (closed) return;
        updates.start();
        // Read now, so that Add Model opens at once; a window open for days keeps it fresh.
        inBackground(
          paddock.catalog().then((catalog) => {
            if (!closed) stopCatalog = catalog.keepFresh();
          }),
          'reading the model catalog',
        );
      });
    });
    inBackground(start, 'starting the window');
    for (const banner of [this._pulls_banner, this._start_pulls_banner])
      showPullsIn(banner, paddock.pulls);
    connectObject(this, paddock.pulls, {
      // loading.json could not be written: pulls go on, but would not survive a crash.
      'store-problem': (_pulls: unknown, message: string) =>
        this.showProblem(
          fillTemplate(_('Downloads can’t be remembered across restarts: {reason}'), {
            reason: message,
          }),
        ),
    });
    this._search_bar.connect_entry(this._search_entry);
    this.connect('unrealize', () => {
      closed = true;
      this.library.close();
      this.checking?.cancel();
      stopCatalog?.();
      stopLibrary();
      paddock.updateSchedule().stop();
      disconnectObject(this);
    });
  }

  /**
   * Runs `work` when the main loop is idle after the first frame that shows the library's
   * models or the default server's status: the catalog's reading (50 ms and more) and the
   * update check's start would hold that frame up.
   */
  private afterFirstView(work: () => void): void {
    const clock = this.get_frame_clock();
    if (!clock) {
      work();
      return;
    }
    const handler = clock.connect('after-paint', () => {
      if (!this.statusKnown && this.library.list.modelCount === 0) return;
      clock.disconnect(handler);
      GLib.idle_add(GLib.PRIORITY_LOW, () => {
        work();
        return GLib.SOURCE_REMOVE;
      });
    });
  }

  /**
   * The daily update check's banner with Update All, and Check for Updates (menu) to ask the
   * registries now.
   */
  private showUpdates(schedule: UpdateSchedule): void {
    showUpdatesIn(this._updates_banner, schedule, this.paddock.pulls);
    connectObject(this, schedule, { changed: () => this.library.refreshStates() });
    const action = new Gio.SimpleAction({ name: 'check-updates' });
    action.connect('activate', () => {
      this.addToast(_('Checking the models for updates…'));
      inBackground(schedule.check(true), 'checking the models for updates');
    });
    this.add_action(action);
  }

  addToast(title: string): void {
    const toast = new Adw.Toast({ title, use_markup: false });
    // Preferences and Add Model cover the window's own toasts: they show their own.
    const dialog = this.get_visible_dialog();
    if (dialog instanceof Adw.PreferencesDialog) dialog.add_toast(toast);
    else this._toast_overlay.add_toast(toast);
  }

  /** Ctrl+F: opens the library's search, if the window shows the library. */
  focusLibrarySearch(): boolean {
    if (this._stack.visible_child_name !== 'library' || this.get_visible_dialog()) return false;
    // Collapsed, the search is on the list's page.
    this._split_view.show_content = false;
    this._search_bar.search_mode_enabled = true;
    this._search_entry.grab_focus();
    return true;
  }

  protected on_search_changed(): void {
    this.library.filter(this._search_entry.text);
  }

  protected on_sort_toggled(): void {
    let sort: ModelSort = 'name';
    if (this._sort_size.active) sort = 'size';
    else if (this._sort_modified.active) sort = 'modified';
    else if (this._sort_used.active) sort = 'used';
    this.library.resort(sort);
  }

  /**
   * The library once some server lists a model (one that is down says why in its heading),
   * and while the default server is asked (each heading says it is loading); else the
   * default server's status.
   */
  private showView(): void {
    // A list saved last time counts until its server fails to answer.
    const library = this.paddock.library
      .servers()
      .some(
        (server) =>
          server.models.length > 0 && (server.refreshedAt !== null || server.error === null),
      );
    // Until the default server is known, the library says what each server is doing.
    if (library || !this.statusKnown) {
      this._stack.visible_child_name = 'library';
      this.placeKeyboard();
    } else {
      this._search_bar.search_mode_enabled = false;
      this._stack.visible_child_name = 'start';
    }
    this.followSelection();
  }

  /**
   * The keyboard starts at the first model once one is listed: the window's first focus
   * came while the servers were asked, and went past the list. Not if it was taken
   * elsewhere meanwhile (the search, a header button).
   */
  private placeKeyboard(): void {
    if (this.keyboardPlaced || this.library.list.modelCount === 0) return;
    this.keyboardPlaced = true;
    const focus = this.get_focus();
    // The list's scroller takes it while the list has nothing to focus.
    if (
      focus === null ||
      focus === this._library_scroller ||
      focus.is_ancestor(this._library_scroller) ||
      focus.is_ancestor(this._no_selection_page)
    )
      this.library.list.focusFirst();
  }

  /**
   * Shows the model's details beside the list (in its place, when collapsed). The page's
   * "back" (its header's, and after Remove) is the split view's: the list; a removed model
   * leaves the selection when the library no longer lists it.
   */
  private showDetails(connection: ConnectionItem, model: InstalledModel): void {
    const selected = this.selection;
    if (selected?.connectionId === connection.id && selected.name === model.name) {
      this._split_view.show_content = true;
      return;
    }
    const selection = { connectionId: connection.id, name: model.name };
    this.selection = selection;
    this.library.markSelected();
    // The page's code loads at the first selection (build-aux/bundle.mjs splits it off).
    const showing = import('./model-details-page.js').then(({ PaddockModelDetailsPage }) => {
      if (this.selection !== selection) return;
      this._split_view.content = new PaddockModelDetailsPage(
        this.paddock,
        connection,
        model,
        (title) => this.addToast(title),
      );
      this._split_view.show_content = true;
    });
    inBackground(showing, 'showing a model’s details');
  }

  private clearSelection(): void {
    this.selection = null;
    this._split_view.show_content = false;
    this._split_view.content = this._no_selection_page;
    this.library.markSelected();
  }

  /** The selected model is gone (removed, its server too): nothing is selected. */
  private followSelection(): void {
    const selected = this.selection;
    if (!selected) return;
    const models = this.paddock.library.state(selected.connectionId)?.models ?? [];
    if (!models.some((model) => model.name === selected.name)) this.clearSelection();
  }

  private showProblem(text: string): void {
    for (const banner of [this._problem_banner, this._start_problem_banner]) {
      banner.title = text;
      banner.revealed = true;
    }
  }

  protected on_banner_dismissed(): void {
    for (const banner of [this._problem_banner, this._start_problem_banner])
      banner.revealed = false;
  }

  protected on_retry_clicked(): void {
    inBackground(this.checkDefaultConnection(), 'checking the default connection');
  }

  /** Asks the default server for its version and models, and says what it found. */
  private async checkDefaultConnection(): Promise<void> {
    this.checking?.cancel();
    const cancellable = new Gio.Cancellable();
    this.checking = cancellable;

    const connection = this.paddock.connections.getDefault();
    this.statusKnown = false;
    this._window_title.subtitle = '';
    if (!connection) {
      this.showStatus({
        icon: 'network-server-symbolic',
        title: _('No Ollama Server'),
        description: _('Add the address of an Ollama server to manage its models.'),
        connected: false,
        canRetry: false,
      });
      return;
    }

    this.showView();
    try {
      const client = await this.paddock.clients.clientFor(connection.id);
      const version = await client.version(cancellable);
      // The library lists the models, once for this page and the library alike: at the
      // start its load is under way, and is not asked for twice.
      await this.paddock.library.ensureListed(connection.id, cancellable);
      cancellable.set_error_if_cancelled();
      const listed = this.paddock.library.state(connection.id);
      if (listed?.error) throw new Error(listed.error);
      const count = listed?.models.length ?? 0;
      this._window_title.subtitle = fillTemplate(_('Connected to {name}'), {
        name: connection.name,
      });
      this.showStatus({
        icon: 'io.github.paddock.Paddock',
        title: fillTemplate(_('Connected to {name}'), { name: connection.name }),
        description: fillTemplate(
          ngettext(
            'Ollama {version} at {url} has {count} model installed.',
            'Ollama {version} at {url} has {count} models installed.',
            count,
          ),
          { version, url: connection.url, count },
        ),
        connected: true,
        canRetry: false,
      });
    } catch (error) {
      if (cancellable.is_cancelled()) return;
      this.showStatus({
        icon: 'network-offline-symbolic',
        title: fillTemplate(_('Can’t Reach {name}'), { name: connection.name }),
        description: errorText(error),
        connected: false,
        canRetry: true,
      });
    }
  }

  private showStatus(status: {
    icon: string;
    title: string;
    description: string;
    connected: boolean;
    canRetry: boolean;
  }): void {
    this._status_page.icon_name = status.icon;
    this._status_page.title = status.title;
    // The description is Pango markup; names and server replies are not (see markup.ts).
    this._status_page.description = escapeMarkup(status.description);
    this._add_model_button.visible = status.connected;
    this._retry_button.visible = status.canRetry;
    for (const button of [this._retry_button, this._connections_button])
      button.remove_css_class('suggested-action');
    if (status.canRetry) this._retry_button.add_css_class('suggested-action');
    else if (!status.connected) this._connections_button.add_css_class('suggested-action');
    this.statusKnown = true;
    this.showView();
  }
}
