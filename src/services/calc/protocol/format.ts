/**
 * How a number is written on the wire. An exact value whose decimal expansion terminates
 * is written in full (`2**100`, `0.1 + 0.2`, `7/2`); anything else (`1/3`, `sqrt(2)`) is
 * rounded half to even to `significantDigits` significant digits, trailing zeros dropped,
 * in Python's style: positional, or scientific (`3.3e-05`, `1.2e+40`) when the leading
 * digit is below 10^-4 or at or above 10^significantDigits. Every form reads back as a number.
 */
import { bitLength, log10Abs } from './bigint.js';
import { type CalcNumber, roundSignificant } from './rational.js';

export function formatNumber(x: CalcNumber, significantDigits: number): { text: string; exact: boolean } {
  if (x.exact) {
    if (x.den === 1n) return { text: x.num.toString(), exact: true };
    const places = decimalPlaces(x.den);
    if (places !== undefined) return { text: positional(x.num, x.den, places), exact: true };
  }
  const { m, exp } = roundSignificant(x.num, x.den, significantDigits);
  return { text: rounded(m, exp, significantDigits), exact: false };
}

/** Places after the point of 1/den if it terminates (den = 2^a × 5^b), else undefined. */
function decimalPlaces(den: bigint): number | undefined {
  const twos = bitLength(den & -den) - 1;
  const rest = den >> BigInt(twos);
  if (rest === 1n) return twos;
  const fives = Math.round(log10Abs(rest) / Math.log10(5));
  return 5n ** BigInt(fives) === rest ? Math.max(twos, fives) : undefined;
}

/** num/den written out exactly, with `places` digits after the point. */
function positional(num: bigint, den: bigint, places: number): string {
  const negative = num < 0n;
  const digits = ((negative ? -num : num) * (10n ** BigInt(places) / den)).toString();
  return (negative ? '-' : '') + insertPoint(digits, places);
}

function insertPoint(digits: string, places: number): string {
  if (places <= 0) return digits + '0'.repeat(-places);
  const padded = digits.padStart(places + 1, '0');
  return `${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

/** m × 10^exp, m already rounded, as a person reads it. */
function rounded(m: bigint, exp: number, significantDigits: number): string {
  if (m === 0n) return '0';
  const negative = m < 0n;
  let digits = (negative ? -m : m).toString();
  let length = digits.length;
  while (digits.charCodeAt(length - 1) === 0x30) length--; // m != 0: not every digit is 0
  exp += digits.length - length;
  digits = digits.slice(0, length);
  const leading = exp + digits.length - 1;
  let text: string;
  if (leading < -4 || leading >= significantDigits) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    text = `${mantissa}e${leading < 0 ? '-' : '+'}${String(Math.abs(leading)).padStart(2, '0')}`;
  } else {
    text = insertPoint(digits, -exp);
  }
  return (negative ? '-' : '') + text;
}
