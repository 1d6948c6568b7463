/**
 * The pulls are run by another Paddock process (or are moving to one): a command that
 * needs them must go there. Never shown to the user; the command line reacts to it.
 */
export class PullsElsewhereError extends Error {
  override readonly name = 'PullsElsewhereError';

  constructor() {
    // not translated: never shown; the command line catches it
    super('The pulls are run by another Paddock process.');
  }
}
