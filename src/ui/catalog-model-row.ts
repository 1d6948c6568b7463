import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Pango from 'gi://Pango';
import { gettext as _ } from 'gettext';

import type { AvailableModel } from '../catalog/available-model.js';
import { pullsText, sizeRangeText } from '../catalog/model-facts.js';
import { PaddockFeaturePills } from './feature-pills.js';

/**
 * A catalog model in the search results: name (and whether the server has it),
 * description, what it can do, sizes and popularity. All plain text, never markup:
 * catalog text comes from the internet.
 */
export class PaddockCatalogModelRow extends Gtk.Box {
  static {
    GObject.registerClass({ GTypeName: 'PaddockCatalogModelRow' }, this);
  }

  constructor(model: AvailableModel, installed: boolean) {
    super({
      orientation: Gtk.Orientation.VERTICAL,
      spacing: 3,
      margin_top: 6,
      margin_bottom: 6,
      margin_start: 6,
      margin_end: 6,
    });
    const title = new Gtk.Box({ spacing: 6 });
    title.append(new Gtk.Label({ label: model.name, xalign: 0, css_classes: ['heading'] }));
    if (installed)
      title.append(
        new Gtk.Label({ label: _('Installed'), css_classes: ['installed-pill', 'caption'] }),
      );
    this.append(title);

    if (model.description)
      this.append(
        new Gtk.Label({
          label: model.description,
          xalign: 0,
          wrap: true,
          lines: 2,
          ellipsize: Pango.EllipsizeMode.END,
          max_width_chars: 60,
          css_classes: ['dim-label'],
        }),
      );

    const facts = new Gtk.Box({ spacing: 8 });
    const pills = new PaddockFeaturePills();
    pills.setFeatures(model.features);
    facts.append(pills);
    const text = [sizeRangeText(model), pullsText(model.downloads)].filter(Boolean).join(' · ');
    facts.append(new Gtk.Label({ label: text, xalign: 0, css_classes: ['caption', 'dim-label'] }));
    this.append(facts);
  }
}
