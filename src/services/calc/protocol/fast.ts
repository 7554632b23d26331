/**
 * The fast path for everyday requests (`5 + 6`, `12345 * 6789`, `81 / 9`, `(+, 5, 6)`,
 * `0.1 + 0.2`): the same grammar and the same exact rationals as the general path, but
 * numerator and denominator are JS numbers, used only while they are safe integers, and
 * parsing and evaluating are one pass over the bytes with no tokens, tree or BigInts.
 *
 * It answers only when it is sure to answer what the general path would: anything else
 * (a name, an exponent or underscore in a literal, a literal of more than 15 digits, a
 * value or intermediate product beyond 2^53 - 1, division by zero, a non-integer power,
 * a syntax error, any limit that could be reached, any byte outside a small ASCII set)
 * gives up, and the caller runs the general path from the start. Giving up costs at most
 * one pass over the request. No floating point decides anything: every operation is on
 * integers below 2^53, where doubles are exact, and each result is checked to be one.
 */

import {
  CARET,
  CLOSE,
  COMMA,
  DIGIT_0,
  DIGIT_9,
  DOT,
  MINUS,
  OPEN,
  PERCENT,
  PLUS,
  SLASH,
  SPACE,
  STAR,
  TAB,
} from './chars.js';
import type { CalcLimits } from './limits.js';

/** A value the fast path computed: num/den in lowest terms, den >= 1, both safe integers. */
export interface FastRational {
  num: number;
  den: number;
}

const MAX = Number.MAX_SAFE_INTEGER;
/** Digits a literal may have here: below 10^15 every one is exact. */
const MAX_LITERAL_DIGITS = 15;
/** Values here have at most 16 digits, so smaller digit limits send everything to the general path. */
const MIN_MAX_DIGITS = 16;
/** Longest string the fast path copies into its buffer; longer requests take the general path. */
const MAX_STRING = 256;

/** The bytes the fast path reads: blanks, digits, ".", operators, parentheses and ",". */
const ALLOWED = new Uint8Array(128);
for (const c of ' \t0123456789.+-*/%^(),') ALLOWED[c.charCodeAt(0)] = 1;

/** 10^k for k <= 15, exact as doubles. */
const POW10 = Array.from({ length: MAX_LITERAL_DIGITS + 1 }, (_, k) => 10 ** k);

/** Holds a string request's characters (and a 0 after them, which matches nothing). */
const scratch = new Uint8Array(MAX_STRING + 1);

// The state of one pass. The core is synchronous and never re-entered, so module state is safe.
let src: Uint8Array = scratch;
let end = 0;
let pos = 0;
let depth = 0;
let maxDepth = 0;
let maxLiteralDigits = 0;
/**
 * The denominator of the value the last function returned; its numerator is the return
 * value, NaN when the fast path gives up.
 */
let den = 1;

/**
 * The value of an expression (a request line, bytes or text) when the fast path can
 * compute it, else undefined. `limits` are the request's; the fast path gives up wherever
 * one of them could be reached.
 */
export function fastRational(input: Uint8Array | string, limits: CalcLimits): FastRational | undefined {
  if (limits.maxDigits < MIN_MAX_DIGITS) return undefined;
  const length = input.length;
  if (length === 0 || length > limits.maxLength || length > limits.maxRequestBytes) return undefined;
  if (typeof input === 'string') {
    if (length > MAX_STRING) return undefined;
    for (let i = 0; i < length; i++) {
      const c = input.charCodeAt(i);
      if (c >= 0x80 || ALLOWED[c] === 0) return undefined;
      scratch[i] = c;
    }
    scratch[length] = 0;
    src = scratch;
  } else {
    for (let i = 0; i < length; i++) {
      const c = input[i]!;
      if (c >= 0x80 || ALLOWED[c] === 0) return undefined;
    }
    src = input;
  }
  end = length;
  pos = 0;
  depth = 0;
  maxDepth = limits.maxDepth;
  maxLiteralDigits = limits.maxLiteralDigits;
  const num = expression();
  skipBlanks();
  // src may be the caller's request: keep no reference to it.
  src = scratch;
  return !Number.isNaN(num) && pos === end ? { num: num === 0 ? 0 : num, den } : undefined;
}

/**
 * `x` as the wire writes an exact value: integers and terminating decimals in full, as
 * formatNumber does; undefined when the general formatter must round it (1/3) or the
 * digits would not be exact here.
 */
