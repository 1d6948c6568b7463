import { gettext as _ } from 'gettext';

import { PaddockError } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';

/** The catalog could not be downloaded. `reason` completes "Couldn’t refresh the model catalog: …". */
export class CatalogFetchError extends PaddockError {
  override readonly name = 'CatalogFetchError';
  /** Plain language, lower case, no final period: "catalog.example.com did not answer within 30 seconds". */
  readonly reason: string;

  constructor(reason: string, options: { cause?: unknown } = {}) {
    // Translators: {reason} is one of the catalog's clauses, such as “example.com did not answer in time”.
    super(fillTemplate(_('Couldn’t download the model catalog: {reason}.'), { reason }), options);
    this.reason = reason;
  }
}

/** A catalog document that holds no usable model at all (a single bad entry is only skipped). */
export class CatalogFormatError extends PaddockError {
  override readonly name = 'CatalogFormatError';
  /** What is wrong, as the end of a sentence: "the catalog lists no models". */
  readonly detail: string;

  constructor(detail: string) {
    super(fillTemplate(_('The model catalog cannot be used: {detail}.'), { detail }));
    this.detail = detail;
  }
}
