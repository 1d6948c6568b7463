import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

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
