/**
 * A JSON file Paddock cannot use as it is (too large, not UTF-8, not JSON) or a value too
 * large to write. `message` is a clause for the user: "it is not UTF-8 text".
 */
export class JsonFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFileError';
  }
}
