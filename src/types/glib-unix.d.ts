// GLib's Unix-only API (GLib ≥ 2.80, where GLib.unix_signal_add moved to), which the @girs
// packages in use do not type: only what Paddock calls.
declare module 'gi://GLibUnix' {
  namespace GLibUnix {
    /** Calls `handler` on the main loop when the process gets signal `signum`; keeps the source while it returns true. */
    function signal_add_full(priority: number, signum: number, handler: () => boolean): number;
  }
  export default GLibUnix;
}
