// Measures how long the Add Model dialog takes to open with a cached catalog, next to a
// bare Adw.Dialog with one label, in one process: each from `new` to the first frame
// that shows it, and (Add Model) to the first frame that shows its search entry.
//   gjs -m dialog-open.js RESOURCE_DIR WORK_DIR CATALOG_URL OLLAMA_URL   → one JSON line
// RESOURCE_DIR: the built app's GResources (<prefix>/share/io.github.paddock.Paddock).
// WORK_DIR: holds models.cache.json, fresh and from CATALOG_URL (which is never asked);
// connections go to WORK_DIR/config. OLLAMA_URL answers GET /api/tags. Needs a display.
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Adw from 'gi://Adw';
import Gtk from 'gi://Gtk?version=4.0';
import System, { exit, programArgs } from 'system';

import type { PaddockApplication } from '../../src/application.js';
import { AvailableModels } from '../../src/catalog/available-models.js';
import { ClientPool } from '../../src/config/client-pool.js';
import { ConnectionStore } from '../../src/config/connection-store.js';
import { MemorySecretStore } from '../../src/config/memory-secret-store.js';
import { PaddockSearchablePulldown } from '../../src/ui/searchable-pulldown.js';
import { registerAppResources } from '../lib/app-resources.js';

const RESOURCE_BASE_PATH = '/io/github/paddock/Paddock';
const READY_TIMEOUT_MS = 10_000;
/** Between two openings: the close animation ends, the heap is collected. */
const SETTLE_MS = 400;

interface Opening {
  /** `new` to the first frame painted with the dialog's content in it. */
  firstFrameMs: number;
  /** `new` to the first frame painted with everything it opens with. */
  readyMs: number;
}

const [resourceDir, workDir, catalogUrl, ollamaUrl] = programArgs;
if (!resourceDir || !workDir || !catalogUrl || !ollamaUrl) {
  printerr('usage: dialog-open.js RESOURCE_DIR WORK_DIR CATALOG_URL OLLAMA_URL');
  exit(2);
}

registerAppResources(resourceDir, 'dialog-open');

function pause(ms: number): Promise<void> {
  return new Promise((resolve) =>
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
      resolve();
      return GLib.SOURCE_REMOVE;
    }),
  );
}

function descendants(widget: Gtk.Widget): Gtk.Widget[] {
  const found: Gtk.Widget[] = [];
  for (let child = widget.get_first_child(); child; child = child.get_next_sibling())
    found.push(child, ...descendants(child));
  return found;
}

/** A widget of that class is on screen in the dialog. */
function showing(type: abstract new (...args: never[]) => Gtk.Widget) {
  return (dialog: Adw.Dialog): boolean =>
    descendants(dialog).some((widget) => widget instanceof type && widget.get_mapped());
}

/** The bare dialog's one label is on screen. */
function labelShown(dialog: Adw.Dialog): boolean {
  return dialog.child?.get_mapped() ?? false;
}

/**
 * Makes and presents a dialog, and times the first frame painted once `shown` holds
 * (its content is on screen) and the first once `ready` does; then closes it.
 */
async function open(
  window: Gtk.Window,
  make: () => Adw.Dialog,
  shown: (dialog: Adw.Dialog) => boolean,
  ready: (dialog: Adw.Dialog) => boolean,
): Promise<Opening> {
  System.gc();
  await pause(SETTLE_MS);
  const clock = window.get_frame_clock();
  if (!clock) throw new Error('the window has no frame clock');
  const start = GLib.get_monotonic_time();
  const dialog = make();
  dialog.present(window);
  const opening = await new Promise<Opening>((resolve, reject) => {
    let firstFrame = 0;
    const timeout = GLib.timeout_add(GLib.PRIORITY_DEFAULT, READY_TIMEOUT_MS, () => {
      clock.disconnect(handler);
      reject(new Error(`${dialog.constructor.name} was not ready within ${READY_TIMEOUT_MS} ms`));
      return GLib.SOURCE_REMOVE;
    });
    const handler = clock.connect('after-paint', () => {
      const now = GLib.get_monotonic_time();
      if (firstFrame === 0 && shown(dialog)) firstFrame = now;
      if (firstFrame === 0 || !ready(dialog)) return;
      clock.disconnect(handler);
      GLib.source_remove(timeout);
      resolve({ firstFrameMs: (firstFrame - start) / 1000, readyMs: (now - start) / 1000 });
    });
  });
  await new Promise<void>((resolve) => {
    dialog.connect('closed', () => resolve());
    dialog.force_close();
  });
  return opening;
}

