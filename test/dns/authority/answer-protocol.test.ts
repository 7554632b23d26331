/**
 * answerQuery's message-level behaviour, in-process: EDNS (payload, DO, BADVERS, NSID, EDE),
 * opcodes, classes, question counts, QR set, transfers, the size to encode with and TC, and
 * formerrFromBytes.
 */
import { describe, expect, it } from 'vitest';
import { answerQuery, EDE, formerrFromBytes } from '../../../src/dns/authority/answer.js';
import { OPCODE, RCODE, RRCLASS } from '../../../src/dns/constants.js';
import { EDNS_OPTION } from '../../../src/dns/edns.js';
import { decodeMessage, encodeMessage, type Message, makeQuery } from '../../../src/dns/message.js';
import { ZoneSet } from '../../../src/dns/zone/zone.js';
import { testZoneSet, zoneFromText } from './helpers.js';

const zones = testZoneSet();

function q(
  name = 'auth.test.',
  type = 'A',
  edns: boolean | Parameters<typeof makeQuery>[2]['edns'] = true,
): Message {
  return makeQuery(name, type, { id: 77, rd: false, edns });
}

describe('answerQuery: EDNS', () => {
  it('replies with EDNS only when asked with it, advertising the configured payload', () => {
    expect(
      answerQuery(zones, q('auth.test.', 'A', false), { transport: 'udp' }).response.edns,
    ).toBeUndefined();
    const { response } = answerQuery(zones, q(), { transport: 'udp', maxUdpPayload: 1400 });
    expect(response.edns).toMatchObject({ udpPayloadSize: 1400, version: 0, dnssecOk: false, options: [] });
    expect(answerQuery(zones, q(), { transport: 'udp' }).response.edns!.udpPayloadSize).toBe(1232);
  });

  it('copies the DO bit', () => {
    const { response } = answerQuery(zones, q('auth.test.', 'A', { dnssecOk: true }), { transport: 'udp' });
    expect(response.edns!.dnssecOk).toBe(true);
  });

  it('answers BADVERS to versions above 0, with version 0 and no records', () => {
    const { response } = answerQuery(zones, q('auth.test.', 'A', { version: 1 }), { transport: 'udp' });
    expect(response.rcode).toBe(16);
    expect(response.edns!.version).toBe(0);
    expect(response.answer).toEqual([]);
    expect(decodeMessage(encodeMessage(response)).rcode).toBe(16);
  });

  it('gives the NSID when configured and asked for, never otherwise', () => {
    const nsid = new TextEncoder().encode('ns-a');
    const asking = q();
    asking.edns!.options.push({ code: EDNS_OPTION.NSID, data: new Uint8Array(0) });
    expect(answerQuery(zones, asking, { transport: 'udp', nsid }).response.edns!.options).toEqual([
      { code: EDNS_OPTION.NSID, data: nsid },
    ]);
    expect(answerQuery(zones, q(), { transport: 'udp', nsid }).response.edns!.options).toEqual([]);
    expect(answerQuery(zones, asking, { transport: 'udp' }).response.edns!.options).toEqual([]);
  });

  it('ignores unknown options', () => {
    const query = q();
    query.edns!.options.push({ code: 65001, data: Uint8Array.of(1) });
    const { response } = answerQuery(zones, query, { transport: 'udp' });
    expect(response.rcode).toBe(RCODE.NOERROR);
    expect(response.edns!.options).toEqual([]);
  });

  it('adds Extended DNS Errors as NSD does: not authoritative, not supported, DNAME too long', () => {
    const ede = (query: Message) =>
      answerQuery(zones, query, { transport: 'udp' }).response.edns!.options.find(
        (o) => o.code === EDNS_OPTION.EDE,
      )?.data[1];
    expect(ede(q('nothere.org.'))).toBe(EDE.NOT_AUTHORITATIVE);
    const chaos = makeQuery('auth.test.', 'A', { id: 1, edns: true, class: RRCLASS.CH });
    expect(ede(chaos)).toBe(EDE.NOT_SUPPORTED);
    expect(ede(q(`${'q'.repeat(63)}.qqqqq.longdname.auth.test.`))).toBe(EDE.OTHER);
  });
});

