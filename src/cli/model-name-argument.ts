import { InvalidModelNameError } from '../ollama/errors.js';
import { ModelName } from '../ollama/model-name.js';
import { CommandError } from './errors.js';

/** The model's name as Ollama would take it; CommandError, before anything is sent, otherwise. */
export function checkModelName(text: string): ModelName {
  try {
    return ModelName.parse(text.trim());
  } catch (error) {
    if (error instanceof InvalidModelNameError) throw new CommandError(error.message);
    throw error;
  }
}
