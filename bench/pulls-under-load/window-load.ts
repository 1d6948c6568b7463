// Runs the real app (AppServices + PaddockApplication) with its window open, and measures
// how late a 1 ms GLib timeout fires and the CPU the process uses: with the window idle,
// with 8 pulls streaming at once, then the same two with the Models page open (a row per
// pull). The pulls go to OLLAMA_HOST, which must be the simulator, set up by the driver.
//   gjs -m window-load.js RESOURCE_DIR IDLE_MS TIMEOUT_MS MODELS…   → one JSON line
// RESOURCE_DIR: the built app's GResources (<prefix>/share/io.github.paddock.Paddock).
// MODELS: 16 names the simulator can pull: 8 for the window, 8 for the Models page.
// Needs a display, a session bus, GSETTINGS_SCHEMA_DIR and throwaway XDG folders.
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Adw from 'gi://Adw';
import Gtk from 'gi://Gtk?version=4.0';
import System, { exit, programArgs } from 'system';

import type { PaddockApplication } from '../../src/application.js';
import type { PullJob } from '../../src/pulls/pull-job.js';
import { registerAppResources } from '../lib/app-resources.js';

const APP_ID = 'io.github.paddock.Paddock';
const PULLS = 8;
const STALL_MS = 16;
/** Before each phase: requests, loading and animations are done. */
const SETTLE_MS = 2000;
const READY_TIMEOUT_MS = 20_000;
/** PADDOCK_BENCH_TRACE=1: each stall over 16 ms on stderr (next to JS_GC_PROFILE's lines). */
const TRACE = GLib.getenv('PADDOCK_BENCH_TRACE') === '1';

interface PhaseResult {
  phase: string;
  wallMs: number;
  /** Timeouts that fired. */
  ticks: number;
  /** How late each fired after the one before it, beyond its 1 ms. */
  maxLateMs: number;
  p99LateMs: number;
  /** Ticks more than 16 ms late: a frame missed at 60 Hz. */
  over16: number;
  /** Of the longest stall: the main thread's time on a CPU, and waiting for one. */
  maxLateRunMs: number;
  maxLateWaitMs: number;
  /** Milliseconds into the phase at which the longest stall ended. */
  maxAtMs: number;
  /** The main thread's time on a CPU between two ticks: the app's own share of a stall. */
  maxBusyMs: number;
  p99BusyMs: number;
  busyOver16: number;
  /** User + system time of the whole process (all threads), in % of one core. */
  cpuPercent: number;
  /** Calls of Gio.InputStream.read_bytes_async (the pulls read their streams with it). */
  readsPerSecond: number;
  /** A full garbage collection right after the phase, in ms: what the phase left. */
  gcAfterMs: number;
  /** Pulls only: the time until all were complete, and how many were. */
  pullsMs?: number;
  pullsComplete?: number;
}

const [resourceDir, idleArg, timeoutArg, ...models] = programArgs;
const idleMs = Number(idleArg);
const timeoutMs = Number(timeoutArg);
if (!resourceDir || !(idleMs > 0) || !(timeoutMs > 0) || models.length !== 3 * PULLS) {
  printerr(`usage: window-load.js RESOURCE_DIR IDLE_MS TIMEOUT_MS MODEL×${3 * PULLS}`);
  exit(2);
}

registerAppResources(resourceDir, 'window-load');

const clockTicks = (() => {
  const [, out] = GLib.spawn_command_line_sync('getconf CLK_TCK');
  const value = Number(new TextDecoder().decode(out ?? new Uint8Array()).trim());
  return value > 0 ? value : 100;
})();

/** utime + stime of this process, all threads, in ms (from /proc/self/stat). */
function cpuMs(): number {
  const [, bytes] = GLib.file_get_contents('/proc/self/stat');
  const text = new TextDecoder().decode(bytes);
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the line; the rest starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) =>
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
      resolve();
      return GLib.SOURCE_REMOVE;
    }),
  );
}

