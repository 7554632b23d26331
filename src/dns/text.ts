/**
 * Presentation format (RFC 1035 §5.1) for record data: the tokens of one record's rdata,
 * character-strings with their quotes and escapes, and the base64 and hex fields of the
 * DNSSEC and key types. Zone-file concerns (parentheses over lines, comments, `$` directives)
 * are the zone parser's; it hands each record's rdata text here.
 */
import { DnsTextError } from './errors.js';
import { Name } from './name.js';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;

/**
 * Splits rdata text into tokens: runs of non-blank characters, or quoted strings (kept with
 * their quotes, so `string()` knows a quoted empty string from nothing). Backslash escapes
 * are kept as written; they are decoded by the reader of each field.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      i++;
      continue;
    }
    const start = i;
    if (code === QUOTE) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
      if (i >= text.length) throw new DnsTextError(`unterminated quoted string: ${text.slice(start)}`);
      i++;
    } else {
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) break;
        if (c === QUOTE) {
          // A quote inside a token opens a quoted part, blanks included, as BIND reads
          // `key="a b"` (SVCB parameters).
          i++;
          while (i < text.length && text.charCodeAt(i) !== QUOTE)
            i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
          if (i >= text.length) throw new DnsTextError(`unterminated quoted string: ${text.slice(start)}`);
          i++;
          continue;
        }
        i += c === BACKSLASH ? 2 : 1;
      }
    }
    tokens.push(text.slice(start, Math.min(i, text.length)));
  }
  return tokens;
}

/** Decodes `\X` and `\DDD` escapes (and UTF-8 for other characters) into bytes. */
export function unescapeBytes(text: string): Uint8Array {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) {
      if (i + 1 >= text.length) throw new DnsTextError(`${JSON.stringify(text)} ends in a lone backslash`);
      const digits = text.slice(i + 1, i + 4);
      if (/^\d/.test(digits)) {
        if (!/^\d{3}$/.test(digits) || Number(digits) > 255)
          throw new DnsTextError(`bad escape \\${digits}: \\DDD needs 3 digits, 0 to 255`);
        bytes.push(Number(digits));
        i += 3;
        continue;
      }
      i++;
    }
    const point = text.codePointAt(i)!;
    if (point < 0x80) bytes.push(point);
    else {
      for (const byte of encoder.encode(String.fromCodePoint(point))) bytes.push(byte);
      if (point > 0xffff) i++;
    }
  }
  return Uint8Array.from(bytes);
}

/** A character-string as text: quoted, `"` and `\` escaped, bytes outside printable ASCII as `\DDD`. */
export function quoteString(bytes: Uint8Array): string {
  let text = '"';
  for (const byte of bytes) {
    if (byte === QUOTE || byte === BACKSLASH) text += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) text += `\\${byte.toString().padStart(3, '0')}`;
    else text += String.fromCharCode(byte);
  }
  return `${text}"`;
}

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text.toUpperCase();
}

export function fromHex(text: string, what: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text))
    throw new DnsTextError(
      `${what}: ${JSON.stringify(text.slice(0, 40))} is not hexadecimal (an even number of 0-9, a-f)`,
    );
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1)
    throw new DnsTextError(`${what}: ${JSON.stringify(text.slice(0, 40))} is not base64`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** The tokens of one record's rdata, read field by field. */
export class RdataTokens {
  private index = 0;

  constructor(
    readonly tokens: readonly string[],
    /** Completes relative names; the root when none is given. */
    readonly origin: Name = Name.ROOT,
  ) {}

  static fromText(text: string, origin?: Name): RdataTokens {
    return new RdataTokens(tokenize(text), origin);
  }

  get done(): boolean {
    return this.index >= this.tokens.length;
  }

  peek(): string | undefined {
    return this.tokens[this.index];
  }

  /** The next token as written. */
  next(what: string): string {
    const token = this.tokens[this.index];
    if (token === undefined) throw new DnsTextError(`missing ${what}`);
    this.index++;
    return token;
  }

  /** Every token left, as written. */
  rest(): string[] {
    const rest = this.tokens.slice(this.index);
    this.index = this.tokens.length;
    return rest;
  }

  /** A character-string (quoted or not), escapes decoded; at most 255 bytes. */
  string(what: string): Uint8Array {
    const token = this.next(what);
    const quoted = token.length >= 2 && token.startsWith('"') && token.endsWith('"');
    const bytes = unescapeBytes(quoted ? token.slice(1, -1) : token);
    if (bytes.length > 255)
      throw new DnsTextError(`${what} is ${bytes.length} bytes; a character-string holds at most 255`);
    return bytes;
  }

  name(what: string): Name {
    return Name.fromText(this.next(what), this.origin);
  }

  /** An unsigned integer of `bits` bits, in decimal. */
  uint(what: string, bits: 8 | 16 | 32): number {
    const token = this.next(what);
    if (!/^\d{1,10}$/.test(token))
      throw new DnsTextError(`${what}: ${JSON.stringify(token)} is not a number`);
    const value = Number(token);
    const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    if (value > max) throw new DnsTextError(`${what}: ${value} is over ${max}`);
    return value;
  }

  /** No tokens may be left. */
  end(what: string): void {
    if (!this.done)
      throw new DnsTextError(`unexpected ${JSON.stringify(this.tokens[this.index])} after the ${what}`);
  }
}
