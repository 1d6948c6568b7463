import GObject from 'gi://GObject';
import Gdk from 'gi://Gdk?version=4.0';
import Graphene from 'gi://Graphene';
import Gsk from 'gi://Gsk';
import Gtk from 'gi://Gtk?version=4.0';

import type { LibraryLine, ModelLine, ServerLine } from '../../library/library-lines.js';
import { PaddockLibraryRow, type LibraryRowActions, type RowContent } from './library-row.js';

/** What the list asks its view for. */
export interface LibraryListView extends LibraryRowActions {
  /** What a model's row shows now. */
  rowContent(line: ModelLine): RowContent;
  /** The widget of a server's heading, bound to `line` (made once per server by the view). */
  heading(line: ServerLine): Gtk.Widget;
}

/** A property of Gtk.Scrollable, which the list implements. */
function overridden(name: string): GObject.ParamSpec {
  // GJS has ParamSpec.override; its type declarations do not.
  const paramSpec = GObject.ParamSpec as unknown as {
    override(name: string, iface: unknown): GObject.ParamSpec;
  };
  return paramSpec.override(name, Gtk.Scrollable);
}

/**
 * The library as one scrollable list: each server's heading, its models, and a footer.
 * Only the lines on screen have widgets: a few rows, bound again to whichever models come
 * into view, and the servers' headings, so that neither a thousand models nor a keystroke
 * of the search makes or lays out more than a screenful. Every model row is the same
 * height; headings are measured.
 *
 * Keyboard: Up and Down (and Tab, through a row's buttons) move from line to line,
 * Page Up / Page Down by a screen, Home and End to the first and last; Enter or a click
 * opens a model's details.
 */
