/**
 * Irrational values in BigInt fixed point: a value v is held as round(v × 10^F) for F
 * fractional digits. pi and e, square roots, logarithms and exponentials are computed with
 * guard digits beyond the precision asked for, then rounded to it. No floating point is
 * used except for size estimates and first guesses.
 */
import { isqrt, log10Abs, pow10 } from './bigint.js';
import { approximate, type CalcNumber } from './rational.js';

/** Extra digits carried inside each computation and dropped at its end. */
const GUARD = 10;

/** atanh(1/k) × scale = sum over odd i of scale / (i × k^i). */
function atanhInverse(k: bigint, scale: bigint): bigint {
  const k2 = k * k;
  let power = scale / k;
  let sum = 0n;
  for (let i = 1n; power !== 0n; i += 2n) {
    sum += power / i;
    power /= k2;
  }
  return sum;
}

/** atan(1/k) × scale, the same series with alternating signs. */
function atanInverse(k: bigint, scale: bigint): bigint {
  const k2 = k * k;
  let power = scale / k;
  let sum = 0n;
  for (let i = 1n, positive = true; power !== 0n; i += 2n, positive = !positive) {
    sum += positive ? power / i : -(power / i);
    power /= k2;
  }
  return sum;
}

const constants = new Map<string, bigint>();

/** A constant at F digits, remembered (a few precisions recur: one per option set). */
function remember(name: string, digits: number, compute: (scale: bigint) => bigint): bigint {
  const key = `${name}:${digits}`;
  const cached = constants.get(key);
  if (cached !== undefined) return cached;
  const value = compute(pow10(digits + GUARD)) / pow10(GUARD);
  if (constants.size > 64) constants.clear();
  constants.set(key, value);
  return value;
}

/** ln 2 = 2 atanh(1/3). */
export function ln2Fixed(digits: number): bigint {
  return remember('ln2', digits, (scale) => 2n * atanhInverse(3n, scale));
}

/** ln 10 = 3 ln 2 + ln(5/4) = 3 ln 2 + 2 atanh(1/9). */
export function ln10Fixed(digits: number): bigint {
  return remember('ln10', digits, (scale) => 6n * atanhInverse(3n, scale) + 2n * atanhInverse(9n, scale));
}

/** pi = 16 atan(1/5) - 4 atan(1/239) (Machin, 1706). */
export function piFixed(digits: number): bigint {
  return remember('pi', digits, (scale) => 16n * atanInverse(5n, scale) - 4n * atanInverse(239n, scale));
}

export function pi(digits: number): CalcNumber {
  return approximate(piFixed(digits + GUARD), pow10(digits + GUARD), digits);
}

export function e(digits: number): CalcNumber {
  const fixed = remember('e', digits + GUARD, (scale) => expFixed(scale, digits + 2 * GUARD));
  return approximate(fixed, pow10(digits + GUARD), digits);
}

/** exp(x) × 10^F for x given as x × 10^F with |x| <= about 2. */
export function expFixed(x: bigint, F: number): bigint {
  const G = F + GUARD;
  const scale = pow10(G);
  // exp(x) = exp(x / 2^10)^(2^10): the series converges fast on the small argument.
  const halvings = 10;
  const small = (x * pow10(GUARD)) >> BigInt(halvings);
  let term = scale;
  let sum = scale;
  for (let i = 1n; term !== 0n; i++) {
    term = (term * small) / (scale * i);
    sum += term;
  }
  for (let i = 0; i < halvings; i++) sum = (sum * sum) / scale;
  return sum / pow10(GUARD);
}

/** ln(num/den) × 10^F for num/den > 0. */
export function lnFixed(num: bigint, den: bigint, F: number): bigint {
  const G = F + GUARD;
  const scale = pow10(G);
  // num/den = 10^k × 2^j × t with t near 1, so the atanh series converges fast.
  const log10 = log10Abs(num) - log10Abs(den);
  const k = Math.floor(log10);
  const j = Math.round((log10 - k) * Math.log2(10));
  let n = num * scale;
  let d = den;
  if (k >= 0) d *= pow10(k);
  else n *= pow10(-k);
  if (j >= 0) d <<= BigInt(j);
  else n <<= BigInt(-j);
  const t = n / d;
  // ln t = 2 atanh(z) with z = (t - 1)/(t + 1), |z| < 0.2.
  const z = ((t - scale) * scale) / (t + scale);
  const z2 = (z * z) / scale;
  let power = z;
  let sum = 0n;
  for (let i = 1n; power !== 0n; i += 2n) {
    sum += power / i;
    power = (power * z2) / scale;
  }
  // Near 1, k and j are 0: skip the constants (at high precision they cost the most).
  const result =
    2n * sum + (k === 0 ? 0n : BigInt(k) * ln10Fixed(G)) + (j === 0 ? 0n : BigInt(j) * ln2Fixed(G));
  return result / pow10(GUARD);
}

/** sqrt(num/den) for num/den > 0, to `digits` significant digits. */
export function sqrtApproximate(num: bigint, den: bigint, digits: number): CalcNumber {
  // Scale by an even power of ten so the integer root has digits + GUARD digits.
  const magnitude = Math.floor((log10Abs(num) - log10Abs(den)) / 2);
  const s = digits + GUARD - magnitude;
  const root = s >= 0 ? isqrt((num * pow10(2 * s)) / den) : isqrt(num / (den * pow10(-2 * s)));
  return s >= 0 ? approximate(root, pow10(s), digits) : approximate(root * pow10(-s), 1n, digits);
}

/**
 * exp(L) where L = y × ln(x) is given in fixed point at F digits; the caller has checked
 * that the result's magnitude (about L / ln 10 digits) is within its limits.
 */
export function expOfFixed(L: bigint, F: number, digits: number): CalcNumber {
  // exp(L) = 10^n × exp(r), r = L - n ln 10, |r| <= ln(10)/2.
  const ln10 = ln10Fixed(F);
  let n = L / ln10;
  const rest = L - n * ln10;
  if (2n * rest > ln10) n += 1n;
  else if (2n * rest < -ln10) n -= 1n;
  // n ln 10 needs the digits of n more precision than L itself.
  const extra = n.toString().length + 2;
  const r = (L * pow10(extra) - n * ln10Fixed(F + extra)) / pow10(extra);
  const scale = pow10(F);
  const value = expFixed(r, F);
  return n >= 0n
    ? approximate(value * pow10(Number(n)), scale, digits)
    : approximate(value, scale * pow10(Number(-n)), digits);
}
