/** The BigInt helpers under the number model, against plain definitions. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitLength,
  exactRoot,
  floorDiv,
  gcd,
  iroot,
  isqrt,
  log10Ratio,
} from '../../../src/services/calc/protocol/bigint.js';
import { roundSignificant } from '../../../src/services/calc/protocol/rational.js';

function euclid(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const big = fc.bigInt({ min: -(2n ** 2000n), max: 2n ** 2000n });

describe('calc BigInt helpers', () => {
  it('bitLength counts the bits of |n|', () => {
    expect([0n, 1n, 2n, 3n, 255n, 256n, -256n].map(bitLength)).toEqual([0, 1, 2, 2, 8, 9, 9]);
    fc.assert(
      fc.property(big, (n) => {
        expect(bitLength(n)).toBe(n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length);
      }),
    );
  });

  it('gcd (Lehmer) agrees with Euclid, also on numbers sharing large factors', () => {
    fc.assert(
      fc.property(big, big, big, (a, b, c) => {
        expect(gcd(a, b)).toBe(euclid(a, b));
        expect(gcd(a * c, b * c)).toBe(euclid(a * c, b * c));
      }),
      { numRuns: 300 },
    );
    expect(gcd(0n, 0n)).toBe(0n);
    expect(gcd(3n ** 5000n * 7n, 7n ** 3000n * 3n)).toBe(21n);
    // Consecutive Fibonacci numbers: Euclid's worst case.
    let [f1, f2] = [1n, 1n];
    for (let i = 0; i < 5000; i++) [f1, f2] = [f2, f1 + f2];
    expect(gcd(f2, f1)).toBe(1n);
  });

  it('floorDiv rounds toward minus infinity', () => {
    expect([
      floorDiv(7n, 2n),
      floorDiv(-7n, 2n),
      floorDiv(7n, -2n),
      floorDiv(-7n, -2n),
      floorDiv(6n, -2n),
    ]).toEqual([3n, -4n, -4n, 3n, -3n]);
  });

  it('iroot is the floor of the k-th root', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 3000n }), fc.integer({ min: 1, max: 200 }), (n, k) => {
        const r = iroot(n, k);
        const K = BigInt(k);
        expect(r ** K <= n).toBe(true);
        expect((r + 1n) ** K > n).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(isqrt(10n ** 200n)).toBe(10n ** 100n);
    expect(isqrt(10n ** 200n - 1n)).toBe(10n ** 100n - 1n);
    expect(exactRoot(2n ** 9000n, 9000)).toBe(2n);
    expect(exactRoot(2n ** 9000n + 1n, 9000)).toBeUndefined();
    expect(exactRoot(3n ** 333n, 111)).toBe(27n);
  });

  it('log10Ratio stays accurate next to 1', () => {
    expect(log10Ratio(10n ** 30n + 1n, 10n ** 30n)).toBeCloseTo(1e-30 / Math.LN10, 40);
    expect(log10Ratio(1000n, 10n)).toBeCloseTo(2, 12);
    expect(log10Ratio(10n ** 400n, 1n)).toBeCloseTo(400, 9);
    expect(log10Ratio(5n, 5n)).toBe(0);
  });

  it('roundSignificant rounds half to even', () => {
    expect(roundSignificant(125n, 1n, 2)).toEqual({ m: 12n, exp: 1 });
    expect(roundSignificant(135n, 1n, 2)).toEqual({ m: 14n, exp: 1 });
    expect(roundSignificant(-125n, 1000n, 2)).toEqual({ m: -12n, exp: -2 });
    expect(roundSignificant(999n, 1n, 2)).toEqual({ m: 10n, exp: 2 });
    expect(roundSignificant(1n, 3n, 3)).toEqual({ m: 333n, exp: -3 });
    expect(() => roundSignificant(1n, -3n, 3)).toThrow(RangeError);
  });
});
