import { gettext as _ } from 'gettext';

import { fillTemplate } from '../../util/template.js';
import { OllamaError, type OllamaErrorOptions } from './ollama-error.js';

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