/** Until `condition` holds, checked whenever `source` signals; rejects after `ms`. */
function until(
  source: { connect(signal: string, callback: () => void): number; disconnect(id: number): void },
  signal: string,
  condition: () => boolean,
  ms: number,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition()) {
      resolve();
      return;
    }
    const handler = source.connect(signal, () => {
      if (!condition()) return;
      source.disconnect(handler);
      GLib.source_remove(timeout);
      resolve();
    });
    const timeout = GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
      source.disconnect(handler);
      reject(new Error(`${what}: not within ${ms} ms`));
      return GLib.SOURCE_REMOVE;
    });
  });
}

/** The main thread's time on a CPU and waiting for one, in ms (/proc/thread-self/schedstat). */
function schedstat(): [number, number] {
  const [, bytes] = GLib.file_get_contents('/proc/thread-self/schedstat');
  const [run, wait] = new TextDecoder().decode(bytes).split(' ').map(Number);
  return [run / 1e6, wait / 1e6];
}

/** Nearest rank. */
function p99(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
}

/**
 * After 2 s of quiet, measures until `work` settles: a 1 ms timeout at the default priority (that of
 * I/O callbacks) notes how late each tick comes; GLib schedules the next one 1 ms after
 * the loop iteration that ran this one, so lateness is the gap minus 1 ms. Of each gap,
 * the kernel says how long the main thread ran, and how long it waited for a CPU that
 * other processes had (the machine's share, not the app's).
 */
async function measurePhase(
  phase: string,
  work: () => Promise<Partial<PhaseResult>>,
): Promise<PhaseResult> {
  await pause(SETTLE_MS);
  const late: number[] = [];
  const busy: number[] = [];
  let worst = { lateMs: 0, runMs: 0, waitMs: 0, atMs: 0 };
  const startReads = reads;
  const startUs = GLib.get_monotonic_time();
  const startCpu = cpuMs();
  let last = startUs;
  let [lastRun, lastWait] = schedstat();
  const meter = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1, () => {
    const now = GLib.get_monotonic_time();
    const [run, wait] = schedstat();
    const lateMs = Math.max(0, (now - last) / 1000 - 1);
    late.push(lateMs);
    busy.push(run - lastRun);
    if (TRACE && lateMs > STALL_MS)
      printerr(
        `stall: ${phase}, ${((now - startUs) / 1000).toFixed(0)} ms in: ${lateMs.toFixed(1)} ms late, ${(run - lastRun).toFixed(1)} ms on a CPU, ${(wait - lastWait).toFixed(1)} ms waiting for one`,
      );
    if (lateMs > worst.lateMs)
      worst = {
        lateMs,
        runMs: run - lastRun,
        waitMs: wait - lastWait,
        atMs: (now - startUs) / 1000,
      };
    last = now;
    lastRun = run;
    lastWait = wait;
    return GLib.SOURCE_CONTINUE;
  });
  const extra = await work();
  GLib.source_remove(meter);
  const wallMs = (GLib.get_monotonic_time() - startUs) / 1000;
  const cpu = cpuMs() - startCpu;
  // What the phase left to collect; the next phase then starts from a clean heap.
  const gcStart = GLib.get_monotonic_time();
  System.gc();
  const gcAfterMs = (GLib.get_monotonic_time() - gcStart) / 1000;
  return {
    phase,
    wallMs,
    ticks: late.length,
    maxLateMs: worst.lateMs,
    maxLateRunMs: worst.runMs,
    maxLateWaitMs: worst.waitMs,
    maxAtMs: worst.atMs,
    p99LateMs: p99(late),
    over16: late.filter((value) => value > STALL_MS).length,
    maxBusyMs: Math.max(0, ...busy),
    p99BusyMs: p99(busy),
    busyOver16: busy.filter((value) => value > STALL_MS).length,
    cpuPercent: (100 * cpu) / wallMs,
    readsPerSecond: ((reads - startReads) * 1000) / wallMs,
    gcAfterMs,
    ...extra,
  };
}

