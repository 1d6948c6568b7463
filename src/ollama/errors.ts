import { gettext as _, ngettext } from 'gettext';

import { PaddockError } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';

export interface OllamaErrorOptions {
  /** The server as people know it, e.g. "192.168.1.5:11434"; null when no server is involved. */
  host?: string | null;
  /** The lower-level error (usually a GLib.Error), kept for logs. */
  cause?: unknown;
}

/**
 * Base of every error the Ollama client raises. `message` is a plain-language sentence
 * that says what happened and what to do; `retryable` says whether the same request
 * may succeed later without anyone changing anything.
 */
export abstract class OllamaError extends PaddockError {
  readonly retryable: boolean;
  readonly host: string | null;

  protected constructor(message: string, retryable: boolean, options: OllamaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = retryable;
    this.host = options.host ?? null;
  }

  /** "Ollama at 192.168.1.5:11434", or just "Ollama" when the host is unknown. */
  protected static where(host: string | null | undefined): string {
    // Translators: {host} is a server address such as 192.168.1.5:11434. The result stands
    // for {where} in other messages, as their subject or object.
    return host ? fillTemplate(_('Ollama at {host}'), { host }) : 'Ollama';
  }

  /** Server text as the end of a sentence: trimmed, without its own final period. */
  protected static clause(text: string): string {
    return text.trim().replace(/[.\s]+$/, '');
  }
}

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

/** What an `{"error": …}` line in a stream means, as far as the text tells. */
export type StreamErrorReason =
  | 'unknown-model'
  | 'unauthorized'
  | 'outdated-server'
  | 'invalid-name'
  | 'disk-full'
  | 'digest-mismatch'
  | 'network'
  | 'other';

const permanentReasons: ReadonlySet<StreamErrorReason> = new Set([
  'unknown-model',
  'unauthorized',
  'outdated-server',
  'invalid-name',
  'disk-full',
]);

/** The server reported an error in the middle of a streamed reply (the HTTP status stays 200). */
export class StreamError extends OllamaError {
  override readonly name = 'StreamError';
  readonly serverText: string;
  readonly reason: StreamErrorReason;

  constructor(serverText: string, options: OllamaErrorOptions = {}) {
    const reason = StreamError.classify(serverText);
    super(
      StreamError.describe(reason, serverText, options.host),
      !permanentReasons.has(reason),
      options,
    );
    this.serverText = serverText;
    this.reason = reason;
  }

  /** Reads the cause from Ollama's error texts (see its server's pull code). */
  static classify(serverText: string): StreamErrorReason {
    const text = serverText.toLowerCase();
    if (text.includes('file does not exist')) return 'unknown-model';
    // Hugging Face refuses a gated or private repository's manifest with 401 (or 403).
    if (text.includes('unauthorized') || /manifest: 40[13]\b/.test(text)) return 'unauthorized';
    if (/\b412\b/.test(text)) return 'outdated-server';
    if (text.includes('invalid model name')) return 'invalid-name';
    if (text.includes('no space left on device')) return 'disk-full';
    if (text.includes('digest mismatch')) return 'digest-mismatch';
    if (
      /max retries exceeded|unexpected eof|connection reset|i\/o timeout|timeout|tls handshake|no such host|connection refused/.test(
        text,
      )
    )
      return 'network';
    return 'other';
  }

  private static describe(
    reason: StreamErrorReason,
    serverText: string,
    host: string | null | undefined,
  ): string {
    // Translators: in these messages {where} is “Ollama at <address>” and {said} the
    // server's own (English) error text.
    const text = (template: string) =>
      fillTemplate(template, {
        where: OllamaError.where(host),
        said: OllamaError.clause(serverText),
        host: host ?? '',
      });
    switch (reason) {
      case 'unknown-model':
        return text(
          _(
            '{where} found no model with this name and tag in the registry. Check the spelling and the tag.',
          ),
        );
      case 'unauthorized':
        return text(
          _(
            'The registry refused {where} access to this model ({said}). The model may be private, or need an account the server is not signed in to.',
          ),
        );
      case 'outdated-server':
        return host
          ? text(
              _(
                'This model needs a newer version of Ollama than the one at {host}. Update Ollama there, then try again.',
              ),
            )
          : _(
              'This model needs a newer version of Ollama than the one at this server. Update Ollama there, then try again.',
            );
      case 'invalid-name':
        return text(_('{where} says the model name is not valid. Check the name.'));
      case 'disk-full':
        return text(
          _(
            'The computer running {where} ran out of disk space. Free some space there, then try again.',
          ),
        );
      case 'digest-mismatch':
        return text(
          _(
            'A downloaded file arrived damaged ({said}); {where} threw it away. Trying again downloads it anew.',
          ),
        );
      case 'network':
        return text(
          _(
            '{where} lost its connection while downloading ({said}). Trying again resumes where it stopped.',
          ),
        );
      case 'other':
        return text(_('{where} reported an error: {said}.'));
    }
  }
}

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

/** The caller cancelled the request; nothing to report to anyone. */
export class CancelledError extends OllamaError {
  override readonly name = 'CancelledError';

  constructor(options: OllamaErrorOptions = {}) {
    super(_('Cancelled.'), false, options);
  }
}

/** The server's reply did not have the expected shape (a proxy hiccup, or an unexpected version). */
export class MalformedReplyError extends OllamaError {
  override readonly name = 'MalformedReplyError';
  /** What was wrong, e.g. "models[2].size is not a number". */
  readonly detail: string;

  constructor(detail: string, options: OllamaErrorOptions = {}) {
    super(
      fillTemplate(
        _(
          '{where} sent a reply Paddock cannot read ({detail}). If this keeps happening, update Ollama or check any proxy in between.',
        ),
        { where: OllamaError.where(options.host), detail: OllamaError.clause(detail) },
      ),
      true,
      options,
    );
    this.detail = detail;
  }
}

/** Something answered at the address, but it is not an Ollama server (a web page, another service). */
export class NotOllamaError extends OllamaError {
  override readonly name = 'NotOllamaError';

  constructor(options: OllamaErrorOptions = {}) {
    super(
      options.host
        ? fillTemplate(
            _(
              'The server at {host} answered, but it is not Ollama. Check the address and the port (Ollama uses 11434 unless told otherwise).',
            ),
            { host: options.host },
          )
        : _(
            'The server at this address answered, but it is not Ollama. Check the address and the port (Ollama uses 11434 unless told otherwise).',
          ),
      false,
      options,
    );
  }
}

/** A model name that breaks Ollama's naming rules; raised before anything is sent. */
export class InvalidModelNameError extends OllamaError {
  override readonly name = 'InvalidModelNameError';
  /** The text that was given. */
  readonly modelName: string;
  /** Which rule it breaks, e.g. "the tag is longer than 80 characters". */
  readonly reason: string;

  constructor(modelName: string, reason: string) {
    // Translators: {reason} is one of the “the tag is empty”-like clauses below.
    super(
      fillTemplate(_('“{name}” is not a valid model name: {reason}.'), { name: modelName, reason }),
      false,
    );
    this.modelName = modelName;
    this.reason = reason;
  }
}

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
