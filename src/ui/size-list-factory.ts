import Gtk from 'gi://Gtk?version=4.0';
import Pango from 'gi://Pango';
import type Adw from 'gi://Adw';

import { connectObject, disconnectObject } from '../util/signals.js';
import type { PaddockSizeItem } from './size-item.js';

/** Lines wrap here rather than widen the popover past a phone's screen. */
const MAX_WIDTH_CHARS = 38;

const VERDICT_STYLES: Record<string, string> = {
  'fits-gpu': 'success',
  'partly-cpu': 'warning',
  'too-large': 'error',
};

interface ItemWidgets {
  title: Gtk.Label;
  facts: Gtk.Label;
  download: Gtk.Label;
  verdict: Gtk.Label;
  check: Gtk.Image;
}

/**
 * Opens the row's list leftwards from its arrow, into the dialog, rather than past the
 * window's right edge (libadwaita aligns it to the arrow's start). The popover is the
 * row's own, so it is looked up among its widgets; without one nothing changes.
 */
export function openListsLeftwards(row: Adw.ComboRow): void {
  const popover = findPopover(row);
  if (popover) popover.halign = Gtk.Align.END;
}

function findPopover(widget: Gtk.Widget): Gtk.Popover | null {
  for (let child = widget.get_first_child(); child; child = child.get_next_sibling()) {
    if (child instanceof Gtk.Popover) return child;
    const found = findPopover(child);
    if (found) return found;
  }
  return null;
}

/**
 * The popover list of Add Model's Size and Variant rows: each item on as many lines as
 * it needs (nothing cut off), its advice filled in when it arrives, a check mark on the
 * row's selected item, and the whole text as the item's accessible name.
 */
export function sizeListFactory(row: Adw.ComboRow): Gtk.ListItemFactory {
  const widgets = new WeakMap<Gtk.ListItem, ItemWidgets>();
  const factory = new Gtk.SignalListItemFactory();
  factory.connect('setup', (_factory, listItem: Gtk.ListItem) => {
    const label = (styles: string[]): Gtk.Label =>
      new Gtk.Label({
        xalign: 0,
        wrap: true,
        wrap_mode: Pango.WrapMode.WORD_CHAR,
        max_width_chars: MAX_WIDTH_CHARS,
        use_markup: false,
        css_classes: styles,
      });
    const item: ItemWidgets = {
      title: label([]),
      facts: label(['dim-label', 'caption']),
      download: label(['caption']),
      verdict: label(['caption']),
      check: new Gtk.Image({ icon_name: 'object-select-symbolic', valign: Gtk.Align.CENTER }),
    };
    const lines = new Gtk.Box({
      orientation: Gtk.Orientation.VERTICAL,
      spacing: 2,
      hexpand: true,
      valign: Gtk.Align.CENTER,
    });
    for (const line of [item.title, item.facts, item.download, item.verdict]) lines.append(line);
    const box = new Gtk.Box({ spacing: 12, margin_top: 4, margin_bottom: 4 });
    box.append(lines);
    box.append(item.check);
    listItem.child = box;
    widgets.set(listItem, item);
  });
  factory.connect('bind', (_factory, listItem: Gtk.ListItem) => {
    const item = listItem.item as PaddockSizeItem;
    const parts = widgets.get(listItem)!;
    const show = (): void => fill(listItem, item, parts);
    const mark = (): void => {
      parts.check.opacity = row.selected_item === item ? 1 : 0;
    };
    show();
    mark();
    connectObject(listItem, item, { 'notify::summary': show });
    connectObject(listItem, row, { 'notify::selected-item': mark });
  });
  factory.connect('unbind', (_factory, listItem: Gtk.ListItem) => disconnectObject(listItem));
  return factory;
}

function fill(listItem: Gtk.ListItem, item: PaddockSizeItem, parts: ItemWidgets): void {
  parts.title.label = item.title;
  parts.facts.label = item.facts;
  parts.facts.visible = item.facts !== '';
  parts.download.label = item.download;
  parts.download.visible = item.download !== '';
  parts.verdict.label = item.verdict;
  parts.verdict.visible = item.verdict !== '';
  parts.verdict.css_classes = ['caption', VERDICT_STYLES[item.advice?.kind ?? ''] ?? 'dim-label'];
  listItem.accessible_label = item.accessibleText;
}
