/**
 * The calculator's numbers: a fraction of two BigInts, and whether it is the exact value.
 * Exact numbers are in lowest terms. An inexact one (from sqrt, pi, a fractional power, or
 * arithmetic with another inexact one) is a decimal approximation m × 10^k, m of `working`
 * significant digits, so approximations never grow as they are combined.
 */
import { floorDiv, gcd, log10Abs, pow10 } from './bigint.js';

export interface CalcNumber {
  /** Carries the sign. */
  readonly num: bigint;
  /** Always positive. */
  readonly den: bigint;
  /** True when this is the exact value; false for an approximation. */
  readonly exact: boolean;
}

export const ZERO: CalcNumber = { num: 0n, den: 1n, exact: true };
export const ONE: CalcNumber = { num: 1n, den: 1n, exact: true };

/** num/den in lowest terms (den != 0). */
export function fraction(num: bigint, den: bigint): CalcNumber {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (den === 1n) return { num, den, exact: true };
  const g = gcd(num, den);
  return g === 1n ? { num, den, exact: true } : { num: num / g, den: den / g, exact: true };
}

export function integer(n: bigint): CalcNumber {
  return { num: n, den: 1n, exact: true };
}

/**
 * num/den (den > 0) rounded half to even to `digits` significant digits: m × 10^exp with
 * 10^(digits-1) <= |m| < 10^digits, or m = 0.
 */
export function roundSignificant(num: bigint, den: bigint, digits: number): { m: bigint; exp: number } {
  if (den <= 0n) throw new RangeError('roundSignificant needs a positive denominator');
  if (num === 0n) return { m: 0n, exp: 0 };
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  const top = pow10(digits);
  const bottom = pow10(digits - 1);
  // A float guess of floor(log10(num/den)); corrected below when it is off by one.
  let e = Math.floor(log10Abs(magnitude) - log10Abs(den));
  // The guess is off by at most one or two; more steps would be a bug, not slowness.
  for (let step = 0; step < 8; step++) {
    const shift = digits - 1 - e;
    const n = shift >= 0 ? magnitude * pow10(shift) : magnitude;
    const d = shift >= 0 ? den : den * pow10(-shift);
    let q = n / d;
    if (q >= top) {
      e += 1;
      continue;
    }
    if (q < bottom) {
      e -= 1;
      continue;
    }
    const twice = 2n * (n - q * d);
    if (twice > d || (twice === d && (q & 1n) === 1n)) q += 1n;
    let exp = -shift;
    if (q === top) {
      q /= 10n;
      exp += 1;
    }
    return { m: negative ? -q : q, exp };
  }
  throw new Error('roundSignificant did not converge');
}

/** m × 10^exp as an inexact number. */
export function scientific(m: bigint, exp: number): CalcNumber {
  if (m === 0n) return { num: 0n, den: 1n, exact: false };
  while (exp < 0 && m % 10n === 0n) {
    m /= 10n;
    exp += 1;
  }
  return exp >= 0
    ? { num: m * pow10(exp), den: 1n, exact: false }
    : { num: m, den: pow10(-exp), exact: false };
}

/** num/den (any sign of den, den != 0) as an approximation of `digits` significant digits. */
export function approximate(num: bigint, den: bigint, digits: number): CalcNumber {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const { m, exp } = roundSignificant(num, den, digits);
  return scientific(m, exp);
}

/** Exact when both are; otherwise rounded to `digits` significant digits. */
function combine(num: bigint, den: bigint, a: CalcNumber, b: CalcNumber, digits: number): CalcNumber {
  return a.exact && b.exact ? fraction(num, den) : approximate(num, den, digits);
}

export function negate(a: CalcNumber): CalcNumber {
  return { num: -a.num, den: a.den, exact: a.exact };
}

export function absolute(a: CalcNumber): CalcNumber {
  return a.num < 0n ? negate(a) : a;
}

export function sign(a: CalcNumber): -1 | 0 | 1 {
  return a.num < 0n ? -1 : a.num > 0n ? 1 : 0;
}

