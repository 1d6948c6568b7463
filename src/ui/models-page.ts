import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gdk from 'gi://Gdk?version=4.0';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { modelMatches } from '../library/model-search.js';
import type { OllamaClient } from '../ollama/client.js';
import type { InstalledModel } from '../ollama/types.js';
import { errorText } from '../util/errors.js';
import { formatBytes, fillTemplate } from '../util/text.js';
import { PaddockInstalledModelRow, type InstalledModelActions } from './installed-model-row.js';
import { escapeMarkup } from './markup.js';
import { PaddockModelDetailsPage } from './model-details-page.js';
import { PaddockPullRow } from './pull-row.js';
import { showPullsIn } from './pull-banner.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { inBackground } from '../util/background.js';
import { confirmRemoval } from './confirm-removal.js';

/** Capabilities by server and model digest: /api/show is asked once per model. */
const capabilitiesCache = new Map<string, string[]>();
const SHOW_CONCURRENCY = 2;

/** Preferences → Models: what each server has installed, one group per connection. */
export class PaddockModelsPage extends Adw.PreferencesPage {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockModelsPage',
        Template: 'resource:///io/github/paddock/Paddock/ui/models-page.ui',
        InternalChildren: ['search_entry', 'downloads_group', 'downloads_list'],
      },
      this,
    );
  }

  declare _search_entry: Gtk.SearchEntry;
  private readonly pullsBanner = new Adw.Banner({
    button_label: _('_Show Downloads'),
    use_markup: false,
  });
  declare _downloads_group: Adw.PreferencesGroup;
  declare _downloads_list: Gtk.ListBox;

  private groups: ConnectionGroup[] = [];

  constructor(private readonly paddock: PaddockApplication) {
    super();
    const pulls = paddock.pulls;
    const library = paddock.library;
    this._downloads_list.bind_model(pulls.model, (job) => new PaddockPullRow(pulls, job));
    const showDownloads = () => (this._downloads_group.visible = pulls.model.get_n_items() > 0);
    connectObject(this, library, {
      'servers-changed': () => this.rebuild(),
      'server-changed': (_library: unknown, connectionId: string) =>
        this.groups.find((group) => group.connectionId === connectionId)?.show(),
    });
    connectObject(this, pulls.model, { 'items-changed': showDownloads });
    this.pullsBanner.connect('button-clicked', () => this.showDownloads());
    // AdwPreferencesPage:banner is libadwaita 1.7; on 1.6 the Downloads group at the
    // top of the page (and the window's banner) say the same.
    if (Adw.get_minor_version() >= 7) this.set_banner(this.pullsBanner);
    showPullsIn(this.pullsBanner, pulls);
    this.connect('unrealize', () => {
      disconnectObject(this);
      for (const group of this.groups) group.close();
    });
    showDownloads();
    // Servers listed before (by another view) are shown as they are, without a request.
    inBackground(library.load(), 'listing the models of the servers');
    this.rebuild();
  }

  /** Ctrl+F and the like: put the cursor in the search entry. */
  focusSearch(): void {
    this._search_entry.grab_focus();
  }

  private showDownloads(): void {
    this.scroll_to_top();
    this._downloads_list.get_first_child()?.grab_focus();
  }

  protected on_refresh_clicked(): void {
    inBackground(this.paddock.library.refresh(), 'listing the models of the servers');
  }

  protected on_search_changed(): void {
    for (const group of this.groups) group.filter(this.query());
  }

  private query(): string {
    return this._search_entry.text;
  }

  /** One group per connection, each showing what the library knows of that server. */
  private rebuild(): void {
    for (const group of this.groups) {
      group.close();
      this.remove(group.widget);
    }
    this.groups = this.paddock.connections.list().map(
      (connection) =>
        new ConnectionGroup(
          this.paddock,
          connection,
          (title) => this.toast(title),
          () => this.query(),
        ),
    );
    for (const group of this.groups) {
      this.add(group.widget);
      group.show();
    }
  }

  private toast(title: string): void {
    const dialog = this.get_ancestor(Adw.PreferencesDialog.$gtype) as Adw.PreferencesDialog | null;
    dialog?.add_toast(new Adw.Toast({ title, use_markup: false }));
  }
}

/** What a group shows of its server. */
type Shown = 'loading' | 'error' | 'models';

