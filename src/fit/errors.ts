import { gettext as _ } from 'gettext';

import { PaddockError } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';

/** A GGUF header Paddock cannot read: not GGUF, a version it does not know, cut short, or lying. */
export class GgufHeaderError extends PaddockError {
  override readonly name = 'GgufHeaderError';
  /** What is wrong, as the end of a sentence: "it ends after 1,024 bytes". */
  readonly detail: string;

  constructor(detail: string) {
    // Translators: {detail} says what is wrong, e.g. “it does not start with GGUF”.
    super(fillTemplate(_('The model file’s header cannot be read: {detail}.'), { detail }));
    this.detail = detail;
  }
}

/** The registry or its blob store did not give the bytes asked for. */
export class BlobReadError extends PaddockError {
  override readonly name = 'BlobReadError';
  /** Plain language, lower case, no final period: "registry.ollama.ai answered “404 Not Found”". */
  readonly reason: string;

  constructor(reason: string, options: { cause?: unknown } = {}) {
    // Translators: {reason} says what the registry did, e.g. “registry.ollama.ai answered “404 Not Found””.
    super(fillTemplate(_('Couldn’t read the model file’s header: {reason}.'), { reason }), options);
    this.reason = reason;
  }
}
