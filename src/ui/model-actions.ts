import type Gio from 'gi://Gio';
import Gdk from 'gi://Gdk?version=4.0';
import type Gtk from 'gi://Gtk?version=4.0';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { ConnectionItem } from '../config/connection-item.js';
import type { InstalledModel } from '../ollama/types.js';
import { inBackground } from '../util/background.js';
import { errorText } from '../util/errors.js';
import { fillTemplate, formatBytes } from '../util/text.js';
import { confirmRemoval } from './confirm-removal.js';

/** What the views do with an installed model: the same from a row, a menu or its details. */

/** Pulls the model again: a newer version if the registry has one. */
export function updateModel(
  paddock: PaddockApplication,
  connection: ConnectionItem,
  model: InstalledModel,
  toast: (title: string) => void,
): void {
  paddock.pulls.start(connection.id, model.name);
  toast(fillTemplate(_('Updating {name}…'), { name: model.name }));
}

export function copyModelName(model: InstalledModel, toast: (title: string) => void): void {
  Gdk.Display.get_default()?.get_clipboard().set(model.name);
  toast(fillTemplate(_('Copied “{name}”'), { name: model.name }));
}

/** What a view does while a removal it asked for runs. */
export interface RemovalSteps {
  /** Confirmed: the request is under way. */
  started?(): void;
  removed?(): void;
  failed?(): void;
}

/**
 * Asks first, then removes the model from its server and lists the server again. A
 * failure is said in a toast.
 */
export function removeModel(
  paddock: PaddockApplication,
  connection: ConnectionItem,
  model: InstalledModel,
  parent: Gtk.Widget,
  toast: (title: string) => void,
  cancellable: Gio.Cancellable,
  steps: RemovalSteps = {},
): void {
  confirmRemoval(
    parent,
    fillTemplate(_('Remove {name}?'), { name: model.name }),
    fillTemplate(
      _('The model is deleted from {server}, which frees {size}. You can download it again later.'),
      { server: connection.name, size: formatBytes(model.size) },
    ),
    () => {
      steps.started?.();
      inBackground(
        (async () => {
          try {
            const client = await paddock.clients.clientFor(connection.id);
            await client.delete(model.name, cancellable);
          } catch (error) {
            steps.failed?.();
            if (!cancellable.is_cancelled()) toast(errorText(error));
            return;
          }
          toast(fillTemplate(_('Removed {name}'), { name: model.name }));
          steps.removed?.();
          await paddock.library.modelsChanged(connection.id);
        })(),
        'removing a model',
      );
    },
  );
}
