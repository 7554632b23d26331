/**
 * Splits an expression into tokens on demand, so the leftmost problem is the one reported.
 * Positions are UTF-16 indexes into the expression; errors turn them into 1-based columns
 * in code points. Number literals follow Python's grammar (underscores between digits,
 * `.5`, `5.`, `1e3`, `2.5E-3`) and become exact fractions here, within the literal limits.
 */
import { CalcSyntaxError, CalcTooLargeError, quote } from '../errors.js';
import { pow10 } from './bigint.js';
import { CLOSE, COMMA, DOT, MINUS, OPEN, PLUS, SLASH, SPACE, STAR, TAB, UNDERSCORE } from './chars.js';
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

/** Digits a mantissa or exponent may have to be read as a JS number: below 10^15 each is exact. */
const EXACT_DIGITS = 15;
/** 10^k for k <= 15, exact as doubles. */
const POWERS_OF_TEN = Array.from({ length: EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/** Character codes are NaN past the end of the text, which no test below accepts. */
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isNameStart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === UNDERSCORE;
const isNameChar = (c: number): boolean => isNameStart(c) || isDigit(c);

/** The one-character operators, by character code. */
const SINGLE: Partial<Record<number, Operator>> = {
  37: '%',
  [STAR]: '*',
  [PLUS]: '+',
  [MINUS]: '-',
  [SLASH]: '/',
  94: '^',
};

/** Digits 0-9 in source[from, to), underscores not counted. */
function countDigits(source: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (isDigit(source.charCodeAt(i))) count++;
  return count;
}

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
    let start = this.position;
    let c = source.charCodeAt(start);
    while (c === SPACE || c === TAB) c = source.charCodeAt(++start);
    this.position = start;
    if (start >= source.length) return { kind: 'end', text: '', start };
    if (isDigit(c) || (c === DOT && isDigit(source.charCodeAt(start + 1)))) return this.number(start);
    if (isNameStart(c)) {
      let end = start + 1;
      while (isNameChar(source.charCodeAt(end))) end++;
      this.position = end;
      return { kind: 'name', text: source.slice(start, end), start };
    }
    if ((c === STAR || c === SLASH) && source.charCodeAt(start + 1) === c) {
      this.position += 2;
      return { kind: 'operator', text: c === STAR ? '**' : '//', start };
    }
    const operator = SINGLE[c];
    if (operator !== undefined) {
      this.position++;
      return { kind: 'operator', text: operator, start };
    }
    if (c === OPEN || c === CLOSE || c === COMMA) {
      this.position++;
      const text = c === OPEN ? '(' : c === CLOSE ? ')' : ',';
      return { kind: text, text, start };
    }
    const point = String.fromCodePoint(source.codePointAt(start)!);
    this.position += point.length;
    return { kind: 'invalid', text: point, start };
  }

  /** digits ('_'? digits)*, as Python writes them: an underscore only between two digits. */
  private digits(from: number): number {
    const { source } = this;
    let end = from;
    for (;;) {
      const c = source.charCodeAt(end);
      if (
        isDigit(c) ||
        (c === UNDERSCORE && isDigit(source.charCodeAt(end - 1)) && isDigit(source.charCodeAt(end + 1)))
      ) {
        end++;
      } else break;
    }
    if (source.charCodeAt(end) === UNDERSCORE) throw this.misplacedUnderscore(end);
    return end;
  }

  private misplacedUnderscore(index: number): CalcSyntaxError {
    return new CalcSyntaxError('invalid number: "_" may only stand between two digits', this.column(index), {
      found: '_',
    });
  }

  /** A literal: whole digits in [start, wholeEnd), fraction digits and exponent digits in their ranges. */
  private number(start: number): Token {
    const { source } = this;
    const wholeEnd = this.digits(start);
    let end = wholeEnd;
    let fractionStart = end;
    let fractionEnd = end;
    if (source.charCodeAt(end) === DOT) {
      if (source.charCodeAt(end + 1) === UNDERSCORE) throw this.misplacedUnderscore(end + 1);
      fractionStart = end + 1;
      fractionEnd = isDigit(source.charCodeAt(end + 1)) ? this.digits(end + 1) : end + 1;
      end = fractionEnd;
    }
    let exponentStart = end;
    let exponentEnd = end;
    let negativeExponent = false;
    const e = source.charCodeAt(end);
    if (e === 0x65 || e === 0x45) {
      const sign = source.charCodeAt(end + 1);
      const signed = sign === PLUS || sign === MINUS;
      const digitsStart = end + (signed ? 2 : 1);
      if (!isDigit(source.charCodeAt(digitsStart))) {
        throw new CalcSyntaxError(
          `invalid number ${quote(source.slice(start, digitsStart + 1))}: the exponent needs digits`,
          this.column(end),
        );
      }
      negativeExponent = sign === MINUS;
      exponentStart = digitsStart;
      exponentEnd = this.digits(digitsStart);
      end = exponentEnd;
    }
    this.position = end;
    const text = source.slice(start, end);
    return {
      kind: 'number',
      text,
      start,
      value: this.literalValue(
        text,
        start,
        wholeEnd,
        fractionStart,
        fractionEnd,
        exponentStart,
        negativeExponent,
      ),
    };
  }

  /**
   * The exact value of the literal `text` at `start`: its mantissa is the digits of
   * [start, wholeEnd) and [fractionStart, fractionEnd), its exponent the digits from
   * exponentStart to the end of the literal (none when exponentStart is its end).
   */
  private literalValue(
    text: string,
    start: number,
    wholeEnd: number,
    fractionStart: number,
    fractionEnd: number,
    exponentStart: number,
    negativeExponent: boolean,
  ): CalcNumber {
    const { source } = this;
    const { maxLiteralDigits, maxDigits } = this.limits;
    const end = start + text.length;
    const fractionDigits = countDigits(source, fractionStart, fractionEnd);
    const mantissaDigits = countDigits(source, start, wholeEnd) + fractionDigits;
    const digits = mantissaDigits + countDigits(source, exponentStart, end);
    if (digits > maxLiteralDigits) {
      throw new CalcTooLargeError(
        `the literal has ${digits} digits; the limit is ${maxLiteralDigits}`,
        this.column(start),
        { limit: maxLiteralDigits },
      );
    }
    const mantissa =
      mantissaDigits <= EXACT_DIGITS
        ? BigInt(
            digitValue(source, start, wholeEnd) * POWERS_OF_TEN[fractionDigits]! +
              digitValue(source, fractionStart, fractionEnd),
          )
        : BigInt(
            (source.slice(start, wholeEnd) + source.slice(fractionStart, fractionEnd)).replaceAll('_', ''),
          );
    if (mantissa === 0n) return ZERO;
    // The value is mantissa × 10^scale; refuse before building a huge power of ten.
    let first = exponentStart;
    while (first < end && (source.charCodeAt(first) === 0x30 || source.charCodeAt(first) === UNDERSCORE))
      first++;
    const exponentValue =
      countDigits(source, first, end) > EXACT_DIGITS
        ? Number.POSITIVE_INFINITY
        : digitValue(source, first, end);
    const scale = (negativeExponent ? -exponentValue : exponentValue) - fractionDigits;
    if (Math.abs(scale) > maxDigits + maxLiteralDigits) {
      throw new CalcTooLargeError(
        `${quote(text)} is over the limit of ${maxDigits} digits`,
        this.column(start),
        {
          limit: maxDigits,
        },
      );
    }
    if (scale === 0) return { num: mantissa, den: 1n, exact: true };
    return scale >= 0 ? fraction(mantissa * pow10(scale), 1n) : fraction(mantissa, pow10(-scale));
  }
}

/** The digits of source[from, to) (underscores skipped) as a number; exact for up to 15 digits. */
function digitValue(source: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = source.charCodeAt(i);
    if (isDigit(c)) value = value * 10 + (c - 0x30);
  }
  return value;
}
