import { ClientPool } from '../../../src/config/client-pool.js';
import { ConnectionStore } from '../../../src/config/connection-store.js';
import { MemorySecretStore } from '../../../src/config/memory-secret-store.js';
import { makeTempDir, removeTree } from './temp-dir.js';
import type Gio from 'gi://Gio';

describe('Config ClientPool', () => {
  let dir: Gio.File;
  let store: ConnectionStore;
  let pool: ClientPool;

  beforeEach(async () => {
    dir = makeTempDir();
    store = new ConnectionStore({
      configDir: dir,
      secrets: new MemorySecretStore(),
      environment: () => null,
    });
    await store.load();
    pool = new ClientPool(store);
  });

  afterEach(() => removeTree(dir));

  it('keeps one client (one Soup session) per connection', async () => {
    const id = store.getDefault()!.id;
    const first = await pool.clientFor(id);
    expect(first.baseUrl).toBe('http://127.0.0.1:11434');
    expect(await pool.clientFor(id)).toBe(first);
  });

  it('makes a new client when the address or the API key changes', async () => {
    const id = store.getDefault()!.id;
    const first = await pool.clientFor(id);
    await store.update(id, { url: 'http://127.0.0.1:11500' });
    const second = await pool.clientFor(id);
    expect(second).not.toBe(first);
    expect(second.baseUrl).toBe('http://127.0.0.1:11500');
    await store.update(id, { apiKey: 'sk-1' });
    expect(await pool.clientFor(id)).not.toBe(second);
  });

  it('refuses a connection that was removed', async () => {
    const other = await store.add({ name: 'Other', url: 'http://127.0.0.1:11600' });
    await pool.clientFor(other.id);
    await store.remove(other.id);
    await expectAsync(pool.clientFor(other.id)).toBeRejectedWithError(/removed/);
  });
});
