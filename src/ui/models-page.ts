import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import { PaddockPullRow } from './pull-row.js';
import { showPullsIn } from './pull-banner.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { inBackground } from '../util/background.js';
import { ServerModelsGroups } from './server-models-groups.js';

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

  private readonly groups: ServerModelsGroups;

  constructor(private readonly paddock: PaddockApplication) {
    super();
    const pulls = paddock.pulls;
    const library = paddock.library;
    this._downloads_list.bind_model(pulls.model, (job) => new PaddockPullRow(pulls, job));
    const showDownloads = () => (this._downloads_group.visible = pulls.model.get_n_items() > 0);
    connectObject(this, pulls.model, { 'items-changed': showDownloads });
    this.pullsBanner.connect('button-clicked', () => this.showDownloads());
    // AdwPreferencesPage:banner is libadwaita 1.7; on 1.6 the Downloads group at the
    // top of the page (and the window's banner) say the same.
    if (Adw.get_minor_version() >= 7) this.set_banner(this.pullsBanner);
    showPullsIn(this.pullsBanner, pulls);
    this.connect('unrealize', () => {
      disconnectObject(this);
      this.groups.close();
    });
    showDownloads();
    // Servers listed before (by another view) are shown as they are, without a request.
    inBackground(library.load(), 'listing the models of the servers');
    this.groups = new ServerModelsGroups(this, paddock, {
      toast: (title) => this.toast(title),
      query: () => this.query(),
    });
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
    this.groups.filter(this.query());
  }

  private query(): string {
    return this._search_entry.text;
  }

  private toast(title: string): void {
    const dialog = this.get_ancestor(Adw.PreferencesDialog.$gtype) as Adw.PreferencesDialog | null;
    dialog?.add_toast(new Adw.Toast({ title, use_markup: false }));
  }
}
