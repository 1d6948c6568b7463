import type { NetworkState } from '../../../src/pulls/network-state.js';

/** A network the spec switches by hand; the same answer for every server. */
export class FakeNetworkState implements NetworkState {
  online = true;
  metered = false;
  readonly #callbacks = new Set<() => void>();

  isOnline(_url: string): boolean {
    return this.online;
  }

  isMetered(_url: string): boolean {
    return this.metered;
  }

  onChanged(callback: () => void): () => void {
    this.#callbacks.add(callback);
    return () => this.#callbacks.delete(callback);
  }

  /** Changes the state and tells the listeners, as Gio.NetworkMonitor would. */
  set(state: { online?: boolean; metered?: boolean }): void {
    this.online = state.online ?? this.online;
    this.metered = state.metered ?? this.metered;
    for (const callback of [...this.#callbacks]) callback();
  }

  get listeners(): number {
    return this.#callbacks.size;
  }
}
