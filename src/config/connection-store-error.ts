/**
 * A change to the connections that was refused or could not be saved. `message` is a
 * sentence for the user; `cause` keeps the lower-level error (usually a GLib.Error).
 */
export class ConnectionStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionStoreError';
  }
}
