import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gdk from 'gi://Gdk?version=4.0';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';

import { setAccessibleName } from './accessible-name.js';
import { SearchIndex } from '../util/search-rank.js';
import { connectObject, disconnectObject } from '../util/signals.js';

export interface SearchablePulldownOptions<T extends GObject.Object> {
  /** What to search; may change while the widget lives. */
  model: Gio.ListModel;
  /** The name searched first and put into the entry when an item is picked. */
  itemText: (item: T) => string;
  /** Searched after the names of all items; also the rows' accessible description. */
  itemDescription?: (item: T) => string;
  /** The row for one result. */
  createRow: (item: T) => Gtk.Widget;
  placeholder: string;
  /** For the entry, e.g. "Model name". */
  accessibleName: string;
  /** For the list of results, e.g. "Matching models". */
  listAccessibleName: string;
  /** Only the best this many results are shown, however big the model. */
  maxResults?: number;
}

const DEFAULT_MAX_RESULTS = 200;
const MAX_LIST_HEIGHT = 360;
const PAGE_STEP = 8;

/**
 * A text entry that searches a list model and offers the best matches in a popover:
 * the exact name first, then names that start with the text (shorter first), then names
 * that contain it, then descriptions that do (see SearchIndex).
 *
 * Typing shows the list with nothing highlighted, and focus stays in the entry: Down
 * opens the list and highlights the first result, or moves the highlight down; Up moves
 * it up; Enter picks the highlighted result; Escape closes the list (a second Escape is
 * left to the dialog); Tab closes it and moves on. A click on a row picks it. Picking puts
 * the item's text into the entry, sets selected-item and emits activated(item). Enter
 * with nothing highlighted closes the list and emits entry-activated(text), so a name
 * typed in full is taken as typed.
 *
 * Items are searched by the texts they had when they were added to the model. While the
 * widget is in no window it does not follow the model; it catches up when shown again.
 */
