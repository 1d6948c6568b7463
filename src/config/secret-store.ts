/**
 * Where API keys live, one per connection id: never in connections.json. Each method
 * rejects with an error whose message says what went wrong (keyring locked, no keyring).
 */
export interface SecretStore {
  /** The key stored for the connection, or null when it has none. */
  lookup(connectionId: string): Promise<string | null>;
  /** Stores or replaces the connection's key; the label is what keyring tools show. */
  store(connectionId: string, label: string, secret: string): Promise<void>;
  /** Forgets the connection's key; fine when it has none. */
  clear(connectionId: string): Promise<void>;
}
