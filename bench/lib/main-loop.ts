import GLib from 'gi://GLib';
import type Gtk from 'gi://Gtk?version=4.0';

/**
 * The main thread's time on a CPU so far, in ms (/proc/thread-self/schedstat): what the
 * main loop spent busy, whatever it waited for (replies, timers, other processes).
 */
export function mainThreadCpuMs(): number {
  const [, bytes] = GLib.file_get_contents('/proc/thread-self/schedstat');
  return Number(new TextDecoder().decode(bytes).split(' ')[0]) / 1e6;
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) =>
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
      resolve();
      return GLib.SOURCE_REMOVE;
    }),
  );
}

/** The end of the widget's next frame (its frame clock's after-paint): true, or false after `ms`. */
export function nextPaint(widget: Gtk.Widget, ms: number): Promise<boolean> {
  const clock = widget.get_frame_clock();
  if (!clock) return pause(ms).then(() => false);
  return new Promise((resolve) => {
    const handler = clock.connect('after-paint', () => {
      clock.disconnect(handler);
      GLib.source_remove(timeout);
      resolve(true);
    });
    const timeout = GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
      clock.disconnect(handler);
      resolve(false);
      return GLib.SOURCE_REMOVE;
    });
  });
}

/**
 * Waits until the main loop is quiet: `windowMs` in which the main thread used under
 * `busyMs` of CPU. Returns the ms waited; throws after `timeoutMs`.
 */
export async function untilQuiet(
  windowMs: number,
  busyMs: number,
  timeoutMs: number,
): Promise<number> {
  const start = GLib.get_monotonic_time();
  for (;;) {
    const before = mainThreadCpuMs();
    await pause(windowMs);
    if (mainThreadCpuMs() - before < busyMs) return (GLib.get_monotonic_time() - start) / 1000;
    if (GLib.get_monotonic_time() - start > timeoutMs * 1000)
      throw new Error(`the main loop stayed busy for ${timeoutMs / 1000} s`);
  }
}

/**
 * Types `query` into the search entry letter by letter, as a user does, and measures each
 * keystroke: the main thread's CPU from the text changing to the end of the first frame
 * after the entry's `search-changed` (the filtered list drawn). GtkSearchEntry waits its
 * search-delay before `search-changed`; waiting uses no CPU. In ms, one per letter.
 */
export async function typeQuery(
  entry: Gtk.SearchEntry,
  window: Gtk.Widget,
  query: string,
): Promise<number[]> {
  const costs: number[] = [];
  for (let length = 1; length <= query.length; length++)
    costs.push(await keystroke(entry, window, query.slice(0, length)));
  return costs;
}

/** One change of the entry's text to `text` (a letter typed, or cleared), measured as typeQuery() says. */
export async function keystroke(
  entry: Gtk.SearchEntry,
  window: Gtk.Widget,
  text: string,
): Promise<number> {
  await pause(100);
  const searched = new Promise<void>((resolve, reject) => {
    const handler = entry.connect('search-changed', () => {
      if (entry.text !== text) return;
      entry.disconnect(handler);
      GLib.source_remove(timeout);
      resolve();
    });
    const timeout = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 5000, () => {
      entry.disconnect(handler);
      reject(new Error(`no search-changed for “${text}”`));
      return GLib.SOURCE_REMOVE;
    });
  });
  const start = mainThreadCpuMs();
  // As typing does: set_text() would clear the entry first, a search of its own.
  if (text.startsWith(entry.text) && text !== entry.text) {
    entry.insert_text(text.slice(entry.text.length), -1, entry.text.length);
  } else {
    entry.delete_text(0, -1);
    if (text !== '') entry.insert_text(text, -1, 0);
  }
  entry.set_position(-1);
  await searched;
  // A search that changes nothing on screen draws no frame: then 100 ms of quiet ends it.
  await nextPaint(window, 100);
  return mainThreadCpuMs() - start;
}

/** µs since the epoch, as bash's EPOCHREALTIME (the driver notes the process's start so). */
export function realTimeMs(): number {
  return GLib.get_real_time() / 1000;
}