describe('answerQuery: the message', () => {
  it('keeps the ID, the question (its case too), RD and CD; sets QR', () => {
    const query = makeQuery('HoSt.AUTH.test.', 'A', { id: 4242, rd: true, cd: true });
    const { response } = answerQuery(zones, query, { transport: 'udp' });
    expect(response.id).toBe(4242);
    expect(response.question[0]!.name.toText()).toBe('HoSt.AUTH.test.');
    expect(response.flags).toMatchObject({ qr: true, aa: true, rd: true, cd: true, ra: false, tc: false });
  });

  it('answers NOTIMP to opcodes other than QUERY', () => {
    for (const opcode of [OPCODE.IQUERY, OPCODE.STATUS, OPCODE.NOTIFY, OPCODE.UPDATE, OPCODE.DSO, 15]) {
      const query = q();
      query.opcode = opcode;
      const { response } = answerQuery(zones, query, { transport: 'udp' });
      expect(response.rcode).toBe(RCODE.NOTIMP);
      expect(response.opcode).toBe(opcode);
    }
  });

  it('answers FORMERR to no question or several, header only', () => {
    for (const count of [0, 2]) {
      const query = q();
      query.question = Array.from({ length: count }, () => q().question[0]!);
      const { response, action } = answerQuery(zones, query, { transport: 'udp' });
      expect([response.rcode, response.question.length, response.edns, action]).toEqual([
        RCODE.FORMERR,
        0,
        undefined,
        'reply',
      ]);
    }
  });

  it('drops a message with QR set', () => {
    const query = q();
    query.flags.qr = true;
    expect(answerQuery(zones, query, { transport: 'udp' }).action).toBe('drop');
  });

  it('refuses classes other than IN and ANY; answers ANY from IN data without AA', () => {
    for (const rrclass of [RRCLASS.CH, RRCLASS.HS, RRCLASS.NONE, 0, 42]) {
      const query = makeQuery('auth.test.', 'A', { id: 1, class: rrclass });
      expect(answerQuery(zones, query, { transport: 'udp' }).response.rcode).toBe(RCODE.REFUSED);
    }
    const any = makeQuery('auth.test.', 'A', { id: 1, class: RRCLASS.ANY });
    const { response } = answerQuery(zones, any, { transport: 'udp' });
    expect([response.rcode, response.flags.aa, response.answer.length]).toEqual([RCODE.NOERROR, false, 1]);
  });

  it('leaves AXFR and IXFR to the caller, with the zone; REFUSED outside the zones', () => {
    for (const type of ['AXFR', 'IXFR']) {
      const result = answerQuery(zones, q('AUTH.test.', type), { transport: 'tcp' });
      expect(result.action).toBe('transfer');
      expect(result.zone?.origin.toText()).toBe('auth.test.');
      expect(result.response.rcode).toBe(RCODE.REFUSED);
    }
    const outside = answerQuery(zones, q('nothere.org.', 'AXFR'), { transport: 'tcp' });
    expect([outside.action, outside.zone]).toEqual(['reply', undefined]);
  });

  it('answers other meta types (OPT, TSIG, MAILB...) as plain data: NODATA, as NSD', () => {
    for (const type of ['OPT', 'TSIG', 'TKEY', 'MAILA', 'MAILB']) {
      const { response } = answerQuery(zones, q('auth.test.', type), { transport: 'udp' });
      expect([response.rcode, response.answer.length, response.authority.map((r) => r.type)]).toEqual([
        RCODE.NOERROR,
        0,
        [6],
      ]);
    }
  });
});

