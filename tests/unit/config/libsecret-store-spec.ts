import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { LibsecretStore } from '../../../src/config/libsecret-store.js';

Gio._promisify(Gio.DBusConnection.prototype, 'call', 'call_finish');

function sessionBus(): Promise<Gio.DBusConnection> {
  return new Promise((resolve, reject) =>
    Gio.bus_get(Gio.BusType.SESSION, null, (_source, result) => {
      try {
        resolve(Gio.bus_get_finish(result));
      } catch (error) {
        reject(error);
      }
    }),
  );
}

/** Why the Secret Service cannot be used here, or null when it can. Never starts one. */
async function secretServiceMissing(): Promise<string | null> {
  if (!GLib.getenv('DBUS_SESSION_BUS_ADDRESS'))
    return 'no D-Bus session bus here (DBUS_SESSION_BUS_ADDRESS is not set)';
  const bus = await sessionBus();
  const reply = await bus.call(
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus',
    'NameHasOwner',
    new GLib.Variant('(s)', ['org.freedesktop.secrets']),
    new GLib.VariantType('(b)'),
    Gio.DBusCallFlags.NONE,
    -1,
    null,
  );
  const [owned] = reply.deepUnpack() as [boolean];
  return owned ? null : 'no Secret Service (keyring) is running on the session bus';
}

describe('Config LibsecretStore', () => {
  it('stores, finds, replaces and clears a key in the Secret Service', async () => {
    const missing = await secretServiceMissing();
    if (missing) pending(missing);
    // The session collection lives in memory and is never locked: no prompt, nothing left.
    const store = new LibsecretStore({ collection: 'session' });
    const id = GLib.uuid_string_random();
    try {
      expect(await store.lookup(id)).toBeNull();
      await store.store(id, 'Paddock API key for a spec', 'sk-first');
      expect(await store.lookup(id)).toBe('sk-first');
      await store.store(id, 'Paddock API key for a spec', 'sk-second');
      expect(await store.lookup(id)).toBe('sk-second');
      await store.clear(id);
      expect(await store.lookup(id)).toBeNull();
      await store.clear(id);
    } finally {
      await store.clear(id).catch(() => undefined);
    }
  });

  it('says in its error that the keyring could not be reached', async () => {
    if (GLib.getenv('DBUS_SESSION_BUS_ADDRESS') || GLib.getenv('DISPLAY'))
      pending('a session bus may be reachable here, so the failure cannot be provoked');
    const store = new LibsecretStore();
    await expectAsync(store.lookup('any')).toBeRejectedWithError(
      /^Could not read the API key from the keyring: /,
    );
    await expectAsync(store.store('any', 'label', 'key')).toBeRejectedWithError(
      /^Could not save the API key in the keyring: /,
    );
    await expectAsync(store.clear('any')).toBeRejectedWithError(
      /^Could not delete the API key from the keyring: /,
    );
  });
});
