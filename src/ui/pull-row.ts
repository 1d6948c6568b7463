import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PullJob } from '../pulls/pull-job.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { fillTemplate } from '../util/text.js';
import { setAccessibleName } from './accessible-name.js';
import { connectObject, disconnectObject } from '../util/signals.js';

/** One pull: name, an honest bar, what is happening, and Pause/Resume/Cancel. */
export class PaddockPullRow extends Adw.PreferencesRow {
  static {
    GObject.registerClass({ GTypeName: 'PaddockPullRow' }, this);
  }

  private readonly nameLabel = new Gtk.Label({ xalign: 0, css_classes: ['heading'] });
  private readonly detail = new Gtk.Label({
    xalign: 0,
    wrap: true,
    css_classes: ['caption', 'dim-label'],
  });
  private readonly bar = new Gtk.ProgressBar({ valign: Gtk.Align.CENTER });
  private readonly pauseButton = iconButton('media-playback-pause-symbolic');
  private readonly resumeButton = iconButton('media-playback-start-symbolic');
  private readonly cancelButton = iconButton('process-stop-symbolic');
  private readonly dismissButton = iconButton('window-close-symbolic');

  constructor(
    pulls: PullManager,
    private readonly job: PullJob,
  ) {
    super({ activatable: false });
    const text = new Gtk.Box({ orientation: Gtk.Orientation.VERTICAL, spacing: 2, hexpand: true });
    text.append(this.nameLabel);
    text.append(this.detail);
    const top = new Gtk.Box({ spacing: 6 });
    top.append(text);
    for (const button of [
      this.pauseButton,
      this.resumeButton,
      this.cancelButton,
      this.dismissButton,
    ])
      top.append(button);
    const box = new Gtk.Box({
      orientation: Gtk.Orientation.VERTICAL,
      spacing: 8,
      margin_top: 10,
      margin_bottom: 12,
      margin_start: 12,
      margin_end: 12,
    });
    box.append(top);
    box.append(this.bar);
    this.child = box;

    this.pauseButton.connect('clicked', () => pulls.pause(job.id));
    this.resumeButton.connect('clicked', () => pulls.resume(job.id));
    this.cancelButton.connect('clicked', () => pulls.cancel(job.id));
    this.dismissButton.connect('clicked', () => pulls.dismiss(job.id));
    const update = () => this.update();
    connectObject(this, job, {
      'notify::text': update,
      'notify::status': update,
      'notify::progress': update,
    });
    this.connect('unrealize', () => disconnectObject(this));
    this.update();
  }

  private update(): void {
    const job = this.job;
    const name = job.name;
    this.title = name;
    this.nameLabel.label = name;
    this.detail.label = [job.text, job.error, job.isLive ? job.restartLoss : null]
      .filter((line) => line)
      .join('\n');
    this.bar.fraction = job.progress;
    this.bar.visible = job.isLive || job.status === 'complete';
    const paused = job.status === 'paused';
    this.pauseButton.visible = job.isLive && !paused;
    this.resumeButton.visible = paused;
    this.cancelButton.visible = job.isLive;
    this.dismissButton.visible = !job.isLive;
    if (job.status === 'failed') this.add_css_class('pull-failed');
    else this.remove_css_class('pull-failed');
    setAccessibleName(this.pauseButton, fillTemplate(_('Pause {name}'), { name }));
    setAccessibleName(this.resumeButton, fillTemplate(_('Resume {name}'), { name }));
    setAccessibleName(this.cancelButton, fillTemplate(_('Cancel {name}'), { name }));
    setAccessibleName(this.dismissButton, fillTemplate(_('Dismiss {name}'), { name }));
    this.pauseButton.tooltip_text = _('Pause');
    this.resumeButton.tooltip_text = _('Resume');
    this.cancelButton.tooltip_text = _('Cancel');
    this.dismissButton.tooltip_text = _('Dismiss');
    this.bar.update_property(
      [Gtk.AccessibleProperty.LABEL],
      [fillTemplate(_('Progress of {name}'), { name })],
    );
  }
}

function iconButton(icon: string): Gtk.Button {
  return new Gtk.Button({
    icon_name: icon,
    valign: Gtk.Align.CENTER,
    css_classes: ['flat', 'circular'],
  });
}
