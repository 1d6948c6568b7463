import { gettext as _, ngettext } from 'gettext';

import { errorText, PaddockError } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';

/**
 * A change to the connections that was refused or could not be saved. `message` is a
 * sentence for the user; `cause` keeps the lower-level error (usually a GLib.Error).
 */
export class ConnectionStoreError extends PaddockError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionStoreError';
  }
}

/**
 * A SecretStore call that failed. `message` is the whole sentence ("Could not read the API
 * key from the keyring: …"); `reason` only the part after the colon, for messages that
 * say which connection it was about. `unreachable`: the keyring could not be reached at
 * all, as in a session without a session bus (ssh).
 */
export class SecretStoreError extends PaddockError {
  readonly unreachable: boolean;

  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown; unreachable?: boolean },
  ) {
    super(message, options);
    this.name = 'SecretStoreError';
    this.unreachable = options?.unreachable ?? false;
  }
}

/**
 * A connection's API key could not be read. Never taken for "no key": the request would
 * go out without it and come back with a puzzling 401.
 */
export class KeyringError extends PaddockError {
  constructor(connectionName: string, reason: string, options?: { cause?: unknown }) {
    super(
      fillTemplate(_('Paddock could not read the API key of “{name}” from the keyring: {reason}'), {
        name: connectionName,
        reason,
      }),
      options,
    );
    this.name = 'KeyringError';
  }

  /** What went wrong, from a SecretStore's rejection, with what to do when it is plain. */
  static from(connectionName: string, error: unknown): KeyringError {
    const reason =
      error instanceof SecretStoreError
        ? error.unreachable
          ? _(
              'the keyring cannot be reached from this session (no desktop session bus). Run the command in your desktop session, or remove the key from this connection.',
            )
          : error.reason
        : errorText(error);
    return new KeyringError(connectionName, reason, { cause: error });
  }

  /** The keyring did not answer: locked, waiting for a password nobody types. */
  static timedOut(connectionName: string, seconds: number): KeyringError {
    return new KeyringError(
      connectionName,
      fillTemplate(
        ngettext(
          'it did not answer within {seconds} second. Unlock the keyring, then try again.',
          'it did not answer within {seconds} seconds. Unlock the keyring, then try again.',
          seconds,
        ),
        { seconds },
      ),
    );
  }
}