export class PaddockLibraryList extends Gtk.Widget {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockLibraryList',
        CssName: 'list',
        Implements: [Gtk.Scrollable],
        Properties: {
          hadjustment: overridden('hadjustment'),
          vadjustment: overridden('vadjustment'),
          'hscroll-policy': overridden('hscroll-policy'),
          'vscroll-policy': overridden('vscroll-policy'),
        },
      },
      this,
    );
  }

  #lines: readonly LibraryLine[] = [];
  /** Where each line starts, and (last) the end of the footer. */
  #offsets: number[] = [0];
  #rowHeight = 0;
  readonly #rows: PaddockLibraryRow[] = [];
  readonly #headings = new Set<Gtk.Widget>();
  /** The heading widget of each server line, as the view gave them for the lines shown. */
  #headingOfLine = new Map<ServerLine, Gtk.Widget>();
  /** What the offsets were worked out for. */
  #laidOut: { lines: readonly LibraryLine[]; width: number } | null = null;
  /** Bumped when what rows show changes (states, the selection), per server or all. */
  #version = 0;
  readonly #serverVersions = new Map<string, number>();
  /** The line the keyboard was last on. */
  #cursor: LibraryLine | null = null;
  // Gtk.Scrollable's properties are set while GObject constructs the list, before class
  // fields exist: they are declared, not initialised.
  declare private horizontal: Gtk.Adjustment | undefined;
  declare private vertical: Gtk.Adjustment | undefined;
  declare private verticalHandler: number | undefined;
  declare private horizontalPolicy: Gtk.ScrollablePolicy | undefined;
  declare private verticalPolicy: Gtk.ScrollablePolicy | undefined;
  #configuring = false;

  constructor(
    private readonly view: LibraryListView,
    private readonly footer: Gtk.Widget,
  ) {
    super({
      accessible_role: Gtk.AccessibleRole.LIST,
      overflow: Gtk.Overflow.HIDDEN,
      css_classes: ['navigation-sidebar', 'library-list'],
    });
    footer.set_parent(this);
    this.#newRow();
    const keys = new Gtk.EventControllerKey();
    keys.connect('key-pressed', (_keys, keyval: number, _code: number, state: Gdk.ModifierType) =>
      this.#keyPressed(keyval, state),
    );
    this.add_controller(keys);
  }

  /** Shows these lines, keeping the rows of lines still shown as they are. */
  setLines(lines: readonly LibraryLine[]): void {
    const focusedRow = this.get_focus_child();
    const focused = focusedRow instanceof PaddockLibraryRow ? focusedRow.line : null;
    const before = focused ? this.#lines.indexOf(focused) : -1;
    this.#lines = lines;
    // A heading keeps its line (and widget) while its server's state does.
    const headings = new Map<ServerLine, Gtk.Widget>();
    for (const line of lines)
      if (line.kind === 'server')
        headings.set(line, this.#headingOfLine.get(line) ?? this.view.heading(line));
    this.#headingOfLine = headings;
    const shown = new Set(headings.values());
    for (const heading of this.#headings)
      if (!shown.has(heading)) {
        heading.unparent();
        this.#headings.delete(heading);
      }
    const width = this.get_width();
    let moved = true;
    if (width > 0) {
      // Rows are bound and the scroll bar told now, before the frame lays the list out:
      // texts and a scroll bar changed during the layout would have GTK lay the window
      // out again.
      this.#layOut(width);
      const height = this.get_height();
      this.#configure(width, height);
      const top = this.#top(height);
      const shownBefore = new Set<Gtk.Widget>();
      for (let child = this.get_first_child(); child; child = child.get_next_sibling())
        if (child.get_child_visible()) shownBefore.add(child);
      moved = !this.#placedAsBefore(this.#assign(top, height), top, shownBefore);
    }
    // The list asks for the same size whatever it holds: only its lines move, if any.
    if (moved) this.queue_allocate();
    // A focused model the search hides (or a refresh replaced) leaves the focus to the
    // model now in its place.
    if (focused && !lines.includes(focused)) {
      const same = lines.findIndex(
        (line) =>
          line.kind === 'model' &&
          line.connectionId === focused.connectionId &&
          line.model.name === focused.model.name,
      );
      let to = same >= 0 ? same : this.#modelIndex(Math.min(before, lines.length - 1), 1);
      if (to < 0) to = this.#modelIndex(lines.length - 1, -1);
      if (to >= 0) this.#focusLine(to, Gtk.DirectionType.TAB_FORWARD);
      else this.#focusFooter(Gtk.DirectionType.TAB_FORWARD);
    }
  }

  /** What the rows of that server (every server: null) show changed: they are bound again. */
  contentChanged(connectionId: string | null = null): void {
    if (connectionId === null) this.#version++;
    else this.#serverVersions.set(connectionId, (this.#serverVersions.get(connectionId) ?? 0) + 1);
    this.queue_allocate();
  }

  /** The models listed (those the search leaves), all servers together. */
  get modelCount(): number {
    return this.#lines.reduce((count, line) => count + (line.kind === 'model' ? 1 : 0), 0);
  }

  /** The row showing that model, if one does. */
  rowOf(line: ModelLine): PaddockLibraryRow | null {
    return this.#rows.find((row) => row.line === line) ?? null;
  }

  get hadjustment(): Gtk.Adjustment {
    this.horizontal ??= new Gtk.Adjustment();
    return this.horizontal;
  }

  // The scrolled window sets its own adjustments, and none (null) when it lets go.
  set hadjustment(adjustment: Gtk.Adjustment | null) {
    this.horizontal = adjustment ?? new Gtk.Adjustment();
    this.notify('hadjustment');
  }

  get vadjustment(): Gtk.Adjustment {
    this.vertical ??= new Gtk.Adjustment();
    return this.vertical;
  }

  set vadjustment(adjustment: Gtk.Adjustment | null) {
    if (this.vertical && this.verticalHandler) this.vertical.disconnect(this.verticalHandler);
    this.vertical = adjustment ?? new Gtk.Adjustment();
    this.verticalHandler = this.vertical.connect('value-changed', () => {
      if (!this.#configuring) this.queue_allocate();
    });
    this.notify('vadjustment');
    this.queue_allocate();
  }

  get hscroll_policy(): Gtk.ScrollablePolicy {
    return this.horizontalPolicy ?? Gtk.ScrollablePolicy.MINIMUM;
  }

  set hscroll_policy(policy: Gtk.ScrollablePolicy) {
    this.horizontalPolicy = policy;
    this.notify('hscroll-policy');
  }

  get vscroll_policy(): Gtk.ScrollablePolicy {
    return this.verticalPolicy ?? Gtk.ScrollablePolicy.MINIMUM;
  }

  set vscroll_policy(policy: Gtk.ScrollablePolicy) {
    this.verticalPolicy = policy;
    this.notify('vscroll-policy');
  }

  override vfunc_dispose(): void {
    for (let child = this.get_first_child(); child; child = this.get_first_child())
      child.unparent();
    super.vfunc_dispose();
  }

  override vfunc_measure(
    orientation: Gtk.Orientation,
    forSize: number,
  ): [number, number, number, number] {
    const row = this.#rows[0];
    const [rowMinimum, rowNatural] = row.measure(orientation, forSize);
    const [footerMinimum, footerNatural] = this.footer.measure(orientation, forSize);
    if (orientation === Gtk.Orientation.HORIZONTAL)
      return [Math.max(rowMinimum, footerMinimum), Math.max(rowNatural, footerNatural), -1, -1];
    // Scrolled: a screenful is asked, not the whole list.
    return [rowMinimum, rowNatural * 8, -1, -1];
  }

  override vfunc_size_allocate(width: number, height: number): void {
    this.#layOut(width);
    this.#configure(width, height);
    const top = this.#top(height);
    for (const [widget, index] of this.#assign(top, height)) {
      const transform = new Gsk.Transform().translate(
        new Graphene.Point({ x: 0, y: this.#offsets[index] - top }),
      );
      // Measured as GTK wants before an allocation; all but a rebound row's are cached.
      widget.measure(Gtk.Orientation.VERTICAL, width);
      widget.allocate(width, this.#offsets[index + 1] - this.#offsets[index], -1, transform);
    }
  }

  /** Tells the scroll bars how long the list is and where it is scrolled to. */
  #configure(width: number, height: number): void {
    const total = Math.max(this.#offsets[this.#offsets.length - 1], height);
    const vertical = this.vadjustment;
    const top = this.#top(height);
    this.#configuring = true;
    if (
      vertical.value !== top ||
      vertical.upper !== total ||
      vertical.page_size !== height ||
      vertical.step_increment !== this.#rowHeight
    )
      vertical.configure(top, 0, total, this.#rowHeight, height * 0.9, height);
    if (this.hadjustment.page_size !== width)
      this.hadjustment.configure(0, 0, width, width * 0.1, width * 0.9, width);
    this.#configuring = false;
  }

  /** Whether these widgets go where the last allocation put them (then none moves). */
  #placedAsBefore(
    assigned: Map<Gtk.Widget, number>,
    top: number,
    shownBefore: ReadonlySet<Gtk.Widget>,
  ): boolean {
    if (assigned.size !== shownBefore.size) return false;
    for (const [widget, index] of assigned) {
      const { y, height } = widget.get_allocation();
      const lineHeight = this.#offsets[index + 1] - this.#offsets[index];
      if (!shownBefore.has(widget) || y !== this.#offsets[index] - top || height !== lineHeight)
        return false;
    }
    return true;
  }

  /** Where the view starts: the scroll position, within the list. */
  #top(height: number): number {
    const total = this.#offsets[this.#offsets.length - 1];
    return Math.max(0, Math.min(this.vadjustment.value, total - height));
  }

  /**
   * Measures rows and headings at `width`, and works out where each line starts; again
   * only when the lines, the width or a row's height changed.
   */
  #layOut(width: number): void {
    const rowHeight = this.#rows[0].measure(Gtk.Orientation.VERTICAL, width)[1];
    const laidOut = this.#laidOut;
    if (laidOut?.lines === this.#lines && laidOut.width === width && rowHeight === this.#rowHeight)
      return;
    this.#laidOut = { lines: this.#lines, width };
    this.#rowHeight = rowHeight;
    const offsets = new Array<number>(this.#lines.length + 2);
    let y = 0;
    offsets[0] = 0;
    this.#lines.forEach((line, index) => {
      y +=
        line.kind === 'model'
          ? rowHeight
          : this.#headingOf(line).measure(Gtk.Orientation.VERTICAL, width)[1];
      offsets[index + 1] = y;
    });
    offsets[this.#lines.length + 1] = y + this.footer.measure(Gtk.Orientation.VERTICAL, width)[1];
    this.#offsets = offsets;
  }

  /**
   * The widgets of the lines between `top` and `top + height`, by line index, bound to
   * their lines; the others are hidden. Rows whose model is still on screen keep it; the
   * others are free for the lines coming into view. The focused row keeps its model off
   * screen, as long as it is listed.
   */
  #assign(top: number, height: number): Map<Gtk.Widget, number> {
    const first = this.#lineAt(top);
    const last = this.#lineAt(top + height);
    const focused = this.#focusedLine();
    const shown = new Set<LibraryLine>();
    for (let index = first; index <= last && index < this.#lines.length; index++)
      shown.add(this.#lines[index]);
    const free: PaddockLibraryRow[] = [];
    const byLine = new Map<LibraryLine, PaddockLibraryRow>();
    for (const row of this.#rows) {
      if (
        row.line &&
        (shown.has(row.line) || (row.line === focused && this.#lines.includes(focused)))
      )
        byLine.set(row.line, row);
      else free.push(row);
    }
    const assigned = new Map<Gtk.Widget, number>();
    for (let index = first; index <= last && index < this.#lines.length; index++) {
      const line = this.#lines[index];
      if (line.kind === 'server') {
        assigned.set(this.#headingOf(line), index);
        continue;
      }
      const row = byLine.get(line) ?? free.pop() ?? this.#newRow();
      this.#bind(row, line);
      assigned.set(row, index);
    }
    for (const [line, row] of byLine)
      if (!assigned.has(row)) assigned.set(row, this.#lines.indexOf(line));
    if (last >= this.#lines.length) assigned.set(this.footer, this.#lines.length);
    // Spare rows, headings and the footer off screen are neither drawn nor measured.
    for (const widget of [...this.#rows, ...this.#headings, this.footer])
      widget.set_child_visible(assigned.has(widget));
    this.#order(assigned);
    return assigned;
  }

  /**
   * Puts the widgets on screen in the order of their lines among the list's children:
   * screen readers and Tab go by that order.
   */
  #order(assigned: Map<Gtk.Widget, number>): void {
    const ordered = [...assigned].sort(([, a], [, b]) => a - b).map(([widget]) => widget);
    let previous: Gtk.Widget | null = null;
    for (const widget of ordered) {
      const expected: Gtk.Widget | null = previous
        ? previous.get_next_sibling()
        : this.get_first_child();
      if (expected !== widget) widget.insert_after(this, previous);
      previous = widget;
    }
  }

  #bind(row: PaddockLibraryRow, line: ModelLine): void {
    const version = this.#version * 1_000_000 + (this.#serverVersions.get(line.connectionId) ?? 0);
    if (row.line === line && row.boundVersion === version) return;
    row.bind(line, this.view.rowContent(line));
    row.boundVersion = version;
  }

  #headingOf(line: ServerLine): Gtk.Widget {
    const heading = this.#headingOfLine.get(line) ?? this.view.heading(line);
    if (!this.#headings.has(heading)) {
      heading.insert_before(this, this.footer);
      this.#headings.add(heading);
    }
    return heading;
  }

  #newRow(): PaddockLibraryRow {
    const row = new PaddockLibraryRow(this.view);
    row.insert_before(this, this.footer);
    row.connect('notify::has-focus', () => {
      if (row.has_focus && row.line) this.#cursor = row.line;
    });
    this.#rows.push(row);
    return row;
  }

  /** The index of the line at height `y` (binary search over the offsets). */
  #lineAt(y: number): number {
    let low = 0;
    let high = this.#lines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#offsets[middle + 1] <= y) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The line whose widget has the focus, or holds it. */
  #focusedLine(): LibraryLine | null {
    const child = this.get_focus_child();
    if (!child) return null;
    if (child instanceof PaddockLibraryRow) return child.line;
    for (const [line, heading] of this.#headingOfLine) if (heading === child) return line;
    return null;
  }

  /** Whether the keyboard can stop on the line: a model, or a heading with a button. */
  #focusable(index: number): boolean {
    const line = this.#lines[index];
    if (!line) return false;
    return line.kind === 'model' || line.status === 'error';
  }

  /** The first focusable line from `index` on in `step`'s direction; -1 if none. */
  #focusableIndex(index: number, step: 1 | -1): number {
    for (let at = index; at >= 0 && at < this.#lines.length; at += step)
      if (this.#focusable(at)) return at;
    return -1;
  }

  /** The first model's line from `index` on in `step`'s direction; -1 if none. */
  #modelIndex(index: number, step: 1 | -1): number {
    for (let at = index; at >= 0 && at < this.#lines.length; at += step)
      if (this.#lines[at].kind === 'model') return at;
    return -1;
  }

  override vfunc_focus(direction: Gtk.DirectionType): boolean {
    const forward =
      direction === Gtk.DirectionType.TAB_FORWARD ||
      direction === Gtk.DirectionType.DOWN ||
      direction === Gtk.DirectionType.RIGHT;
    const step = forward ? 1 : -1;
    const child = this.get_focus_child();
    if (child === this.footer)
      return this.footer.child_focus(direction) || this.#fromFooter(direction);
    if (child) {
      // Tab goes through the row's (or heading's) own buttons first.
      const tab =
        direction === Gtk.DirectionType.TAB_FORWARD || direction === Gtk.DirectionType.TAB_BACKWARD;
      const sideways =
        direction === Gtk.DirectionType.LEFT || direction === Gtk.DirectionType.RIGHT;
      if ((tab || sideways) && child.child_focus(direction)) return true;
      if (sideways) return true;
      const line = this.#focusedLine();
      const from = line ? this.#lines.indexOf(line) : -1;
      const to = this.#focusableIndex(from + step, step);
      if (to >= 0) return this.#focusLine(to, direction);
      if (forward && direction === Gtk.DirectionType.TAB_FORWARD)
        return this.#focusFooter(direction);
      return false;
    }
    // Coming in: back to the line the keyboard was on, else the first (last) one.
    const cursor = this.#cursor ? this.#lines.indexOf(this.#cursor) : -1;
    if (!forward && direction === Gtk.DirectionType.TAB_BACKWARD && this.#focusFooter(direction))
      return true;
    const start =
      cursor >= 0 ? cursor : this.#focusableIndex(forward ? 0 : this.#lines.length - 1, step);
    // While every server is asked, the window's first focus goes elsewhere, not below.
    const listed = this.#lines.some((line) => line.kind === 'server' && line.status !== 'loading');
    if (start < 0) return listed && this.#focusFooter(direction);
    return this.#focusLine(start, direction);
  }

  /** Gives the keyboard to the first model (or heading with a button); false if none. */
  focusFirst(): boolean {
    const first = this.#focusableIndex(0, 1);
    return first >= 0 && this.#focusLine(first, Gtk.DirectionType.TAB_FORWARD);
  }

  #focusFooter(direction: Gtk.DirectionType): boolean {
    this.#scrollTo(this.#lines.length);
    this.footer.set_child_visible(true);
    return this.footer.child_focus(direction);
  }

  /** From the footer, Shift+Tab and Up go back to the last line. */
  #fromFooter(direction: Gtk.DirectionType): boolean {
    if (direction !== Gtk.DirectionType.TAB_BACKWARD && direction !== Gtk.DirectionType.UP)
      return false;
    const last = this.#focusableIndex(this.#lines.length - 1, -1);
    return last >= 0 && this.#focusLine(last, direction);
  }

  /** Scrolls line `index` into view and gives it the focus. */
  #focusLine(index: number, direction: Gtk.DirectionType): boolean {
    const line = this.#lines[index];
    if (!line) return false;
    this.#scrollTo(index);
    this.#cursor = line;
    if (line.kind === 'server') {
      const heading = this.#headingOf(line);
      heading.set_child_visible(true);
      return heading.child_focus(direction);
    }
    const row =
      this.rowOf(line) ??
      this.#rows.find((candidate) => !candidate.get_child_visible()) ??
      this.#newRow();
    this.#bind(row, line);
    row.set_child_visible(true);
    row.grab_focus();
    this.queue_allocate();
    return true;
  }

  /** Makes line `index` (the footer: the number of lines) wholly visible. */
  #scrollTo(index: number): void {
    const adjustment = this.vadjustment;
    const start = this.#offsets[index] ?? 0;
    const end = this.#offsets[index + 1] ?? start;
    const top = adjustment.value;
    const page = adjustment.page_size;
    if (start < top) adjustment.value = start;
    else if (end > top + page) adjustment.value = end - page;
  }

  #keyPressed(keyval: number, state: Gdk.ModifierType): boolean {
    if (keyval === Gdk.KEY_F10 && state & Gdk.ModifierType.SHIFT_MASK) keyval = Gdk.KEY_Menu;
    const line = this.#focusedLine();
    const index = line ? this.#lines.indexOf(line) : -1;
    const page = Math.max(
      1,
      Math.floor((this.vadjustment.page_size ?? 0) / Math.max(1, this.#rowHeight)) - 1,
    );
    let to: number;
    switch (keyval) {
      case Gdk.KEY_Home:
        to = this.#modelIndex(0, 1);
        break;
      case Gdk.KEY_End:
        to = this.#modelIndex(this.#lines.length - 1, -1);
        break;
      case Gdk.KEY_Page_Up:
        to = this.#modelIndex(Math.max(0, index - page), 1);
        break;
      case Gdk.KEY_Page_Down:
        to = this.#modelIndex(Math.min(this.#lines.length - 1, index + page), -1);
        break;
      case Gdk.KEY_Menu:
        if (line?.kind !== 'model') return false;
        this.rowOf(line)?.openMenu();
        return true;
      case Gdk.KEY_Return:
      case Gdk.KEY_KP_Enter:
      case Gdk.KEY_space:
        if (line?.kind !== 'model' || !this.get_focus_child()?.has_focus) return false;
        this.view.showDetails(line);
        return true;
      default:
        return false;
    }
    if (index < 0 || to < 0) return false;
    return this.#focusLine(to, Gtk.DirectionType.TAB_FORWARD);
  }
}
