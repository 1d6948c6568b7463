import Gio from 'gi://Gio';

import { isLoopbackUrl } from '../ollama/ollama-host.js';
import type { NetworkState } from './network-state.js';

/**
 * NetworkState from Gio.NetworkMonitor. A server on this computer is always reachable;
 * and only it downloads over this computer's network, so only its pulls are metered
 * (a server elsewhere uses its own network, whatever this laptop is tethered to).
 */
export class GioNetworkState implements NetworkState {
  readonly #monitor: Gio.NetworkMonitor;

  constructor(monitor: Gio.NetworkMonitor = Gio.NetworkMonitor.get_default()) {
    this.#monitor = monitor;
  }

  isOnline(url: string): boolean {
    return isLoopbackUrl(url) || this.#monitor.get_network_available();
  }

  isMetered(url: string): boolean {
    return isLoopbackUrl(url) && this.#monitor.get_network_metered();
  }

  onChanged(callback: () => void): () => void {
    const handlers = [
      this.#monitor.connect('network-changed', () => callback()),
      this.#monitor.connect('notify::network-metered', () => callback()),
    ];
    return () => handlers.forEach((handler) => this.#monitor.disconnect(handler));
  }
}
