import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import { gettext as _ } from 'gettext';

/** What a model can do, as small pills: Vision, Tools, Thinking, Embedding. */
export class PaddockFeaturePills extends Gtk.Box {
  static {
    GObject.registerClass({ GTypeName: 'PaddockFeaturePills' }, this);
  }

  constructor() {
    super({ spacing: 4, valign: Gtk.Align.CENTER });
  }

  /** Shows the features Paddock knows how to name; others (e.g. "completion") are implied. */
  setFeatures(features: readonly string[]): void {
    for (let child = this.get_first_child(); child; child = this.get_first_child())
      this.remove(child);
    for (const feature of features) {
      const label = FEATURE_LABELS[feature]?.();
      if (!label) continue;
      this.append(new Gtk.Label({ label, css_classes: ['feature-pill', 'caption'] }));
    }
  }
}

const FEATURE_LABELS: Record<string, () => string> = {
  vision: () => _('Vision'),
  tools: () => _('Tools'),
  thinking: () => _('Thinking'),
  embedding: () => _('Embedding'),
};
