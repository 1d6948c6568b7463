import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import { errorText } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';
import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { PaddockConnectionDialog } from './connection-dialog.js';
import { setAccessibleName } from './accessible-name.js';
import { inBackground } from '../util/background.js';

/** One server in the connections list: test it, or open it to edit, make default or remove. */
export class PaddockConnectionRow extends Adw.ActionRow {
  static {
    GObject.registerClass({ GTypeName: 'PaddockConnectionRow' }, this);
  }

  private readonly defaultLabel = new Gtk.Label({
    label: _('Default'),
    valign: Gtk.Align.CENTER,
    css_classes: ['default-pill', 'caption-heading'],
  });
  private readonly spinner = new Adw.Spinner({ visible: false });
  private readonly testButton = new Gtk.Button({
    label: _('Test'),
    valign: Gtk.Align.CENTER,
  });
  private readonly editButton = new Gtk.Button({
    icon_name: 'document-edit-symbolic',
    valign: Gtk.Align.CENTER,
    tooltip_text: _('Edit'),
    css_classes: ['flat'],
  });
  private result: string | null = null;
  private testing: Gio.Cancellable | null = null;

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly item: ConnectionItem,
  ) {
    // Names and addresses are the user's text, not markup.
    super({ use_markup: false, subtitle_lines: 0 });

    this.add_suffix(this.defaultLabel);
    this.add_suffix(this.spinner);
    this.add_suffix(this.testButton);
    this.testButton.connect('clicked', () => inBackground(this.test(), 'testing a connection'));

    this.add_suffix(this.editButton);
    this.editButton.connect('clicked', () => this.edit());
    this.activatable_widget = this.editButton;

    for (const property of ['name', 'url', 'is-default'])
      item.connect(`notify::${property}`, () => this.update());
    this.update();
  }

  private edit(): void {
    new PaddockConnectionDialog(this.paddock, this.item).present(this);
  }

  private update(): void {
    this.title = this.item.name;
    this.subtitle = this.result ? `${this.item.url}\n${this.result}` : this.item.url;
    this.defaultLabel.visible = this.item.is_default;
    setAccessibleName(
      this.testButton,
      fillTemplate(_('Test Connection to {name}'), { name: this.item.name }),
    );
    setAccessibleName(this.editButton, fillTemplate(_('Edit {name}'), { name: this.item.name }));
  }

  /** Asks the server for its version and shows what came back, or why nothing did. */
  private async test(): Promise<void> {
    this.testing?.cancel();
    const cancellable = new Gio.Cancellable();
    this.testing = cancellable;
    this.spinner.visible = true;
    this.testButton.sensitive = false;
    this.remove_css_class('connection-failed');
    try {
      const client = await this.paddock.clients.clientFor(this.item.id);
      const version = await client.version(cancellable);
      this.result = fillTemplate(_('Connected: Ollama {version}'), { version });
    } catch (error) {
      if (cancellable.is_cancelled()) return;
      this.result = errorText(error);
      this.add_css_class('connection-failed');
    } finally {
      if (this.testing === cancellable) {
        this.spinner.visible = false;
        this.testButton.sensitive = true;
        this.testing = null;
      }
    }
    this.update();
  }
}
