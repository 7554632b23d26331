/**
 * Messages: golden vectors (RFC 1035 §4.1.4, a dig query and a dnspython answer captured on
 * loopback), compression pointers, lying counts, truncation, EDNS(0) edge cases, round trips.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RCODE, RRCLASS, RRTYPE } from '../../src/dns/constants.js';
import {
  clientSubnetOption,
  cookieOption,
  edeOption,
  expireOption,
  nsidOption,
  paddingFor,
  paddingOption,
  readClientSubnet,
  readCookie,
  readExpire,
  readExtendedError,
  readNsid,
  readTcpKeepalive,
  tcpKeepaliveOption,
} from '../../src/dns/edns.js';
import { DnsDecodeError, DnsEncodeError } from '../../src/dns/errors.js';
import {
  decodeMessage,
  emptyFlags,
  encodeMessage,
  type Message,
  makeQuery,
  makeResponse,
  maxUdpResponseSize,
} from '../../src/dns/message.js';
import { Name } from '../../src/dns/name.js';
import { WireReader, WireWriter } from '../../src/dns/wire.js';
import {
  aRecord,
  arbitraryMessage,
  bytesOf,
  hex,
  plainMessage,
  plainRecord,
  unknownRecord,
} from './message-helpers.js';

/**
 * Captured on loopback (see the message-text tests for dig's text of both): the query dig
 * 9.18.49 sent for `dig +qr +nsid +expire +keepalive +dnssec +cookie=0102030405060708
 * www.example.com A`, and the answer dnspython 2.3.0 built for it (make_response, records
 * added, to_wire()).
 */
const DIG_QUERY = bytesOf(
  '3a3e0120000100000000000103777777076578616d706c6503636f6d000001000100002904d000008000001800030000000a0008010203040506070800090000000b0000',
);
const DNSPYTHON_ANSWER = bytesOf(
  '3a3e81a0000100030002000403777777076578616d706c6503636f6d0000010001c00c0005000100000e10000603776562c010c02d000100010000012c00045db8d822c02d000100010000012c00045db8d823c0100002000100015180001401610c69616e612d73657276657273036e657400c010000200010001518000040162c061c05f001c000100000708001020010500008f00000000000000000053c02d001000010000003c001a0b763d73706631202d616c6c0d7365636f6e6420737472696e67c010000f00010000003c0009000a046d61696cc01000002904d00000800000440003000b6e73312e6578616d706c65000a00180102030405060708000102030405060708090a0b0c0d0e0f000900040002b115000b000204b0000f000700037374616c65',
);

function header(fields: { id?: number; flags?: number; counts?: number[] } = {}): number[] {
  const [qd = 0, an = 0, ns = 0, ar = 0] = fields.counts ?? [];
  const id = fields.id ?? 0x1234;
  const flags = fields.flags ?? 0x0100;
  return [id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, ns, 0, ar];
}

function expectDecodeError(bytes: Uint8Array | number[], pattern: RegExp, offset?: number): DnsDecodeError {
  const input = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
  let caught: unknown;
  try {
    decodeMessage(input);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DnsDecodeError);
  const error = caught as DnsDecodeError;
  expect(error.message).toMatch(pattern);
  expect(error.code).toBe('NK_DNS_DECODE');
  if (offset !== undefined) expect(error.offset).toBe(offset);
  return error;
}

function baseMessage(fields: Partial<Message> = {}): Message {
  return {
    id: 1,
    opcode: 0,
    rcode: 0,
    flags: emptyFlags(),
    question: [],
    answer: [],
    authority: [],
    additional: [],
    ...fields,
  };
}

