/**
 * BigInt helpers the calculator's number model rests on: bit length, powers of ten, a
 * Lehmer GCD (plain Euclid takes most of a second on two 20,000-digit numbers; this takes
 * a few milliseconds), integer roots and quick base-10 logarithms for size estimates.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Bits in |n| (0 for 0). Linear in the size of n, with no big allocation. */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  if (n <= MAX_SAFE) {
    // Below 2^53 the number is exact as a double: count its bits in two 32-bit halves.
    const x = Number(n);
    return x < 2 ** 32 ? 32 - Math.clz32(x) : 64 - Math.clz32(Math.floor(x / 2 ** 32));
  }
  const x = Number(n);
  if (x !== Number.POSITIVE_INFINITY) {
    // The double's binary exponent is off by at most one (rounding can carry into the next
    // power of two); the shifts settle it exactly: 2^(bits - 1) <= n < 2^bits.
    let bits = Math.floor(Math.log2(x)) + 1;
    while (n >> BigInt(bits - 1) === 0n) bits--;
    while (n >> BigInt(bits) !== 0n) bits++;
    return bits;
  }
  const hex = n.toString(16);
  return hex.length * 4 - (Math.clz32(Number.parseInt(hex[0]!, 16)) - 28);
}

const powersOfTen = new Map<number, bigint>();

/** 10^k for k >= 0; the common ones are remembered. */
export function pow10(k: number): bigint {
  if (k < 0 || !Number.isSafeInteger(k)) throw new RangeError(`pow10(${k})`);
  const cached = powersOfTen.get(k);
  if (cached !== undefined) return cached;
  const value = 10n ** BigInt(k);
  // A handful of precisions and limits recur; anything else is cheap enough to recompute.
  if (powersOfTen.size < 256) powersOfTen.set(k, value);
  return value;
}

/** log10 |n| as a float (-Infinity for 0), good to about 12 significant digits. */
export function log10Abs(n: bigint): number {
  if (n < 0n) n = -n;
  if (n === 0n) return Number.NEGATIVE_INFINITY;
  const bits = bitLength(n);
  if (bits <= 1000) return Math.log10(Number(n));
  const shift = bits - 64;
  return Math.log10(Number(n >> BigInt(shift))) + shift * Math.LOG10E * Math.LN2;
}

/**
 * log10(n/d) for n, d > 0 as a float, accurate also when n/d is close to 1 (where the
 * difference of two logarithms would cancel to 0): 1 + 1e-30 gives about 4.3e-31.
 */
export function log10Ratio(n: bigint, d: bigint): number {
  const difference = log10Abs(n) - log10Abs(d);
  if (Math.abs(difference) > 0.1) return difference;
  const delta = n - d;
  if (delta === 0n) return 0;
  const x = (delta < 0n ? -1 : 1) * 10 ** (log10Abs(delta) - log10Abs(d));
  return Math.log1p(x) / Math.LN10;
}

/** log2 |n| as a float (n != 0). */
function log2Abs(n: bigint): number {
  const bits = bitLength(n);
  if (bits <= 1000) return Math.log2(Number(n < 0n ? -n : n));
  const shift = bits - 64;
  return Math.log2(Number((n < 0n ? -n : n) >> BigInt(shift))) + shift;
}

/** Digits of |n| written in base 10 (1 for 0). */
export function decimalDigits(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

/** Leading bits the Lehmer step works on. */
const LEHMER_BITS = 128;
const LEHMER_BIG = 1n << BigInt(LEHMER_BITS);

/**
 * gcd(|a|, |b|) by Lehmer's method (Knuth, TAOCP vol. 2, 4.5.2, Algorithm L): the quotients
 * of Euclid's algorithm are guessed from the leading bits of both numbers, and a guess is
 * used only while the two bounds on it agree, so the result is exact.
 */
export function gcd(a: bigint, b: bigint): bigint {
  let u = a < 0n ? -a : a;
  let v = b < 0n ? -b : b;
  if (u < v) [u, v] = [v, u];
  while (v >= LEHMER_BIG) {
    const shift = BigInt(bitLength(u) - LEHMER_BITS);
    let x = u >> shift;
    let y = v >> shift;
    let A = 1n;
    let B = 0n;
    let C = 0n;
    let D = 1n;
    for (;;) {
      if (y + C === 0n || y + D === 0n) break;
      const q = (x + A) / (y + C);
      if (q !== (x + B) / (y + D)) break;
      [A, C] = [C, A - q * C];
      [B, D] = [D, B - q * D];
      [x, y] = [y, x - q * y];
    }
    if (B === 0n) {
      [u, v] = [v, u % v];
    } else {
      [u, v] = [A * u + B * v, C * u + D * v];
    }
  }
  while (v !== 0n) [u, v] = [v, u % v];
  return u;
}

/** floor(n / d) for d != 0, rounding toward minus infinity (BigInt division truncates). */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}

/** floor(sqrt(n)) for n >= 0. */
export function isqrt(n: bigint): bigint {
  return iroot(n, 2);
}

/** floor(n^(1/k)) for n >= 0 and k >= 1. */
export function iroot(n: bigint, k: number): bigint {
  if (n < 0n) throw new RangeError('iroot of a negative number');
  if (n < 2n || k === 1) return n;
  const bits = bitLength(n);
  if (k >= bits) return 1n; // 2^k > n
  // A float guess good to about 12 digits, so Newton's method needs only a few steps.
  const log2Root = log2Abs(n) / k;
  let x: bigint;
  if (log2Root < 1000) {
    x = BigInt(Math.ceil(2 ** log2Root));
  } else {
    const whole = Math.floor(log2Root) - 52;
    x = BigInt(Math.ceil(2 ** (log2Root - whole))) << BigInt(whole);
  }
  const K = BigInt(k);
  const step = (r: bigint): bigint => ((K - 1n) * r + n / r ** (K - 1n)) / K;
  // One step lands on or above floor(root) from any positive start (AM-GM); then it decreases.
  x = step(x < 1n ? 1n : x);
  for (;;) {
    const next = step(x);
    if (next >= x) return x;
    x = next;
  }
}

/** The k-th root of n if n is a perfect k-th power (n >= 0), else undefined. */
export function exactRoot(n: bigint, k: number): bigint | undefined {
  const root = iroot(n, k);
  return root ** BigInt(k) === n ? root : undefined;
}
