/**
 * The basic record types (src/dns/rdata/basic.ts): golden vectors, text strictness, name
 * compression, properties, malformed wire data. Differential tests against dnspython and
 * dns-packet are in rdata-basic-dnspython.test.ts and rdata-basic-dns-packet.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RRTYPE, typeToText } from '../../src/dns/constants.js';
import { DnsDecodeError, DnsEncodeError, DnsTextError } from '../../src/dns/errors.js';
import { Name } from '../../src/dns/name.js';
import type { CaaRdata, MxRdata, SoaRdata, TxtRdata } from '../../src/dns/rdata/types.js';
import { decodeRecord, encodeRecord } from '../../src/dns/record.js';
import { WireReader, WireWriter } from '../../src/dns/wire.js';
import {
  arbitraryRdata,
  BASIC_TYPES,
  bytesOf,
  decode,
  encode,
  fromText,
  hex,
  plain,
  toText,
} from './arbitraries.js';

/**
 * [type, wire hex, text]. The text is an RFC example where the RFC has one (named beside it);
 * the wire bytes are dnspython 2.3.0's to_wire() of that text, and the text is what
 * dig 9.18.49 printed for an answer carrying those bytes (it and dnspython's to_text agreed
 * on every one).
 */
const GOLDEN: readonly (readonly [keyof typeof RRTYPE, string, string])[] = [
  ['A', '0a010034', '10.1.0.52'], // RFC 1035 §5.3 (VENERA's address)
  ['AAAA', '432100000001000200030004056789ab', '4321:0:1:2:3:4:567:89ab'], // RFC 3596 §2.5
  ['AAAA', '20010db8000000000000000000000001', '2001:db8::1'],
  ['AAAA', '00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // RFC 5952 §5 mixed notation
  ['NS', '0656454e455241034953490345445500', 'VENERA.ISI.EDU.'], // RFC 1035 §5.3
  ['CNAME', '076578616d706c65047465737400', 'example.test.'],
  ['DNAME', '076578616d706c65036e657400', 'example.net.'],
  ['PTR', '04686f7374076578616d706c65047465737400', 'host.example.test.'],
  [
    'SOA', // RFC 1035 §5.3
    '0656454e4552410349534903454455000e416374696f6e2e646f6d61696e730349534903454455000000001400001c20000002580036ee800000003c',
    'VENERA.ISI.EDU. Action\\.domains.ISI.EDU. 20 7200 600 3600000 60',
  ],
  ['MX', '000a0656454e455241034953490345445500', '10 VENERA.ISI.EDU.'], // RFC 1035 §5.3
  [
    'TXT', // test/fixtures/dns/example.test.zone
    '0b68656c6c6f20776f726c640873617920226869220a6261636b5c736c6173680a73656d693b636f6c6f6e0008746162096865726505636166c3a9',
    '"hello world" "say \\"hi\\"" "back\\\\slash" "semi;colon" "" "tab\\009here" "caf\\195\\169"',
  ],
  [
    'SPF', // RFC 7208 §3 style
    '25763d73706631202b6d7820613a636f6c6f2e6578616d706c652e636f6d2f3238202d616c6c',
    '"v=spf1 +mx a:colo.example.com/28 -all"',
  ],
  [
    'SRV',
    '0000000100090c6f6c642d736c6f772d626f78076578616d706c6503636f6d00',
    '0 1 9 old-slow-box.example.com.',
  ], // RFC 2782
  [
    'NAPTR',
    '0064000a0153075349502b44325500045f736970045f756470076578616d706c6503636f6d00',
    '100 10 "S" "SIP+D2U" "" _sip._udp.example.com.',
  ],
  [
    'NAPTR', // RFC 3403 §6.2, with its backslashes escaped as master files need
    '0064000a000021215e75726e3a6369643a2e2b40285b5e5c2e5d2b5c2e29282e2a2924215c32216900',
    '100 10 "" "" "!^urn:cid:.+@([^\\\\.]+\\\\.)(.*)$!\\\\2!i" .',
  ],
  ['CAA', '0005697373756563612e6578616d706c652e6e6574', '0 issue "ca.example.net"'], // RFC 8659 §4
  ['CAA', '8003746273556e6b6e6f776e', '128 tbs "Unknown"'], // RFC 8659 §4
  [
    'CAA',
    '0005696f6465666d61696c746f3a7365637572697479406578616d706c652e636f6d',
    '0 iodef "mailto:security@example.com"',
  ],
  ['HINFO', '084445432d3230363006544f50533230', '"DEC-2060" "TOPS20"'], // RFC 1035 §5.3
];

describe('basic record types: golden vectors', () => {
  it.each(GOLDEN)('%s %s decodes to its text', (mnemonic, wire, text) => {
    expect(toText(RRTYPE[mnemonic], decode(RRTYPE[mnemonic], bytesOf(wire)))).toBe(text);
  });

  it.each(GOLDEN)('%s text encodes to %s', (mnemonic, wire, text) => {
    expect(hex(encode(RRTYPE[mnemonic], fromText(RRTYPE[mnemonic], text)))).toBe(wire);
  });

  it('covers every basic type', () => {
    expect(new Set(GOLDEN.map(([mnemonic]) => RRTYPE[mnemonic]))).toEqual(new Set(BASIC_TYPES));
  });

  it('decodes into the data model', () => {
    expect(plain(decode(RRTYPE.MX, bytesOf('000a0656454e455241034953490345445500')))).toEqual({
      preference: 10,
      exchange: 'name:VENERA.ISI.EDU.',
    });
    const caa = decode(RRTYPE.CAA, bytesOf('8003746273556e6b6e6f776e')) as CaaRdata;
    expect(caa).toEqual({ flags: 128, tag: 'tbs', value: new TextEncoder().encode('Unknown') });
  });
});

describe('basic record types: text input', () => {
  const origin = Name.fromText('example.test.');
  it.each([
    ['NS', 'ns1', 'ns1.example.test.'],
    ['NS', '@', 'example.test.'],
    ['MX', '10 mail', '10 mail.example.test.'],
    ['AAAA', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['AAAA', '::1.2.3.4', '::1.2.3.4'],
    ['AAAA', '::FFFF:c000:0201', '::ffff:192.0.2.1'],
    ['TXT', 'abc "d e f" g\\"h', '"abc" "d e f" "g\\"h"'],
    ['TXT', '""', '""'],
    ['HINFO', 'PC Linux', '"PC" "Linux"'],
    ['CAA', '0 issue letsencrypt.org', '0 issue "letsencrypt.org"'],
    ['CAA', '0 issue ""', '0 issue ""'],
    ['CAA', '0 ISSUE "x;y \\"q\\" \\\\"', '0 ISSUE "x;y \\"q\\" \\\\"'],
    ['NAPTR', '100 10 S SIP+D2U "" _sip._udp', '100 10 "S" "SIP+D2U" "" _sip._udp.example.test.'],
    [
      'SOA',
      'ns hostmaster 1 1h 30M 1w2d 1h1m1s',
      'ns.example.test. hostmaster.example.test. 1 3600 1800 777600 3661',
    ],
    ['SRV', '0 0 0 .', '0 0 0 .'],
  ] as const)('%s %s reads as %s', (mnemonic, text, expected) => {
    expect(toText(RRTYPE[mnemonic], fromText(RRTYPE[mnemonic], text, origin))).toBe(expected);
  });

  it('takes a CAA value over 255 bytes (it is not a character-string)', () => {
    const value = 'c'.repeat(300);
    const data = fromText(RRTYPE.CAA, `128 TBS "${value}"`) as CaaRdata;
    expect(data.value.length).toBe(300);
    expect(toText(RRTYPE.CAA, data)).toBe(`128 TBS "${value}"`);
  });

  it.each([
    ['A', '', /A address/],
    ['A', '01.2.3.4', /A address/],
    ['A', '1.2.3', /A address/],
    ['A', '1.2.3.4 5', /unexpected "5"/],
    ['AAAA', 'fe80::1%eth0', /AAAA address/],
    ['AAAA', '1.2.3.4', /AAAA address/],
    ['NS', '', /NS target/],
    ['CNAME', 'a. b.', /unexpected "b."/],
    ['MX', '10', /MX exchange/],
    ['MX', '65536 a.', /MX preference: 65536 is over 65535/],
    ['MX', 'ten a.', /MX preference/],
    ['SOA', 'a. b. 1 2 3 4', /SOA minimum/],
    ['SOA', 'a. b. 4294967296 2 3 4 5', /SOA serial/],
    ['SOA', 'a. b. 1 2 3 4 5 6', /unexpected "6"/],
    ['SOA', 'a. b. 1h 2 3 4 5', /SOA serial/],
    ['SOA', 'a. b. 1 2x 3 4 5', /SOA refresh/],
    ['SOA', 'a. b. 1 2 3 4 4294967296s', /SOA minimum/],
    ['TXT', '', /TXT text/],
    ['SPF', '', /SPF text/],
    ['TXT', `"${'a'.repeat(256)}"`, /at most 255/],
    ['TXT', 'a'.repeat(256), /at most 255/],
    ['SRV', '1 2 a.', /SRV port/],
    ['SRV', '1 2 70000 a.', /SRV port/],
    ['NAPTR', '100 10 "S" "SIP" "" ', /NAPTR replacement/],
    ['NAPTR', '100 10 "S" "SIP"', /NAPTR regexp/],
    ['CAA', '256 issue "x"', /CAA flags/],
    ['CAA', '0 is-sue "x"', /CAA tag/],
    ['CAA', `0 ${'a'.repeat(256)} "x"`, /CAA tag/],
    ['CAA', '0 issue', /CAA value/],
    ['CAA', '0 issue "a" "b"', /unexpected/],
    ['HINFO', '"PC"', /HINFO os/],
    ['HINFO', '"PC" "Linux" "x"', /unexpected/],
  ] as const)('%s %j is refused, naming the field', (mnemonic, text, message) => {
    expect(() => fromText(RRTYPE[mnemonic], text)).toThrow(DnsTextError);
    expect(() => fromText(RRTYPE[mnemonic], text)).toThrow(message);
  });
});

describe('basic record types: encoding', () => {
  it('refuses data that cannot go on the wire', () => {
    expect(() => encode(RRTYPE.TXT, { strings: [] })).toThrow(DnsEncodeError);
    expect(() => encode(RRTYPE.TXT, { strings: [new Uint8Array(256)] })).toThrow(DnsEncodeError);
    expect(() => encode(RRTYPE.A, { address: '::1' })).toThrow(DnsEncodeError);
    expect(() => encode(RRTYPE.AAAA, { address: '1.2.3.4' })).toThrow(DnsEncodeError);
    expect(() => encode(RRTYPE.CAA, { flags: 0, tag: 'is sue', value: new Uint8Array() })).toThrow(
      DnsEncodeError,
    );
    expect(() => encode(RRTYPE.CAA, { flags: 256, tag: 'issue', value: new Uint8Array() })).toThrow(
      DnsEncodeError,
    );
    const mx: MxRdata = { preference: 65536, exchange: Name.ROOT };
    expect(() => encode(RRTYPE.MX, mx)).toThrow(/MX preference/);
    const soa = fromText(RRTYPE.SOA, 'a. b. 1 2 3 4 5') as SoaRdata;
    expect(() => encode(RRTYPE.SOA, { ...soa, serial: -1 })).toThrow(DnsEncodeError);
  });

  /**
   * The rdata of a record at x.example.test., written after example.test. (so at offset 0):
   * where compression may apply. Header: 14 bytes of name, 4 of owner, 10 of type to length.
   */
  function rdataAfterName(mnemonic: keyof typeof RRTYPE, text: string): string {
    const writer = new WireWriter(true);
    writer.name(Name.fromText('example.test.'));
    const type = RRTYPE[mnemonic];
    const owner = Name.fromText('x.example.test.');
    encodeRecord(writer, { name: owner, type, class: 1, ttl: 60, data: fromText(type, text) });
    return hex(writer.finish().subarray(28));
  }
  const EXAMPLE_TEST = '076578616d706c65047465737400';

  it.each([
    ['NS', 'example.test.', 'c000'],
    ['CNAME', 'example.test.', 'c000'],
    ['PTR', 'example.test.', 'c000'],
    ['MX', '1 example.test.', '0001c000'],
    ['SOA', 'example.test. x.example.test. 1 2 3 4 5', 'c000c00e0000000100000002000000030000000400000005'],
  ] as const)('compresses the names of %s (RFC 3597 §4)', (mnemonic, text, rdata) => {
    expect(rdataAfterName(mnemonic, text)).toBe(rdata);
  });

  it.each([
    ['DNAME', 'example.test.', EXAMPLE_TEST],
    ['SRV', '1 2 3 example.test.', `000100020003${EXAMPLE_TEST}`],
    ['NAPTR', '1 2 "" "" "" example.test.', `00010002000000${EXAMPLE_TEST}`],
  ] as const)('never compresses the names of %s', (mnemonic, text, rdata) => {
    expect(rdataAfterName(mnemonic, text)).toBe(rdata);
  });

  it.each([
    ['SRV', '000100020003c000', '1 2 3 example.test.'],
    ['DNAME', 'c000', 'example.test.'],
    ['NAPTR', '00010002000000c000', '1 2 "" "" "" example.test.'],
    ['MX', '000ac000', '10 example.test.'],
  ] as const)('follows compression pointers when reading %s', (mnemonic, rdata, text) => {
    // example.test. at 0, then a record at a pointer to it whose data ends in a pointer to it.
    const type = RRTYPE[mnemonic];
    const length = rdata.length / 2;
    const message = bytesOf(
      `${EXAMPLE_TEST}c000${hex(Uint8Array.of(0, type, 0, 1, 0, 0, 0, 60, 0, length))}${rdata}`,
    );
    const record = decodeRecord(new WireReader(message, 14));
    expect(toText(record.type, record.data)).toBe(text);
  });
});

describe('basic record types: properties', () => {
  for (const type of BASIC_TYPES) {
    describe(typeToText(type), () => {
      it('survives encode → decode', () => {
        fc.assert(
          fc.property(arbitraryRdata(type), (data) => {
            expect(plain(decode(type, encode(type, data)))).toEqual(plain(data));
          }),
        );
      });

      it('survives toText → fromText', () => {
        fc.assert(
          fc.property(arbitraryRdata(type), (data) => {
            expect(plain(fromText(type, toText(type, data)))).toEqual(plain(data));
          }),
        );
      });

      it('reads any bytes as data or a DnsDecodeError, nothing else', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
            expectDecodeErrorOrData(type, bytes);
          }),
        );
      });

      it('reads mutated and cut valid data as data or a DnsDecodeError', () => {
        fc.assert(
          fc.property(
            arbitraryRdata(type),
            fc.nat(),
            fc.integer({ min: 0, max: 255 }),
            fc.nat(),
            (data, at, byte, cut) => {
              const bytes = encode(type, data);
              if (bytes.length > 0) bytes[at % bytes.length] = byte;
              expectDecodeErrorOrData(type, bytes);
              expectDecodeErrorOrData(type, bytes.subarray(0, cut % (bytes.length + 1)));
            },
          ),
        );
      });
    });
  }
});

