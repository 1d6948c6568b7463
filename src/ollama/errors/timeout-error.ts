import { gettext as _, ngettext } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

/** The server did not answer in time. */
export class TimeoutError extends OllamaError {
  override readonly name = 'TimeoutError';
  /** The limit that was exceeded, or null when it is not known (e.g. a socket timeout). */
  readonly seconds: number | null;

  constructor(seconds: number | null, options: OllamaErrorOptions = {}) {
    const where = OllamaError.where(options.host);
    super(
      seconds === null
        ? fillTemplate(_('{where} did not answer in time. Check the network, or try again.'), {
            where,
          })
        : fillTemplate(
            ngettext(
              '{where} did not answer within {seconds} second. Check the network, or try again.',
              '{where} did not answer within {seconds} seconds. Check the network, or try again.',
              seconds,
            ),
            { where, seconds },
          ),
      true,
      options,
    );
    this.seconds = seconds;
  }
}
