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
    const host = options.host ?? 'the server';
    switch (problem) {
      case 'bad-certificate':
        return `The secure connection to ${host} failed: its certificate is not trusted. Check the address, or make this computer trust the server's certificate.`;
      case 'not-tls':
        return `${host} does not speak HTTPS. Try an address that starts with http://.`;
      case 'other':
        return options.detail
          ? `The secure connection to ${host} failed (${OllamaError.clause(options.detail)}). Check that the address and port are right.`
          : `The secure connection to ${host} failed. Check that the address and port are right.`;
    }
  }
}
