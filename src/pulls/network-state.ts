/**
 * What the pull manager needs to know of the network. GioNetworkState asks
 * Gio.NetworkMonitor; tests pass a fake they switch by hand.
 */
export interface NetworkState {
  /** Whether the server at this address can be reached as far as the system knows. */
  isOnline(url: string): boolean;
  /** Whether a pull by the server at this address goes over a metered network (data costs money). */
  isMetered(url: string): boolean;
  /** Calls `callback` whenever either answer may have changed; returns a function that stops it. */
  onChanged(callback: () => void): () => void;
}
