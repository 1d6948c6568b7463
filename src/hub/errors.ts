import { gettext as _ } from 'gettext';

import { PaddockError } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';

/**
 * Why the Hub could not answer: `not-found` (no such repository, or one hidden from us),
 * `gated` / `private` (only an account with access may download it: the Ollama server
 * needs its own key), `rate-limited` (429), `offline` (network, timeout, TLS), `failed`
 * (any other answer, or one that cannot be read).
 */
export type HubErrorKind =
  'not-found' | 'gated' | 'private' | 'rate-limited' | 'offline' | 'failed';

export interface HubErrorOptions {
  /** For `rate-limited`: the Hub's Retry-After in seconds, when it sent one. */
  retryAfterSeconds?: number | null;
  cause?: unknown;
}

/** The Hub's answer as a sentence for people; `kind` says what can be done about it. */
export class HubError extends PaddockError {
  override readonly name = 'HubError';
  readonly retryAfterSeconds: number | null;

  constructor(
    readonly kind: HubErrorKind,
    message: string,
    options: HubErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }

  /** Whether the same request may work later without anyone changing anything. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'offline';
  }
}

/** The Hub as the subject of a sentence: “Hugging Face”, or “Hugging Face at HOST” for a mirror. */
export function hubWhere(host: string): string {
  if (host === 'huggingface.co') return _('Hugging Face');
  // Translators: {host} is the address of a Hugging Face mirror, such as hf-mirror.com.
  return fillTemplate(_('Hugging Face at {host}'), { host });
}
