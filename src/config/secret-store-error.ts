/**
 * A SecretStore call that failed. `message` is the whole sentence ("Could not read the API
 * key from the keyring: …"); `reason` only the part after the colon, for messages that
 * say which connection it was about.
 */
export class SecretStoreError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SecretStoreError';
  }
}
