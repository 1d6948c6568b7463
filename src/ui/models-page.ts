import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gdk from 'gi://Gdk?version=4.0';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import type { OllamaClient } from '../ollama/client.js';
import type { InstalledModel } from '../ollama/types.js';
import { errorText } from '../util/errors.js';
import { formatBytes, fillTemplate } from '../util/text.js';
import { PaddockInstalledModelRow, type InstalledModelActions } from './installed-model-row.js';
import { escapeMarkup } from './markup.js';
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
  private listing = new Gio.Cancellable();

  constructor(private readonly paddock: PaddockApplication) {
    super();
    const pulls = paddock.pulls;
    this._downloads_list.bind_model(pulls.model, (job) => new PaddockPullRow(pulls, job));
    const showDownloads = () => (this._downloads_group.visible = pulls.model.get_n_items() > 0);
    connectObject(this, paddock.connections, { changed: () => this.reload() });
    connectObject(this, pulls.model, { 'items-changed': showDownloads });
    // A pull that ends changes what is installed.
    connectObject(this, pulls, { 'model-complete': () => this.reload() });
    this.pullsBanner.connect('button-clicked', () => this.showDownloads());
    // AdwPreferencesPage:banner is libadwaita 1.7; on 1.6 the Downloads group at the
    // top of the page (and the window's banner) say the same.
    if (Adw.get_minor_version() >= 7) this.set_banner(this.pullsBanner);
    showPullsIn(this.pullsBanner, pulls);
    this.connect('unrealize', () => {
      disconnectObject(this);
      this.listing.cancel();
    });
    showDownloads();
    this.reload();
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
    this.reload();
  }

  protected on_search_changed(): void {
    for (const group of this.groups) group.filter(this.query());
  }

  private query(): string {
    return this._search_entry.text.trim().toLowerCase();
  }

  private reload(): void {
    this.listing.cancel();
    this.listing = new Gio.Cancellable();
    for (const group of this.groups) this.remove(group.widget);
    this.groups = [];
    const model = this.paddock.connections.model;
    for (let i = 0; i < model.get_n_items(); i++) {
      const group = new ConnectionGroup(
        this.paddock,
        model.get_item(i) as ConnectionItem,
        this.listing,
        (title) => this.toast(title),
        () => this.query(),
      );
      this.add(group.widget);
      this.groups.push(group);
      inBackground(group.fill(this.query()), 'listing the models of a server');
    }
  }

  private toast(title: string): void {
    const dialog = this.get_ancestor(Adw.PreferencesDialog.$gtype) as Adw.PreferencesDialog | null;
    dialog?.add_toast(new Adw.Toast({ title, use_markup: false }));
  }
}

/** The models of one server, or why they could not be listed. */
class ConnectionGroup implements InstalledModelActions {
  readonly widget: Adw.PreferencesGroup;
  private rows: PaddockInstalledModelRow[] = [];
  private readonly noMatches = new Adw.ActionRow({
    title: _('No installed model matches the search'),
    visible: false,
  });

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly connection: ConnectionItem,
    private readonly cancellable: Gio.Cancellable,
    private readonly toast: (title: string) => void,
    /** The page's search as it is now, for a list filled later (Retry). */
    private readonly query: () => string,
  ) {
    this.widget = new Adw.PreferencesGroup({
      title: escapeMarkup(connection.name),
      description: escapeMarkup(connection.url),
    });
  }

  async fill(query: string): Promise<void> {
    const spinnerRow = new Adw.ActionRow({ title: _('Loading…') });
    spinnerRow.add_suffix(new Adw.Spinner());
    this.widget.add(spinnerRow);
    try {
      const client = await this.paddock.clients.clientFor(this.connection.id);
      const models = await client.tags(this.cancellable);
      this.widget.remove(spinnerRow);
      if (models.length === 0)
        this.widget.add(new Adw.ActionRow({ title: _('No models installed yet') }));
      this.rows = models.map((model) => new PaddockInstalledModelRow(model, this));
      for (const row of this.rows) this.widget.add(row);
      this.widget.add(this.noMatches);
      this.filter(query);
      inBackground(this.loadCapabilities(client), 'reading model capabilities');
    } catch (error) {
      if (this.cancellable.is_cancelled()) return;
      this.widget.remove(spinnerRow);
      this.showError(error);
    }
  }

  filter(query: string): void {
    let shown = 0;
    for (const row of this.rows) {
      row.visible = query === '' || row.searchText.includes(query);
      if (row.visible) shown++;
    }
    this.noMatches.visible = this.rows.length > 0 && shown === 0;
  }

  update(model: InstalledModel): void {
    this.paddock.pulls.start(this.connection.id, model.name);
    this.toast(fillTemplate(_('Updating {name}…'), { name: model.name }));
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
    } catch (error) {
      row.sensitive = true;
      this.toast(errorText(error));
    }
  }

  /** Capabilities come from /api/show, one model at a time, after the list is shown. */
  private async loadCapabilities(client: OllamaClient): Promise<void> {
    const pending = this.rows.filter((row) => !row.model.capabilities);
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

  private showError(error: unknown): void {
    // use-markup goes off before the server's text is set (see markup.ts).
    const row = new Adw.ActionRow({ use_markup: false, subtitle_lines: 0 });
    row.title = _('Can’t list the models');
    row.subtitle = errorText(error);
    row.add_prefix(new Gtk.Image({ icon_name: 'dialog-warning-symbolic' }));
    const retry = new Gtk.Button({
      label: _('_Retry'),
      use_underline: true,
      valign: Gtk.Align.CENTER,
    });
    retry.connect('clicked', () => {
      this.widget.remove(row);
      inBackground(this.fill(this.query()), 'listing the models of a server');
    });
    row.add_suffix(retry);
    this.widget.add(row);
  }
}
