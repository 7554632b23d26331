/**
 * Splits an expression into tokens on demand, so the leftmost problem is the one reported.
 * Positions are UTF-16 indexes into the expression; errors turn them into 1-based columns
 * in code points. Number literals follow Python's grammar (underscores between digits,
 * `.5`, `5.`, `1e3`, `2.5E-3`) and become exact fractions here, within the literal limits.
 */
import { CalcSyntaxError, CalcTooLargeError, quote } from '../errors.js';
import { pow10 } from './bigint.js';
import { columnAt } from './input.js';
import type { CalcLimits } from './limits.js';
import { type CalcNumber, fraction, ZERO } from './rational.js';

export type Operator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '^';

export type Token =
  | { kind: 'number'; text: string; start: number; value: CalcNumber }
  | { kind: 'name'; text: string; start: number }
  | { kind: 'operator'; text: Operator; start: number }
  | { kind: '(' | ')' | ','; text: string; start: number }
  /** A character no token starts with; the parser reports it with what it expected. */
  | { kind: 'invalid'; text: string; start: number }
  | { kind: 'end'; text: ''; start: number };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isNameChar = (c: string | undefined): boolean => isNameStart(c) || isDigit(c);

export class Lexer {
  private position = 0;
  private readonly lookahead: Token[] = [];

  constructor(
    readonly source: string,
    private readonly limits: CalcLimits,
  ) {}

  /** The token `ahead` places on (0: the next one), without consuming it. */
  peek(ahead = 0): Token {
    while (this.lookahead.length <= ahead) this.lookahead.push(this.scan());
    return this.lookahead[ahead]!;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead.shift();
    return token;
  }

  column(index: number): number {
    return columnAt(this.source, index);
  }

  private scan(): Token {
    const { source } = this;
    while (source[this.position] === ' ' || source[this.position] === '\t') this.position++;
    const start = this.position;
    const c = source[start];
    if (c === undefined) return { kind: 'end', text: '', start };
    if (isDigit(c) || (c === '.' && isDigit(source[start + 1]))) return this.number(start);
    if (isNameStart(c)) {
      let end = start + 1;
      while (isNameChar(source[end])) end++;
      this.position = end;
      return { kind: 'name', text: source.slice(start, end), start };
    }
    const two = source.slice(start, start + 2);
    if (two === '**' || two === '//') {
      this.position += 2;
      return { kind: 'operator', text: two, start };
    }
    if ('+-*/%^'.includes(c)) {
      this.position++;
      return { kind: 'operator', text: c as Operator, start };
    }
    if (c === '(' || c === ')' || c === ',') {
      this.position++;
      return { kind: c, text: c, start };
    }
    const point = String.fromCodePoint(source.codePointAt(start)!);
    this.position += point.length;
    return { kind: 'invalid', text: point, start };
  }

  /** digits ('_'? digits)*, as Python writes them: an underscore only between two digits. */
  private digits(from: number): number {
    const { source } = this;
    let end = from;
    while (
      isDigit(source[end]) ||
      (source[end] === '_' && isDigit(source[end - 1]) && isDigit(source[end + 1]))
    ) {
      end++;
    }
    if (source[end] === '_') throw this.misplacedUnderscore(end);
    return end;
  }

  private misplacedUnderscore(index: number): CalcSyntaxError {
    return new CalcSyntaxError('invalid number: "_" may only stand between two digits', this.column(index), {
      found: '_',
    });
  }

  private number(start: number): Token {
    const { source } = this;
    let end = this.digits(start);
    const integerPart = source.slice(start, end);
    let fractionPart = '';
    if (source[end] === '.') {
      if (source[end + 1] === '_') throw this.misplacedUnderscore(end + 1);
      const fractionEnd = isDigit(source[end + 1]) ? this.digits(end + 1) : end + 1;
      fractionPart = source.slice(end + 1, fractionEnd);
      end = fractionEnd;
    }
    let exponentPart = '';
    if (source[end] === 'e' || source[end] === 'E') {
      const signed = source[end + 1] === '+' || source[end + 1] === '-';
      const digitsStart = end + (signed ? 2 : 1);
      if (!isDigit(source[digitsStart])) {
        throw new CalcSyntaxError(
          `invalid number ${quote(source.slice(start, digitsStart + 1))}: the exponent needs digits`,
          this.column(end),
        );
      }
      const exponentEnd = this.digits(digitsStart);
      exponentPart = source.slice(end + 1, exponentEnd);
      end = exponentEnd;
    }
    this.position = end;
    const text = source.slice(start, end);
    return {
      kind: 'number',
      text,
      start,
      value: this.literalValue(text, start, integerPart, fractionPart, exponentPart),
    };
  }

  private literalValue(
    text: string,
    start: number,
    whole: string,
    fractional: string,
    exponent: string,
  ): CalcNumber {
    const { maxLiteralDigits, maxDigits } = this.limits;
    const digits = (whole + fractional + exponent).replace(/[^0-9]/g, '');
    if (digits.length > maxLiteralDigits) {
      throw new CalcTooLargeError(
        `the literal has ${digits.length} digits; the limit is ${maxLiteralDigits}`,
        this.column(start),
        { limit: maxLiteralDigits },
      );
    }
    const mantissa = BigInt((whole + fractional).replaceAll('_', '') || '0');
    if (mantissa === 0n) return ZERO;
    // The value is mantissa × 10^scale; refuse before building a huge power of ten.
    const exponentDigits = exponent.replace(/^[+-]?[0_]*/, '').replaceAll('_', '');
    const exponentValue =
      exponentDigits.length > 15 ? Number.POSITIVE_INFINITY : Number(exponentDigits || '0');
    const scale =
      (exponent.startsWith('-') ? -exponentValue : exponentValue) - fractional.replaceAll('_', '').length;
    if (Math.abs(scale) > maxDigits + maxLiteralDigits) {
      throw new CalcTooLargeError(
        `${quote(text)} is over the limit of ${maxDigits} digits`,
        this.column(start),
        {
          limit: maxDigits,
        },
      );
    }
    return scale >= 0 ? fraction(mantissa * pow10(scale), 1n) : fraction(mantissa, pow10(-scale));
  }
}
