import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DnsTransferError } from '../../../src/dns/transfer/errors.js';
import { addToSerial, compareSerials, serialIsNewer } from '../../../src/dns/transfer/serial.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('RFC 1982 serial arithmetic', () => {
  it('orders serials within 2^31 of each other', () => {
    expect(compareSerials(1, 2)).toBe(-1);
    expect(compareSerials(2, 1)).toBe(1);
    expect(compareSerials(7, 7)).toBe(0);
    expect(serialIsNewer(2, 1)).toBe(true);
    expect(serialIsNewer(1, 1)).toBe(false);
    expect(serialIsNewer(1, 2)).toBe(false);
  });

  it('wraps around at 2^32 (RFC 1982 §3.2)', () => {
    // 0 is newer than 2^32 - 1, and 2^31 - 2 ahead of it still is.
    expect(compareSerials(0, 0xffffffff)).toBe(1);
    expect(compareSerials(0xffffffff, 0)).toBe(-1);
    expect(serialIsNewer(0x7ffffffe, 0xffffffff)).toBe(true);
    expect(serialIsNewer(100, 0xfffffff0)).toBe(true);
    expect(compareSerials(2 ** 31 - 1, 0)).toBe(1);
    expect(compareSerials(2 ** 31 + 1, 0)).toBe(-1);
    // The largest serial plus one wraps to 0, which is newer (RFC 1982 §3.1).
    expect(addToSerial(0xffffffff, 1)).toBe(0);
    expect(compareSerials(addToSerial(0xffffffff, 1), 0xffffffff)).toBe(1);
  });

  it('leaves serials exactly 2^31 apart unordered', () => {
    expect(compareSerials(0, 2 ** 31)).toBeUndefined();
    expect(compareSerials(2 ** 31, 0)).toBeUndefined();
    expect(compareSerials(5, 2 ** 31 + 5)).toBeUndefined();
    expect(serialIsNewer(2 ** 31, 0)).toBe(false);
    expect(serialIsNewer(0, 2 ** 31)).toBe(false);
  });

  it('is antisymmetric', () => {
    fc.assert(
      fc.property(u32, u32, (a, b) => {
        const ab = compareSerials(a, b);
        const ba = compareSerials(b, a);
        if (ab === undefined) expect(ba).toBeUndefined();
        else expect(ba).toBe(ab === 0 ? 0 : -ab);
        expect(ab === 0).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds s + n newer than s for 0 < n < 2^31 (RFC 1982 §3.2)', () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (s, n) => {
        expect(serialIsNewer(addToSerial(s, n), s)).toBe(true);
        expect(serialIsNewer(s, addToSerial(s, n))).toBe(false);
      }),
    );
  });

  it('refuses an increment over 2^31 - 1 (RFC 1982 §3.1)', () => {
    expect(() => addToSerial(1, 2 ** 31)).toThrow(DnsTransferError);
  });
});