/** Starts the pulls and waits until every one is complete (or the timeout). */
async function pullAll(app: PaddockApplication, names: string[]): Promise<Partial<PhaseResult>> {
  const connection = app.connections.getDefault();
  if (!connection) throw new Error('no default connection (is OLLAMA_HOST set?)');
  const start = GLib.get_monotonic_time();
  const jobs = names.map((name) => app.pulls.start(connection.id, name));
  const complete = () => jobs.filter((job) => job.status === 'complete').length;
  const failed = jobs.find((job) => !job.isLive && job.status !== 'complete');
  if (failed) throw new Error(`${failed.name}: ${failed.error ?? failed.status}`);
  await until(
    app.pulls,
    'status-changed',
    () => jobs.every((job: PullJob) => !job.isLive),
    timeoutMs,
    `${names.length} pulls`,
  );
  const pullsMs = (GLib.get_monotonic_time() - start) / 1000;
  const bad = jobs.find((job) => job.status !== 'complete');
  if (bad) throw new Error(`${bad.name} ended ${bad.status}: ${bad.error ?? ''}`);
  // Finished rows go, so that the next phase starts from the same list.
  for (const job of jobs) app.pulls.dismiss(job.id);
  return { pullsMs, pullsComplete: complete() };
}

async function measure(app: PaddockApplication): Promise<object> {
  await app.ready;
  if (app.loadProblem) throw new Error(`the app reports: ${app.loadProblem}`);
  const settings = new Gio.Settings({ schema_id: APP_ID });
  settings.set_uint('max-pulls-per-connection', PULLS);
  const window = app.get_active_window();
  if (!window) throw new Error('no window');
  // The window shows "Connected to …" once it has asked the server.
  const stack = (window as unknown as { _stack: Gtk.Stack })._stack;
  await until(
    stack,
    'notify::visible-child-name',
    () => stack.visible_child_name === 'status',
    READY_TIMEOUT_MS,
    'the window',
  );

  // Start-up's garbage is not the first phase's.
  System.gc();
  const phases: PhaseResult[] = [];
  phases.push(await measurePhase('window', () => pause(idleMs).then(() => ({}))));
  // The baseline in the same process: GJS left to collect when it decides (below, every
  // 1,000 reads; see src/util/async-call-backlog.ts).
  const collectEvery1000Reads = asyncCallBacklog.note.bind(asyncCallBacklog);
  asyncCallBacklog.note = () => {};
  phases.push(
    await measurePhase('window, 8 pulls, collections left to GJS', () =>
      pullAll(app, models.slice(2 * PULLS)),
    ),
  );
  asyncCallBacklog.note = collectEvery1000Reads;
  phases.push(await measurePhase('window, 8 pulls', () => pullAll(app, models.slice(0, PULLS))));
  app.activate_action('show-models', null);
  phases.push(await measurePhase('Models page', () => pause(idleMs).then(() => ({}))));
  phases.push(
    await measurePhase('Models page, 8 pulls', () => pullAll(app, models.slice(PULLS, 2 * PULLS))),
  );
  return {
    clockTicks,
    versions: {
      gjs: `${Math.floor(System.version / 10000)}.${Math.floor(System.version / 100) % 100}.${System.version % 100}`,
      gtk: `${Gtk.get_major_version()}.${Gtk.get_minor_version()}.${Gtk.get_micro_version()}`,
      adw: `${Adw.get_major_version()}.${Adw.get_minor_version()}.${Adw.get_micro_version()}`,
      renderer: GLib.getenv('GSK_RENDERER') ?? 'default',
    },
    phases,
  };
}

// Imported only now: the classes with templates find them in the resources registered above.
const { AppServices } = await import('../../src/app-services.js');
const { asyncCallBacklog } = await import('../../src/util/async-call-backlog.js');
const { PaddockApplication: Application } = await import('../../src/application.js');
const app = new Application(
  new AppServices({ version: 'bench', appId: APP_ID, profile: 'default' }),
);

// Counts the reads, over what the app's modules made of the method (a promise when called
// without a callback).
let reads = 0;
const streamPrototype = Gio.InputStream.prototype as unknown as Record<
  string,
  (...args: unknown[]) => unknown
>;
const readBytes = streamPrototype.read_bytes_async;
streamPrototype.read_bytes_async = function (this: Gio.InputStream, ...args: unknown[]) {
  reads++;
  return readBytes.apply(this, args);
};
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
        printerr(`window-load: ${error instanceof Error ? error.message : String(error)}`);
        status = 1;
      },
    )
    .finally(() => {
      app.release();
      // As Ctrl+Q: the pulls stop and loading.json is written, then the app quits.
      app.activate_action('quit', null);
    });
});
const exitStatus = await app.runAsync([]);
if (result) print(JSON.stringify(result));
exit(status || exitStatus);
