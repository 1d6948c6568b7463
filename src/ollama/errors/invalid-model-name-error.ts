import { OllamaError } from './ollama-error.js';

/** A model name that breaks Ollama's naming rules; raised before anything is sent. */
export class InvalidModelNameError extends OllamaError {
  override readonly name = 'InvalidModelNameError';
  /** The text that was given. */
  readonly modelName: string;
  /** Which rule it breaks, e.g. "the tag is longer than 80 characters". */
  readonly reason: string;

  constructor(modelName: string, reason: string) {
    super(`“${modelName}” is not a valid model name: ${reason}.`, false);
    this.modelName = modelName;
    this.reason = reason;
  }
}
