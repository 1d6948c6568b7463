import Gtk from 'gi://Gtk?version=4.0';

/**
 * Gives a widget a fuller accessible name than its visible text ("Add" → "Add
 * Connection"). Buttons label themselves by their text through LABELLED_BY, which
 * outranks LABEL, so that relation goes first.
 */
export function setAccessibleName(widget: Gtk.Widget, name: string): void {
  widget.reset_relation(Gtk.AccessibleRelation.LABELLED_BY);
  widget.update_property([Gtk.AccessibleProperty.LABEL], [name]);
}
