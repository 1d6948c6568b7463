import { PaddockError } from '../util/errors.js';

/**
 * Why a command cannot go on, said to the user as `error: <message>`. `status` is the
 * exit status: 1 when it failed, 2 when the command line was not understood.
 */
export class CommandError extends PaddockError {
  override readonly name = 'CommandError';

  constructor(
    message: string,
    readonly status: 1 | 2 = 1,
  ) {
    super(message);
  }
}
