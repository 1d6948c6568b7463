/** Go type of a request field; `any` accepts every JSON value. */
export type GoType = string;

export type GoDecodeResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; empty: boolean; message: string };

class SyntaxFault extends Error {}

/**
 * Decodes a request body the way Ollama's handlers do (gin's ShouldBindJSON, i.e. Go's
 * json.Decoder into a struct), so a bad body gets the same 400 message as from Ollama:
 * an empty body is io.EOF, cut-off JSON is "unexpected EOF", a stray character is
 * "invalid character 'x' …", a wrong type is "json: cannot unmarshal …". Like Go's
 * Decoder, only the first value counts and anything after it is ignored.
 */
export class GoJsonDecoder {
  private text = '';
  private pos = 0;

  /**
   * @param typeName Go struct name without package, e.g. `PullRequest`
   * @param fields JSON field name → Go type: `string`, `bool`, `int`, `any`, a map (`map[string]interface {}`),
   *   a struct (`api.Message`) or a slice of them (`[]api.Message`)
   */
  constructor(
    private readonly typeName: string,
    private readonly fields: Record<string, GoType>,
  ) {}

  decode(text: string): GoDecodeResult {
    this.text = text;
    this.pos = 0;
    this.skipSpace();
    if (this.pos >= text.length) return { ok: false, empty: true, message: 'EOF' };
    const start = this.pos;
    try {
      this.value('looking for beginning of value');
    } catch (error) {
      if (error instanceof SyntaxFault) return { ok: false, empty: false, message: error.message };
      throw error;
    }
    return this.bind(JSON.parse(text.slice(start, this.pos)));
  }

  private bind(parsed: unknown): GoDecodeResult {
    if (parsed === null) return { ok: true, value: {} };
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      return {
        ok: false,
        empty: false,
        message: `json: cannot unmarshal ${kindOf(parsed)} into Go value of type api.${this.typeName}`,
      };
    }
    const value: Record<string, unknown> = {};
    let firstError: string | null = null;
    for (const [key, item] of Object.entries(parsed as Record<string, unknown>)) {
      // Go matches keys to fields case-insensitively.
      const field = Object.keys(this.fields).find(
        (name) => name.toLowerCase() === key.toLowerCase(),
      );
      if (field === undefined || item === null) continue;
      const type = this.fields[field];
      // For a slice Go names the element type it could not fill.
      const element = type.startsWith('[]') && Array.isArray(item) ? type.slice(2) : null;
      const misfit = element
        ? (item as unknown[]).find((entry) => entry !== null && !fits(element, entry))
        : fits(type, item)
          ? undefined
          : item;
      if (misfit !== undefined) {
        firstError ??= `json: cannot unmarshal ${kindOf(misfit)} into Go struct field ${this.typeName}.${field} of type ${element ?? type}`;
        continue;
      }
      value[field] = item;
    }
    if (firstError !== null) return { ok: false, empty: false, message: firstError };
    return { ok: true, value };
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private next(): string {
    const char = this.text[this.pos];
    if (char === undefined) throw new SyntaxFault('unexpected EOF');
    this.pos++;
    return char;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }

  private invalid(char: string, context: string): SyntaxFault {
    return new SyntaxFault(`invalid character ${quoteChar(char)} ${context}`);
  }

  private value(context: string): void {
    this.skipSpace();
    const char = this.next();
    if (char === '{') this.object();
    else if (char === '[') this.array();
    else if (char === '"') this.string();
    else if (char === '-' || isDigit(char)) this.number(char);
    else if (char === 't') this.literal('rue', 'true');
    else if (char === 'f') this.literal('alse', 'false');
    else if (char === 'n') this.literal('ull', 'null');
    else throw this.invalid(char, context);
  }

  private object(): void {
    this.skipSpace();
    if (this.peek() === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const quote = this.next();
      if (quote !== '"') throw this.invalid(quote, 'looking for beginning of object key string');
      this.string();
      this.skipSpace();
      const colon = this.next();
      if (colon !== ':') throw this.invalid(colon, 'after object key');
      this.value('looking for beginning of value');
      this.skipSpace();
      const after = this.next();
      if (after === '}') return;
      if (after !== ',') throw this.invalid(after, 'after object key:value pair');
    }
  }

  private array(): void {
    this.skipSpace();
    if (this.peek() === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value('looking for beginning of value');
      this.skipSpace();
      const after = this.next();
      if (after === ']') return;
      if (after !== ',') throw this.invalid(after, 'after array element');
    }
  }

  private string(): void {
    for (;;) {
      const char = this.next();
      if (char === '"') return;
      if (char === '\\') {
        const escape = this.next();
        if (escape === 'u') {
          for (let i = 0; i < 4; i++) {
            const hex = this.next();
            if (!/^[0-9a-fA-F]$/.test(hex))
              throw this.invalid(hex, 'in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(escape)) {
          throw this.invalid(escape, 'in string escape code');
        }
      } else if (char.charCodeAt(0) < 0x20) {
        throw this.invalid(char, 'in string literal');
      }
    }
  }

  private number(first: string): void {
    let char: string | undefined = first;
    if (char === '-') {
      char = this.next();
      if (!isDigit(char)) throw this.invalid(char, 'in numeric literal');
    }
    if (char !== '0') this.digits();
    if (this.peek() === '.') {
      this.pos++;
      const digit = this.next();
      if (!isDigit(digit)) throw this.invalid(digit, 'after decimal point in numeric literal');
      this.digits();
    }
    const exponent = this.peek();
    if (exponent === 'e' || exponent === 'E') {
      this.pos++;
      let digit = this.next();
      if (digit === '+' || digit === '-') digit = this.next();
      if (!isDigit(digit)) throw this.invalid(digit, 'in exponent of numeric literal');
      this.digits();
    }
  }

  private digits(): void {
    while (this.pos < this.text.length && isDigit(this.text[this.pos])) this.pos++;
  }

  private literal(rest: string, word: string): void {
    for (const expected of rest) {
      const char = this.next();
      if (char !== expected)
        throw this.invalid(char, `in literal ${word} (expecting '${expected}')`);
    }
  }
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

/** Go's quoteChar: `'x'`, `'\''`, `'"'`, `'\n'`. */
function quoteChar(char: string): string {
  if (char === "'") return "'\\''";
  if (char === '"') return "'\"'";
  const quoted = JSON.stringify(char);
  return `'${quoted.slice(1, -1)}'`;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'object';
  return typeof value; // string | number
}

function fits(type: GoType, value: unknown): boolean {
  if (type === 'any') return true;
  if (type === 'string') return typeof value === 'string';
  if (type === 'bool') return typeof value === 'boolean';
  if (type.startsWith('[]')) return Array.isArray(value);
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  // Maps and structs (api.Message, …) both come from JSON objects.
  if (type.startsWith('map[') || type.startsWith('api.')) return isObject;
  return typeof value === 'number';
}