describe('golden messages', () => {
  it('decodes the dig query', () => {
    const query = decodeMessage(DIG_QUERY);
    expect(query.id).toBe(0x3a3e);
    expect(query.flags).toEqual({ ...emptyFlags(), rd: true, ad: true });
    expect(query.question.map((q) => [q.name.toText(), q.type, q.class])).toEqual([
      ['www.example.com.', 1, 1],
    ]);
    expect(query.edns).toMatchObject({ udpPayloadSize: 1232, version: 0, dnssecOk: true, flags: 0 });
    expect(query.edns!.options.map((o) => [o.code, hex(o.data)])).toEqual([
      [3, ''],
      [10, '0102030405060708'],
      [9, ''],
      [11, ''],
    ]);
    // Our encoding of it is the same bytes (one name, nothing to compress).
    expect(hex(encodeMessage(query))).toBe(hex(DIG_QUERY));
  });

  it('decodes the dnspython answer and encodes it back byte for byte', () => {
    const answer = decodeMessage(DNSPYTHON_ANSWER);
    expect(answer.flags).toEqual({ ...emptyFlags(), qr: true, rd: true, ra: true, ad: true });
    expect(answer.answer.map((record) => plainRecord(record))).toEqual([
      'www.example.com. 3600 1 5 03776562076578616d706c6503636f6d00',
      'web.example.com. 300 1 1 5db8d822',
      'web.example.com. 300 1 1 5db8d823',
    ]);
    expect(answer.authority).toHaveLength(2);
    expect(answer.additional.map((r) => r.type)).toEqual([RRTYPE.AAAA, RRTYPE.TXT, RRTYPE.MX]);
    expect(readCookie(answer.edns!.options[1]!).server).toHaveLength(16);
    expect(readExpire(answer.edns!.options[2]!)).toBe(176405);
    expect(readTcpKeepalive(answer.edns!.options[3]!)).toBe(1200);
    expect(readExtendedError(answer.edns!.options[4]!)).toEqual({ infoCode: 3, extraText: 'stale' });
    // dnspython compresses as we do (first occurrence of each suffix, pointers to it).
    expect(hex(encodeMessage(answer))).toBe(hex(DNSPYTHON_ANSWER));
  });

  it('reads and writes the RFC 1035 §4.1.4 compression example', () => {
    // The RFC's figure: F.ISI.ARPA at 20, FOO.F.ISI.ARPA at 40 (FOO, then a pointer to 20),
    // ARPA at 64 (a pointer to 26), the root at 92.
    const bytes = new Uint8Array(93);
    bytes.set([1, 0x46, 3, 0x49, 0x53, 0x49, 4, 0x41, 0x52, 0x50, 0x41, 0], 20);
    bytes.set([3, 0x46, 0x4f, 0x4f, 0xc0, 20], 40);
    bytes.set([0xc0, 26], 64);
    bytes.set([0], 92);
    expect(new WireReader(bytes, 20).name().toText()).toBe('F.ISI.ARPA.');
    expect(new WireReader(bytes, 40).name().toText()).toBe('FOO.F.ISI.ARPA.');
    expect(new WireReader(bytes, 64).name().toText()).toBe('ARPA.');
    expect(new WireReader(bytes, 92).name().toText()).toBe('.');
    // The same names as questions of a message: the first at 12, so pointers go to 12 and 18.
    const message = baseMessage({
      question: ['F.ISI.ARPA.', 'FOO.F.ISI.ARPA.', 'ARPA.', '.'].map((name) => ({
        name: Name.fromText(name),
        type: RRTYPE.A,
        class: RRCLASS.IN,
      })),
    });
    const wire = encodeMessage(message);
    expect(hex(wire.subarray(12))).toBe(
      ['0146034953490441525041000001' + '0001', '03464f4fc00c00010001', 'c01200010001', '0000010001'].join(
        '',
      ),
    );
    expect(plainMessage(decodeMessage(wire))).toEqual(plainMessage(message));
    expect(encodeMessage(message, { compress: false }).length).toBe(12 + 16 + 20 + 10 + 5);
  });
});

