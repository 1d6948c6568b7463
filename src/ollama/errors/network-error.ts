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
    const host = options.host ?? 'the server';
    switch (kind) {
      case 'refused':
        return `${where} refused the connection. Is it running?`;
      case 'dns':
        // A name lookup is about the name alone, not the port.
        return `Could not find ${/^(\[[^\]]*\]|[^:]*):\d+$/.exec(host)?.[1] ?? host}. Check the address and your network connection.`;
      case 'reset':
        return `The connection to ${where} broke off. Try again.`;
      case 'unreachable':
        return `${host} cannot be reached. Check your network connection.`;
      case 'other':
        return options.detail
          ? `Could not talk to ${where}: ${OllamaError.clause(options.detail)}.`
          : `Could not talk to ${where}. Check your network connection.`;
    }
  }
}
