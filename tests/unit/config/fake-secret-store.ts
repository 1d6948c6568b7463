import type Gio from 'gi://Gio';

import { MemorySecretStore } from '../../../src/config/memory-secret-store.js';

/** Keys in memory, with a keyring's troubles on demand: a lookup that hangs, or fails. */
export class FakeSecretStore extends MemorySecretStore {
  /** The cancellable of every lookup so far. */
  readonly lookups: (Gio.Cancellable | null)[] = [];
  /** What lookups reject with, while set. */
  failure: Error | null = null;
  #held: (() => void)[] | null = null;

  /** Lookups from now on wait, as on a locked keyring, until release(). */
  hold(): void {
    this.#held ??= [];
  }

  release(): void {
    const waiting = this.#held ?? [];
    this.#held = null;
    for (const go of waiting) go();
  }

  override async lookup(
    connectionId: string,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<string | null> {
    this.lookups.push(cancellable);
    const held = this.#held;
    if (held) await new Promise<void>((resolve) => held.push(resolve));
    if (this.failure) throw this.failure;
    return super.lookup(connectionId);
  }
}
