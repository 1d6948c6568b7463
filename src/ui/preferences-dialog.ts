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

  private readonly modelsPage: PaddockModelsPage;

  constructor(paddock: PaddockApplication) {
    super();
    this.modelsPage = new PaddockModelsPage(paddock);
    this.add(this.modelsPage);
    this.add(new PaddockConnectionsPage(paddock));
  }

  /** The Models page, with the cursor in its search entry. */
  showModelsSearch(): void {
    this.set_visible_page(this.modelsPage);
    this.modelsPage.focusSearch();
  }
}