describe('compression pointers', () => {
  const question = [0x00, 0x01, 0x00, 0x01];
  it('rejects a forward pointer', () => {
    expectDecodeError([...header({ counts: [1] }), 0xc0, 14, ...question, 0], /does not point backwards/, 12);
  });
  it('rejects a pointer to itself', () => {
    expectDecodeError([...header({ counts: [1] }), 0xc0, 12, ...question], /does not point backwards/, 12);
  });
  it('rejects a loop (a pointer back to a pointer forward)', () => {
    // 12: label "a", then a pointer to 17; 17: a pointer back to 12.
    expectDecodeError(
      [...header({ counts: [1] }), 1, 0x61, 0xc0, 17, 0, 0xc0, 12, ...question],
      /does not point backwards/,
    );
  });
  it('rejects a pointer out of bounds and one cut short', () => {
    expectDecodeError([...header({ counts: [1] }), 0xff, 0xff, ...question], /does not point backwards/);
    expect(() => new WireReader(Uint8Array.of(1, 0x61, 0xc0)).name()).toThrow(/cut short/);
  });
  it('rejects the reserved label types 0x40 and 0x80', () => {
    expectDecodeError([...header({ counts: [1] }), 0x41, 0x61, 0, ...question], /label type 0x40/, 12);
    expectDecodeError([...header({ counts: [1] }), 0x81, 0x61, 0, ...question], /label type 0x80/, 12);
  });
  it('follows pointer chains that go backwards', () => {
    const wire = encodeMessage(
      baseMessage({
        answer: [
          aRecord('a.example.', '192.0.2.1'),
          aRecord('b.a.example.', '192.0.2.2'),
          aRecord('c.b.a.example.', '192.0.2.3'),
        ],
      }),
    );
    expect(decodeMessage(wire).answer.map((r) => r.name.toText())).toEqual([
      'a.example.',
      'b.a.example.',
      'c.b.a.example.',
    ]);
  });
  it('rejects a name over 255 bytes made of pointers', () => {
    // 4 names of 63-byte labels chained backwards: 4 × 64 + 1 > 255.
    const bytes = [...header({ counts: [1] })];
    const label = [63, ...new Array(63).fill(0x61)];
    let previous = bytes.length;
    bytes.push(...label, 0); // one label, then the root
    for (let i = 0; i < 2; i++) {
      const at = bytes.length;
      bytes.push(...label, 0xc0, previous); // one more label, then the name before
      previous = at;
    }
    // Three labels of 63: 193 bytes, a name; a fourth makes 257, over the limit.
    expect(new WireReader(Uint8Array.from(bytes), previous).name().wireLength).toBe(3 * 64 + 1);
    const fourth = bytes.length;
    bytes.push(...label, 0xc0, previous);
    const wire = Uint8Array.from(bytes);
    expect(() => new WireReader(wire, fourth).name()).toThrow(/longer than 255/);
  });
});

