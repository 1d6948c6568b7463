import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { InstalledModel } from '../ollama/types.js';
import { fillTemplate } from '../util/text.js';
import { PaddockFeaturePills } from './feature-pills.js';
import { setAccessibleName } from './accessible-name.js';
import { modelSummary } from './model-summary.js';

export interface InstalledModelActions {
  update(model: InstalledModel): void;
  copyName(model: InstalledModel): void;
  remove(model: InstalledModel, row: PaddockInstalledModelRow): void;
  showDetails(model: InstalledModel): void;
}

/** One model on a server: what it is, what it can do, Update / Copy / Remove, and its details. */
export class PaddockInstalledModelRow extends Adw.ActionRow {
  static {
    GObject.registerClass({ GTypeName: 'PaddockInstalledModelRow' }, this);
  }

  readonly pills = new PaddockFeaturePills();

  constructor(
    readonly model: InstalledModel,
    actions: InstalledModelActions,
  ) {
    // Names and details are the server's text (see markup.ts). Set after construction:
    // properties passed to the constructor may be set before use-markup is off.
    super({ use_markup: false });
    this.title = model.name;
    this.subtitle = modelSummary(model);
    this.add_suffix(this.pills);
    if (model.capabilities) this.pills.setFeatures(model.capabilities);

    const buttons: [string, string, () => void][] = [
      [
        'folder-download-symbolic',
        fillTemplate(_('Update {name}'), { name: model.name }),
        () => actions.update(model),
      ],
      [
        'edit-copy-symbolic',
        fillTemplate(_('Copy the Name {name}'), { name: model.name }),
        () => actions.copyName(model),
      ],
      [
        'user-trash-symbolic',
        fillTemplate(_('Remove {name}'), { name: model.name }),
        () => actions.remove(model, this),
      ],
    ];
    for (const [icon, name, activate] of buttons) {
      const button = new Gtk.Button({
        icon_name: icon,
        valign: Gtk.Align.CENTER,
        tooltip_text: name,
        css_classes: ['flat'],
      });
      setAccessibleName(button, name);
      button.connect('clicked', activate);
      this.add_suffix(button);
    }
    // Activating the row (a click, Enter) opens the details, as its arrow does.
    const name = fillTemplate(_('Details of {name}'), { name: model.name });
    const details = new Gtk.Button({
      icon_name: 'go-next-symbolic',
      valign: Gtk.Align.CENTER,
      tooltip_text: name,
      css_classes: ['flat'],
    });
    details.connect('clicked', () => actions.showDetails(model));
    this.add_suffix(details);
    this.activatable_widget = details;
    // After activatable_widget, which labels the button with the row's title.
    setAccessibleName(details, name);
  }
}
