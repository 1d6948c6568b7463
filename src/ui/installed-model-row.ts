import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import { speedText } from '../library/speed-record.js';
import type { InstalledModel } from '../ollama/types.js';
import { formatBytes, formatAge, fillTemplate } from '../util/text.js';
import { PaddockFeaturePills } from './feature-pills.js';
import { setAccessibleName } from './accessible-name.js';

/** A state of the model on its server: Loaded, Update available, Downloading 40%. */
export interface ModelBadge {
  label: string;
  /** The style class of its colour: accent, success, warning. */
  style: string;
}

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
  private readonly badges = new Gtk.Box({ spacing: 4, valign: Gtk.Align.CENTER });
  private badgesKey = '[]';
  /** Badges and pills, side by side, or (narrow) one above the other. */
  private readonly marks = new Gtk.Box({ spacing: 4, valign: Gtk.Align.CENTER });
  /** The actions, before the details' arrow; the narrow menu joins them. */
  private readonly actionsBox = new Gtk.Box({ spacing: 6, valign: Gtk.Align.CENTER });
  /** Update, Copy and Remove as icons, or (narrow) in the menu of one button. */
  private readonly buttons: Gtk.Button[] = [];
  private menuButton: Gtk.MenuButton | null = null;
  private readonly actionList: [name: string, activate: () => void][] = [];

  constructor(
    readonly model: InstalledModel,
    actions: InstalledModelActions,
  ) {
    // Names and details are the server's text (see markup.ts). Set after construction:
    // properties passed to the constructor may be set before use-markup is off.
    super({ use_markup: false });
    this.title = model.name;
    this.subtitle = describe(model, null);
    this.badges.halign = this.pills.halign = Gtk.Align.END;
    this.marks.append(this.badges);
    this.marks.append(this.pills);
    this.add_suffix(this.marks);
    this.add_suffix(this.actionsBox);
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
      this.actionsBox.append(button);
      this.buttons.push(button);
      this.actionList.push([name, activate]);
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

  /** Narrow windows: the actions go into one menu button, so that the name keeps room. */
  setCompact(compact: boolean): void {
    if (compact && !this.menuButton) this.menuButton = this.actionsMenu();
    if (this.menuButton) this.menuButton.visible = compact;
    for (const button of this.buttons) button.visible = !compact;
    this.marks.orientation = compact ? Gtk.Orientation.VERTICAL : Gtk.Orientation.HORIZONTAL;
  }

  private actionsMenu(): Gtk.MenuButton {
    const name = fillTemplate(_('Actions for {name}'), { name: this.model.name });
    const box = new Gtk.Box({ orientation: Gtk.Orientation.VERTICAL });
    const popover = new Gtk.Popover({ child: box });
    for (const [label, activate] of this.actionList) {
      const item = new Gtk.Button({ css_classes: ['flat'] });
      // The model's name is the server's text: a plain label, never markup.
      item.child = new Gtk.Label({ label, use_markup: false, xalign: 0 });
      setAccessibleName(item, label);
      item.connect('clicked', () => {
        popover.popdown();
        activate();
      });
      box.append(item);
    }
    const button = new Gtk.MenuButton({
      icon_name: 'view-more-symbolic',
      valign: Gtk.Align.CENTER,
      tooltip_text: name,
      css_classes: ['flat'],
      popover,
    });
    setAccessibleName(button, name);
    this.actionsBox.append(button);
    return button;
  }

  /** Adds the last measured speed (tokens/s) to the subtitle; null shows none. */
  setSpeed(tokensPerSecond: number | null): void {
    this.subtitle = describe(this.model, tokensPerSecond);
  }

  /** The row of the model whose details show beside the list: marked, and said so. */
  setSelected(selected: boolean): void {
    if (selected) this.add_css_class('selected-model');
    else this.remove_css_class('selected-model');
    // A "boolean or undefined" state: GTK reads it as an int.
    this.update_state([Gtk.AccessibleState.SELECTED], [Number(selected)]);
  }

  /** Shows these badges instead of the ones before; a badge's text is set as plain text. */
  setBadges(badges: readonly ModelBadge[]): void {
    // Progress asks often: labels are made again only when they change.
    const key = JSON.stringify(badges);
    if (key === this.badgesKey) return;
    this.badgesKey = key;
    for (let child = this.badges.get_first_child(); child; child = this.badges.get_first_child())
      this.badges.remove(child);
    for (const { label, style } of badges)
      this.badges.append(
        new Gtk.Label({
          label,
          use_markup: false,
          css_classes: ['feature-pill', 'caption', style],
        }),
      );
  }
}

function describe(model: InstalledModel, tokensPerSecond: number | null): string {
  const details = model.details;
  const age = formatAge(model.modified_at);
  return [
    details.parameter_size,
    details.quantization_level,
    details.family,
    formatBytes(model.size),
    age ? fillTemplate(_('modified {age}'), { age }) : null,
    tokensPerSecond === null ? null : speedText(tokensPerSecond),
  ]
    .filter((fact): fact is string => Boolean(fact))
    .join(' · ');
}