describe('counts that lie', () => {
  it('fails at once on 65535 records in 12 bytes', () => {
    const error = expectDecodeError(header({ counts: [0xffff, 0xffff, 0xffff, 0xffff] }), /need at least/, 4);
    expect(error.details.offset).toBe(4);
  });
  it('fails on more records than there are', () => {
    const wire = encodeMessage(baseMessage({ answer: [aRecord('a.example.', '192.0.2.1')] }));
    wire[7] = 2; // ANCOUNT 2, one record there (and 15 bytes: enough for the count check)
    // A second record of the root, type A, class IN, TTL 0 and no data: an A record of 0 bytes.
    const padded = new Uint8Array([...wire, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    padded[7] = 2;
    expectDecodeError(wire, /runs past the end/);
    // With bytes enough for the check, the second record is garbage, then runs out.
    expectDecodeError(padded, /A data/);
  });
  it('fails on fewer records than there are: trailing bytes', () => {
    const wire = encodeMessage(baseMessage({ answer: [aRecord('a.example.', '192.0.2.1')] }));
    wire[7] = 0;
    expectDecodeError(wire, /after the last record/);
    expect(decodeMessage(wire, { allowTrailing: true }).answer).toEqual([]);
  });
  it('rejects trailing garbage unless asked, as dnspython does (TrailingJunk)', () => {
    const wire = new Uint8Array([...DIG_QUERY, 0xde, 0xad]);
    expectDecodeError(wire, /2 byte\(s\) after the last record/, DIG_QUERY.length);
    expect(decodeMessage(wire, { allowTrailing: true }).id).toBe(0x3a3e);
  });
  it('rejects a short header', () => {
    for (let length = 0; length < 12; length++)
      expectDecodeError(DIG_QUERY.subarray(0, length), /12-byte header/, 0);
  });
  it('rejects rdata longer than the message and rdata not read to its end', () => {
    const wire = encodeMessage(baseMessage({ answer: [aRecord('a.example.', '192.0.2.1')] }));
    const cut = wire.subarray(0, wire.length - 1);
    expectDecodeError(cut, /A data of 4 bytes/);
    const record = unknownRecord('a.example.', RRTYPE.A, Uint8Array.of(1, 2, 3, 4, 5));
    const long = encodeMessage(baseMessage({ answer: [record] }));
    expectDecodeError(long, /A data/);
  });
});

describe('EDNS(0)', () => {
  const edns = { udpPayloadSize: 1232, version: 0, dnssecOk: true, flags: 0, options: [] };
  it('merges the extended rcode: BADVERS (16) is 0 in the header and 1 in the OPT record', () => {
    const message = baseMessage({ rcode: RCODE.BADVERS, edns, flags: { ...emptyFlags(), qr: true } });
    const wire = encodeMessage(message);
    expect(wire[3]! & 0xf).toBe(0);
    // OPT: root, type 41, class 1232, TTL = 01 00 80 00 (extended rcode 1, version 0, DO).
    expect(hex(wire.subarray(12))).toBe('00002904d0010080000000');
    expect(decodeMessage(wire).rcode).toBe(16);
  });
  it('refuses an rcode over 15 without EDNS', () => {
    expect(() => encodeMessage(baseMessage({ rcode: 16 }))).toThrow(DnsEncodeError);
  });
  it('keeps the DO bit, the version and the other flags apart', () => {
    const message = baseMessage({ edns: { ...edns, dnssecOk: false, version: 3, flags: 0x7fff } });
    const decoded = decodeMessage(encodeMessage(message));
    expect(decoded.edns).toEqual({ ...edns, dnssecOk: false, version: 3, flags: 0x7fff });
  });
  it('rejects two OPT records', () => {
    const wire = encodeMessage(baseMessage({ edns }));
    const opt = wire.subarray(12);
    const two = Uint8Array.from([...wire.subarray(0, 12), ...opt, ...opt]);
    two[11] = 2;
    expectDecodeError(two, /second OPT record/, 12 + opt.length);
  });
  it('rejects an OPT record not owned by the root', () => {
    const bytes = [...header({ counts: [0, 0, 0, 1] }), 1, 0x61, 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0];
    expectDecodeError(bytes, /owned by a\., not the root/, 12);
  });
  it('rejects an OPT record in the answer or authority section', () => {
    const opt = [0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0];
    expectDecodeError([...header({ counts: [0, 1] }), ...opt], /in the answer section/, 12);
    expectDecodeError([...header({ counts: [0, 0, 1] }), ...opt], /in the authority section/, 12);
  });
  it('rejects an option running past the OPT data', () => {
    const bytes = [
      ...header({ counts: [0, 0, 0, 1] }),
      0,
      0,
      41,
      4,
      0xd0,
      0,
      0,
      0,
      0,
      0,
      6,
      0,
      3,
      0,
      5,
      1,
      2,
    ];
    expectDecodeError(bytes, /EDNS option 3 of 5 bytes/);
  });
  it('keeps unknown options as bytes, in order', () => {
    const options = [
      { code: 65001, data: Uint8Array.of(1, 2, 3) },
      { code: 3, data: new Uint8Array(0) },
      { code: 65001, data: new Uint8Array(0) },
    ];
    const decoded = decodeMessage(encodeMessage(baseMessage({ edns: { ...edns, options } })));
    expect(decoded.edns!.options).toEqual(options);
  });
  it('refuses an OPT record among the additional records on encode', () => {
    const opt = unknownRecord('.', RRTYPE.OPT, new Uint8Array(0));
    expect(() => encodeMessage(baseMessage({ additional: [opt] }))).toThrow(/goes in `edns`/);
  });
});

describe('EDNS options', () => {
  it('NSID', () => {
    expect(nsidOption()).toEqual({ code: 3, data: new Uint8Array(0) });
    expect(new TextDecoder().decode(readNsid(nsidOption('ns1')))).toBe('ns1');
  });
  it('COOKIE: client 8 bytes, server 8 to 32', () => {
    const client = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    expect(readCookie(cookieOption({ client }))).toEqual({ client });
    const server = new Uint8Array(32).fill(9);
    expect(readCookie(cookieOption({ client, server }))).toEqual({ client, server });
    expect(() => cookieOption({ client: client.subarray(1) })).toThrow(DnsEncodeError);
    expect(() => cookieOption({ client, server: new Uint8Array(7) })).toThrow(/8 to 32/);
    expect(() => cookieOption({ client, server: new Uint8Array(33) })).toThrow(/8 to 32/);
    for (const length of [0, 7, 9, 15, 41]) {
      expect(() => readCookie({ code: 10, data: new Uint8Array(length) })).toThrow(DnsDecodeError);
    }
  });
  it('Client Subnet (RFC 7871): the address cut to the prefix, extra bits zero', () => {
    const v4 = clientSubnetOption({ address: '192.0.2.77', sourcePrefix: 24 });
    expect(hex(v4.data)).toBe('00011800c00002');
    expect(readClientSubnet(v4)).toEqual({
      family: 1,
      sourcePrefix: 24,
      scopePrefix: 0,
      address: '192.0.2.0',
    });
    const v6 = clientSubnetOption({ address: '2001:db8:1234:56ff::1', sourcePrefix: 57, scopePrefix: 48 });
    expect(hex(v6.data)).toBe('00023930' + '20010db8123456' + '80');
    expect(readClientSubnet(v6).address).toBe('2001:db8:1234:5680::');
    const zero = clientSubnetOption({ address: '::', sourcePrefix: 0 });
    expect(hex(zero.data)).toBe('00020000');
    expect(() => clientSubnetOption({ address: '192.0.2.1', sourcePrefix: 33 })).toThrow(DnsEncodeError);
    expect(() => clientSubnetOption({ address: 'nope', sourcePrefix: 8 })).toThrow(DnsEncodeError);
    const bad = (data: number[]) => () => readClientSubnet({ code: 8, data: Uint8Array.from(data) });
    expect(bad([0, 1, 24])).toThrow(/at least 4/);
    expect(bad([0, 3, 0, 0])).toThrow(/family 3/);
    expect(bad([0, 1, 33, 0, 1, 2, 3, 4, 5])).toThrow(/over 32/);
    expect(bad([0, 1, 24, 0, 192, 0])).toThrow(/takes 3 bytes, not 2/);
    expect(bad([0, 1, 23, 0, 192, 0, 3])).toThrow(/not zero/);
  });
  it('Padding, EXPIRE, TCP keepalive, Extended DNS Errors', () => {
    expect(paddingOption(3).data).toEqual(new Uint8Array(3));
    expect(paddingFor(100, 128).data.length).toBe(24);
    expect(paddingFor(124, 128).data.length).toBe(0);
    expect(readExpire(expireOption())).toBeUndefined();
    expect(readExpire(expireOption(0xffffffff))).toBe(0xffffffff);
    expect(() => readExpire({ code: 9, data: new Uint8Array(3) })).toThrow(DnsDecodeError);
    expect(readTcpKeepalive(tcpKeepaliveOption(300))).toBe(300);
    expect(readTcpKeepalive(tcpKeepaliveOption())).toBeUndefined();
    expect(() => readTcpKeepalive({ code: 11, data: new Uint8Array(1) })).toThrow(DnsDecodeError);
    expect(readExtendedError(edeOption({ infoCode: 18, extraText: 'naïve' }))).toEqual({
      infoCode: 18,
      extraText: 'naïve',
    });
    expect(readExtendedError({ code: 15, data: Uint8Array.of(0, 6, 0x41, 0) }).extraText).toBe('A');
    expect(() => readExtendedError({ code: 15, data: Uint8Array.of(0) })).toThrow(DnsDecodeError);
    expect(() => readNsid({ code: 4, data: new Uint8Array(0) })).toThrow(DnsEncodeError);
  });
});

describe('truncation (RFC 2181 §9)', () => {
  const query = makeQuery('big.example.', 'A', { id: 7, edns: { udpPayloadSize: 512 } });
  const response = (): Message => {
    const message = makeResponse(query);
    for (let i = 0; i < 40; i++) message.answer.push(aRecord('big.example.', `192.0.2.${i}`));
    for (let i = 0; i < 3; i++) message.authority.push(unknownRecord('example.', 65280, new Uint8Array(20)));
    return message;
  };

  it('fits without change when small enough', () => {
    const message = makeResponse(query);
    message.answer.push(aRecord('big.example.', '192.0.2.1'));
    const full = encodeMessage(message);
    expect(encodeMessage(message, { maxSize: 512 })).toEqual(full);
  });

  it('drops whole RRsets from the end, sets TC and keeps the OPT record', () => {
    const message = response();
    const full = encodeMessage(message);
    expect(full.length).toBeGreaterThan(512);
    const cut = encodeMessage(message, { maxSize: 512 });
    expect(cut.length).toBeLessThanOrEqual(512);
    const decoded = decodeMessage(cut);
    expect(decoded.flags.tc).toBe(true);
    expect(decoded.edns).toBeDefined();
    // The 40 A records are one RRset: kept whole or not at all; it does not fit, so it goes,
    // and the authority RRset after it with it.
    expect(decoded.answer).toEqual([]);
    expect(decoded.authority).toEqual([]);
    expect(decoded.question).toHaveLength(1);
  });

  it('keeps the RRsets that fit before the first that does not', () => {
    const message = makeResponse(query);
    for (let i = 0; i < 10; i++) message.answer.push(aRecord(`h${i}.example.`, '192.0.2.1'));
    const sizes = [60, 100, 150].map((maxSize) => decodeMessage(encodeMessage(message, { maxSize })));
    for (const decoded of sizes) {
      expect(decoded.flags.tc).toBe(true);
      const names = decoded.answer.map((r) => r.name.toText());
      expect(names).toEqual(message.answer.slice(0, names.length).map((r) => r.name.toText()));
    }
    expect(sizes[0]!.answer.length).toBeLessThan(sizes[2]!.answer.length);
  });

  it('does not set TC for optional additional data, but does for in-domain glue (RFC 9471)', () => {
    const message = makeResponse(makeQuery('www.example.', 'A', { id: 1 }));
    message.flags.aa = true;
    message.answer.push(aRecord('www.example.', '192.0.2.1'));
    message.additional.push(unknownRecord('extra.example.', 65280, new Uint8Array(600)));
    const cut = decodeMessage(encodeMessage(message, { maxSize: 512 }));
    expect(cut.flags.tc).toBe(false);
    expect(cut.answer).toHaveLength(1);
    expect(cut.additional).toEqual([]);

    const referral = makeResponse(makeQuery('www.sub.example.', 'A', { id: 1 }));
    const servers = Array.from({ length: 8 }, (_, i) => `ns${i}-${'x'.repeat(18)}.sub.example.`);
    for (const server of servers)
      referral.authority.push({
        name: Name.fromText('sub.example.'),
        type: RRTYPE.NS,
        class: RRCLASS.IN,
        ttl: 3600,
        data: { target: Name.fromText(server) },
      });
    for (const server of servers) {
      referral.additional.push(aRecord(server, '192.0.2.9'));
      referral.additional.push({
        ...aRecord(server, '0.0.0.0'),
        type: RRTYPE.AAAA,
        data: { address: '2001:db8::9' },
      });
    }
    expect(encodeMessage(referral).length).toBeGreaterThan(512);
    const cutReferral = decodeMessage(encodeMessage(referral, { maxSize: 512 }));
    expect(cutReferral.authority).toHaveLength(8);
    expect(cutReferral.additional.length).toBeLessThan(16);
    expect(cutReferral.flags.tc).toBe(true);
  });

  it('fails when not even the header and question fit', () => {
    expect(() => encodeMessage(response(), { maxSize: 20 })).toThrow(DnsEncodeError);
  });

  it('always fits in maxSize, for random messages and sizes', () => {
    fc.assert(
      fc.property(
        arbitraryMessage({ maxRecords: 10 }),
        fc.integer({ min: 300, max: 1500 }),
        (message, maxSize) => {
          let wire: Uint8Array;
          try {
            wire = encodeMessage(message, { maxSize });
          } catch (error) {
            expect(error).toBeInstanceOf(DnsEncodeError);
            return;
          }
          expect(wire.length).toBeLessThanOrEqual(maxSize);
          const decoded = decodeMessage(wire);
          // No RRset is split: every kept record's RRset is whole.
          for (const [kept, all] of [
            [decoded.answer, message.answer],
            [decoded.authority, message.authority],
            [decoded.additional, message.additional],
          ] as const) {
            for (const record of kept) {
              const key = (r: typeof record) => `${r.name.key()} ${r.type} ${r.class}`;
              expect(kept.filter((r) => key(r) === key(record)).length).toBe(
                all.filter((r) => key(r) === key(record)).length,
              );
            }
          }
          expect(Boolean(decoded.edns)).toBe(Boolean(message.edns));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('queries and responses', () => {
  it('makeQuery with EDNS defaults', () => {
    const query = makeQuery('example.com', 'AAAA', { id: 4242, edns: { dnssecOk: true } });
    expect(query.flags.rd).toBe(true);
    expect(query.question[0]!.name.toText()).toBe('example.com.');
    expect(query.question[0]!.type).toBe(RRTYPE.AAAA);
    expect(query.edns).toEqual({ udpPayloadSize: 1232, version: 0, dnssecOk: true, flags: 0, options: [] });
    expect(maxUdpResponseSize(query)).toBe(1232);
    const plain = makeQuery(Name.fromText('example.com.'), 1, { id: 1, rd: false, class: RRCLASS.CH });
    expect(plain.edns).toBeUndefined();
    expect(plain.flags.rd).toBe(false);
    expect(plain.question[0]!.class).toBe(RRCLASS.CH);
    expect(maxUdpResponseSize(plain)).toBe(512);
    expect(() => makeQuery('example.com', 'NOPE', { id: 1 })).toThrow();
  });
  it('makeResponse copies id, opcode, question, RD, CD and DO', () => {
    const query = makeQuery('example.com', 'A', {
      id: 99,
      cd: true,
      edns: { dnssecOk: true, udpPayloadSize: 4096 },
    });
    const response = makeResponse(query);
    expect(response.id).toBe(99);
    expect(response.flags).toEqual({ ...emptyFlags(), qr: true, rd: true, cd: true });
    expect(response.question[0]!.name.equals(query.question[0]!.name)).toBe(true);
    expect(response.edns).toEqual({
      udpPayloadSize: 1232,
      version: 0,
      dnssecOk: true,
      flags: 0,
      options: [],
    });
    expect(makeResponse(makeQuery('example.com', 'A', { id: 1 })).edns).toBeUndefined();
  });
  it('checks header fields on encode', () => {
    expect(() => encodeMessage(baseMessage({ id: 65536 }))).toThrow(DnsEncodeError);
    expect(() => encodeMessage(baseMessage({ opcode: 16 }))).toThrow(DnsEncodeError);
  });
});

describe('round trips', () => {
  it('decode(encode(m)) is m, compressed or not', () => {
    fc.assert(
      fc.property(arbitraryMessage(), fc.boolean(), (message, compress) => {
        // Compression matches names ignoring case (RFC 1035 §2.3.3), so a compressed name may
        // come back in the case of the copy it points to.
        const wire = encodeMessage(message, { compress });
        expect(plainMessage(decodeMessage(wire), compress)).toEqual(plainMessage(message, compress));
      }),
      { numRuns: 500 },
    );
  });
  it('compression never makes a message larger', () => {
    fc.assert(
      fc.property(arbitraryMessage(), (message) => {
        expect(encodeMessage(message).length).toBeLessThanOrEqual(
          encodeMessage(message, { compress: false }).length,
        );
      }),
      { numRuns: 200 },
    );
  });
  it('keeps the header bits, Z included', () => {
    for (let bit = 0; bit < 16; bit++) {
      const wire = Uint8Array.from(header({ flags: 1 << bit }));
      const decoded = decodeMessage(wire);
      expect(encodeMessage(decoded)).toEqual(wire);
    }
  });
});

describe('wire reader and writer (performance paths)', () => {
  it('caps the pointers one name may follow', () => {
    // A label, then 130 pointers each to the one before: every hop goes backwards.
    const bytes = [1, 0x61, 0];
    let previous = 0;
    for (let i = 0; i < 130; i++) {
      const at = bytes.length;
      bytes.push(0xc0 | (previous >> 8), previous & 0xff);
      previous = at;
    }
    const wire = Uint8Array.from(bytes);
    expect(new WireReader(wire, 3 + 2 * 126).name().toText()).toBe('a.');
    expect(() => new WireReader(wire, previous).name()).toThrow(/more than 127 pointers/);
  });

  it('shares the names it has read, and they stay correct', () => {
    const wire = encodeMessage(
      baseMessage({
        answer: [
          aRecord('www.Example.com.', '192.0.2.1'),
          aRecord('www.example.com.', '192.0.2.2'),
          aRecord('mail.example.com.', '192.0.2.3'),
        ],
      }),
    );
    const decoded = decodeMessage(wire);
    // Compression only against an exact copy: every name reads back in the case it was written.
    expect(decoded.answer.map((r) => r.name.toText())).toEqual([
      'www.Example.com.',
      'www.example.com.',
      'mail.example.com.',
    ]);
    const again = decodeMessage(
      encodeMessage(
        baseMessage({
          answer: [aRecord('www.example.com.', '192.0.2.1'), aRecord('www.example.com.', '192.0.2.2')],
        }),
      ),
    );
    expect(again.answer[0]!.name).toBe(again.answer[1]!.name);
  });

  it('gives back the lent buffer when an encoder throws, and finish() twice gives the same bytes', () => {
    const bad = baseMessage({
      answer: [{ ...aRecord('a.example.', '192.0.2.1'), data: { address: 'not an address' } }],
    });
    for (let i = 0; i < 3; i++) expect(() => encodeMessage(bad)).toThrow(DnsEncodeError);
    const good = baseMessage({ answer: [aRecord('a.example.', '192.0.2.1')] });
    expect(decodeMessage(encodeMessage(good)).answer).toHaveLength(1);
    const writer = new WireWriter();
    writer.u16(0x1234);
    const first = writer.finish();
    expect(writer.finish()).toEqual(first);
    expect(writer.length).toBe(2);
    // Two writers at once: the second gets a buffer of its own.
    const outer = new WireWriter();
    const inner = new WireWriter();
    outer.u8(1);
    inner.u8(2);
    expect([...outer.finish(), ...inner.finish()]).toEqual([1, 2]);
  });

  it('compresses only exact suffixes, case kept (RFC 4343 §4.1), from the kept key', () => {
    const name = Name.fromText('A.Example.COM.');
    expect(name.caseKey()).toBe('\x01A\x07Example\x03COM\x00');
    expect(name.caseKey()).toBe(name.caseKey());
    const writer = new WireWriter();
    writer.name(Name.fromText('example.com.'));
    writer.name(Name.fromText('a.example.com.'));
    writer.name(name);
    expect(hex(writer.finish())).toBe(
      '076578616d706c6503636f6d00' + '0161c000' + '0141074578616d706c6503434f4d00',
    );
  });
});
