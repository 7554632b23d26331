/**
 * Differential tests of whole messages against two other codecs:
 * - dns-packet (npm): random messages encoded by either side decode identically on the other,
 *   for the record types both know (A, AAAA, NS, CNAME, DNAME, PTR, SOA, MX, TXT, SRV, HINFO),
 *   with EDNS options as bytes;
 * - dnspython (Debian's python3-dnspython, /usr/bin/python3, one process for the whole batch,
 *   JSON lines over stdin/stdout): it reads our bytes to the same records and the same text,
 *   and we read its re-encoding back to the same message.
 * dnspython groups records into RRsets (duplicates merged, the smallest TTL kept, RFC 2181 §5.2),
 * so sections are compared as sets of RRsets; dns-packet keeps records as they are, in order.
 * Our encoder compresses names ignoring case, so a name may come back in the case of the copy
 * it points to: names are compared lower-cased where the encoder was ours.
 */
import { spawnSync } from 'node:child_process';
import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4 } from '../../src/core/ip.js';
import { RRCLASS, RRTYPE, typeToText } from '../../src/dns/constants.js';
import { decodeMessage, encodeMessage, flagsWord, type Message } from '../../src/dns/message.js';
import { type ResourceRecord, rdataToText } from '../../src/dns/record.js';
import { DNSPYTHON, describeWithPeers } from '../helpers/peers.js';
import { arbitraryName, arbitraryRdata } from './arbitraries.js';
import { fromPacketData, fromPacketName, packetName, toPacketData } from './dns-packet-form.js';
import { arbitraryEdns, arbitraryFlags, arbitraryMessage, hex, plainMessage } from './message-helpers.js';

const SEED = Number(process.env.NETKIT_FC_SEED ?? Math.floor(Math.random() * 2 ** 31));

// --- dns-packet -----------------------------------------------------------------------------

const SHARED_TYPES = [
  RRTYPE.A,
  RRTYPE.AAAA,
  RRTYPE.NS,
  RRTYPE.CNAME,
  RRTYPE.DNAME,
  RRTYPE.PTR,
  RRTYPE.SOA,
  RRTYPE.MX,
  RRTYPE.TXT,
  RRTYPE.SRV,
  RRTYPE.HINFO,
] as const;
const QUESTION_TYPES = [...SHARED_TYPES, RRTYPE.ANY];

const sharedRecord: fc.Arbitrary<ResourceRecord> = fc.constantFrom(...SHARED_TYPES).chain((type) =>
  fc.record({
    name: arbitraryName({ ascii: true }),
    type: fc.constant<number>(type),
    class: fc.constant<number>(RRCLASS.IN),
    ttl: fc.integer({ min: 0, max: 0x7fffffff }),
    data: arbitraryRdata(type, { ascii: true }),
  }),
);

const sharedMessage: fc.Arbitrary<Message> = fc
  .record({
    id: fc.integer({ min: 0, max: 0xffff }),
    opcode: fc.constantFrom(0, 1, 2, 4),
    rcode: fc.integer({ min: 0, max: 15 }),
    flags: arbitraryFlags(),
    question: fc.array(
      fc.record({
        name: arbitraryName({ ascii: true }),
        type: fc.constantFrom<number>(...QUESTION_TYPES),
        class: fc.constant<number>(RRCLASS.IN),
      }),
      { maxLength: 2 },
    ),
    answer: fc.array(sharedRecord, { maxLength: 5 }),
    authority: fc.array(sharedRecord, { maxLength: 5 }),
    additional: fc.array(sharedRecord, { maxLength: 5 }),
    edns: fc.option(arbitraryEdns, { nil: undefined }),
  })
  .map(({ edns, ...rest }) => {
    if (!edns) return rest;
    // dns-packet writes a payload size of 0 as 4096, and parses options 8, 11, 12 and 14.
    const options = edns.options.filter((o) => ![8, 11, 12, 14].includes(o.code));
    return { ...rest, edns: { ...edns, udpPayloadSize: edns.udpPayloadSize || 512, options } };
  });

function toPacket(message: Message): dnsPacket.Packet {
  const word =
    ((message.opcode & 0xf) << 11) |
    (message.flags.aa ? 0x400 : 0) |
    (message.flags.tc ? 0x200 : 0) |
    (message.flags.rd ? 0x100 : 0) |
    (message.flags.ra ? 0x80 : 0) |
    (message.flags.z ? 0x40 : 0) |
    (message.flags.ad ? 0x20 : 0) |
    (message.flags.cd ? 0x10 : 0) |
    (message.rcode & 0xf);
  const record = (r: ResourceRecord) => ({
    name: packetName(r.name),
    type: typeToText(r.type),
    class: 'IN',
    ttl: r.ttl,
    data: toPacketData(r.type, r.data),
  });
  // biome-ignore lint/suspicious/noExplicitAny: OPT is outside dns-packet's record union
  const additionals: any[] = message.additional.map(record);
  if (message.edns)
    additionals.push({
      name: '.',
      type: 'OPT',
      udpPayloadSize: message.edns.udpPayloadSize,
      extendedRcode: message.rcode >> 4,
      ednsVersion: message.edns.version,
      flags: (message.edns.dnssecOk ? 0x8000 : 0) | message.edns.flags,
      options: message.edns.options.map((o) => ({ code: o.code, data: Buffer.from(o.data) })),
    });
  return {
    id: message.id,
    type: message.flags.qr ? 'response' : 'query',
    flags: word,
    questions: message.question.map((q) => ({
      name: packetName(q.name),
      type: typeToText(q.type) as dnsPacket.RecordType,
      class: 'IN',
    })),
    answers: message.answer.map(record),
    authorities: message.authority.map(record),
    additionals,
  } as dnsPacket.Packet;
}

