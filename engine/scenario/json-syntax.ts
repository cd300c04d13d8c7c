// Where and why JSON text is malformed: V8's JSON.parse messages carry no line, and sometimes no position.

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  message: string;
}

/** Deeper input is reported rather than scanned, so a hostile file cannot exhaust the stack. */
const MAX_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Thrown by the scanner at the first error; findJsonSyntaxError turns it into a JsonSyntaxError. */
class Malformed extends Error {
  constructor(readonly at: number, message: string) {
    super(message);
  }
}

/**
 * Whether `text` opens more than MAX_DEPTH arrays or objects inside each other (brackets inside
 * strings do not count). One linear pass with no recursion, so it is safe on any input.
 */
export function nestsTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** The first syntax error in `text` (RFC 8259 JSON), or undefined when it is well-formed. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { ...lineAndColumn(text, error.at), message: error.message };
  }
}

function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

class Scanner {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.value(0);
    this.space();
    if (this.at < this.text.length) throw new Malformed(this.at, `unexpected ${this.shown()} after the JSON value`);
  }

  private value(depth: number): void {
    this.space();
    const c = this.text[this.at];
    if (c === undefined) throw new Malformed(this.at, 'unexpected end of input, expected a value');
    if ((c === '{' || c === '[') && depth >= MAX_DEPTH) throw new Malformed(this.at, `nested deeper than ${MAX_DEPTH} levels`);
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    if (c === "'") throw new Malformed(this.at, 'strings need double quotes');
    throw new Malformed(this.at, `unexpected ${this.shown()}, expected a value`);
  }

  private object(depth: number): void {
    this.at++; // {
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') {
        const c = this.text[this.at];
        if (c === '}') throw new Malformed(this.at, "trailing comma before '}'");
        if (c === undefined) throw new Malformed(this.at, "unexpected end of input, expected a property name");
        throw new Malformed(this.at, `unexpected ${this.shown()}, expected a property name in double quotes`);
      }
      this.string();
      this.space();
      if (this.text[this.at] !== ':') this.fail("':' after the property name");
      this.at++;
      this.value(depth);
      this.space();
      const c = this.text[this.at];
      if (c === '}') {
        this.at++;
        return;
      }
      if (c !== ',') this.fail("',' or '}' after the property value");
      this.at++;
    }
  }

  private array(depth: number): void {
    this.at++; // [
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] === ']') throw new Malformed(this.at, "trailing comma before ']'");
      this.value(depth);
      this.space();
      const c = this.text[this.at];
      if (c === ']') {
        this.at++;
        return;
      }
      if (c !== ',') this.fail("',' or ']' after the array element");
      this.at++;
    }
  }

  private string(): void {
    const start = this.at;
    this.at++; // "
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) throw new Malformed(start, 'unterminated string');
      if (c === '"') {
        this.at++;
        return;
      }
      if (c.charCodeAt(0) < 0x20) {
        throw new Malformed(this.at, `${this.shown()} inside a string (escape it)`);
      }
      if (c === '\\') {
        const escape = this.text[this.at + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) {
            throw new Malformed(this.at, '\\u must be followed by four hex digits');
          }
          this.at += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) {
          // A control character after the backslash is named, not shown: the message stays one line.
          const shown = escape === undefined ? '' : /[\x20-\x7e]/.test(escape) ? escape : `<U+${escape.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;
          throw new Malformed(this.at, `bad escape '\\${shown}' in a string`);
        }
        this.at += 2;
        continue;
      }
      this.at++;
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.at;
    if (!NUMBER.test(this.text)) throw new Malformed(this.at, 'malformed number');
    this.at = NUMBER.lastIndex;
    const next = this.text[this.at];
    if (next !== undefined && /[0-9.eE+\-xXa-zA-Z_]/.test(next)) throw new Malformed(this.at, 'malformed number');
  }

  private space(): void {
    for (;;) {
      const c = this.text[this.at];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.at++;
      else if (c === '/' && (this.text[this.at + 1] === '/' || this.text[this.at + 1] === '*')) {
        throw new Malformed(this.at, 'comments are not allowed in JSON');
      } else return;
    }
  }

  private fail(expected: string): never {
    if (this.at >= this.text.length) throw new Malformed(this.at, `unexpected end of input, expected ${expected}`);
    throw new Malformed(this.at, `unexpected ${this.shown()}, expected ${expected}`);
  }

  /** The character at the cursor, quoted, with control characters escaped. */
  private shown(): string {
    const c = String.fromCodePoint(this.text.codePointAt(this.at) ?? 0);
    if (c === "'") return `"'"`;
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || code === 0xfffd) return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return `'${c}'`;
  }
}
