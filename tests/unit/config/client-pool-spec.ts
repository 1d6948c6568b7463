import Gio from 'gi://Gio';

import { ClientPool, KEYRING_TIMEOUT_SECONDS } from '../../../src/config/client-pool.js';
import { ConnectionStore } from '../../../src/config/connection-store.js';
import { KeyringError } from '../../../src/config/errors.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { FakeSecretStore } from './fake-secret-store.js';
import { makeTempDir, removeTree } from './temp-dir.js';

describe('Config ClientPool', () => {
  let dir: Gio.File;
  let secrets: FakeSecretStore;
  let store: ConnectionStore;
  let clock: ManualClock;
  let pool: ClientPool;

  beforeEach(async () => {
    dir = makeTempDir();
    secrets = new FakeSecretStore();
    store = new ConnectionStore({ configDir: dir, secrets, environment: () => null });
    await store.load();
    clock = new ManualClock();
    pool = new ClientPool(store, () => 30, { clock });
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

  it('gives a connection without an API key its client without asking the keyring', async () => {
    secrets.failure = new Error('the keyring cannot be reached');
    const client = await pool.clientFor(store.getDefault()!.id);
    expect(client.baseUrl).toBe('http://127.0.0.1:11434');
    expect(secrets.lookups).toEqual([]);
  });

  it('refuses a connection that was removed', async () => {
    const other = await store.add({ name: 'Other', url: 'http://127.0.0.1:11600' });
    await pool.clientFor(other.id);
    await store.remove(other.id);
    await expectAsync(pool.clientFor(other.id)).toBeRejectedWithError(/removed/);
  });

  describe('when the keyring fails', () => {
    let id: string;

    beforeEach(async () => {
      id = store.getDefault()!.id;
      await store.update(id, { apiKey: 'sk-1' });
    });

    it('says so, never going on without the key, and keeps the client others use', async () => {
      const client = await pool.clientFor(id);
      const close = spyOn(client, 'close').and.callThrough();
      secrets.failure = new Error('the collection is locked');
      await expectAsync(pool.clientFor(id)).toBeRejectedWith(
        jasmine.objectContaining({
          name: 'KeyringError',
          message:
            'Paddock could not read the API key of “Local Ollama” from the keyring: the collection is locked',
        }),
      );
      expect(close).not.toHaveBeenCalled();
      secrets.failure = null;
      expect(await pool.clientFor(id)).toBe(client);
    });

    it('gives up on a keyring that does not answer, cancelling the lookup', async () => {
      secrets.hold();
      const lookup = pool.clientFor(id);
      let settled = false;
      lookup.then(
        () => (settled = true),
        () => (settled = true),
      );
      clock.advance(KEYRING_TIMEOUT_SECONDS * 1000 - 1);
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect(settled).toBeFalse();
      clock.advance(1);
      const error = await lookup.catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(KeyringError);
      expect((error as KeyringError).message).toBe(
        'Paddock could not read the API key of “Local Ollama” from the keyring: it did not answer within 60 seconds. Unlock the keyring, then try again.',
      );
      expect(secrets.lookups.at(-1)?.is_cancelled()).toBeTrue();
      expect(clock.pendingDelays()).toEqual([]);
    });

    it('asks the keyring once for the requests that wait for it together', async () => {
      secrets.hold();
      const both = Promise.all([pool.clientFor(id), pool.clientFor(id)]);
      secrets.release();
      const [first, second] = await both;
      expect(first).toBe(second);
      expect(secrets.lookups.length).toBe(1);
      expect(clock.pendingDelays()).toEqual([]);
    });
  });
});
