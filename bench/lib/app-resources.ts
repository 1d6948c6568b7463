import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import { exit } from 'system';

/**
 * Registers the built app's GResources from `resourceDir`, as the app's launcher does,
 * before any class with a template is made. Ends the script when there are none.
 */
export function registerAppResources(resourceDir: string, script: string): void {
  let registered = 0;
  const resources = Gio.File.new_for_path(resourceDir).enumerate_children(
    'standard::name',
    Gio.FileQueryInfoFlags.NONE,
    null,
  );
  for (let info = resources.next_file(null); info; info = resources.next_file(null)) {
    if (!info.get_name().endsWith('.gresource')) continue;
    Gio.Resource.load(GLib.build_filenamev([resourceDir, info.get_name()]))._register();
    registered++;
  }
  if (registered === 0) {
    printerr(`${script}: no .gresource in ${resourceDir}; build the app first`);
    exit(1);
  }
}
