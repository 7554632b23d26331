/**
 * The master-file lexer (RFC 1035 §5.1): turns zone text into logical lines of tokens.
 * - Parentheses join physical lines into one logical line; inside them a newline is a blank.
 * - `;` starts a comment to the end of the physical line (outside quotes, and unescaped).
 * - A quoted string is one token, blanks and `;` included; its quotes are kept, so the rdata
 *   reader (text.ts) tells `""` from nothing. A quote inside a token opens a quoted part, as
 *   BIND reads SVCB's `key="a b"`.
 * - A backslash keeps the next character in the token (`\;`, `\(`, `\"`); escapes stay as
 *   written and are decoded by whoever reads the field.
 * A logical line longer than `maxLineChars` (parentheses joined, comments included) is an
 * error as soon as it is seen, so a huge line or an unclosed parenthesis cannot use unbounded
 * memory or time.
 */
import { DnsZoneFileError } from './errors.js';

export interface Token {
  /** As written: quotes and escapes kept. */
  text: string;
  line: number;
  column: number;
}

export interface LogicalLine {
  tokens: Token[];
  /** The line's first physical line starts with a blank: the owner is the previous record's. */
  blankStart: boolean;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const SEMICOLON = 0x3b;
const OPEN = 0x28;
const CLOSE = 0x29;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class ZoneLexer {
  private i = 0;
  private line = 1;
  /** Where the logical line being read starts, for the too-long error. */
  private startLine = 1;
  private startColumn = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly maxLineChars: number,
  ) {}

  private error(line: number, column: number, reason: string): DnsZoneFileError {
    return new DnsZoneFileError({ file: this.file, line, column }, reason);
  }

  private tooLong(): DnsZoneFileError {
    return this.error(
      this.startLine,
      this.startColumn,
      `line longer than ${this.maxLineChars} characters (parentheses joined); is a parenthesis or a quote not closed?`,
    );
  }

  /** The next logical line with at least one token, or undefined at the end. */
  next(): LogicalLine | undefined {
    const text = this.text;
    const end = text.length;
    let tokens: Token[] = [];
    let depth = 0;
    let openLine = 0;
    let openColumn = 0;
    let logicalStart = this.i;
    this.startLine = this.line;
    this.startColumn = this.i - this.lineStart + 1;
    let blankStart = false;
    const max = this.maxLineChars;
    while (this.i < end) {
      const c = text.charCodeAt(this.i);
      if (this.i - logicalStart > max) throw this.tooLong();
      if (c === LF) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
        if (depth === 0) {
          if (tokens.length > 0) return { tokens, blankStart };
          logicalStart = this.i;
          this.startLine = this.line;
          this.startColumn = 1;
        }
        continue;
      }
      if (c === SPACE || c === TAB || c === CR) {
        this.i++;
        continue;
      }
      if (c === SEMICOLON) {
        const newline = text.indexOf('\n', this.i);
        const stop = newline < 0 ? end : newline;
        if (stop - logicalStart > max) throw this.tooLong();
        this.i = stop;
        continue;
      }
      if (c === OPEN) {
        if (depth === 0) {
          openLine = this.line;
          openColumn = this.i - this.lineStart + 1;
        }
        depth++;
        this.i++;
        continue;
      }
      if (c === CLOSE) {
        if (depth === 0) throw this.error(this.line, this.i - this.lineStart + 1, "')' without '('");
        depth--;
        this.i++;
        continue;
      }
      // A token.
      const start = this.i;
      const line = this.line;
      const column = start - this.lineStart + 1;
      if (tokens.length === 0) {
        const first = text.charCodeAt(this.lineStart);
        blankStart = first === SPACE || first === TAB;
      }
      if (c === QUOTE) this.quoted(line, column, logicalStart);
      else {
        while (this.i < end) {
          const d = text.charCodeAt(this.i);
          if (
            d === SPACE ||
            d === TAB ||
            d === LF ||
            d === CR ||
            d === SEMICOLON ||
            d === OPEN ||
            d === CLOSE
          )
            break;
          if (d === QUOTE) this.quoted(line, column, logicalStart);
          else if (d === BACKSLASH && this.i + 1 < end && text.charCodeAt(this.i + 1) !== LF) this.i += 2;
          else this.i++;
          if (this.i - logicalStart > max) throw this.tooLong();
        }
      }
      tokens.push({ text: text.slice(start, this.i), line, column });
    }
    if (depth > 0) throw this.error(openLine, openColumn, "'(' not closed by ')' before the end of the file");
    if (tokens.length > 0) {
      const done = tokens;
      tokens = [];
      return { tokens: done, blankStart };
    }
    return undefined;
  }

  /** A quoted part starting at the quote under `this.i`; ends after its closing quote. */
  private quoted(line: number, column: number, logicalStart: number): void {
    const text = this.text;
    const end = text.length;
    this.i++;
    while (this.i < end) {
      const d = text.charCodeAt(this.i);
      if (d === QUOTE) {
        this.i++;
        return;
      }
      if (d === LF) break;
      this.i += d === BACKSLASH && text.charCodeAt(this.i + 1) !== LF ? 2 : 1;
      if (this.i - logicalStart > this.maxLineChars) throw this.tooLong();
    }
    throw this.error(line, column, "quoted string not closed on its line (expected '\"')");
  }
}
