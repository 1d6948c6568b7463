import { gettext as _ } from 'gettext';

import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

/** The caller cancelled the request; nothing to report to anyone. */
export class CancelledError extends OllamaError {
  override readonly name = 'CancelledError';

  constructor(options: OllamaErrorOptions = {}) {
    super(_('Cancelled.'), false, options);
  }
}
