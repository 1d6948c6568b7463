import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

export interface HttpErrorOptions extends OllamaErrorOptions {
  /** Whether the request carried an API key, which changes the advice for 401/403. */
  apiKeySent?: boolean;
}

/** The server (or a proxy in front of it) answered with an HTTP error status. */
export class HttpError extends OllamaError {
  override readonly name = 'HttpError';
  readonly status: number;
  /** The `{"error": …}` text of a JSON reply, or null. */
  readonly serverText: string | null;

  constructor(status: number, serverText: string | null, options: HttpErrorOptions = {}) {
    super(HttpError.describe(status, serverText, options), HttpError.isRetryable(status), options);
    this.status = status;
    this.serverText = serverText;
  }

  /** Server trouble and rate limits pass; the rest needs someone to change something. */
  static isRetryable(status: number): boolean {
    return status >= 500 || status === 408 || status === 429;
  }

  private static describe(
    status: number,
    serverText: string | null,
    options: HttpErrorOptions,
  ): string {
    const where = OllamaError.where(options.host);
    const said = serverText ? OllamaError.clause(serverText) : null;
    // Translators: in these messages {where} is “Ollama at <address>”, {status} an HTTP
    // status code and {said} the server's own (English) explanation.
    const text = (template: string) => fillTemplate(template, { where, status, said: said ?? '' });
    switch (status) {
      case 401:
        return options.apiKeySent
          ? text(
              _(
                "{where} did not accept the API key (HTTP 401). Check the key in this connection's settings.",
              ),
            )
          : text(
              _(
                "{where} asks for an API key (HTTP 401). Add the key in this connection's settings.",
              ),
            );
      case 403:
        return options.apiKeySent
          ? text(
              _(
                '{where} refused access with this API key (HTTP 403). Check that the key is right and allowed on this server.',
              ),
            )
          : text(
              _(
                "{where} refused access (HTTP 403). If it is behind a proxy, add its API key in this connection's settings; an Ollama that listens only on its own computer also refuses requests that reach it by another name.",
              ),
            );
      case 404:
        return said
          ? text(_('{where}: {said}.'))
          : text(
              _(
                '{where} does not know this request (HTTP 404). Check the address, or update Ollama.',
              ),
            );
      case 408:
      case 429:
        return text(_('{where} is busy (HTTP {status}). Try again in a moment.'));
      case 502:
      case 503:
      case 504:
        return text(
          _(
            '{where} is unavailable (HTTP {status}). It may be starting or overloaded, or a proxy cannot reach it; try again in a moment.',
          ),
        );
    }
    if (status >= 500)
      return said
        ? text(_('{where} failed: {said} (HTTP {status}). Try again later.'))
        : text(_('{where} failed (HTTP {status}). Try again later.'));
    if (status === 400)
      return said
        ? text(_('{where} rejected the request: {said}.'))
        : text(_('{where} rejected the request: bad request (HTTP 400).'));
    return said
      ? text(_('{where} answered HTTP {status}: {said}.'))
      : text(_('{where} answered HTTP {status}.'));
  }
}
