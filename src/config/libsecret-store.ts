import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Secret from 'gi://Secret?version=1';
import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';
import type { SecretStore } from './secret-store.js';
import { SecretStoreError } from './errors.js';
import { errorText } from '../util/errors.js';

const SCHEMA = Secret.Schema.new('io.github.paddock.Paddock.ApiKey', Secret.SchemaFlags.NONE, {
  'connection-id': Secret.SchemaAttributeType.STRING,
});

export interface LibsecretStoreOptions {
  /** Where new keys go: the login keyring, unless a test wants the in-memory session one. */
  collection?: string;
}

/** API keys in the user's keyring (the Secret Service: GNOME Keyring, KWallet, …). */
export class LibsecretStore implements SecretStore {
  readonly #collection: string;

  constructor(options: LibsecretStoreOptions = {}) {
    this.#collection = options.collection ?? Secret.COLLECTION_DEFAULT;
  }

  lookup(connectionId: string, cancellable: Gio.Cancellable | null = null): Promise<string | null> {
    return this.#call(
      (callback) =>
        Secret.password_lookup(SCHEMA, { 'connection-id': connectionId }, cancellable, callback),
      (result) => Secret.password_lookup_finish(result),
      _('Could not read the API key from the keyring: {reason}'),
      cancellable,
    );
  }

  async store(connectionId: string, label: string, secret: string): Promise<void> {
    await this.#call(
      (callback) =>
        Secret.password_store(
          SCHEMA,
          { 'connection-id': connectionId },
          this.#collection,
          label,
          secret,
          null,
          callback,
        ),
      (result) => Secret.password_store_finish(result),
      _('Could not save the API key in the keyring: {reason}'),
    );
  }

  async clear(connectionId: string): Promise<void> {
    await this.#call(
      (callback) =>
        Secret.password_clear(SCHEMA, { 'connection-id': connectionId }, null, callback),
      (result) => Secret.password_clear_finish(result),
      _('Could not delete the API key from the keyring: {reason}'),
    );
  }

  /**
   * Runs one libsecret call. Its session bus is asked for first, so that a session without
   * one (ssh, a cron job) is told apart from a keyring that failed.
   */
  async #call<T>(
    start: (callback: (source: null, result: Gio.AsyncResult) => void) => void,
    finish: (result: Gio.AsyncResult) => T,
    failure: string,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<T> {
    try {
      await sessionBus(cancellable);
    } catch (error) {
      throw failed(failure, error, !cancellable?.is_cancelled());
    }
    return new Promise((resolve, reject) => {
      start((_source, result) => {
        try {
          resolve(finish(result));
        } catch (error) {
          reject(failed(failure, error, false));
        }
      });
    });
  }
}

function sessionBus(cancellable: Gio.Cancellable | null): Promise<Gio.DBusConnection> {
  return new Promise((resolve, reject) =>
    Gio.bus_get(Gio.BusType.SESSION, cancellable, (_source, result) => {
      try {
        resolve(Gio.bus_get_finish(result));
      } catch (error) {
        reject(error);
      }
    }),
  );
}

function failed(failure: string, error: unknown, unreachable: boolean): SecretStoreError {
  const reason = unreachable
    ? _('the keyring cannot be reached from this session (no desktop session bus)')
    : describe(error);
  return new SecretStoreError(fillTemplate(failure, { reason }), reason, {
    cause: error,
    unreachable,
  });
}

function describe(error: unknown): string {
  if (
    error instanceof GLib.Error &&
    (error.matches(Gio.dbus_error_quark(), Gio.DBusError.SERVICE_UNKNOWN) ||
      error.matches(Gio.dbus_error_quark(), Gio.DBusError.NAME_HAS_NO_OWNER))
  )
    return _('no keyring service is running');
  return errorText(error);
}
