import { gettext as _ } from 'gettext';

import { OllamaClient } from '../ollama/client.js';
import type { ConnectionStore } from './connection-store.js';

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

  constructor(
    private readonly connections: ConnectionStore,
    private readonly timeoutSeconds: () => number = () => 30,
  ) {
    connections.connect('changed', () => this.forgetRemoved());
  }

  async clientFor(connectionId: string): Promise<OllamaClient> {
    const connection = this.connections.get(connectionId);
    if (!connection) throw new Error(_('That connection was removed.'));
    // Without a reachable keyring (a bare SSH session) try without the key: a server that
    // needs one answers 401, and that error says what to do.
    const apiKey = await this.connections.getApiKey(connectionId).catch(() => null);
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

  private forgetRemoved(): void {
    for (const [id, pooled] of this.clients) {
      if (this.connections.get(id)) continue;
      pooled.client.close();
      this.clients.delete(id);
    }
  }
}
