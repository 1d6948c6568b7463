import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

/** The server's reply did not have the expected shape (a proxy hiccup, or an unexpected version). */
export class MalformedReplyError extends OllamaError {
  override readonly name = 'MalformedReplyError';
  /** What was wrong, e.g. "models[2].size is not a number". */
  readonly detail: string;

  constructor(detail: string, options: OllamaErrorOptions = {}) {
    super(
      `${OllamaError.where(options.host)} sent a reply Paddock cannot read (${OllamaError.clause(detail)}). If this keeps happening, update Ollama or check any proxy in between.`,
      true,
      options,
    );
    this.detail = detail;
  }
}
