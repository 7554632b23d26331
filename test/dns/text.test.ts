import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DnsTextError } from '../../src/dns/errors.js';
import { quoteString, RdataTokens, tokenize, unescapeBytes } from '../../src/dns/text.js';

describe('rdata text tokens', () => {
  it('splits on blanks, keeps quoted strings whole, quotes included', () => {
    expect(tokenize('  10  "a b"  \\" x\\ y ')).toEqual(['10', '"a b"', '\\"', 'x\\ y']);
  });

  it('reads a quote inside a token as a quoted part, as BIND does (SVCB key="a b")', () => {
    expect(tokenize('1 . alpn="h2,h3 x" port=443')).toEqual(['1', '.', 'alpn="h2,h3 x"', 'port=443']);
  });

  it('refuses an unterminated quote', () => {
    expect(() => tokenize('"abc')).toThrow(DnsTextError);
    expect(() => tokenize('key="abc')).toThrow(DnsTextError);
  });

  it('decodes \\DDD and \\X escapes into bytes', () => {
    expect([...unescapeBytes('a\\032b\\"\\\\\\255')]).toEqual([0x61, 0x20, 0x62, 0x22, 0x5c, 0xff]);
    expect(() => unescapeBytes('\\25')).toThrow(DnsTextError);
    expect(() => unescapeBytes('\\256')).toThrow(DnsTextError);
  });

  it('character-strings survive quoteString then string()', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 255 }), (bytes) => {
        expect([...RdataTokens.fromText(quoteString(bytes)).string('s')]).toEqual([...bytes]);
      }),
      { numRuns: 2000 },
    );
  });
});
