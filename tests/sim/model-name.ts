const DEFAULT_HOST = 'registry.ollama.ai';
const DEFAULT_NAMESPACE = 'library';
const DEFAULT_TAG = 'latest';
// Ollama marks a part that was promised by a separator but left empty, so it fails validation.
const MISSING = '!MISSING!';

type PartKind = 'host' | 'namespace' | 'model' | 'tag';

/** Ollama's model names: `[host/][namespace/]model[:tag]`, parsed and checked like types/model. */
export class ModelName {
  private constructor(
    readonly host: string,
    readonly namespace: string,
    readonly model: string,
    readonly tag: string,
  ) {}

  static parse(text: string): ModelName {
    let rest = text;
    let tag = '';
    let namespace = '';
    let host = '';
    // The tag follows the last ':' only when that ':' comes after the last '/'.
    if (rest.lastIndexOf(':') > rest.lastIndexOf('/')) [rest, tag] = cutLast(rest, ':');
    const slash = rest.lastIndexOf('/');
    let model: string;
    if (slash < 0) {
      model = rest;
    } else {
      [rest, model] = cutLast(rest, '/');
      if (rest.lastIndexOf('/') < 0) {
        namespace = rest;
      } else {
        [rest, namespace] = cutLast(rest, '/');
        const scheme = rest.indexOf('://');
        host = scheme >= 0 ? rest.slice(scheme + 3) : rest;
      }
    }
    return new ModelName(
      host || DEFAULT_HOST,
      namespace || DEFAULT_NAMESPACE,
      model,
      tag || DEFAULT_TAG,
    );
  }

  isValid(): boolean {
    return (
      isValidPart('host', this.host) &&
      isValidPart('namespace', this.namespace) &&
      isValidPart('model', this.model) &&
      isValidPart('tag', this.tag)
    );
  }

  /** The name as Ollama shows it: default host and namespace left out, tag always present. */
  displayShortest(): string {
    let prefix = '';
    if (this.host.toLowerCase() !== DEFAULT_HOST) prefix = `${this.host}/${this.namespace}/`;
    else if (this.namespace.toLowerCase() !== DEFAULT_NAMESPACE) prefix = `${this.namespace}/`;
    return `${prefix}${this.model}:${this.tag}`;
  }

  /** Names compare case-insensitively, on all four parts. */
  key(): string {
    return `${this.host}/${this.namespace}/${this.model}:${this.tag}`.toLowerCase();
  }

  equals(other: ModelName): boolean {
    return this.key() === other.key();
  }
}

function cutLast(text: string, separator: string): [string, string] {
  const index = text.lastIndexOf(separator);
  const before = text.slice(0, index);
  const after = text.slice(index + separator.length);
  return [before || MISSING, after || MISSING];
}

function isAlphanumericOrUnderscore(char: string): boolean {
  return /^[A-Za-z0-9_]$/.test(char);
}

function isValidPart(kind: PartKind, part: string): boolean {
  const max = kind === 'host' ? 350 : 80;
  if (part.length < 1 || part.length > max) return false;
  for (let i = 0; i < part.length; i++) {
    const char = part[i];
    if (i === 0) {
      if (!isAlphanumericOrUnderscore(char)) return false;
      continue;
    }
    if (char === '_' || char === '-') continue;
    if (char === '.') {
      if (kind === 'namespace') return false;
      continue;
    }
    if (char === ':') {
      if (kind !== 'host') return false;
      continue;
    }
    if (!isAlphanumericOrUnderscore(char)) return false;
  }
  return true;
}
