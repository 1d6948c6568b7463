import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk?version=4.0';
import { gettext as _ } from 'gettext';

import type { ConnectionStore } from '../config/connection-store.js';
import type { PullJob } from '../pulls/pull-job.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { fillTemplate } from '../util/text.js';
import { inBackground } from '../util/background.js';

/** Something that can show a toast: the main window. */
interface ToastTarget extends Gtk.Window {
  addToast(title: string): void;
}

/**
 * What pulls mean for the desktop: a toast (window active) or a notification when one
 * ends, no suspend while any runs, and the app kept alive, in the background if its
 * window is closed, until they are done.
 */
export class PullNotifier {
  private inhibitCookie = 0;
  private holding = false;

  constructor(
    private readonly application: Gtk.Application,
    private readonly pulls: PullManager,
    private readonly connections: ConnectionStore,
  ) {
    pulls.connect('model-complete', (_manager, job: PullJob) =>
      this.tell(
        job,
        _('Download Complete'),
        fillTemplate(_('{name} is ready on {server}.'), {
          name: job.name,
          server: this.serverName(job),
        }),
        false,
      ),
    );
    pulls.connect('model-failed', (_manager, job: PullJob, message: string) =>
      this.tell(
        job,
        _('Download Failed'),
        fillTemplate(_('{name} could not be downloaded: {reason}'), {
          name: job.name,
          reason: message,
        }),
        true,
      ),
    );
    pulls.connect('changed', () => this.update());
  }

  /** The window is closing: say that pulls go on without it. */
  windowClosed(): void {
    if (this.activeCount() === 0) return;
    const notification = new Gio.Notification();
    notification.set_title(_('Downloads Continue in the Background'));
    notification.set_body(
      _('Paddock keeps downloading your models and tells you when they are done.'),
    );
    notification.set_default_action('app.show-models');
    this.application.send_notification('background', notification);
  }

  private activeCount(): number {
    return this.pulls.jobs.filter((job) =>
      ['queued', 'pulling', 'pending-retry'].includes(job.status),
    ).length;
  }

  private update(): void {
    const active = this.activeCount() > 0;
    if (active && !this.holding) {
      this.application.hold();
      this.holding = true;
    } else if (!active && this.holding) {
      this.holding = false;
      this.application.withdraw_notification('background');
      // A window-less app exits on release: first let loading.json lose the finished
      // pulls, and the last notification go out.
      inBackground(
        this.pulls.whenSaved().finally(() =>
          GLib.idle_add(GLib.PRIORITY_LOW, () => {
            this.application.release();
            return GLib.SOURCE_REMOVE;
          }),
        ),
        'saving the downloads before the app ends',
      );
    }
    const window = this.application.get_active_window();
    if (active && this.inhibitCookie === 0)
      this.inhibitCookie = this.application.inhibit(
        window,
        Gtk.ApplicationInhibitFlags.SUSPEND,
        _('Downloading models'),
      );
    else if (!active && this.inhibitCookie !== 0) {
      this.application.uninhibit(this.inhibitCookie);
      this.inhibitCookie = 0;
    }
  }

  private tell(job: PullJob, title: string, body: string, urgent: boolean): void {
    const window = this.application.get_active_window() as ToastTarget | null;
    if (window?.is_active && typeof window.addToast === 'function') {
      window.addToast(body);
      return;
    }
    const notification = new Gio.Notification();
    notification.set_title(title);
    notification.set_body(body);
    notification.set_priority(
      urgent ? Gio.NotificationPriority.HIGH : Gio.NotificationPriority.NORMAL,
    );
    notification.set_default_action('app.show-models');
    this.application.send_notification(`pull-${job.id}`, notification);
  }

  private serverName(job: PullJob): string {
    return this.connections.get(job.connectionId)?.name ?? job.connectionUrl;
  }
}
