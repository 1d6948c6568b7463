import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';
import { InvalidModelNameError } from './errors.js';

const DEFAULT_HOST = 'registry.ollama.ai';
const DEFAULT_NAMESPACE = 'library';
const DEFAULT_TAG = 'latest';

/** A tag that runs on ollama.com, not on the server (`cloud`, `480b-cloud`): nothing to download. */
export function isCloudTag(tag: string): boolean {
  const lower = tag.toLowerCase();
  return lower === 'cloud' || lower.endsWith('-cloud');
}

type PartKind = 'host' | 'namespace' | 'model' | 'tag';

const maxLength: Record<PartKind, number> = { host: 350, namespace: 80, model: 80, tag: 80 };
// After the first character, which must be [A-Za-z0-9_] for every part.
const allowedRest: Record<PartKind, RegExp> = {
  host: /^[A-Za-z0-9_.:-]*$/,
  namespace: /^[A-Za-z0-9_-]*$/,
  model: /^[A-Za-z0-9_.-]*$/,
  tag: /^[A-Za-z0-9_.-]*$/,
};

/** The part as the subject of a clause: “the tag”. */
function partName(kind: PartKind): string {
  switch (kind) {
    case 'host':
      // Translators: the first part of a model name such as example.com/user/model:tag.
      return _('the host');
    case 'namespace':
      // Translators: the “user” in a model name such as user/model:tag.
      return _('the namespace');
    case 'model':
      // Translators: the “model” in a model name such as user/model:tag.
      return _('the model');
    case 'tag':
      // Translators: the “tag” in a model name such as model:tag.
      return _('the tag');
  }
}

function allowedChars(kind: PartKind): string {
  switch (kind) {
    case 'host':
      return _('letters, digits, “_”, “.”, “:” and “-”');
    case 'namespace':
      return _('letters, digits, “_” and “-”');
    case 'model':
    case 'tag':
      return _('letters, digits, “_”, “.” and “-”');
  }
}

/**
 * A model name by Ollama's rules: `[host/][namespace/]model[:tag]`, with the defaults
 * registry.ollama.ai, library and latest. Parts keep the case they were given in;
 * comparisons ignore case, as Ollama does.
 */
export class ModelName {
  private constructor(
    readonly host: string,
    readonly namespace: string,
    readonly model: string,
    readonly tag: string,
  ) {}

  /** Throws InvalidModelNameError that says which rule the text breaks. */
  static parse(text: string): ModelName {
    const fail = (reason: string): never => {
      throw new InvalidModelNameError(text, reason);
    };
    if (text.length === 0) fail(_('it is empty'));
    if (/\s/.test(text)) fail(_('it contains spaces'));
    if (text.includes('://')) fail(_('leave out the “…://” in front'));

    const [rest, tag] = ModelName.splitTag(text);
    if (tag === '') fail(_('the tag after “:” is empty'));
    const parts = rest.split('/');
    if (parts.length > 3)
      fail(_('it has more than three “/”-separated parts (host/namespace/model)'));
    const model = parts[parts.length - 1];
    const namespace = parts.length >= 2 ? parts[parts.length - 2] : null;
    const host = parts.length === 3 ? parts[0] : null;

    if (host !== null) ModelName.check('host', host, fail);
    if (namespace !== null) ModelName.check('namespace', namespace, fail);
    ModelName.check('model', model, fail);
    if (tag !== null) ModelName.check('tag', tag, fail);
    return new ModelName(
      host ?? DEFAULT_HOST,
      namespace ?? DEFAULT_NAMESPACE,
      model,
      tag ?? DEFAULT_TAG,
    );
  }

  /**
   * Text split into the name and its tag, checking nothing: `qwen3:8b` → [`qwen3`, `8b`].
   * The tag is what follows the last ':', but only if that ':' comes after the last '/'
   * (`localhost:5000/ns/model` has none: that ':' is the host's port); null without one.
   */
  static splitTag(text: string): [name: string, tag: string | null] {
    const colon = text.lastIndexOf(':');
    if (colon <= text.lastIndexOf('/')) return [text, null];
    return [text.slice(0, colon), text.slice(colon + 1)];
  }

  static isValid(text: string): boolean {
    try {
      ModelName.parse(text);
      return true;
    } catch (error) {
      if (error instanceof InvalidModelNameError) return false;
      throw error;
    }
  }

  private static check(kind: PartKind, part: string, fail: (reason: string) => never): void {
    const reason = (template: string, values: Record<string, string | number> = {}): never =>
      fail(fillTemplate(template, { part: partName(kind), text: part, ...values }));
    // Translators: {part} is “the host”, “the namespace”, “the model” or “the tag”.
    if (part.length === 0) reason(_('{part} is empty'));
    if (part.length > maxLength[kind])
      reason(_('{part} is longer than {max} characters'), { max: maxLength[kind] });
    if (!/^[A-Za-z0-9_]/.test(part))
      reason(_('{part} “{text}” must start with a letter, a digit or “_”'));
    if (!allowedRest[kind].test(part)) {
      const bad = [...part].find((char) => !allowedRest[kind].test(char)) ?? '';
      const values = { char: bad, allowed: allowedChars(kind) };
      if (kind === 'namespace' && (bad === ':' || bad === '.'))
        reason(
          _(
            '{part} “{text}” contains “{char}”; only {allowed} are allowed (a server address needs all three parts: host/namespace/model)',
          ),
          values,
        );
      reason(_('{part} “{text}” contains “{char}”; only {allowed} are allowed'), values);
    }
  }

  /** The shortest form that means the same, always with the tag: `llama3.2:latest`, `user/model:tag`. */
  get display(): string {
    if (!ModelName.same(this.host, DEFAULT_HOST))
      return `${this.host}/${this.namespace}/${this.model}:${this.tag}`;
    if (!ModelName.same(this.namespace, DEFAULT_NAMESPACE))
      return `${this.namespace}/${this.model}:${this.tag}`;
    return `${this.model}:${this.tag}`;
  }

  /** Every part spelled out: `registry.ollama.ai/library/llama3.2:latest`. */
  get full(): string {
    return `${this.host}/${this.namespace}/${this.model}:${this.tag}`;
  }

  equals(other: ModelName): boolean {
    return ModelName.same(this.full, other.full);
  }

  toString(): string {
    return this.display;
  }

  private static same(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
  }
}
