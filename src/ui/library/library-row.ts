import GObject from 'gi://GObject';
import Gdk from 'gi://Gdk?version=4.0';
import Gtk from 'gi://Gtk?version=4.0';
import Pango from 'gi://Pango';
import { gettext as _ } from 'gettext';

import type { ModelLine } from '../../library/library-lines.js';
import { fillTemplate } from '../../util/text.js';
import { setAccessibleName } from '../accessible-name.js';
import type { ModelMark } from './model-marks.js';

/** What a row of the library asks its view to do with its model. */
export interface LibraryRowActions {
  showDetails(line: ModelLine): void;
  update(line: ModelLine): void;
  copyName(line: ModelLine): void;
  remove(line: ModelLine, row: PaddockLibraryRow): void;
}

/** What a row shows of its model: made by the view for each binding. */
export interface RowContent {
  summary: string;
  marks: readonly ModelMark[];
  selected: boolean;
  /** Its removal is under way. */
  busy: boolean;
}

/**
 * One model in the library's list: its name, a line of facts, its states and capabilities,
 * its actions in a menu, and its details. Light on purpose: the list binds the few rows it
 * has to whichever models are on screen, so a keystroke of the search only sets texts.
 */
export class PaddockLibraryRow extends Gtk.Box {
  static {
    GObject.registerClass({ GTypeName: 'PaddockLibraryRow', CssName: 'row' }, this);
  }

  /** The model shown; null before the first binding. */
  line: ModelLine | null = null;
  /** The view's version of the states this row was bound with (see PaddockLibraryList). */
  boundVersion = -1;
  private readonly title: Gtk.Inscription;
  private readonly summary: Gtk.Inscription;
  private readonly marks: Gtk.Box;
  /** Labels of the marks, made as rows need them and kept for the next bindings. */
  private readonly markLabels: Gtk.Label[] = [];
  /** Each mark label's colour class, so that its style is changed only when it changes. */
  private readonly markStyles: (string | null)[] = [];
  private readonly actionsButton: Gtk.MenuButton;
  private readonly detailsButton: Gtk.Button;
  private shownMarks = '';
  private selected = false;

  constructor(private readonly actions: LibraryRowActions) {
    super({
      accessible_role: Gtk.AccessibleRole.LIST_ITEM,
      focusable: true,
      spacing: 6,
      css_classes: ['library-row'],
    });
    const texts = new Gtk.Box({
      orientation: Gtk.Orientation.VERTICAL,
      hexpand: true,
      valign: Gtk.Align.CENTER,
      spacing: 2,
    });
    // Inscriptions ask no text layout to be measured: the list's rows are all one height.
    // Names and facts are the server's text: inscriptions never read markup.
    this.title = new Gtk.Inscription({
      text_overflow: Gtk.InscriptionOverflow.ELLIPSIZE_MIDDLE,
      xalign: 0,
      css_classes: ['library-row-title'],
    });
    this.summary = new Gtk.Inscription({
      text_overflow: Gtk.InscriptionOverflow.ELLIPSIZE_END,
      xalign: 0,
      css_classes: ['dim-label', 'caption'],
    });
    // A strut keeps the line of marks as tall without any, so that every row is.
    const marksLine = new Gtk.Box({ overflow: Gtk.Overflow.HIDDEN });
    marksLine.append(new Gtk.Label({ css_classes: ['feature-pill', 'caption', 'mark-strut'] }));
    this.marks = new Gtk.Box({ spacing: 4 });
    marksLine.append(this.marks);
    texts.append(this.title);
    texts.append(this.summary);
    texts.append(marksLine);
    this.append(texts);

    // Tooltips say what the buttons do; their accessible names (set per model) say for
    // which model. A tooltip set per binding would cost more than the rest of it.
    this.actionsButton = new Gtk.MenuButton({
      icon_name: 'view-more-symbolic',
      valign: Gtk.Align.CENTER,
      tooltip_text: _('Actions'),
      css_classes: ['flat', 'row-action'],
    });
    // The menu is made when it opens, for the model shown then.
    this.actionsButton.set_create_popup_func(() => this.makeMenu());
    this.append(this.actionsButton);
    this.detailsButton = new Gtk.Button({
      icon_name: 'go-next-symbolic',
      valign: Gtk.Align.CENTER,
      tooltip_text: _('Details'),
      css_classes: ['flat', 'row-action'],
    });
    this.detailsButton.connect('clicked', () => {
      if (this.line) actions.showDetails(this.line);
    });
    this.append(this.detailsButton);
    setAccessibleName(this.actionsButton, _('Actions'));
    setAccessibleName(this.detailsButton, _('Details'));

    const click = new Gtk.GestureClick();
    // The buttons claim their own clicks: this is a click on the rest of the row.
    click.connect('released', () => {
      this.grab_focus();
      if (this.line) actions.showDetails(this.line);
    });
    this.add_controller(click);
    // The actions' menu also opens where the row is: a right click, a long press.
    const secondary = new Gtk.GestureClick({ button: Gdk.BUTTON_SECONDARY });
    secondary.connect('pressed', () => this.openMenu());
    this.add_controller(secondary);
    const longPress = new Gtk.GestureLongPress({ touch_only: true });
    longPress.connect('pressed', () => this.openMenu());
    this.add_controller(longPress);
  }

