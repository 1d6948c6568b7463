import { gettext as _, ngettext } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

export interface RedirectErrorOptions extends OllamaErrorOptions {
  /** The address the server sent the request to; null when it gave up after too many hops. */
  location: string | null;
  /** The hops followed before giving up, for the message of a loop. */
  hops?: number;
}

/**
 * The server answered with a redirect Paddock does not follow: to another server (which
 * must never see the API key), or round and round. Someone has to change the address.
 */
export class RedirectError extends OllamaError {
  override readonly name = 'RedirectError';
  /** Without control characters, shortened: safe to show. */
  readonly location: string | null;

  constructor(options: RedirectErrorOptions) {
    const where = OllamaError.where(options.host);
    const location = options.location === null ? null : RedirectError.clean(options.location);
    super(
      location === null
        ? fillTemplate(
            ngettext(
              '{where} redirected the request more than {hops} time. Check the address.',
              '{where} redirected the request more than {hops} times. Check the address.',
              options.hops ?? 0,
            ),
            { where, hops: options.hops ?? 0 },
          )
        : // Translators: {location} is the address the server named, e.g. https://example.com/ollama.
          fillTemplate(_('{where} redirected to {location}; use that address.'), {
            where,
            location,
          }),
      false,
      options,
    );
    this.location = location;
  }

  /** Server text in a message: no control characters (terminal escapes, line breaks), not too long. */
  private static clean(location: string): string {
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    const text = location.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }
}
