import GObject from 'gi://GObject';
import { gettext as _ } from 'gettext';

import type { ModelTag } from '../catalog/model-tag.js';
import { fillTemplate, formatBytes } from '../util/text.js';
import type { SizeAdvice } from './size-adviser.js';

/**
 * One entry of Add Model's Size or Variant list: a tag with what the catalog says of it
 * and, once it arrives, the fit advice. `summary` (notified when the advice arrives) is
 * what the row's subtitle and the list item's accessible name say.
 */
export class PaddockSizeItem extends GObject.Object {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockSizeItem',
        Properties: {
          summary: GObject.ParamSpec.string('summary', null, null, GObject.ParamFlags.READABLE, ''),
        },
      },
      this,
    );
  }

  readonly tag: ModelTag;
  /** "8b" in the Size list, the tag's name in the Variant list. */
  readonly title: string;
  /** The variant a size pulls when none is chosen. */
  readonly isDefaultVariant: boolean;
  #advice: SizeAdvice | null = null;

  constructor(tag: ModelTag, title: string, isDefaultVariant = false) {
    super();
    this.tag = tag;
    this.title = title;
    this.isDefaultVariant = isDefaultVariant;
  }

  get advice(): SizeAdvice | null {
    return this.#advice;
  }

  set advice(advice: SizeAdvice | null) {
    this.#advice = advice;
    this.notify('summary');
  }

  /** "5.2 GB · 40K context · Text"; cloud tags say where they run. */
  get facts(): string {
    const download = this.#advice?.download ?? null;
    const tag = this.tag;
    return [
      this.isDefaultVariant ? _('default') : null,
      tag.isCloud
        ? _('runs on ollama.com')
        : download === null && tag.sizeBytes !== null
          ? this.#advice?.downloadApproximate
            ? fillTemplate(_('about {size}'), { size: formatBytes(tag.sizeBytes) })
            : formatBytes(tag.sizeBytes)
          : null,
      tag.context ? fillTemplate(_('{context} context'), { context: tag.context }) : null,
      tag.input,
    ]
      .filter((fact): fact is string => Boolean(fact))
      .join(' · ');
  }

  /** The adviser's download sentence, or ''. */
  get download(): string {
    return this.#advice?.download ?? '';
  }

  /** The verdict, marked when it rests on a rough estimate; '' when nothing is known. */
  get verdict(): string {
    const advice = this.#advice;
    if (!advice?.verdict) return '';
    return advice.approximate
      ? fillTemplate(_('{verdict} (rough estimate)'), { verdict: advice.verdict })
      : advice.verdict;
  }

  /** "8b — 5.2 GB · 40K context · Text", then the download and the verdict, a line each. */
  get summary(): string {
    return this.#parts().join('\n');
  }

  /** What the row says once it is chosen: the default variant repeats nothing of its size. */
  get rowSummary(): string {
    return this.isDefaultVariant
      ? fillTemplate(_('{name} — default'), { name: this.title })
      : this.summary;
  }

  /** The summary on one line, for screen readers. */
  get accessibleText(): string {
    return this.#parts().join('. ');
  }

  #parts(): string[] {
    const facts = this.facts;
    const head = facts ? `${this.title} — ${facts}` : this.title;
    return [head, this.download, this.verdict].filter(Boolean);
  }
}
