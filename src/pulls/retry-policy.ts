import { gettext as _, ngettext } from 'gettext';

import { CancelledError, OllamaError } from '../ollama/errors.js';
import { errorText } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';
import { MAX_LAYERS, MAX_RETRIES } from './saved-pull.js';

/** Waits before retry 1, 2, … 5; any progress starts the list again. */
export const RETRY_DELAYS_SECONDS: readonly number[] = [10, 30, 60, 120, 300];

export interface FailureVerdict {
  /** Retrying cannot help: someone has to change something first. */
  permanent: boolean;
  /** Plain language: what happened and what to do. */
  message: string;
}

/** Milliseconds to wait before the next retry, or null when all retries are spent. */
export function retryDelayMs(retryCount: number): number | null {
  if (retryCount >= MAX_RETRIES) return null;
  return RETRY_DELAYS_SECONDS[Math.min(retryCount, RETRY_DELAYS_SECONDS.length - 1)] * 1000;
}

/**
 * Sorts a failed attempt's error. The client's errors know whether retrying may help
 * (`retryable`): an unknown model, 401/403, a bad name, a full disk, TLS trouble or a
 * server that is not Ollama need a person; a dropped connection, HTTP 5xx, a mid-stream
 * error, a stream that ended early or a garbled line may pass. Anything else (a keyring
 * hiccup) is worth a few retries too.
 */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof CancelledError)
    return { permanent: false, message: _('The download was interrupted.') };
  if (error instanceof OllamaError) return { permanent: !error.retryable, message: error.message };
  return { permanent: false, message: errorText(error) };
}

export function stallMessage(seconds: number, host: string): string {
  return fillTemplate(
    _(
      'No data came from Ollama at {host} for {seconds} s, so Paddock closed the download to start it again. Ollama keeps what it has.',
    ),
    { host, seconds },
  );
}

export function tooManyLayersMessage(host: string): string {
  return fillTemplate(
    _(
      'Ollama at {host} sent more than {count} layers for this model, so Paddock stopped the download.',
    ),
    { host, count: MAX_LAYERS.toLocaleString() },
  );
}

export function gaveUpMessage(lastMessage: string): string {
  return fillTemplate(
    ngettext(
      'Gave up after {count} retry. {reason}',
      'Gave up after {count} retries. {reason}',
      MAX_RETRIES,
    ),
    {
      count: MAX_RETRIES,
      reason: lastMessage,
    },
  );
}
