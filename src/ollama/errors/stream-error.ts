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
    const where = OllamaError.where(host);
    const said = OllamaError.clause(serverText);
    switch (reason) {
      case 'unknown-model':
        return `${where} found no model with this name and tag in the registry. Check the spelling and the tag.`;
      case 'unauthorized':
        return `The registry refused ${where} access to this model (${said}). The model may be private, or need an account the server is not signed in to.`;
      case 'outdated-server':
        return `This model needs a newer version of Ollama than the one at ${host ?? 'this server'}. Update Ollama there, then try again.`;
      case 'invalid-name':
        return `${where} says the model name is not valid. Check the name.`;
      case 'disk-full':
        return `The computer running ${where} ran out of disk space. Free some space there, then try again.`;
      case 'digest-mismatch':
        return `A downloaded file arrived damaged (${said}); ${where} threw it away. Trying again downloads it anew.`;
      case 'network':
        return `${where} lost its connection while downloading (${said}). Trying again resumes where it stopped.`;
      case 'other':
        return `${where} reported an error: ${said}.`;
    }
  }
}
