import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, ipFamily, parseIPv4, parseIPv6 } from '../../src/core/ip.js';

/** WHATWG URL serialises IPv6 hosts in the RFC 5952 form: an independent implementation. */
function nodeCanonicalIPv6(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

describe('IP literals', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['fe80::1%eth0', 'fe80::1'],
  ])('formats %s as %s (RFC 5952)', (input, expected) => {
    expect(formatIPv6(parseIPv6(input)!)).toBe(expected);
  });

  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', ''])(
    'refuses IPv4 %s',
    (text) => {
      expect(parseIPv4(text)).toBeUndefined();
    },
  );

  it.each([':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', '1:2:3:4:5:6:7::8', 'fe80::1%'])(
    'refuses IPv6 %s',
    (text) => {
      expect(parseIPv6(text)).toBeUndefined();
    },
  );

  it('agrees with node:net isIP on arbitrary strings (property)', () => {
    const candidates = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.string({ maxLength: 20 }),
      fc.stringMatching(/^[0-9a-f:.]{0,30}$/),
    );
    fc.assert(
      fc.property(candidates, (text) => {
        // Node accepts zone ids only on link-local text it does not validate; we compare without them.
        expect(ipFamily(text)).toBe(isIP(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('formats IPv6 as WHATWG URL does, and round-trips bytes (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const bytes = parseIPv6(text)!;
        const formatted = formatIPv6(bytes);
        expect(formatted).toBe(nodeCanonicalIPv6(text));
        expect(parseIPv6(formatted)).toEqual(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips IPv4 (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(formatIPv4(parseIPv4(text)!)).toBe(text);
      }),
    );
  });
});
