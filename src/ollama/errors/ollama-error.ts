import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';

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
export abstract class OllamaError extends Error {
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
