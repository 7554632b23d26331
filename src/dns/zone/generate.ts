/**
 * BIND's `$GENERATE range lhs [ttl] [class] type rhs` (BIND 9 ARM, "BIND Primary File
 * Extension: the $GENERATE Directive"), checked against named-checkzone 9.18:
 * - range is `start-stop` or `start-stop/step`, 0 <= start <= stop <= 2^31-1, step >= 1;
 * - in lhs and rhs, `$` is the iterator, `${offset[,width[,base]]}` adds offset and pads to
 *   width with zeros in base d (decimal), o (octal), x or X (hex), n or N (nibbles in reverse,
 *   each followed by a dot while width or value is left, for reverse-IPv6 names);
 * - `\$` is a `$` left as is (the backslash stays: it is the name or field's own escape), and
 *   `$$` is a plain `$` (BIND keeps it for old zone files).
 * The number of records is computed before any is made, so a huge range fails at once.
 */
import { DnsTextError } from '../errors.js';

export interface GenerateRange {
  start: number;
  stop: number;
  step: number;
}

const MAX_VALUE = 0x7fffffff;

export function parseRange(text: string): GenerateRange {
  const match = /^(\d{1,10})-(\d{1,10})(?:\/(\d{1,10}))?$/.exec(text);
  if (!match) throw new DnsTextError(`range ${JSON.stringify(text)}: expected START-STOP or START-STOP/STEP`);
  const start = Number(match[1]);
  const stop = Number(match[2]);
  const step = match[3] === undefined ? 1 : Number(match[3]);
  if (stop > MAX_VALUE) throw new DnsTextError(`range ${text}: ${stop} is over ${MAX_VALUE}`);
  if (start > stop) throw new DnsTextError(`range ${text}: the start is after the stop`);
  if (step < 1 || step > MAX_VALUE) throw new DnsTextError(`range ${text}: the step must be 1 or more`);
  return { start, stop, step };
}

/** How many records a range makes. */
export function rangeCount(range: GenerateRange): number {
  return Math.floor((range.stop - range.start) / range.step) + 1;
}

/** A template cut into literal text and substitutions, parsed once per $GENERATE. */
export type GeneratePart = string | { offset: number; width: number; base: string };

export function parseTemplate(template: string): GeneratePart[] {
  const parts: GeneratePart[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && i + 1 < template.length) {
      literal += c + template[i + 1];
      i++;
    } else if (c !== '$') literal += c;
    else if (template[i + 1] === '$') {
      literal += '$';
      i++;
    } else {
      if (literal) parts.push(literal);
      literal = '';
      if (template[i + 1] !== '{') {
        parts.push({ offset: 0, width: 0, base: 'd' });
        continue;
      }
      const close = template.indexOf('}', i);
      if (close < 0) throw new DnsTextError(`${JSON.stringify(template)}: '\${' without '}'`);
      const body = template.slice(i + 2, close);
      const match = /^([+-]?\d{1,10})(?:,(\d{1,3})(?:,([doxXnN]))?)?$/.exec(body);
      if (!match)
        throw new DnsTextError(
          `\${${body}}: expected \${offset[,width[,base]]} with base d, o, x, X, n or N`,
        );
      parts.push({ offset: Number(match[1]), width: Number(match[2] ?? 0), base: match[3] ?? 'd' });
      i = close;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

export function expandTemplate(parts: readonly GeneratePart[], value: number): string {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else text += formatValue(value + part.offset, part.width, part.base);
  }
  return text;
}

function formatValue(value: number, width: number, base: string): string {
  switch (base) {
    case 'o':
      return value.toString(8).padStart(width, '0');
    case 'x':
      return value.toString(16).padStart(width, '0');
    case 'X':
      return value.toString(16).toUpperCase().padStart(width, '0');
    case 'n':
    case 'N':
      return nibbles(value, width, base === 'N');
    default:
      return value.toString(10).padStart(width, '0');
  }
}

/** BIND's nibble mode: least significant nibble first, dots between, padded to `width` characters. */
function nibbles(value: number, width: number, upper: boolean): string {
  const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let text = '';
  let left = width;
  let rest = Math.max(0, value);
  do {
    text += digits[rest % 16];
    rest = Math.floor(rest / 16);
    if (left > 0) left--;
    if (rest !== 0 || left > 0) {
      text += '.';
      if (left > 0) left--;
    }
  } while (rest !== 0 || left > 0);
  return text;
}
