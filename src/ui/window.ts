import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
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
import { ServerModelsGroups } from './server-models-groups.js';

/**
 * The main window: the library of every server's models once the default server answers
 * and some server has models; until then, a status page that tells where Paddock stands.
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
          'toast_overlay',
          'window_title',
          'add_button',
          'sort_button',
          'search_button',
          'search_bar',
          'search_entry',
          'library_page',
          'library_footer',
          'sort_size',
          'sort_modified',
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
  declare _toast_overlay: Adw.ToastOverlay;
  declare _window_title: Adw.WindowTitle;
  declare _add_button: Gtk.Button;
  declare _sort_button: Gtk.MenuButton;
  declare _search_button: Gtk.ToggleButton;
  declare _search_bar: Gtk.SearchBar;
  declare _search_entry: Gtk.SearchEntry;
  declare _library_page: Adw.PreferencesPage;
  declare _library_footer: Adw.PreferencesGroup;
  declare _sort_size: Gtk.CheckButton;
  declare _sort_modified: Gtk.CheckButton;

  private readonly settings: Gio.Settings;
  private checking: Gio.Cancellable | null = null;
  /** The default server answered: the library may show instead of the status page. */
  private connected = false;
  private libraryGroups: ServerModelsGroups | null = null;
  private sort: ModelSort = 'name';
  private narrow = false;

  constructor(private readonly paddock: PaddockApplication) {
    super({ application: paddock });
    this.settings = new Gio.Settings({ schema_id: paddock.application_id });
    this.settings.bind('window-width', this, 'default-width', Gio.SettingsBindFlags.DEFAULT);
    this.settings.bind('window-height', this, 'default-height', Gio.SettingsBindFlags.DEFAULT);
    this.settings.bind('window-maximized', this, 'maximized', Gio.SettingsBindFlags.DEFAULT);

    this._stack.visible_child_name = 'loading';
    let closed = false;
    let stopCatalog: (() => void) | null = null;
    // Models changed with the ollama CLI show up within a minute, or on coming back here.
    const stopLibrary = paddock.library.keepFresh();
    connectObject(this, this, {
      'notify::is-active': () => {
        if (this.is_active) paddock.library.windowActivated();
      },
    });
    const checkConnection = () =>
      inBackground(this.checkDefaultConnection(), 'checking the default connection');
    const start = paddock.ready.then(async () => {
      if (closed) return;
      if (paddock.loadProblem) this.showProblem(paddock.loadProblem);
      connectObject(this, paddock.connections, { changed: checkConnection });
      this.libraryGroups = new ServerModelsGroups(
        this._library_page,
        paddock,
        {
          toast: (title) => this.addToast(title),
          query: () => this._search_entry.text,
          sort: () => this.sort,
          badges: true,
          compact: () => this.narrow,
        },
        this._library_footer,
      );
      connectObject(this, paddock.library, { 'server-changed': () => this.showView() });
      inBackground(paddock.library.load(), 'listing the models of the servers');
      checkConnection();
      // A window open for days keeps the model catalog fresh.
      const catalog = await paddock.catalog();
      if (!closed) stopCatalog = catalog.keepFresh();
    });
    inBackground(start, 'starting the window');
    showPullsIn(this._pulls_banner, paddock.pulls);
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
      this.libraryGroups?.close();
      this.checking?.cancel();
      stopCatalog?.();
      stopLibrary();
      disconnectObject(this);
    });
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
    this._search_bar.search_mode_enabled = true;
    this._search_entry.grab_focus();
    return true;
  }

  protected on_search_changed(): void {
    this.libraryGroups?.filter(this._search_entry.text);
  }

  protected on_narrow_apply(): void {
    this.narrow = true;
    this.libraryGroups?.applyCompact();
  }

  protected on_narrow_unapply(): void {
    this.narrow = false;
    this.libraryGroups?.applyCompact();
  }

  protected on_sort_toggled(): void {
    let sort: ModelSort = 'name';
    if (this._sort_size.active) sort = 'size';
    else if (this._sort_modified.active) sort = 'modified';
    if (sort === this.sort) return;
    this.sort = sort;
    this.libraryGroups?.resort();
  }

  /** The library once the default server answered and some server has models. */
  private showView(): void {
    if (this._stack.visible_child_name === 'loading') return;
    const hasModels = this.paddock.library.servers().some((server) => server.models.length > 0);
    const library = this.connected && hasModels;
    for (const widget of [this._add_button, this._sort_button, this._search_button])
      widget.visible = library;
    if (!library) this._search_bar.search_mode_enabled = false;
    this._stack.visible_child_name = library ? 'library' : 'status';
  }

  private showProblem(text: string): void {
    this._problem_banner.title = text;
    this._problem_banner.revealed = true;
  }

  protected on_banner_dismissed(): void {
    this._problem_banner.revealed = false;
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
    this.connected = false;
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

    this._stack.visible_child_name = 'loading';
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
      this.connected = true;
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
    this._stack.visible_child_name = 'status';
    this.showView();
  }
}
