import type { SecretStore } from './secret-store.js';

/** Keys kept in memory only: for tests, and for sessions without a keyring. */
export class MemorySecretStore implements SecretStore {
  readonly #entries = new Map<string, { label: string; secret: string }>();

  lookup(connectionId: string): Promise<string | null> {
    return Promise.resolve(this.#entries.get(connectionId)?.secret ?? null);
  }

  store(connectionId: string, label: string, secret: string): Promise<void> {
    this.#entries.set(connectionId, { label, secret });
    return Promise.resolve();
  }

  clear(connectionId: string): Promise<void> {
    this.#entries.delete(connectionId);
    return Promise.resolve();
  }

  /** The label the key was stored with, or null when there is no key. */
  labelOf(connectionId: string): string | null {
    return this.#entries.get(connectionId)?.label ?? null;
  }

  /** The ids that have a key. */
  ids(): string[] {
    return [...this.#entries.keys()];
  }
}
