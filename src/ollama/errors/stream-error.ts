import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

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
    if (text.includes('unauthorized')) return 'unauthorized';
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
