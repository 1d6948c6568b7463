import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError } from './ollama-error.js';

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
