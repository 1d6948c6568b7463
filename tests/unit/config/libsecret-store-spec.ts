import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { KeyringError, SecretStoreError } from '../../../src/config/errors.js';
import { LibsecretStore } from '../../../src/config/libsecret-store.js';
import { runSpecInChild } from './temp-dir.js';

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

  it('says plainly that the keyring cannot be reached from a session without a bus', async () => {
    if (GLib.getenv('DBUS_SESSION_BUS_ADDRESS') !== '') {
      // As over ssh: an empty address, and no display to start a bus for.
      const child = await runSpecInChild(
        import.meta.url,
        'Config LibsecretStore says plainly that the keyring cannot be reached from a session without a bus',
        { environment: { DBUS_SESSION_BUS_ADDRESS: '', DISPLAY: null } },
      );
      if (!child) pending('gjs or the spec runner is missing');
      expect(child!.passed).withContext(child!.output).toBeTrue();
      return;
    }
    const store = new LibsecretStore();
    const reason = 'the keyring cannot be reached from this session (no desktop session bus)';
    const failures: [Promise<unknown>, string][] = [
      [store.lookup('any'), 'Could not read the API key from the keyring'],
      [store.store('any', 'label', 'key'), 'Could not save the API key in the keyring'],
      [store.clear('any'), 'Could not delete the API key from the keyring'],
    ];
    for (const [call, sentence] of failures) {
      const error = await call.then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toEqual(jasmine.any(SecretStoreError));
      expect((error as SecretStoreError).message).toBe(`${sentence}: ${reason}`);
      expect((error as SecretStoreError).unreachable).toBeTrue();
    }
    expect(
      KeyringError.from('Cloud', await store.lookup('any').catch((e: unknown) => e)).message,
    ).toBe(
      'Paddock could not read the API key of “Cloud” from the keyring: the keyring cannot be reached from this session (no desktop session bus). Run the command in your desktop session, or remove the key from this connection.',
    );
  });
});
