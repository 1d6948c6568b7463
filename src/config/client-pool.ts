import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { OllamaClient } from '../ollama/client.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import type { ConnectionItem } from './connection-item.js';
import type { ConnectionStore } from './connection-store.js';
import { KeyringError } from './errors.js';

/** A locked keyring may wait for a password; long enough to type it, not forever. */
export const KEYRING_TIMEOUT_SECONDS = 60;

export interface ClientPoolOptions {
  clock?: Clock;
}

interface PooledClient {
  url: string;
  apiKey: string | null;
  client: OllamaClient;
}

/**
 * One OllamaClient (and so one Soup session) per connection, made again when the
 * connection's address or API key changes.
 */
export class ClientPool {
  private readonly clients = new Map<string, PooledClient>();
  /** Key lookups under way: the pulls of one connection wait for the same one. */
  private readonly lookups = new Map<string, Promise<string | null>>();
  private readonly clock: Clock;

  constructor(
    private readonly connections: ConnectionStore,
    private readonly timeoutSeconds: () => number = () => 30,
    options: ClientPoolOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    connections.connect('changed', () => this.forgetRemoved());
  }

  /**
   * The connection's client, with its API key. Rejects with a KeyringError when the key
   * cannot be read (in KEYRING_TIMEOUT_SECONDS): never goes on without it, and leaves the
   * client the other requests use as it is.
   */
  async clientFor(connectionId: string): Promise<OllamaClient> {
    const connection = this.connections.get(connectionId);
    if (!connection) throw new Error(_('That connection was removed.'));
    const apiKey = await this.apiKey(connection);
    const pooled = this.clients.get(connectionId);
    if (pooled && pooled.url === connection.url && pooled.apiKey === apiKey) return pooled.client;
    pooled?.client.close();
    const client = new OllamaClient({
      baseUrl: connection.url,
      apiKey,
      timeoutSeconds: this.timeoutSeconds(),
    });
    this.clients.set(connectionId, { url: connection.url, apiKey, client });
    return client;
  }

  private apiKey(connection: ConnectionItem): Promise<string | null> {
    let lookup = this.lookups.get(connection.id);
    if (!lookup) {
      lookup = this.lookUp(connection).finally(() => this.lookups.delete(connection.id));
      this.lookups.set(connection.id, lookup);
    }
    return lookup;
  }

  private lookUp(connection: ConnectionItem): Promise<string | null> {
    const cancellable = new Gio.Cancellable();
    return new Promise((resolve, reject) => {
      let timer: TimerHandle | null = this.clock.timeout(KEYRING_TIMEOUT_SECONDS * 1000, () => {
        timer = null;
        reject(KeyringError.timedOut(connection.name, KEYRING_TIMEOUT_SECONDS));
        cancellable.cancel();
      });
      this.connections
        .getApiKey(connection.id, cancellable)
        .then(resolve, reject)
        .finally(() => {
          if (timer !== null) this.clock.cancel(timer);
        });
    });
  }

  private forgetRemoved(): void {
    for (const [id, pooled] of this.clients) {
      if (this.connections.get(id)) continue;
      pooled.client.close();
      this.clients.delete(id);
    }
  }
}
