import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Adw from 'gi://Adw';

export const APP_ID = 'io.github.paddock.Paddock';

export class PaddockApplication extends Adw.Application {
  static {
    GObject.registerClass(this);
  }

  constructor(readonly version: string) {
    super({ application_id: APP_ID, flags: Gio.ApplicationFlags.DEFAULT_FLAGS });
  }

  override vfunc_activate(): void {
    const window = this.get_active_window() ?? new Adw.ApplicationWindow({ application: this });
    window.present();
  }
}
