import GLib from 'gi://GLib';

/**
 * The rule for text Paddock did not write (model names and details, catalog entries,
 * server messages, connection names and addresses): it is never read as Pango markup.
 * Widgets with a use-markup switch get it off wherever such text goes (Adw rows, combo
 * rows showing their selection, banners, toasts), and off before the text is set: a row
 * constructed with both may parse its text first. The few that always read markup (the
 * title and description of Adw.PreferencesGroup, the description of Adw.StatusPage) get
 * the text through escapeMarkup(). Gtk.Label, Adw.AlertDialog and notifications show
 * plain text unless told otherwise, and are never told.
 */
export function escapeMarkup(text: string): string {
  return GLib.markup_escape_text(text, -1);
}
