import type Gio from 'gi://Gio';

/**
 * Where API keys live, one per connection id: never in connections.json. Each method
 * rejects with an error whose message says what went wrong (keyring locked, no keyring),
 * a SecretStoreError where the store knows the reason apart.
 */
export interface SecretStore {
  /** The key stored for the connection, or null when it has none. */
  lookup(connectionId: string, cancellable?: Gio.Cancellable | null): Promise<string | null>;
  /** Stores or replaces the connection's key; the label is what keyring tools show. */
  store(connectionId: string, label: string, secret: string): Promise<void>;
  /** Forgets the connection's key; fine when it has none. */
  clear(connectionId: string): Promise<void>;
}
