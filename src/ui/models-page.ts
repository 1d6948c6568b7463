import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import type { InstalledModel } from '../ollama/types.js';
import { OllamaError } from '../ollama/errors/ollama-error.js';
import { formatBytes } from '../util/format.js';

/** Preferences → Models: what each server has installed, one group per connection. */
export class PaddockModelsPage extends Adw.PreferencesPage {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockModelsPage',
        Template: 'resource:///io/github/paddock/Paddock/ui/models-page.ui',
      },
      this,
    );
  }

  private groups: Adw.PreferencesGroup[] = [];
  private loading = new Gio.Cancellable();

  constructor(private readonly paddock: PaddockApplication) {
    super();
    const changed = paddock.connections.connect('changed', () => this.reload());
    this.connect('destroy', () => {
      paddock.connections.disconnect(changed);
      this.loading.cancel();
    });
    this.reload();
  }

  protected on_refresh_clicked(): void {
    this.reload();
  }

  private reload(): void {
    this.loading.cancel();
    this.loading = new Gio.Cancellable();
    for (const group of this.groups) this.remove(group);
    this.groups = [];
    const model = this.paddock.connections.model;
    for (let i = 0; i < model.get_n_items(); i++) {
      const connection = model.get_item(i) as ConnectionItem;
      const group = new Adw.PreferencesGroup({
        title: GLib.markup_escape_text(connection.name, -1),
        description: GLib.markup_escape_text(connection.url, -1),
      });
      this.add(group);
      this.groups.push(group);
      void this.fill(group, connection, this.loading);
    }
  }

  private async fill(
    group: Adw.PreferencesGroup,
    connection: ConnectionItem,
    cancellable: Gio.Cancellable,
  ): Promise<void> {
    const spinnerRow = new Adw.ActionRow({ title: _('Loading…') });
    spinnerRow.add_suffix(new Adw.Spinner());
    group.add(spinnerRow);
    try {
      const client = await this.paddock.clients.clientFor(connection.id);
      const models = await client.tags(cancellable);
      group.remove(spinnerRow);
      if (models.length === 0)
        group.add(new Adw.ActionRow({ title: _('No models installed yet'), sensitive: false }));
      for (const model of models) group.add(this.modelRow(model));
    } catch (error) {
      if (cancellable.is_cancelled()) return;
      group.remove(spinnerRow);
      const row = new Adw.ActionRow({
        title: _('Can’t list the models'),
        subtitle: error instanceof OllamaError ? error.message : String(error),
        use_markup: false,
        subtitle_lines: 0,
      });
      row.add_prefix(new Gtk.Image({ icon_name: 'dialog-warning-symbolic' }));
      const retry = new Gtk.Button({
        label: _('_Retry'),
        use_underline: true,
        valign: Gtk.Align.CENTER,
      });
      retry.connect('clicked', () => {
        group.remove(row);
        void this.fill(group, connection, cancellable);
      });
      row.add_suffix(retry);
      group.add(row);
    }
  }

  private modelRow(model: InstalledModel): Adw.ActionRow {
    const details = model.details;
    const facts = [
      details?.parameter_size,
      details?.quantization_level,
      details?.family,
      formatBytes(model.size),
    ].filter((fact): fact is string => Boolean(fact));
    return new Adw.ActionRow({
      title: model.name,
      subtitle: facts.join(' · '),
      use_markup: false,
    });
  }
}
