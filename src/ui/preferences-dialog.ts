import GObject from 'gi://GObject';
import Adw from 'gi://Adw';

import type { PaddockApplication } from '../application.js';
import { PaddockModelsPage } from './models-page.js';
import { PaddockConnectionsPage } from './connections-page.js';

export class PaddockPreferencesDialog extends Adw.PreferencesDialog {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockPreferencesDialog',
        Template: 'resource:///io/github/paddock/Paddock/ui/preferences-dialog.ui',
      },
      this,
    );
  }

  constructor(paddock: PaddockApplication) {
    super();
    this.add(new PaddockModelsPage(paddock));
    this.add(new PaddockConnectionsPage(paddock));
  }
}
