// Paddock itself (AppServices + PaddockApplication) with connections to SERVERS servers
// of MODELS models each. Notes when its window maps, paints its first frame, first paints
// model rows, and paints with every row built; then types QUERIES into the library's
// search letter by letter; then refreshes the library REFRESHES times, measuring the main
// thread's CPU each takes. The driver has written connections.json.
//   gjs -m library-window.js RESOURCE_DIR ROWS REFRESHES QUERY…   → one JSON line
// RESOURCE_DIR: the built app's GResources (<prefix>/share/io.github.paddock.Paddock).
// Times are ms since the epoch, as the driver's note of the process's start.
import GLib from 'gi://GLib';
import Gtk from 'gi://Gtk?version=4.0';
import { exit, programArgs } from 'system';

import type { PaddockApplication } from '../../src/application.js';
import { registerAppResources } from '../lib/app-resources.js';
import {
  keystroke,
  mainThreadCpuMs,
  nextPaint,
  pause,
  realTimeMs,
  typeQuery,
  untilQuiet,
} from '../lib/main-loop.js';

const APP_ID = 'io.github.paddock.Paddock';
const START_TIMEOUT_MS = 60_000;
/** The main loop is quiet when 500 ms pass with under 5 ms of work. */
const QUIET_MS = 500;
const QUIET_BUSY_MS = 5;

const [resourceDir, rowsArg, refreshesArg, ...queries] = programArgs;
const expectedRows = Number(rowsArg);
const refreshes = Number(refreshesArg);
if (!resourceDir || !(expectedRows > 0) || !(refreshes >= 0)) {
  printerr('usage: library-window.js RESOURCE_DIR ROWS REFRESHES QUERY…');
  exit(2);
}
registerAppResources(resourceDir, 'library-window');

// Imported only now: the classes with templates find them in the resources registered above.
const { AppServices } = await import('../../src/app-services.js');
const { PaddockApplication: Application } = await import('../../src/application.js');
const { PaddockLibraryList } = await import('../../src/ui/library/library-list.js');
const { PaddockLibraryRow } = await import('../../src/ui/library/library-row.js');

/** The window's library list, once made. */
function listIn(widget: Gtk.Widget): InstanceType<typeof PaddockLibraryList> | null {
  for (let child = widget.get_first_child(); child; child = child.get_next_sibling()) {
    if (child instanceof PaddockLibraryList) return child;
    const found = listIn(child);
    if (found) return found;
  }
  return null;
}

/**
 * The models the library lists (its rows are made only for those on screen), and whether
 * a model's row is on screen (mapped).
 */
function rowsIn(widget: Gtk.Widget): { rows: number; mapped: boolean } {
  const list = listIn(widget);
  if (!list) return { rows: 0, mapped: false };
  let mapped = false;
  for (let child = list.get_first_child(); child; child = child.get_next_sibling())
    mapped ||= child instanceof PaddockLibraryRow && child.get_mapped();
  return { rows: list.modelCount, mapped };
}

interface Times {
  mapMs?: number;
  paintMs?: number;
  /** The first frame with a model row on screen. */
  rowsPaintMs?: number;
  /** The first frame with every server's every model listed. */
  allRowsPaintMs?: number;
}
const times: Times = {};

/** Notes the window's frames until every row is in. */
function followFrames(window: Gtk.Window): void {
  window.connect('map', () => (times.mapMs ??= realTimeMs()));
  window.connect('realize', () => {
    const clock = window.get_frame_clock();
    if (!clock) return;
    const handler = clock.connect('after-paint', () => {
      const now = realTimeMs();
      times.paintMs ??= now;
      const { rows, mapped } = rowsIn(window);
      if (mapped) times.rowsPaintMs ??= now;
      if (mapped && rows >= expectedRows) {
        times.allRowsPaintMs = now;
        clock.disconnect(handler);
      }
    });
  });
}

