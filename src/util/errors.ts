import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

/**
 * An error whose message is written for the people using Paddock, which errorText shows
 * as it is. Every error class of Paddock's extends it.
 */
export abstract class PaddockError extends Error {}

/**
 * The one way to turn an error into words for the user. Paddock's own errors, GLib's and
 * plain `Error`s (thrown with a message someone wrote, as a SecretStore does) say what
 * happened; anything else (a TypeError, a RangeError, a thrown string) is a bug, which
 * gets a plain sentence while its details go to the log (`log`, for specs).
 */
export function errorText(
  error: unknown,
  log: (error: unknown) => void = (bug) => console.error('Paddock: unexpected error:', bug),
): string {
  const written =
    error instanceof PaddockError ||
    error instanceof GLib.Error ||
    (error instanceof Error && Object.getPrototypeOf(error) === Error.prototype);
  if (written) return error.message;
  log(error);
  return _('Something went wrong inside Paddock. The details are in the log.');
}

/**
 * A JSON file Paddock cannot use as it is (too large, not UTF-8, not JSON) or a value too
 * large to write. `message` is a clause for the user: "it is not UTF-8 text".
 */
export class JsonFileError extends PaddockError {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFileError';
  }
}
