// The baseline: a bare libadwaita hello-world, an Adw.ApplicationWindow with a header bar
// and a label, the size of Paddock's window. Notes when the window is mapped and when its
// first frame is painted; then, as a floor for the library's keystrokes, types the same
// queries into a Gtk.SearchEntry over the label.
//   gjs -m bare-window.js WIDTH HEIGHT QUERY…   → one JSON line (times: ms since the epoch)
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { exit, programArgs } from 'system';

import {
  keystroke,
  nextPaint,
  pause,
  realTimeMs,
  typeQuery,
  untilQuiet,
} from '../lib/main-loop.js';

const [widthArg, heightArg, ...queries] = programArgs;

const app = new Adw.Application({
  application_id: 'io.github.paddock.BenchBareWindow',
  flags: Gio.ApplicationFlags.NON_UNIQUE,
});
const times: { mapMs?: number; paintMs?: number } = {};
let result: object | null = null;
let status = 0;

async function measure(window: Adw.ApplicationWindow): Promise<object> {
  while (times.paintMs === undefined) await nextPaint(window, 1000);
  // The floor of a keystroke: the entry's own drawing, nothing filtered.
  (Gtk.Settings.get_default() as Gtk.Settings).gtk_cursor_blink = false;
  const entry = new Gtk.SearchEntry();
  const box = new Gtk.Box({ orientation: Gtk.Orientation.VERTICAL });
  box.append(entry);
  box.append(new Gtk.Label({ label: 'Hello, world', vexpand: true }));
  const view = new Adw.ToolbarView({ content: box });
  view.add_top_bar(new Adw.HeaderBar());
  window.content = view;
  entry.grab_focus();
  await untilQuiet(300, 3, 20_000);
  const keystrokes: number[] = [];
  const clears: number[] = [];
  for (const query of queries) {
    keystrokes.push(...(await typeQuery(entry, window, query)));
    clears.push(await keystroke(entry, window, ''));
  }
  await pause(100);
  return { ...times, keystrokes, clears };
}

app.connect('activate', () => {
  const view = new Adw.ToolbarView({ content: new Gtk.Label({ label: 'Hello, world' }) });
  view.add_top_bar(new Adw.HeaderBar());
  const window = new Adw.ApplicationWindow({
    application: app,
    default_width: Number(widthArg),
    default_height: Number(heightArg),
    content: view,
  });
  window.connect('map', () => (times.mapMs ??= realTimeMs()));
  window.connect('realize', () => {
    const clock = window.get_frame_clock();
    const handler = clock?.connect('after-paint', () => {
      times.paintMs = realTimeMs();
      clock.disconnect(handler as number);
    });
  });
  window.present();
  app.hold();
  measure(window)
    .then(
      (value) => (result = value),
      (error: unknown) => {
        printerr(`bare-window: ${error instanceof Error ? error.message : String(error)}`);
        status = 1;
      },
    )
    .finally(() => {
      app.release();
      app.quit();
    });
});
const exitStatus = await app.runAsync([]);
if (result) print(JSON.stringify(result));
exit(status || exitStatus);