// biome-ignore lint/suspicious/noExplicitAny: dns-packet's decoded packet is typed loosely
function fromPacket(packet: any): Message {
  const word = packet.flags as number;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const record = (r: any): ResourceRecord => {
    const type = RRTYPE[r.type as keyof typeof RRTYPE];
    return {
      name: fromPacketName(r.name),
      type,
      class: RRCLASS.IN,
      ttl: r.ttl,
      data: fromPacketData(type, r.data),
    };
  };
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const opt = packet.additionals.find((r: any) => r.type === 'OPT');
  const message: Message = {
    id: packet.id,
    opcode: (word >> 11) & 0xf,
    rcode: ((opt?.extendedRcode ?? 0) << 4) | (word & 0xf),
    flags: {
      qr: packet.type === 'response',
      aa: (word & 0x400) !== 0,
      tc: (word & 0x200) !== 0,
      rd: (word & 0x100) !== 0,
      ra: (word & 0x80) !== 0,
      z: (word & 0x40) !== 0,
      ad: (word & 0x20) !== 0,
      cd: (word & 0x10) !== 0,
    },
    // biome-ignore lint/suspicious/noExplicitAny: as above
    question: packet.questions.map((q: any) => ({
      name: fromPacketName(q.name),
      type: RRTYPE[q.type as keyof typeof RRTYPE],
      class: RRCLASS.IN,
    })),
    answer: packet.answers.map(record),
    authority: packet.authorities.map(record),
    // biome-ignore lint/suspicious/noExplicitAny: as above
    additional: packet.additionals.filter((r: any) => r.type !== 'OPT').map(record),
  };
  if (opt)
    message.edns = {
      udpPayloadSize: opt.udpPayloadSize,
      version: opt.ednsVersion,
      dnssecOk: (opt.flags & 0x8000) !== 0,
      flags: opt.flags & 0x7fff,
      // biome-ignore lint/suspicious/noExplicitAny: as above
      options: opt.options.map((o: any) => ({ code: o.code, data: new Uint8Array(o.data) })),
    };
  return message;
}

