/**
 * What an expression may contain before it is even tokenized, and where things are in it:
 * the length limit, well-formed UTF-8 (RFC 3629), no control characters or unpaired
 * surrogates, and 1-based columns counted in Unicode code points.
 */
import { CalcBadInputError, CalcTooLongError } from '../errors.js';
import type { CalcLimits } from './limits.js';

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** 1-based column, in code points, of UTF-16 index `index` of `source`. */
export function columnAt(source: string, index: number): number {
  let column = 1;
  for (let i = 0; i < index && i < source.length; i++) {
    const code = source.charCodeAt(i);
    // The second half of a surrogate pair is not a column of its own.
    if (!isLow(code) || i === 0 || !isHigh(source.charCodeAt(i - 1))) column++;
  }
  return column + Math.max(0, index - source.length);
}

/** Length first (cheap on any input), then characters no expression may hold. */
export function checkText(expr: string, limits: CalcLimits): void {
  if (expr.length > limits.maxLength) {
    throw new CalcTooLongError(
      `the expression has ${expr.length} characters; the limit is ${limits.maxLength}`,
      columnAt(expr, limits.maxLength),
      { limit: limits.maxLength },
    );
  }
  for (let i = 0; i < expr.length; i++) {
    const code = expr.charCodeAt(i);
    if (isHigh(code) && isLow(expr.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    let problem: string | undefined;
    if (isHigh(code) || isLow(code)) problem = 'unpaired surrogate';
    else if ((code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f)) problem = 'control character';
    if (problem !== undefined) {
      const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new CalcBadInputError(`${problem} ${name}`, columnAt(expr, i));
    }
  }
}

export { firstInvalidUtf8 } from '../../../core/utf8.js';

export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}