/** The models of one server, or why they could not be listed. */
class ConnectionGroup implements InstalledModelActions {
  readonly widget: Adw.PreferencesGroup;
  private rows: PaddockInstalledModelRow[] = [];
  /** What the group shows besides the models' rows: a spinner, an error, "none yet". */
  private others: Gtk.Widget[] = [];
  private shown: Shown | null = null;
  private shownModels: readonly InstalledModel[] | null = null;
  private readonly cancellable = new Gio.Cancellable();
  private readonly noMatches = new Adw.ActionRow({
    title: _('No installed model matches the search'),
    visible: false,
  });

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly connection: ConnectionItem,
    private readonly toast: (title: string) => void,
    /** The page's search as it is now, for a list shown later (Retry). */
    private readonly query: () => string,
  ) {
    this.widget = new Adw.PreferencesGroup({
      title: escapeMarkup(connection.name),
      description: escapeMarkup(connection.url),
    });
  }

  get connectionId(): string {
    return this.connection.id;
  }

  /** The group was taken off the page: what it still asks the server for can stop. */
  close(): void {
    this.cancellable.cancel();
  }

  /** Shows the library's state of the server, redrawing only what changed. */
  show(): void {
    const state = this.paddock.library.state(this.connection.id);
    if (!state) return;
    let shown: Shown = 'models';
    if (state.error !== null && !state.loading) shown = 'error';
    else if (state.refreshedAt === null || (state.loading && state.error !== null))
      shown = 'loading';
    if (shown === this.shown && (shown !== 'models' || state.models === this.shownModels)) return;
    this.clear();
    this.shown = shown;
    if (shown === 'loading') {
      const spinnerRow = new Adw.ActionRow({ title: _('Loading…') });
      spinnerRow.add_suffix(new Adw.Spinner());
      this.addOther(spinnerRow);
    } else if (shown === 'error') {
      this.showError(state.error ?? '');
    } else {
      this.showModels(state.models);
    }
  }

  private clear(): void {
    for (const widget of [...this.rows, ...this.others]) this.widget.remove(widget);
    if (this.noMatches.parent) this.widget.remove(this.noMatches);
    this.rows = [];
    this.others = [];
    this.shownModels = null;
  }

  private addOther(widget: Gtk.Widget): void {
    this.others.push(widget);
    this.widget.add(widget);
  }

  private showModels(models: readonly InstalledModel[]): void {
    this.shownModels = models;
    if (models.length === 0)
      this.addOther(new Adw.ActionRow({ title: _('No models installed yet') }));
    this.rows = models.map((model) => new PaddockInstalledModelRow(model, this));
    for (const row of this.rows) this.widget.add(row);
    this.widget.add(this.noMatches);
    this.filter(this.query());
    inBackground(this.loadCapabilities(), 'reading model capabilities');
  }

  filter(query: string): void {
    let shown = 0;
    for (const row of this.rows) {
      row.visible = modelMatches(row.model, query);
      if (row.visible) shown++;
    }
    this.noMatches.visible = this.rows.length > 0 && shown === 0;
  }

  update(model: InstalledModel): void {
    this.paddock.pulls.start(this.connection.id, model.name);
    this.toast(fillTemplate(_('Updating {name}…'), { name: model.name }));
  }

  showDetails(model: InstalledModel): void {
    const dialog = this.widget.get_ancestor(
      Adw.PreferencesDialog.$gtype,
    ) as Adw.PreferencesDialog | null;
    dialog?.push_subpage(
      new PaddockModelDetailsPage(this.paddock, this.connection, model, this.toast),
    );
  }

  copyName(model: InstalledModel): void {
    Gdk.Display.get_default()?.get_clipboard().set(model.name);
    this.toast(fillTemplate(_('Copied “{name}”'), { name: model.name }));
  }

  remove(model: InstalledModel, row: PaddockInstalledModelRow): void {
    confirmRemoval(
      row,
      fillTemplate(_('Remove {name}?'), { name: model.name }),
      fillTemplate(
        _(
          'The model is deleted from {server}, which frees {size}. You can download it again later.',
        ),
        { server: this.connection.name, size: formatBytes(model.size) },
      ),
      () => inBackground(this.delete(model, row), 'removing a model'),
    );
  }

  private async delete(model: InstalledModel, row: PaddockInstalledModelRow): Promise<void> {
    row.sensitive = false;
    try {
      const client = await this.paddock.clients.clientFor(this.connection.id);
      await client.delete(model.name, this.cancellable);
      this.widget.remove(row);
      this.rows = this.rows.filter((other) => other !== row);
      this.toast(fillTemplate(_('Removed {name}'), { name: model.name }));
      inBackground(
        this.paddock.library.modelsChanged(this.connection.id),
        'listing the models after a removal',
      );
    } catch (error) {
      row.sensitive = true;
      this.toast(errorText(error));
    }
  }

  /** Capabilities come from /api/show, one model at a time, after the list is shown. */
  private async loadCapabilities(): Promise<void> {
    const pending = this.rows.filter((row) => !row.model.capabilities);
    if (pending.length === 0) return;
    let client: OllamaClient;
    try {
      client = await this.paddock.clients.clientFor(this.connection.id);
    } catch {
      // Pills are a nicety: the list is shown all the same.
      return;
    }
    const worker = async () => {
      for (let row = pending.shift(); row; row = pending.shift()) {
        const key = `${client.baseUrl} ${row.model.digest}`;
        let capabilities = capabilitiesCache.get(key);
        if (!capabilities) {
          try {
            capabilities = (await client.show(row.model.name, {}, this.cancellable)).capabilities;
          } catch {
            // Pills are a nicety; a model whose details fail still lists.
            continue;
          }
          capabilitiesCache.set(key, capabilities);
        }
        row.pills.setFeatures(capabilities);
      }
    };
    await Promise.all(Array.from({ length: SHOW_CONCURRENCY }, worker));
  }

  private showError(error: string): void {
    // use-markup goes off before the server's text is set (see markup.ts).
    const row = new Adw.ActionRow({ use_markup: false, subtitle_lines: 0 });
    row.title = _('Can’t list the models');
    row.subtitle = error;
    row.add_prefix(new Gtk.Image({ icon_name: 'dialog-warning-symbolic' }));
    const retry = new Gtk.Button({
      label: _('_Retry'),
      use_underline: true,
      valign: Gtk.Align.CENTER,
    });
    retry.connect('clicked', () =>
      inBackground(
        this.paddock.library.refresh(this.connection.id),
        'listing the models of a server',
      ),
    );
    row.add_suffix(retry);
    this.addOther(row);
  }
}