  /** Opens the menu of the model's actions (also the Menu key's, in the list). */
  openMenu(): void {
    this.actionsButton.popup();
  }

  /** Shows `line` (its model) with `content`; unchanged texts are not set again. */
  bind(line: ModelLine, content: RowContent): void {
    const name = line.model.name;
    if (this.line?.model.name !== name) {
      this.title.text = name;
      this.update_property([Gtk.AccessibleProperty.LABEL], [name]);
      // Their labelling relations went in the constructor (setAccessibleName): a label is enough.
      this.actionsButton.update_property(
        [Gtk.AccessibleProperty.LABEL],
        [fillTemplate(_('Actions for {name}'), { name })],
      );
      this.detailsButton.update_property(
        [Gtk.AccessibleProperty.LABEL],
        [fillTemplate(_('Details of {name}'), { name })],
      );
    }
    this.line = line;
    // Screen readers read it from the inscription, as the marks from their labels.
    if (this.summary.text !== content.summary) this.summary.text = content.summary;
    this.showMarks(content.marks);
    this.setSelected(content.selected);
    if (this.sensitive === content.busy) this.sensitive = !content.busy;
  }

  private showMarks(marks: readonly ModelMark[]): void {
    // Progress changes often: labels are touched only when the marks change.
    const key = marks.map((mark) => `${mark.style ?? ''}:${mark.label}`).join('\n');
    if (key === this.shownMarks) return;
    this.shownMarks = key;
    marks.forEach((mark, index) => {
      let label = this.markLabels[index];
      if (!label) {
        // Plain text, as every text of a server is.
        label = new Gtk.Label({
          use_markup: false,
          ellipsize: Pango.EllipsizeMode.END,
          css_classes: ['feature-pill', 'caption'],
        });
        this.markLabels.push(label);
        this.markStyles.push(null);
        this.marks.append(label);
      }
      if (label.label !== mark.label) label.label = mark.label;
      const style = this.markStyles[index];
      if (style !== mark.style) {
        if (style) label.remove_css_class(style);
        if (mark.style) label.add_css_class(mark.style);
        this.markStyles[index] = mark.style;
      }
      label.visible = true;
    });
    for (const label of this.markLabels.slice(marks.length)) label.visible = false;
  }

  private setSelected(selected: boolean): void {
    if (selected === this.selected) return;
    this.selected = selected;
    if (selected) this.set_state_flags(Gtk.StateFlags.SELECTED, false);
    else this.unset_state_flags(Gtk.StateFlags.SELECTED);
    // A "boolean or undefined" state: GTK reads it as an int.
    this.update_state([Gtk.AccessibleState.SELECTED], [Number(selected)]);
  }

  private makeMenu(): void {
    const line = this.line;
    if (!line) return;
    const box = new Gtk.Box({ orientation: Gtk.Orientation.VERTICAL });
    const popover = new Gtk.Popover({ child: box });
    const name = line.model.name;
    const items: [string, () => void][] = [
      [fillTemplate(_('Update {name}'), { name }), () => this.actions.update(line)],
      [fillTemplate(_('Copy the Name {name}'), { name }), () => this.actions.copyName(line)],
      [fillTemplate(_('Remove {name}'), { name }), () => this.actions.remove(line, this)],
    ];
    for (const [label, activate] of items) {
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
    this.actionsButton.popover = popover;
  }
}
