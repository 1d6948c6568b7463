import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

export type TlsProblem = 'bad-certificate' | 'not-tls' | 'other';

export interface TlsErrorOptions extends OllamaErrorOptions {
  problem?: TlsProblem;
  /** Low-level text for the 'other' problem's message. */
  detail?: string;
}

/** The secure (https) connection failed; someone has to fix the address or the certificate. */
export class TlsError extends OllamaError {
  override readonly name = 'TlsError';
  readonly problem: TlsProblem;

  constructor(options: TlsErrorOptions = {}) {
    const problem = options.problem ?? 'other';
    super(TlsError.describe(problem, options), false, options);
    this.problem = problem;
  }

  private static describe(problem: TlsProblem, options: TlsErrorOptions): string {
    // Translators: {host} is a server address, or “the server” when it is not known.
    const host = options.host ?? _('the server');
    switch (problem) {
      case 'bad-certificate':
        return fillTemplate(
          _(
            "The secure connection to {host} failed: its certificate is not trusted. Check the address, or make this computer trust the server's certificate.",
          ),
          { host },
        );
      case 'not-tls':
        return fillTemplate(
          _('{host} does not speak HTTPS. Try an address that starts with http://.'),
          { host },
        );
      case 'other':
        return options.detail
          ? fillTemplate(
              _(
                'The secure connection to {host} failed ({detail}). Check that the address and port are right.',
              ),
              { host, detail: OllamaError.clause(options.detail) },
            )
          : fillTemplate(
              _(
                'The secure connection to {host} failed. Check that the address and port are right.',
              ),
              { host },
            );
    }
  }
}