describe('answerQuery: size and truncation', () => {
  it('gives the size to encode with: 512 without EDNS, the smaller of both payloads with, 65535 over TCP', () => {
    expect(answerQuery(zones, q('auth.test.', 'A', false), { transport: 'udp' }).maxSize).toBe(512);
    expect(
      answerQuery(zones, q('auth.test.', 'A', { udpPayloadSize: 4096 }), { transport: 'udp' }).maxSize,
    ).toBe(1232);
    expect(
      answerQuery(zones, q('auth.test.', 'A', { udpPayloadSize: 800 }), { transport: 'udp' }).maxSize,
    ).toBe(800);
    expect(
      answerQuery(zones, q('auth.test.', 'A', { udpPayloadSize: 100 }), { transport: 'udp' }).maxSize,
    ).toBe(512);
    expect(answerQuery(zones, q('auth.test.', 'A', false), { transport: 'tcp' }).maxSize).toBe(65535);
  });

  it('sets TC when the answer does not fit (encoded with maxSize)', () => {
    const records = Array.from({ length: 40 }, (_, i) => `big.test. 3600 IN TXT "${'x'.repeat(40)}${i}"`);
    const zoneText = ['big.test. 3600 IN SOA ns.big.test. h.big.test. 1 2 3 4 5', ...records].join('\n');
    const big = testZoneSetWith(zoneText, 'big.test.');
    const result = answerQuery(big, q('big.test.', 'TXT', false), { transport: 'udp' });
    const reply = decodeMessage(encodeMessage(result.response, { maxSize: result.maxSize }));
    expect(reply.flags.tc).toBe(true);
    expect(reply.answer).toEqual([]);
    const tcp = answerQuery(big, q('big.test.', 'TXT', false), { transport: 'tcp' });
    expect(decodeMessage(encodeMessage(tcp.response, { maxSize: tcp.maxSize })).answer).toHaveLength(40);
  });
});

describe('answerQuery: parent and child zones both served', () => {
  const parent = [
    'p.test. 3600 IN SOA ns.p.test. h.p.test. 1 2 3 4 300',
    'child.p.test. 3600 IN NS ns.child.p.test.',
    'child.p.test. 3600 IN DS 29882 13 2 D207AB82A9F68718488BE3F5A1DC66101A74981CB5CA4A5BC160B2ED5F5BD48B',
    'ns.child.p.test. 3600 IN A 192.0.2.53',
  ].join('\n');
  const child = [
    'child.p.test. 3600 IN SOA ns.child.p.test. h.p.test. 1 2 3 4 300',
    'child.p.test. 3600 IN NS ns.child.p.test.',
    'ns.child.p.test. 3600 IN A 192.0.2.53',
    'www.child.p.test. 3600 IN A 192.0.2.80',
  ].join('\n');
  const both = new ZoneSet([zoneFromText(parent, 'p.test.'), zoneFromText(child, 'child.p.test.')]);

  it('answers below the cut from the child, authoritatively', () => {
    const { response } = answerQuery(both, q('www.child.p.test.'), { transport: 'udp' });
    expect([response.flags.aa, response.answer.length]).toEqual([true, 1]);
  });

  it('answers DS at the cut from the parent (RFC 4035 §3.1.4.1)', () => {
    const { response, zone } = answerQuery(both, q('child.p.test.', 'DS'), { transport: 'udp' });
    expect(zone?.origin.toText()).toBe('p.test.');
    expect([response.flags.aa, response.answer.map((r) => r.type)]).toEqual([true, [43]]);
  });
});

describe('formerrFromBytes', () => {
  it('answers a readable header with FORMERR: ID, opcode and RD kept, no sections', () => {
    const reply = formerrFromBytes(
      Uint8Array.of(0xab, 0xcd, 0x01 | (OPCODE.STATUS << 3), 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xff),
    )!;
    const message = decodeMessage(reply);
    expect([message.id, message.opcode, message.rcode, message.flags.qr, message.flags.rd]).toEqual([
      0xabcd,
      OPCODE.STATUS,
      RCODE.FORMERR,
      true,
      true,
    ]);
    expect(message.question).toEqual([]);
  });

  it('gives nothing for less than a header, or for a response', () => {
    expect(formerrFromBytes(new Uint8Array(11))).toBeUndefined();
    expect(formerrFromBytes(Uint8Array.of(0, 1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined();
  });
});

function testZoneSetWith(text: string, origin: string): ZoneSet {
  return new ZoneSet([zoneFromText(text, origin)]);
}