export function compare(a: CalcNumber, b: CalcNumber): -1 | 0 | 1 {
  if (a.den === b.den) return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isInteger(a: CalcNumber): boolean {
  return a.den === 1n;
}

export function add(a: CalcNumber, b: CalcNumber, digits: number): CalcNumber {
  if (a.exact && b.exact) {
    // Knuth's way (TAOCP 4.5.1): the gcds involved are of the denominators only.
    if (a.den === 1n && b.den === 1n) return integer(a.num + b.num);
    const g = gcd(a.den, b.den);
    if (g === 1n) return { num: a.num * b.den + b.num * a.den, den: a.den * b.den, exact: true };
    const t = a.num * (b.den / g) + b.num * (a.den / g);
    const g2 = gcd(t, g);
    return { num: t / g2, den: (a.den / g) * (b.den / g2), exact: true };
  }
  return approximate(a.num * b.den + b.num * a.den, a.den * b.den, digits);
}

export function subtract(a: CalcNumber, b: CalcNumber, digits: number): CalcNumber {
  return add(a, negate(b), digits);
}

export function multiply(a: CalcNumber, b: CalcNumber, digits: number): CalcNumber {
  if (a.exact && b.exact) {
    const g1 = gcd(a.num, b.den);
    const g2 = gcd(b.num, a.den);
    return { num: (a.num / g1) * (b.num / g2), den: (a.den / g2) * (b.den / g1), exact: true };
  }
  return approximate(a.num * b.num, a.den * b.den, digits);
}

/** a / b; the caller has checked b != 0. */
export function divide(a: CalcNumber, b: CalcNumber, digits: number): CalcNumber {
  const inverse: CalcNumber =
    b.num < 0n ? { num: -b.den, den: -b.num, exact: b.exact } : { num: b.den, den: b.num, exact: b.exact };
  return multiply(a, inverse, digits);
}

/** Python's //: floor of the quotient (b != 0). */
export function floorDivide(a: CalcNumber, b: CalcNumber): CalcNumber {
  const q = floorDiv(a.num * b.den, a.den * b.num);
  return { num: q, den: 1n, exact: a.exact && b.exact };
}

/** Python's %: a - b * floor(a / b), so the result has the sign of b (b != 0). */
export function modulo(a: CalcNumber, b: CalcNumber, digits: number): CalcNumber {
  const q = floorDiv(a.num * b.den, a.den * b.num);
  const num = a.num * b.den - q * b.num * a.den;
  return combine(num, a.den * b.den, a, b, digits);
}

export function floor(a: CalcNumber): CalcNumber {
  return { num: floorDiv(a.num, a.den), den: 1n, exact: a.exact };
}

export function ceil(a: CalcNumber): CalcNumber {
  return { num: -floorDiv(-a.num, a.den), den: 1n, exact: a.exact };
}

/** a rounded half to even to `places` decimal places (negative: to tens, hundreds...). */
export function roundToPlaces(a: CalcNumber, places: number): CalcNumber {
  const scale = pow10(Math.abs(places));
  const n = places >= 0 ? a.num * scale : a.num;
  const d = places >= 0 ? a.den : a.den * scale;
  let q = floorDiv(n, d);
  const twice = 2n * (n - q * d);
  if (twice > d || (twice === d && (q & 1n) === 1n)) q += 1n;
  const rounded = places >= 0 ? fraction(q, scale) : integer(q * scale);
  return { ...rounded, exact: a.exact };
}

/** exact ^ n for an integer n (a != 0 when n < 0); the caller has checked the size. */
export function powerExact(a: CalcNumber, n: bigint): CalcNumber {
  const k = n < 0n ? -n : n;
  const num = a.num ** k;
  const den = a.den ** k;
  if (n >= 0n) return { num, den, exact: true };
  return num < 0n ? { num: -den, den: -num, exact: true } : { num: den, den: num, exact: true };
}

/**
 * approximation ^ n for an integer n, by repeated squaring with every step rounded to
 * `digits` plus guard digits, so no intermediate grows. Returns m × 10^exp unbuilt: the
 * caller checks exp (it may be huge, or infinite) before it turns into a BigInt.
 */
export function powerApproximate(a: CalcNumber, n: bigint, digits: number): { m: bigint; exp: number } {
  const guard = digits + 10;
  type Scientific = { m: bigint; exp: number };
  const times = (x: Scientific, y: Scientific): Scientific => {
    const r = roundSignificant(x.m * y.m, 1n, guard);
    return { m: r.m, exp: r.exp + x.exp + y.exp };
  };
  let k = n < 0n ? -n : n;
  let base: Scientific = roundSignificant(a.num, a.den, guard);
  let result: Scientific = { m: 1n, exp: 0 };
  while (k > 0n) {
    if ((k & 1n) === 1n) result = times(result, base);
    k >>= 1n;
    if (k > 0n) base = times(base, base);
  }
  if (n >= 0n) {
    const r = roundSignificant(result.m, 1n, digits);
    return { m: r.m, exp: r.exp + result.exp };
  }
  // 1 / (m × 10^exp) = (10^(2 guard) / m) × 10^(-exp - 2 guard)
  const one = result.m < 0n ? -pow10(2 * guard) : pow10(2 * guard);
  const r = roundSignificant(one, result.m < 0n ? -result.m : result.m, digits);
  return { m: r.m, exp: r.exp - 2 * guard - result.exp };
}