export function fastText(x: FastRational): string | undefined {
  const { num, den } = x;
  if (den === 1) return String(num);
  // Places after the point: den = 2^twos × 5^fives terminates after max(twos, fives).
  let rest = den;
  let twos = 0;
  let fives = 0;
  while (rest % 2 === 0) {
    rest /= 2;
    twos++;
  }
  while (rest % 5 === 0) {
    rest /= 5;
    fives++;
  }
  if (rest !== 1) return undefined;
  const places = Math.max(twos, fives);
  if (places > MAX_LITERAL_DIGITS) return undefined;
  const digitsValue = (num < 0 ? -num : num) * (POW10[places]! / den);
  if (digitsValue > MAX) return undefined;
  const padded = String(digitsValue).padStart(places + 1, '0');
  const cut = padded.length - places;
  return `${num < 0 ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

function skipBlanks(): void {
  let c = src[pos];
  while (c === SPACE || c === TAB) c = src[++pos];
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
}

/** expression := term (("+" | "-") term)*, left to right. */
function expression(): number {
  let n = term();
  if (Number.isNaN(n)) return Number.NaN;
  let d = den;
  for (;;) {
    skipBlanks();
    const c = src[pos];
    if (c !== PLUS && c !== MINUS) break;
    pos++;
    const m = term();
    if (Number.isNaN(m)) return Number.NaN;
    n = add(n, d, c === MINUS ? -m : m, den);
    if (Number.isNaN(n)) return Number.NaN;
    d = den;
  }
  den = d;
  return n;
}

/** term := factor (("*" | "/" | "//" | "%") factor)*, left to right. */
function term(): number {
  let n = factor();
  if (Number.isNaN(n)) return Number.NaN;
  let d = den;
  for (;;) {
    skipBlanks();
    const c = src[pos];
    let op: number;
    if (c === STAR) {
      if (src[pos + 1] === STAR) break; // "**" after a whole factor: not ours to judge
      op = STAR;
      pos++;
    } else if (c === SLASH) {
      if (src[pos + 1] === SLASH) {
        op = 0; // "//"
        pos += 2;
      } else {
        op = SLASH;
        pos++;
      }
    } else if (c === PERCENT) {
      op = PERCENT;
      pos++;
    } else break;
    const m = factor();
    if (Number.isNaN(m)) return Number.NaN;
    n = binary(op, n, d, m, den);
    if (Number.isNaN(n)) return Number.NaN;
    d = den;
  }
  den = d;
  return n;
}

/** factor := ("+" | "-") factor | power; each sign is a level of nesting, as in the parser. */
function factor(): number {
  skipBlanks();
  const c = src[pos];
  if (c === PLUS || c === MINUS) {
    pos++;
    if (++depth > maxDepth) return Number.NaN;
    const n = factor();
    depth--;
    if (Number.isNaN(n)) return Number.NaN;
    return c === MINUS && n !== 0 ? -n : n;
  }
  return power();
}

/** power := primary (("**" | "^") factor)?; the exponent is a level of nesting. */
function power(): number {
  const b = primary();
  if (Number.isNaN(b)) return Number.NaN;
  const bd = den;
  skipBlanks();
  const c = src[pos];
  if (c === CARET) pos++;
  else if (c === STAR && src[pos + 1] === STAR) pos += 2;
  else {
    den = bd;
    return b;
  }
  if (++depth > maxDepth) return Number.NaN;
  const e = factor();
  depth--;
  if (Number.isNaN(e)) return Number.NaN;
  return raise(b, bd, e, den);
}

/** primary := number | "(" expression ")" | "(" operator "," expression ("," expression)+ ")". */
function primary(): number {
  skipBlanks();
  const c = src[pos];
  if (isDigit(c) || (c === DOT && isDigit(src[pos + 1]))) return literal();
  if (c !== OPEN) return Number.NaN;
  pos++;
  // An operator then "," after "(" is the tuple form, as the parser tells them apart.
  skipBlanks();
  const op = src[pos];
  let width = 0;
  if (op === STAR || op === SLASH) width = src[pos + 1] === op ? 2 : 1;
  else if (op === PLUS || op === MINUS || op === PERCENT || op === CARET) width = 1;
  if (width > 0) {
    let after = pos + width;
    while (src[after] === SPACE || src[after] === TAB) after++;
    if (src[after] === COMMA) {
      pos = after + 1;
      return tuple(width === 2 ? (op === STAR ? CARET : 0) : op!);
    }
  }
  if (++depth > maxDepth) return Number.NaN;
  const n = expression();
  if (Number.isNaN(n)) return Number.NaN;
  skipBlanks();
  if (src[pos] !== CLOSE) return Number.NaN;
  pos++;
  depth--;
  return n;
}

/** The operands of (op, a, b, ...) up to ")": + and * take two or more, the others two. */
function tuple(op: number): number {
  if (++depth > maxDepth) return Number.NaN;
  const variadic = op === PLUS || op === STAR;
  let n = expression();
  if (Number.isNaN(n)) return Number.NaN;
  let d = den;
  let count = 1;
  for (;;) {
    skipBlanks();
    const c = src[pos];
    if (c === CLOSE) break;
    if (c !== COMMA || (count === 2 && !variadic)) return Number.NaN;
    pos++;
    const m = expression();
    if (Number.isNaN(m)) return Number.NaN;
    n = binary(op, n, d, m, den);
    if (Number.isNaN(n)) return Number.NaN;
    d = den;
    count++;
  }
  pos++;
  depth--;
  if (count < 2) return Number.NaN;
  den = d;
  return n;
}

/** digits ["." digits] or "." digits (no "_" or exponent can follow: those bytes are not ours). */
function literal(): number {
  let m = 0;
  let digits = 0;
  let places = 0;
  let c = src[pos];
  while (c !== undefined && c >= DIGIT_0 && c <= DIGIT_9) {
    m = m * 10 + (c - DIGIT_0);
    digits++;
    c = src[++pos];
  }
  if (c === DOT) {
    c = src[++pos];
    while (c !== undefined && c >= DIGIT_0 && c <= DIGIT_9) {
      m = m * 10 + (c - DIGIT_0);
      digits++;
      places++;
      c = src[++pos];
    }
  }
  if (digits > MAX_LITERAL_DIGITS || digits > maxLiteralDigits) return Number.NaN;
  if (places === 0 || m === 0) {
    den = 1;
    return m;
  }
  const scale = POW10[places]!;
  const g = gcd(m, scale);
  den = scale / g;
  return m / g;
}

function safe(x: number): boolean {
  return x <= MAX && x >= -MAX;
}

/** gcd(|a|, |b|) by Euclid; exact on safe integers. gcd(0, b) is |b|. */
function gcd(a: number, b: number): number {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** op is "+" "*" "/" "%" "^" (power) or 0 ("//"), as in term() and tuple(). */
function binary(op: number, an: number, ad: number, bn: number, bd: number): number {
  switch (op) {
    case PLUS:
      return add(an, ad, bn, bd);
    case MINUS:
      return add(an, ad, bn === 0 ? 0 : -bn, bd);
    case STAR:
      return multiply(an, ad, bn, bd);
    case SLASH:
      if (bn === 0) return Number.NaN;
      return bn < 0 ? multiply(an, ad, -bd, -bn) : multiply(an, ad, bd, bn);
    case PERCENT:
      return modulo(an, ad, bn, bd);
    case CARET:
      return raise(an, ad, bn, bd);
    default:
      return floorDivide(an, ad, bn, bd);
  }
}

function add(an: number, ad: number, bn: number, bd: number): number {
  if (ad === 1 && bd === 1) {
    const sum = an + bn;
    den = 1;
    return safe(sum) ? sum : Number.NaN;
  }
  const g = gcd(ad, bd);
  const x = an * (bd / g);
  const y = bn * (ad / g);
  const t = x + y;
  const d = ad * (bd / g);
  if (!safe(x) || !safe(y) || !safe(t) || d > MAX) return Number.NaN;
  const g2 = gcd(t, d);
  den = d / g2;
  return t / g2;
}

function multiply(an: number, ad: number, bn: number, bd: number): number {
  const g1 = gcd(an, bd);
  const g2 = gcd(bn, ad);
  const n = (an / g1) * (bn / g2);
  const d = (ad / g2) * (bd / g1);
  if (!safe(n) || d > MAX) return Number.NaN;
  den = d;
  return n === 0 ? 0 : n;
}

/** floor(p / q) for safe integers, q != 0, exactly: the remainder decides, not a float quotient. */
function floorQuotient(p: number, q: number): number {
  const r = p % q;
  const quotient = (p - r) / q;
  return r !== 0 && p < 0 !== q < 0 ? quotient - 1 : quotient;
}

/** Python's //: floor(a / b). */
function floorDivide(an: number, ad: number, bn: number, bd: number): number {
  if (bn === 0) return Number.NaN;
  const p = an * bd;
  const q = ad * bn;
  if (!safe(p) || !safe(q)) return Number.NaN;
  den = 1;
  const quotient = floorQuotient(p, q);
  return quotient === 0 ? 0 : quotient;
}

/** Python's %: a - b × floor(a / b), with the sign of b. */
function modulo(an: number, ad: number, bn: number, bd: number): number {
  if (bn === 0) return Number.NaN;
  const p = an * bd;
  const q = ad * bn;
  const d = ad * bd;
  if (!safe(p) || !safe(q) || d > MAX) return Number.NaN;
  const product = floorQuotient(p, q) * q;
  const n = p - product;
  if (!safe(product) || !safe(n)) return Number.NaN;
  if (n === 0) {
    den = 1;
    return 0;
  }
  const g = gcd(n, d);
  den = d / g;
  return n / g;
}

/** a ** b, as the evaluator's power does it for exact values and integer exponents. */
function raise(an: number, ad: number, bn: number, bd: number): number {
  if (an === 0) {
    if (bn < 0) return Number.NaN; // 0 to a negative power: the general path's error
    den = 1;
    return bn === 0 ? 1 : 0;
  }
  if (ad === 1 && an === 1) {
    den = 1;
    return 1;
  }
  if (bd !== 1) return Number.NaN; // roots and irrational powers
  if (ad === 1 && an === -1) {
    den = 1;
    return bn % 2 === 0 ? 1 : -1;
  }
  // |a| != 1, so |a|^65 or its denominator is past 2^53 anyway.
  const count = bn < 0 ? -bn : bn;
  if (count > 64) return Number.NaN;
  let pn = 1;
  let pd = 1;
  for (let i = 0; i < count; i++) {
    pn *= an;
    pd *= ad;
    if (!safe(pn) || pd > MAX) return Number.NaN;
  }
  if (bn >= 0) {
    den = pd;
    return pn;
  }
  if (pn < 0) {
    den = -pn;
    return -pd;
  }
  den = pn;
  return pd;
}
