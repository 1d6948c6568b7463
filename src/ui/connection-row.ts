import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { OllamaError } from '../ollama/errors/ollama-error.js';
import { PaddockConnectionDialog } from './connection-dialog.js';

/** One server in the connections list: test it, make it the default, edit or remove it. */
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
  private readonly actions = new Gio.SimpleActionGroup();
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
    this.testButton.connect('clicked', () => void this.test());

    const menu = new Gio.Menu();
    menu.append(_('Make _Default'), 'connection.make-default');
    menu.append(_('_Edit…'), 'connection.edit');
    menu.append(_('_Remove…'), 'connection.remove');
    const menuButton = new Gtk.MenuButton({
      icon_name: 'view-more-symbolic',
      valign: Gtk.Align.CENTER,
      menu_model: menu,
      css_classes: ['flat'],
    });
    this.add_suffix(menuButton);

    this.addAction('make-default', () => void this.paddock.connections.setDefault(item.id));
    this.addAction('edit', () => new PaddockConnectionDialog(paddock, item).present(this));
    this.addAction('remove', () => this.confirmRemove());
    this.insert_action_group('connection', this.actions);

    this.set_activatable_widget(null);
    this.activatable = true;
    this.connect('activated', () => new PaddockConnectionDialog(paddock, item).present(this));

    for (const property of ['name', 'url', 'is-default'])
      item.connect(`notify::${property}`, () => this.update());
    this.update();
    menuButton.update_property([Gtk.AccessibleProperty.LABEL], [_('More Options')]);
  }

  private addAction(name: string, activate: () => void): void {
    const action = new Gio.SimpleAction({ name });
    action.connect('activate', activate);
    this.actions.add_action(action);
  }

  private update(): void {
    this.title = this.item.name;
    this.subtitle = this.result ? `${this.item.url}\n${this.result}` : this.item.url;
    this.defaultLabel.visible = this.item.is_default;
    (this.actions.lookup_action('make-default') as Gio.SimpleAction).enabled =
      !this.item.is_default;
    this.testButton.update_property(
      [Gtk.AccessibleProperty.LABEL],
      [_('Test Connection to %s').replace('%s', this.item.name)],
    );
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
      this.result = _('Connected: Ollama %s').replace('%s', version);
    } catch (error) {
      if (cancellable.is_cancelled()) return;
      this.result = error instanceof OllamaError ? error.message : String(error);
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

  private confirmRemove(): void {
    const dialog = new Adw.AlertDialog({
      heading: _('Remove “%s”?').replace('%s', this.item.name),
      body: _(
        'Paddock forgets this server and its API key. The models on the server are not touched.',
      ),
      close_response: 'cancel',
      default_response: 'cancel',
    });
    dialog.add_response('cancel', _('_Cancel'));
    dialog.add_response('remove', _('_Remove'));
    dialog.set_response_appearance('remove', Adw.ResponseAppearance.DESTRUCTIVE);
    dialog.connect('response', (_dialog, response: string) => {
      if (response === 'remove')
        this.paddock.connections.remove(this.item.id).catch((error: unknown) => {
          const window = this.get_root();
          if (window instanceof Adw.PreferencesDialog)
            window.add_toast(new Adw.Toast({ title: String(error) }));
        });
    });
    dialog.present(this);
  }
}