function bareDialog(): Adw.Dialog {
  return new Adw.Dialog({
    title: 'Bare',
    content_width: 600,
    content_height: 680,
    child: new Gtk.Label({ label: 'A bare dialog with one label.' }),
  });
}

/** What the Add Model dialog asks of the app; the catalog loads on its first use. */
async function fakePaddock(): Promise<{
  paddock: PaddockApplication;
  catalog: () => Promise<AvailableModels>;
  /** How long the catalog took to load, from the first call of catalog(). */
  loadMs: () => number;
}> {
  const configDir = Gio.File.new_for_path(GLib.build_filenamev([workDir, 'config']));
  const connections = new ConnectionStore({
    configDir,
    secrets: new MemorySecretStore(),
    environment: (name) => (name === 'OLLAMA_HOST' ? ollamaUrl : null),
  });
  await connections.load();
  let loading: Promise<AvailableModels> | null = null;
  let loadUs = NaN;
  const catalog = () =>
    (loading ??= (async () => {
      const start = GLib.get_monotonic_time();
      const models = new AvailableModels({
        url: catalogUrl,
        cacheFile: Gio.File.new_for_path(GLib.build_filenamev([workDir, 'models.cache.json'])),
        bundled: () => Promise.resolve(null),
      });
      await models.load();
      loadUs = GLib.get_monotonic_time() - start;
      return models;
    })());
  const paddock = {
    connections,
    clients: new ClientPool(connections),
    catalog,
    pulls: { start: () => undefined },
  };
  return {
    paddock: paddock as unknown as PaddockApplication,
    catalog,
    loadMs: () => loadUs / 1000,
  };
}

async function measure(app: Adw.Application): Promise<object> {
  const window = new Adw.ApplicationWindow({
    application: app,
    title: 'Paddock',
    default_width: 1000,
    default_height: 760,
    content: new Adw.ToolbarView({
      content: new Adw.StatusPage({ title: 'Models', icon_name: 'folder-symbolic' }),
    }),
  });
  (window.content as Adw.ToolbarView).add_top_bar(new Adw.HeaderBar());
  window.present();
  // The app's modules are loaded at start-up, not when the dialog opens.
  const { PaddockAddModelDialog } = await import('../../src/ui/add-model-dialog.js');
  const { paddock, catalog, loadMs } = await fakePaddock();
  await pause(SETTLE_MS);

  // Nothing is picked while it opens: no size is asked about.
  const noAdvice = { advise: () => Promise.resolve(null), adviseFile: () => Promise.resolve(null) };
  const addModel = () => new PaddockAddModelDialog(paddock, noAdvice);
  const pageShown = showing(Adw.PreferencesPage);
  const searchShown = showing(PaddockSearchablePulldown);
  const bareFirst = await open(window, bareDialog, labelShown, labelShown);
  // The first opening reads the catalog from the cache file, as the app's first does.
  const addModelFirst = await open(window, addModel, pageShown, searchShown);
  const loaded = await catalog();
  if (loaded.source !== 'cache' || loaded.problem !== null)
    throw new Error(`the catalog came from ${loaded.source}: ${loaded.problem ?? 'no problem'}`);
  const bareAgain = await open(window, bareDialog, labelShown, labelShown);
  const addModelAgain = await open(window, addModel, pageShown, searchShown);
  window.destroy();
  return {
    catalogModels: loaded.get_n_items(),
    catalogLoadMs: loadMs(),
    bareFirst,
    addModelFirst,
    bareAgain,
    addModelAgain,
  };
}

const app = new Adw.Application({
  application_id: 'io.github.paddock.Paddock.DialogBench',
  flags: Gio.ApplicationFlags.NON_UNIQUE,
  // The app's style sheet and shortcuts, found where the app finds them.
  resource_base_path: RESOURCE_BASE_PATH,
});
let status = 0;
app.connect('activate', () => {
  app.hold();
  measure(app)
    .then(
      (result) => print(JSON.stringify(result)),
      (error: unknown) => {
        printerr(`dialog-open: ${error instanceof Error ? error.message : String(error)}`);
        status = 1;
      },
    )
    .finally(() => app.release());
});
app.run([]);
exit(status);
