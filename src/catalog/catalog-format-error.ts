import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/template.js';

/** A catalog document that holds no usable model at all (a single bad entry is only skipped). */
export class CatalogFormatError extends Error {
  override readonly name = 'CatalogFormatError';
  /** What is wrong, as the end of a sentence: "the catalog lists no models". */
  readonly detail: string;

  constructor(detail: string) {
    super(fillTemplate(_('The model catalog cannot be used: {detail}.'), { detail }));
    this.detail = detail;
  }
}
