/**
 * NTP timestamps (RFC 5905 section 6), era-aware. The golden vectors were computed apart
 * from this code with Python (fractions.Fraction of the same double, calendar.timegm, and
 * struct), so they share no arithmetic with it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromNtpTimestamp, NTP_UNIX_OFFSET, toNtpTimestamp } from '../../../src/services/sntp/index.js';

const hex8 = (value: number): string => value.toString(16).padStart(8, '0');

// [instant, milliseconds, seconds, fraction, era], from Python (see the header).
const GOLDEN: [string, number, string, string, number][] = [
  ['1899-12-31T23:59:59Z', -2208988801000, 'ffffffff', '00000000', -1],
  ['1900-01-01T00:00:00Z', -2208988800000, '00000000', '00000000', 0],
  ['1970-01-01T00:00:00Z', 0, '83aa7e80', '00000000', 0],
  ['2000-01-01T00:00:00Z', 946684800000, 'bc17c200', '00000000', 0],
  ['2026-11-24T21:05:03.123456Z', 1795554303123.456, 'eeb07a7f', '1f9ad0e5', 0],
  ['2036-02-07T06:28:15Z', 2085978495000, 'ffffffff', '00000000', 0],
  ['2036-02-07T06:28:16Z', 2085978496000, '00000000', '00000000', 1],
  ['2036-02-07T06:28:16.5Z', 2085978496500, '00000000', '80000000', 1],
  ['2040-01-01T00:00:00.25Z', 2208988800250, '0754fd00', '40000000', 1],
];

describe('golden timestamps', () => {
  it.each(GOLDEN)('%s', (_, ms, seconds, fraction, era) => {
    const timestamp = toNtpTimestamp(ms);
    expect([hex8(timestamp.seconds), hex8(timestamp.fraction), timestamp.era]).toEqual([
      seconds,
      fraction,
      era,
    ]);
    // Back, near the instant itself and near a clock 50 years off.
    const back = fromNtpTimestamp(Number.parseInt(seconds, 16), Number.parseInt(fraction, 16), ms);
    expect(back).toBeCloseTo(ms, 3);
    expect(
      fromNtpTimestamp(timestamp.seconds, timestamp.fraction, ms + 50 * 365.25 * 86_400_000),
    ).toBeCloseTo(ms, 3);
  });

  it('the offset to the Unix epoch is RFC 868 and RFC 5905 figure 4 (2,208,988,800 s)', () => {
    expect(NTP_UNIX_OFFSET).toBe(2_208_988_800);
  });

  it('half a second is 0x80000000 and a microsecond about 4295 units', () => {
    expect(hex8(toNtpTimestamp(500).fraction)).toBe('80000000');
    expect(toNtpTimestamp(0.001).fraction).toBe(4295);
    expect(toNtpTimestamp(0.0005).fraction).toBe(2147);
  });

  it('a fraction that rounds to a whole second carries into the seconds', () => {
    const timestamp = toNtpTimestamp(999.99999999999);
    expect(timestamp).toEqual({ seconds: NTP_UNIX_OFFSET + 1, fraction: 0, era: 0 });
  });
});

describe('eras without a pivot (RFC 4330 section 3)', () => {
  it('the top bit set is era 0 (1968 to 2036), clear is era 1 (2036 to 2104)', () => {
    expect(new Date(fromNtpTimestamp(0x83aa7e80, 0)).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date(fromNtpTimestamp(0x80000000, 0)).toISOString()).toBe('1968-01-20T03:14:08.000Z');
    expect(new Date(fromNtpTimestamp(0, 0)).toISOString()).toBe('2036-02-07T06:28:16.000Z');
    expect(new Date(fromNtpTimestamp(0x7fffffff, 0)).toISOString()).toBe('2104-02-26T09:42:23.000Z');
  });

  it('with a pivot, the same value is read in the era nearest to it', () => {
    expect(new Date(fromNtpTimestamp(0, 0, Date.parse('1920-01-01T00:00:00Z'))).toISOString()).toBe(
      '1900-01-01T00:00:00.000Z',
    );
    expect(new Date(fromNtpTimestamp(0x7fffffff, 0, Date.parse('1950-01-01T00:00:00Z'))).toISOString()).toBe(
      '1968-01-20T03:14:07.000Z',
    );
  });
});

describe('properties', () => {
  const from1900to2100 = fc.double({
    min: Date.parse('1900-01-01T00:00:00Z'),
    max: Date.parse('2100-01-01T00:00:00Z'),
    noNaN: true,
  });

  it('any instant of 1900 to 2100 comes back within a microsecond, read near itself', () => {
    fc.assert(
      fc.property(from1900to2100, (ms) => {
        const { seconds, fraction } = toNtpTimestamp(ms);
        expect(Math.abs(fromNtpTimestamp(seconds, fraction, ms) - ms)).toBeLessThan(0.001);
      }),
    );
  });

  it('and read near any clock within 68 years of it', () => {
    fc.assert(
      fc.property(
        from1900to2100,
        fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }),
        (ms, skewSeconds) => {
          const { seconds, fraction } = toNtpTimestamp(ms);
          expect(Math.abs(fromNtpTimestamp(seconds, fraction, ms + skewSeconds * 1000) - ms)).toBeLessThan(
            0.001,
          );
        },
      ),
    );
  });

  it('the fields are 32-bit and the era is the one of the exact count', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2208988800000 * 2, max: 4e12 }), (ms) => {
        const { seconds, fraction, era } = toNtpTimestamp(ms);
        expect(seconds).toBeGreaterThanOrEqual(0);
        expect(seconds).toBeLessThan(2 ** 32);
        expect(fraction).toBeGreaterThanOrEqual(0);
        expect(fraction).toBeLessThan(2 ** 32);
        const exact = BigInt(Math.floor(ms / 1000)) + 2_208_988_800n;
        expect(BigInt(era) * 2n ** 32n + BigInt(seconds)).toBe(exact);
      }),
    );
  });
});