describe('differential: dns-packet', () => {
  it('reads what we write', () => {
    fc.assert(
      fc.property(sharedMessage, (message) => {
        const wire = encodeMessage(message);
        const theirs = fromPacket(dnsPacket.decode(Buffer.from(wire)));
        expect(plainMessage(theirs, true)).toEqual(plainMessage(message, true));
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('we read what it writes', () => {
    fc.assert(
      fc.property(sharedMessage, (message) => {
        const wire = dnsPacket.encode(toPacket(message));
        // dns-packet does not compress: names come back exactly.
        expect(plainMessage(decodeMessage(new Uint8Array(wire)))).toEqual(plainMessage(message));
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('both write the same bytes when neither compresses', () => {
    fc.assert(
      fc.property(sharedMessage, (message) => {
        const theirs = dnsPacket.encode(toPacket(message));
        expect(hex(encodeMessage(message, { compress: false }))).toBe(hex(new Uint8Array(theirs)));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('agrees on an A record built by hand', () => {
    const address = formatIPv4(Uint8Array.of(192, 0, 2, 1));
    const wire = dnsPacket.encode({
      type: 'response',
      id: 5,
      answers: [{ type: 'A', name: 'example.com', ttl: 60, data: address }],
    });
    expect(decodeMessage(new Uint8Array(wire)).answer[0]!.data).toEqual({ address });
  });
});

// --- dnspython ------------------------------------------------------------------------------

const PYTHON = `
import sys, json
import dns.message, dns.flags
for line in sys.stdin:
    job = json.loads(line)
    try:
        m = dns.message.from_wire(bytes.fromhex(job['hex']))
        out = {
            'id': m.id, 'flags': m.flags, 'rcode': m.rcode(), 'opcode': m.opcode(),
            'edns': m.edns, 'payload': m.payload, 'ednsflags': m.ednsflags & 0xffff,
            'options': [[o.otype, o.to_wire().hex()] for o in m.options],
            'question': sorted({'%s %d %d' % (q.name.to_text(), q.rdclass, q.rdtype) for q in m.question}),
            'sections': [sorted('%s %d %d %d %s' % (rr.name.to_text(), rr.rdclass, rr.rdtype, rr.ttl,
                                 ' | '.join(sorted(rd.to_text().rstrip() for rd in rr))) for rr in section)
                         for section in (m.answer, m.authority, m.additional)],
            'wire': m.to_wire().hex(),
        }
    except Exception as e:
        out = {'error': '%s: %s' % (type(e).__name__, e)}
    print(json.dumps(out), flush=True)
`;

/** Our view of a message in dnspython's terms: RRsets, duplicates merged, smallest TTL. */
function asRrsets(message: Message) {
  const section = (records: ResourceRecord[]) => {
    const sets = new Map<string, { head: string; ttl: number; texts: Set<string> }>();
    for (const r of records) {
      const head = `${r.name.toText()} ${r.class} ${r.type}`;
      const key = `${r.name.key()} ${r.class} ${r.type}`;
      const set = sets.get(key) ?? { head, ttl: r.ttl, texts: new Set<string>() };
      set.ttl = Math.min(set.ttl, r.ttl);
      // dnspython writes the hex of the generic form in lower case, BIND and we in upper case
      // (and it ends an empty one, `\\# 0 `, with a space: the script strips it).
      const text = rdataToText(r.type, r.data);
      set.texts.add(text.startsWith('\\# ') ? text.toLowerCase() : text);
      sets.set(key, set);
    }
    return [...sets.values()]
      .map((s) => {
        const [name, rrclass, type] = s.head.split(' ');
        return `${name} ${rrclass} ${type} ${s.ttl} ${[...s.texts].sort().join(' | ')}`;
      })
      .sort();
  };
  return {
    id: message.id,
    rcode: message.rcode,
    opcode: message.opcode,
    edns: message.edns ? message.edns.version : -1,
    payload: message.edns ? message.edns.udpPayloadSize : 0,
    ednsflags: message.edns ? (message.edns.dnssecOk ? 0x8000 : 0) | message.edns.flags : 0,
    options: (message.edns?.options ?? []).map((o) => [o.code, hex(o.data)]),
    question: [...new Set(message.question.map((q) => `${q.name.toText()} ${q.class} ${q.type}`))].sort(),
    sections: [section(message.answer), section(message.authority), section(message.additional)],
  };
}

/** dnspython's known option codes parse their data (ECS, EDE...); keep to opaque ones. */
const pythonMessage = arbitraryMessage({ unknown: true }).map((message): Message => {
  // dnspython reads a TTL with the top bit set as 0 (RFC 2181 §8); we keep the value as sent and
  // leave that rule to caches, so the TTLs here stay below 2^31.
  // dnspython keeps one record of a "singleton" type (SOA, CNAME, DNAME, NSEC, NXT) per owner:
  // a second replaces the first. Those RRsets hold one record here.
  const clamp = (records: ResourceRecord[]) => {
    const seen = new Set<string>();
    return records
      .filter((r) => {
        if (![6, 5, 39, 47, 30].includes(r.type)) return true;
        const key = `${r.name.key()} ${r.type} ${r.class}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((r) => ({ ...r, ttl: r.ttl & 0x7fffffff }));
  };
  const result: Message = {
    ...message,
    opcode: 0,
    answer: clamp(message.answer),
    authority: clamp(message.authority),
    additional: clamp(message.additional),
  };
  if (message.edns) {
    result.edns = {
      ...message.edns,
      // dnspython 2.3 has no EDNS versions beyond 0 it would keep the flags of.
      options: message.edns.options.filter((o) => ![5, 6, 7, 8, 15].includes(o.code)),
    };
  }
  return result;
});

describeWithPeers('differential: dnspython', [DNSPYTHON], () => {
  it('reads our messages to the same records and text, and we read its bytes back', () => {
    const messages = fc.sample(pythonMessage, { numRuns: 400, seed: SEED });
    const wires = messages.map((message) => encodeMessage(message));
    const input = wires.map((wire) => JSON.stringify({ hex: hex(wire) })).join('\n');
    const result = spawnSync('/usr/bin/python3', ['-c', PYTHON], {
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(messages.length);
    answers.forEach((theirs, i) => {
      const ours = decodeMessage(wires[i]!);
      const context = `message ${i}: ${hex(wires[i]!)}`;
      expect(theirs.error, context).toBeUndefined();
      const expected = asRrsets(ours);
      expect({ ...theirs, flags: undefined, wire: undefined }, context).toEqual({
        ...expected,
        flags: undefined,
        wire: undefined,
      });
      // dnspython's flags hold the whole second header word (opcode and low rcode bits too).
      expect(theirs.flags, context).toBe(flagsWord(ours.flags, ours.opcode, ours.rcode));
      // dnspython's own encoding of it decodes, on our side, to the same RRsets. It compresses
      // names ignoring case, in SRV and NAPTR data too (RFC 3597 §4 says not to; we follow the
      // pointers), so names may change case: compared lower-cased.
      // (Lower-cased before sorting: a case change may move a record within its section.)
      const back = decodeMessage(Uint8Array.from(Buffer.from(theirs.wire, 'hex')));
      const caseless = (m: Message) => {
        const sets = asRrsets(m);
        return JSON.stringify({
          ...sets,
          sections: sets.sections.map((section) => section.map((line) => line.toLowerCase()).sort()),
        }).toLowerCase();
      };
      expect(caseless(back), context).toBe(caseless(ours));
    });
  });
});