export class PaddockSearchablePulldown<T extends GObject.Object = GObject.Object> extends Gtk.Box {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockSearchablePulldown',
        Properties: {
          text: GObject.ParamSpec.string('text', null, null, GObject.ParamFlags.READWRITE, ''),
          'selected-item': GObject.ParamSpec.object(
            'selected-item',
            null,
            null,
            GObject.ParamFlags.READABLE,
            GObject.Object.$gtype,
          ),
        },
        Signals: {
          activated: { param_types: [GObject.Object.$gtype] },
          'entry-activated': { param_types: [GObject.TYPE_STRING] },
        },
      },
      this,
    );
  }

  readonly #model: Gio.ListModel;
  readonly #itemText: (item: T) => string;
  readonly #itemDescription: ((item: T) => string) | null;
  readonly #createRow: (item: T) => Gtk.Widget;
  readonly #maxResults: number;

  /** The model's items' texts, position by position. */
  readonly #index = new SearchIndex();
  #watching = false;
  /** The model changed while nobody looked at the results. */
  #stale = false;
  /** Model positions of the results shown. */
  #resultPositions: number[] = [];

  readonly #entry: Gtk.Entry;
  readonly #results: Gio.ListStore;
  readonly #selection: Gtk.SingleSelection;
  readonly #listView: Gtk.ListView;
  readonly #popover: Gtk.Popover;
  #selectedItem: T | null = null;
  /** The entry's text is being set by the widget, not typed. */
  #settingText = false;

  constructor(options: SearchablePulldownOptions<T>) {
    super({ orientation: Gtk.Orientation.HORIZONTAL });
    this.#model = options.model;
    this.#itemText = options.itemText;
    this.#itemDescription = options.itemDescription ?? null;
    this.#createRow = options.createRow;
    this.#maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;

    this.#entry = new Gtk.Entry({
      hexpand: true,
      placeholder_text: options.placeholder,
      primary_icon_name: 'system-search-symbolic',
      input_hints: Gtk.InputHints.NO_SPELLCHECK | Gtk.InputHints.NO_EMOJI,
    });
    setAccessibleName(this.#entry, options.accessibleName);
    this.append(this.#entry);

    this.#results = new Gio.ListStore({ item_type: this.#model.get_item_type() });
    // The selection is the highlight, which only the keyboard moves.
    this.#selection = new Gtk.SingleSelection({
      model: this.#results,
      autoselect: false,
      can_unselect: true,
    });
    const factory = new Gtk.SignalListItemFactory();
    factory.connect('setup', (_factory, listItem: Gtk.ListItem) => {
      // Keyboard focus stays in the entry; rows are only clicked.
      listItem.focusable = false;
      listItem.child = this.#createClickableRow(listItem);
    });
    factory.connect('bind', (_factory, listItem: Gtk.ListItem) => {
      const item = listItem.item as T;
      (listItem.child as Adw.Bin).child = this.#createRow(item);
      listItem.accessible_label = this.#itemText(item);
      if (this.#itemDescription) listItem.accessible_description = this.#itemDescription(item);
    });
    factory.connect('unbind', (_factory, listItem: Gtk.ListItem) => {
      (listItem.child as Adw.Bin).set_child(null);
    });
    // The list view gets the results only while they show (see #open()).
    this.#listView = new Gtk.ListView({
      factory,
      can_focus: false,
      css_classes: ['navigation-sidebar'],
    });
    setAccessibleName(this.#listView, options.listAccessibleName);

    this.#popover = new Gtk.Popover({
      autohide: false,
      has_arrow: false,
      can_focus: false,
      position: Gtk.PositionType.BOTTOM,
      halign: Gtk.Align.START,
      child: new Gtk.ScrolledWindow({
        hscrollbar_policy: Gtk.PolicyType.NEVER,
        propagate_natural_height: true,
        max_content_height: MAX_LIST_HEIGHT,
        child: this.#listView,
      }),
    });
    this.#popover.set_parent(this);
    this.#popover.connect('closed', () => this.#listView.set_model(null));

    this.#entry.update_property(
      [Gtk.AccessibleProperty.AUTOCOMPLETE],
      [Gtk.AccessibleAutocomplete.LIST],
    );
    this.#entry.update_relation(
      [Gtk.AccessibleRelation.CONTROLS],
      [Gtk.AccessibleList.new_from_list([this.#listView])],
    );

    const keys = new Gtk.EventControllerKey({ propagation_phase: Gtk.PropagationPhase.CAPTURE });
    keys.connect(
      'key-pressed',
      (_keys, keyval: number, _keycode: number, state: Gdk.ModifierType) =>
        this.#onKeyPressed(keyval, state),
    );
    this.#entry.add_controller(keys);
    const focus = new Gtk.EventControllerFocus();
    focus.connect('leave', () => this.#close());
    this.#entry.connect('changed', () => {
      if (!this.#settingText) this.#onTextChanged(true);
    });
    this.#entry.connect('activate', () => this.emit('entry-activated', this.#entry.text));
    this.connect('unmap', () => this.#close());

    // A closed dialog's widgets are disposed only when the garbage collector gets to
    // them, and GJS refuses to run callbacks then. So the widget lets go of the model
    // (often the app's catalog, which would keep it alive) and of its focus watch as
    // soon as it leaves the window, and takes them up again if it comes back.
    this.connect('realize', () => {
      this.#entry.add_controller(focus);
      this.#watchModel();
    });
    this.connect('unrealize', () => {
      this.#entry.remove_controller(focus);
      this.#unwatchModel();
    });
    this.#watchModel();
  }

  /** The entry's text. Setting it searches at once (the list opens only for typing). */
  get text(): string {
    return this.#entry.text;
  }

  set text(text: string) {
    if (text === this.#entry.text) return;
    // The entry deletes, then inserts: search once, for the whole new text.
    this.#settingText = true;
    try {
      this.#entry.text = text;
    } finally {
      this.#settingText = false;
    }
    this.#onTextChanged(false);
  }

  /** The item last picked; null again once the text is edited away from its name. */
  get selectedItem(): T | null {
    return this.#selectedItem;
  }

  /** The GObject spelling of selectedItem. */
  get selected_item(): T | null {
    return this.#selectedItem;
  }

  /** Empties the entry, forgets the picked item and closes the list. */
  clear(): void {
    this.text = '';
    this.#setSelectedItem(null);
    this.#close();
  }

  /** How many results the current text has (at most maxResults). */
  getResultCount(): number {
    this.#ensureFresh();
    return this.#results.get_n_items();
  }

  /** The result at `index`, best first. */
  getResultItem(index: number): T | null {
    this.#ensureFresh();
    return this.#results.get_item(index) as T | null;
  }

  /** Focusing the widget (from code or by a mnemonic) puts the cursor in the entry. */
  override vfunc_grab_focus(): boolean {
    return this.#entry.grab_focus();
  }

  /** Reads all items (they may have changed while nobody watched), then follows changes. */
  #watchModel(): void {
    if (this.#watching) return;
    this.#watching = true;
    this.#readItems(0, this.#index.size, this.#model.get_n_items());
    this.#refresh();
    connectObject(this, this.#model, {
      'items-changed': (_model: unknown, position: number, removed: number, added: number) =>
        this.#onItemsChanged(position, removed, added),
    });
  }

  #unwatchModel(): void {
    this.#watching = false;
    disconnectObject(this);
  }

  #onItemsChanged(position: number, removed: number, added: number): void {
    this.#readItems(position, removed, added);
    // Refresh now only if someone sees it; a model filled item by item stays cheap.
    if (this.#popover.visible) this.#refresh();
    else this.#stale = true;
  }

  #readItems(position: number, removed: number, added: number): void {
    const names: string[] = [];
    const descriptions: string[] = [];
    for (let i = position; i < position + added; i++) {
      const item = this.#model.get_item(i) as T;
      names.push(this.#itemText(item));
      if (this.#itemDescription) descriptions.push(this.#itemDescription(item));
    }
    this.#index.splice(position, removed, names, descriptions);
  }

  #ensureFresh(): void {
    if (this.#stale) this.#refresh();
  }

  /** Puts the best results for the entry's text into the list, none highlighted. */
  #refresh(): void {
    this.#stale = false;
    const positions = this.#index.best(this.#entry.text, this.#maxResults);
    if (!samePositions(positions, this.#resultPositions)) {
      this.#resultPositions = positions;
      const items = positions.map((position) => this.#model.get_item(position) as T);
      this.#results.splice(0, this.#results.get_n_items(), items);
    }
    this.#selection.selected = Gtk.INVALID_LIST_POSITION;
  }

  #onTextChanged(typed: boolean): void {
    this.notify('text');
    const picked = this.#selectedItem;
    if (picked && this.#itemText(picked) !== this.#entry.text) this.#setSelectedItem(null);
    this.#refresh();
    const hasResults = this.#results.get_n_items() > 0;
    if (!hasResults || (typed && this.#entry.text.trim() === '')) this.#close();
    else if (typed) this.#open();
  }

  /**
   * Holds a row and picks its item on a click. The list view's own single-click mode
   * would also highlight whatever row the pointer rests on, and Enter would then pick
   * that row instead of the best match.
   */
  #createClickableRow(listItem: Gtk.ListItem): Adw.Bin {
    const bin = new Adw.Bin();
    const click = new Gtk.GestureClick({ propagation_phase: Gtk.PropagationPhase.CAPTURE });
    click.connect('pressed', () => click.set_state(Gtk.EventSequenceState.CLAIMED));
    click.connect('released', () => {
      const item = listItem.item as T | null;
      if (item) this.#pick(item);
    });
    bin.add_controller(click);
    return bin;
  }

  #onKeyPressed(keyval: number, state: Gdk.ModifierType): boolean {
    if (state & (Gdk.ModifierType.CONTROL_MASK | Gdk.ModifierType.ALT_MASK)) return false;
    const open = this.#popover.visible;
    switch (keyval) {
      case Gdk.KEY_Down:
      case Gdk.KEY_KP_Down:
        if (open || this.#open()) this.#moveHighlight(1);
        return true;
      case Gdk.KEY_Up:
      case Gdk.KEY_KP_Up:
        if (open) this.#moveHighlight(-1);
        return open;
      case Gdk.KEY_Page_Down:
      case Gdk.KEY_KP_Page_Down:
        if (open) this.#moveHighlight(PAGE_STEP);
        return open;
      case Gdk.KEY_Page_Up:
      case Gdk.KEY_KP_Page_Up:
        if (open) this.#moveHighlight(-PAGE_STEP);
        return open;
      case Gdk.KEY_Return:
      case Gdk.KEY_KP_Enter:
      case Gdk.KEY_ISO_Enter: {
        const item = open ? (this.#selection.selected_item as T | null) : null;
        if (item) {
          this.#pick(item);
          return true;
        }
        // The entry activates: entry-activated(text).
        this.#close();
        return false;
      }
      case Gdk.KEY_Escape:
        this.#close();
        return open;
      case Gdk.KEY_Tab:
      case Gdk.KEY_KP_Tab:
      case Gdk.KEY_ISO_Left_Tab:
        this.#close();
        return false;
      default:
        return false;
    }
  }

  /** Shows the results; false if there are none. */
  #open(): boolean {
    this.#ensureFresh();
    if (this.#results.get_n_items() === 0) return false;
    if (this.#popover.visible) return true;
    this.#popover.set_size_request(this.get_width(), -1);
    // Rows are made only for results someone can see.
    this.#listView.set_model(this.#selection);
    this.#popover.popup();
    return true;
  }

  #close(): void {
    if (this.#popover.visible) this.#popover.popdown();
  }

  #moveHighlight(step: number): void {
    const count = this.#results.get_n_items();
    if (count === 0) return;
    const current = this.#selection.selected;
    const from = current === Gtk.INVALID_LIST_POSITION ? -1 : current;
    const position = Math.min(count - 1, Math.max(0, from + step));
    this.#selection.selected = position;
    this.#listView.scroll_to(position, Gtk.ListScrollFlags.NONE, null);
    this.#announceHighlighted();
  }

  /**
   * Focus stays in the entry, so a screen reader would not follow the highlight through
   * the list; the entry announces the highlighted row instead.
   */
  #announceHighlighted(): void {
    const item = this.#selection.selected_item as T | null;
    if (!item) return;
    const description = this.#itemDescription?.(item);
    const text = this.#itemText(item);
    this.#entry.announce(
      description ? `${text}, ${description}` : text,
      Gtk.AccessibleAnnouncementPriority.MEDIUM,
    );
  }

  #pick(item: T): void {
    this.text = this.#itemText(item);
    this.#entry.set_position(-1);
    this.#setSelectedItem(item);
    this.#close();
    this.emit('activated', item);
  }

  #setSelectedItem(item: T | null): void {
    if (item === this.#selectedItem) return;
    this.#selectedItem = item;
    this.notify('selected-item');
  }
}

function samePositions(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((position, i) => position === b[i]);
}
