import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import Pango from 'gi://Pango';
import { gettext as _ } from 'gettext';

import type { ServerLine, ServerStatus } from '../../library/library-lines.js';

/**
 * A server's heading in the library: its name, its address and totals, and, when its
 * models do not follow, why: being listed, could not be listed (with Retry), none
 * installed, or none matching the search. All of it the server's or the user's text, so
 * plain labels.
 */
export class PaddockServerHeading extends Gtk.Box {
  static {
    GObject.registerClass({ GTypeName: 'PaddockServerHeading' }, this);
  }

  /** The line shown; the list binds each server's heading to its current line. */
  line: ServerLine | null = null;
  private readonly title = new Gtk.Label({
    xalign: 0,
    ellipsize: Pango.EllipsizeMode.END,
    css_classes: ['heading'],
  });
  private readonly description = new Gtk.Label({
    xalign: 0,
    wrap: true,
    wrap_mode: Pango.WrapMode.WORD_CHAR,
    css_classes: ['dim-label', 'caption'],
  });
  private readonly status = new Gtk.Box({ spacing: 12, css_classes: ['library-status'] });
  private shownStatus: ServerStatus | null = null;

  constructor(
    name: string,
    private readonly retry: () => void,
  ) {
    super({ orientation: Gtk.Orientation.VERTICAL, spacing: 2, css_classes: ['library-heading'] });
    this.title.label = name;
    this.append(this.title);
    this.append(this.description);
    this.append(this.status);
  }

  /** Shows `line` under a description (address and totals). */
  bind(line: ServerLine, description: string): void {
    if (this.description.label !== description) this.description.label = description;
    if (line === this.line) return;
    this.line = line;
    if (line.status === this.shownStatus && line.status !== 'error') return;
    this.shownStatus = line.status;
    for (let child = this.status.get_first_child(); child; child = this.status.get_first_child())
      this.status.remove(child);
    this.status.visible = line.status !== 'models';
    if (line.status === 'loading') {
      this.status.append(new Adw.Spinner());
      this.status.append(this.statusLabel(_('Loading…')));
    } else if (line.status === 'empty') {
      this.status.append(this.statusLabel(_('No models installed yet')));
    } else if (line.status === 'no-match') {
      this.status.append(this.statusLabel(_('No installed model matches the search')));
    } else if (line.status === 'error') {
      this.status.append(new Gtk.Image({ icon_name: 'dialog-warning-symbolic' }));
      const texts = new Gtk.Box({
        orientation: Gtk.Orientation.VERTICAL,
        hexpand: true,
        valign: Gtk.Align.CENTER,
      });
      texts.append(this.statusLabel(_('Can’t list the models')));
      const reason = this.statusLabel(line.error ?? '');
      reason.add_css_class('dim-label');
      reason.add_css_class('caption');
      texts.append(reason);
      this.status.append(texts);
      const retry = new Gtk.Button({
        label: _('_Retry'),
        use_underline: true,
        valign: Gtk.Align.CENTER,
      });
      retry.connect('clicked', () => this.retry());
      this.status.append(retry);
    }
  }

  private statusLabel(text: string): Gtk.Label {
    return new Gtk.Label({
      label: text,
      use_markup: false,
      xalign: 0,
      hexpand: true,
      wrap: true,
      wrap_mode: Pango.WrapMode.WORD_CHAR,
    });
  }
}
