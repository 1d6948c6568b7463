import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

export type NetworkErrorKind = 'refused' | 'dns' | 'reset' | 'unreachable' | 'other';

export interface NetworkErrorOptions extends OllamaErrorOptions {
  /** A more precise sentence than the kind's default, e.g. for a stream that ended early. */
  message?: string;
  /** Low-level text for the 'other' kind's message. */
  detail?: string;
}

/** The connection to the server could not be made or broke; worth trying again later. */
export class NetworkError extends OllamaError {
  override readonly name = 'NetworkError';
  readonly kind: NetworkErrorKind;

  constructor(kind: NetworkErrorKind, options: NetworkErrorOptions = {}) {
    super(options.message ?? NetworkError.describe(kind, options), true, options);
    this.kind = kind;
  }

  private static describe(kind: NetworkErrorKind, options: NetworkErrorOptions): string {
    const where = OllamaError.where(options.host);
    const host = options.host ?? _('the server');
    switch (kind) {
      case 'refused':
        return fillTemplate(_('{where} refused the connection. Is it running?'), { where });
      case 'dns':
        return fillTemplate(
          _('Could not find {host}. Check the address and your network connection.'),
          // A name lookup is about the name alone, not the port.
          { host: /^(\[[^\]]*\]|[^:]*):\d+$/.exec(host)?.[1] ?? host },
        );
      case 'reset':
        return fillTemplate(_('The connection to {where} broke off. Try again.'), { where });
      case 'unreachable':
        // Translators: {host} is a server address, or “the server” when it is not known.
        return fillTemplate(_('{host} cannot be reached. Check your network connection.'), {
          host,
        });
      case 'other':
        return options.detail
          ? fillTemplate(_('Could not talk to {where}: {detail}.'), {
              where,
              detail: OllamaError.clause(options.detail),
            })
          : fillTemplate(_('Could not talk to {where}. Check your network connection.'), { where });
    }
  }
}
