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
    for (const label of featureNames(features))
      this.append(new Gtk.Label({ label, css_classes: ['feature-pill', 'caption'] }));
  }
}

/** The names of the features Paddock shows, in the order given; others are left out. */
export function featureNames(features: readonly string[]): string[] {
  return features
    .map((feature) => FEATURE_LABELS[feature]?.())
    .filter((label): label is string => label !== undefined);
}

const FEATURE_LABELS: Record<string, () => string> = {
  vision: () => _('Vision'),
  tools: () => _('Tools'),
  thinking: () => _('Thinking'),
  embedding: () => _('Embedding'),
};
