import Adw from 'gi://Adw';
import type Gtk from 'gi://Gtk?version=4.0';
import { gettext as _ } from 'gettext';

/**
 * Asks before something is removed for good: Cancel (the default, also on Escape) or a
 * red Remove. Calls `remove` only on Remove. Heading and body are plain text.
 */
export function confirmRemoval(
  parent: Gtk.Widget,
  heading: string,
  body: string,
  remove: () => void,
): void {
  const alert = new Adw.AlertDialog({
    heading,
    body,
    close_response: 'cancel',
    default_response: 'cancel',
  });
  alert.add_response('cancel', _('_Cancel'));
  alert.add_response('remove', _('_Remove'));
  alert.set_response_appearance('remove', Adw.ResponseAppearance.DESTRUCTIVE);
  alert.connect('response', (_alert, response: string) => {
    if (response === 'remove') remove();
  });
  alert.present(parent);
}