function expectDecodeErrorOrData(type: number, bytes: Uint8Array): void {
  try {
    const data = decode(type, bytes);
    // Whatever decodes must print and encode back to the same bytes.
    expect(hex(encode(type, data))).toBe(hex(bytes));
    toText(type, data);
  } catch (error) {
    if (!(error instanceof DnsDecodeError)) throw error;
  }
}

describe('basic record types: malformed wire data', () => {
  it.each([
    ['A', '', /A data must be 4 bytes, not 0/],
    ['A', '010203', /A data must be 4 bytes, not 3/],
    ['A', '0102030405', /A data must be 4 bytes, not 5/],
    ['AAAA', '00'.repeat(15), /AAAA data must be 16 bytes, not 15/],
    ['AAAA', '00'.repeat(17), /AAAA data must be 16 bytes, not 17/],
    ['NS', '', /NS target runs past the end/],
    ['NS', '0361626300ff', /1 unexpected byte/],
    ['CNAME', '03616263', /runs past the end/],
    ['PTR', '0561626300', /label runs past the end/],
    ['DNAME', 'c000', /does not point backwards/],
    ['NS', '4000', /unsupported label type/],
    ['MX', '00', /MX preference/],
    ['MX', '000a', /MX exchange/],
    ['SOA', `0000${'00000001000000020000000300000004'}0000`, /SOA minimum/],
    ['SOA', `0000${'0000000100000002000000030000000400000005'}00`, /1 unexpected byte/],
    ['TXT', '', /at least one character-string/],
    ['SPF', '', /at least one character-string/],
    ['TXT', '05616263', /TXT string 1 needs 5 bytes, 3 left/],
    ['TXT', '01610262', /TXT string 2 needs 2 bytes, 1 left/],
    ['SRV', '000100020003', /SRV target/],
    ['SRV', '0001000200', /SRV port/],
    ['NAPTR', '0064000a0153', /NAPTR services/],
    ['NAPTR', '0064000a01530000', /NAPTR replacement/],
    ['CAA', '', /CAA flags/],
    ['CAA', '00', /length of the CAA tag/],
    ['CAA', '0000', /CAA tag is empty/],
    ['CAA', '0005697373', /CAA tag needs 5 bytes, 3 left/],
    ['CAA', '0003612d62', /letters and digits/],
    ['HINFO', '0161', /HINFO os/],
    ['HINFO', '01610162ff', /1 unexpected byte/],
  ] as const)('%s %s is a DnsDecodeError', (mnemonic, wire, message) => {
    const read = () => decode(RRTYPE[mnemonic], bytesOf(wire));
    expect(read).toThrow(DnsDecodeError);
    expect(read).toThrow(message);
  });

  it.each(GOLDEN.filter(([mnemonic]) => mnemonic !== 'CAA' && mnemonic !== 'TXT' && mnemonic !== 'SPF'))(
    '%s %s cut short or grown by a byte is a DnsDecodeError',
    (mnemonic, wire) => {
      const bytes = bytesOf(wire);
      for (let length = 0; length < bytes.length; length++) {
        expect(() => decode(RRTYPE[mnemonic], bytes.subarray(0, length))).toThrow(DnsDecodeError);
      }
      expect(() => decode(RRTYPE[mnemonic], Uint8Array.from([...bytes, 0]))).toThrow(DnsDecodeError);
    },
  );

  it('reads TXT cut inside a string as a DnsDecodeError, and at a string boundary as fewer strings', () => {
    const bytes = bytesOf('0361626303646566');
    expect((decode(RRTYPE.TXT, bytes.subarray(0, 4)) as TxtRdata).strings).toHaveLength(1);
    for (const length of [1, 2, 3, 5, 6, 7]) {
      expect(() => decode(RRTYPE.TXT, bytes.subarray(0, length))).toThrow(DnsDecodeError);
    }
  });

  it('reports the offset of the fault in the message', () => {
    try {
      decodeRecord(new WireReader(bytesOf('000001000100000e10000301020300')));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DnsDecodeError);
      expect((error as DnsDecodeError).offset).toBe(11);
    }
  });
});
