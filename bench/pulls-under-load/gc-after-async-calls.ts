// How long a full garbage collection takes after N calls of one kind, in a bare GJS
// process: the pulls' stalls reduced to what causes them.
//   gjs -m gc-after-async-calls.js KIND   → one JSON line {n: {callsMs, gcMs}}
// KIND: read_bytes_async (awaited, as NdjsonReader reads), skip_async (awaited, a result
// that is no boxed type), read_bytes (the same reads, synchronous), idle_add (a JS
// callback through the main loop, awaited).
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import System, { exit, programArgs } from 'system';

Gio._promisify(Gio.InputStream.prototype, 'read_bytes_async', 'read_bytes_finish');
Gio._promisify(Gio.InputStream.prototype, 'skip_async', 'skip_finish');

const COUNTS = [5000, 10_000, 20_000];

const calls: Record<string, (stream: Gio.InputStream) => Promise<unknown>> = {
  read_bytes_async: (stream) => stream.read_bytes_async(2, GLib.PRIORITY_DEFAULT, null),
  skip_async: (stream) => stream.skip_async(2, GLib.PRIORITY_DEFAULT, null),
  read_bytes: (stream) => Promise.resolve(stream.read_bytes(2, null)),
  idle_add: () =>
    new Promise((resolve) =>
      GLib.idle_add(GLib.PRIORITY_DEFAULT, () => {
        resolve(null);
        return GLib.SOURCE_REMOVE;
      }),
    ),
};

const [kind] = programArgs;
const call = calls[kind ?? ''];
if (!call) {
  printerr(`usage: gc-after-async-calls.js ${Object.keys(calls).join('|')}`);
  exit(2);
}

async function measure(): Promise<object> {
  const result: Record<number, { callsMs: number; gcMs: number }> = {};
  for (const n of COUNTS) {
    const stream = Gio.MemoryInputStream.new_from_bytes(new GLib.Bytes(new Uint8Array(2 * n)));
    System.gc();
    const start = GLib.get_monotonic_time();
    for (let i = 0; i < n; i++) await call(stream);
    const called = GLib.get_monotonic_time();
    System.gc();
    result[n] = {
      callsMs: (called - start) / 1000,
      gcMs: (GLib.get_monotonic_time() - called) / 1000,
    };
  }
  return result;
}

const loop = new GLib.MainLoop(null, false);
let status = 0;
measure()
  .then(
    (result) => print(JSON.stringify(result)),
    (error: unknown) => {
      printerr(`gc-after-async-calls: ${String(error)}`);
      status = 1;
    },
  )
  .finally(() => loop.quit());
loop.run();
exit(status);