async function measure(app: PaddockApplication): Promise<object> {
  await app.ready;
  if (app.loadProblem) throw new Error(`the app reports: ${app.loadProblem}`);
  const window = app.get_active_window();
  if (!window) throw new Error('no window');
  const deadline = GLib.get_monotonic_time() + START_TIMEOUT_MS * 1000;
  while (times.allRowsPaintMs === undefined) {
    if (GLib.get_monotonic_time() > deadline)
      throw new Error(`not every row within ${START_TIMEOUT_MS / 1000} s: ${rowsIn(window).rows}`);
    await nextPaint(window, 1000);
  }
  // Capabilities (/api/show, a model at a time) and badges come in after the rows.
  const settleMs = await untilQuiet(QUIET_MS, QUIET_BUSY_MS, 120_000);

  (Gtk.Settings.get_default() as Gtk.Settings).gtk_cursor_blink = false;
  app.activate_action('search-models', null);
  // Ctrl+F focuses the library's search entry; its search bar slides in.
  const entry = window.get_focus()?.get_ancestor(Gtk.SearchEntry.$gtype) as Gtk.SearchEntry | null;
  if (!entry) throw new Error('Ctrl+F focused no search entry');
  for (let frame = 0; frame < 120 && !entry.get_mapped(); frame++) await nextPaint(window, 100);
  await untilQuiet(QUIET_MS, QUIET_BUSY_MS, 20_000);
  const keystrokes: number[] = [];
  const clears: number[] = [];
  const shown: number[] = [];
  for (const query of queries) {
    keystrokes.push(...(await typeQuery(entry, window, query)));
    shown.push(visibleRows(window));
    clears.push(await keystroke(entry, window, ''));
  }
  if (visibleRows(window) !== expectedRows) throw new Error('a cleared search hides rows');
  app.activate_action('search-models', null);

  // What the main loop does when nothing happens, for as long as a refresh takes.
  await untilQuiet(QUIET_MS, QUIET_BUSY_MS, 20_000);
  const idleStart = mainThreadCpuMs();
  await pause(1000);
  const idlePerSecond = mainThreadCpuMs() - idleStart;
  const refreshMs: number[] = [];
  const refreshWallMs: number[] = [];
  const refreshQuietMs: number[] = [];
  for (let i = 0; i < refreshes; i++) {
    await untilQuiet(QUIET_MS, QUIET_BUSY_MS, 20_000);
    const start = mainThreadCpuMs();
    const startUs = GLib.get_monotonic_time();
    await app.library.refresh();
    refreshWallMs.push((GLib.get_monotonic_time() - startUs) / 1000);
    // What follows the answers (badges: /api/ps, the update cache) is the refresh's too.
    const quietMs = await untilQuiet(QUIET_MS, QUIET_BUSY_MS, 20_000);
    refreshQuietMs.push(quietMs);
    refreshMs.push(mainThreadCpuMs() - start);
  }
  if (rowsIn(window).rows !== expectedRows) throw new Error('rows went missing after refreshes');
  // The lists this start saved, for the driver's next ("warm") start.
  const cacheOut = GLib.getenv('PADDOCK_BENCH_CACHE_OUT');
  if (cacheOut) {
    await app.library.saveNow();
    const saved = GLib.build_filenamev([GLib.get_user_data_dir(), 'paddock', 'library.json']);
    GLib.file_set_contents(cacheOut, GLib.file_get_contents(saved)[1]);
  }
  return {
    ...times,
    settleMs,
    keystrokes,
    clears,
    shown,
    idlePerSecond,
    refreshMs,
    refreshWallMs,
    refreshQuietMs,
    versions: {
      gtk: `${Gtk.get_major_version()}.${Gtk.get_minor_version()}.${Gtk.get_micro_version()}`,
    },
  };
}

/** Models the search leaves listed. */
function visibleRows(widget: Gtk.Widget): number {
  return rowsIn(widget).rows;
}

const app = new Application(
  new AppServices({ version: 'bench', appId: APP_ID, profile: 'default' }),
);
app.connect('window-added', (_app: unknown, window: Gtk.Window) => followFrames(window));
let status = 0;
let result: object | null = null;
let started = false;
app.connect_after('activate', () => {
  if (started) return;
  started = true;
  app.hold();
  measure(app)
    .then(
      (value) => (result = value),
      (error: unknown) => {
        printerr(`library-window: ${error instanceof Error ? error.message : String(error)}`);
        status = 1;
      },
    )
    .finally(() => {
      app.release();
      app.activate_action('quit', null);
    });
});
const exitStatus = await app.runAsync([]);
if (result) print(JSON.stringify(result));
exit(status || exitStatus);
