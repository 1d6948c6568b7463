import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';

import type { PaddockApplication } from '../application.js';
import { PaddockConnectionRow } from './connection-row.js';
import { PaddockConnectionDialog } from './connection-dialog.js';

/** Preferences → Connections: the Ollama servers Paddock knows. */
export class PaddockConnectionsPage extends Adw.PreferencesPage {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockConnectionsPage',
        Template: 'resource:///io/github/paddock/Paddock/ui/connections-page.ui',
        InternalChildren: ['list'],
      },
      this,
    );
  }

  declare _list: Gtk.ListBox;

  constructor(private readonly paddock: PaddockApplication) {
    super();
    this._list.bind_model(
      paddock.connections.model,
      (item) => new PaddockConnectionRow(paddock, item),
    );
  }

  protected on_add_clicked(): void {
    new PaddockConnectionDialog(this.paddock, null).present(this);
  }
}
