/**
 * The queries of the differential tests (NSD, Knot): every fixture query, and every path of
 * the answer algorithm over the test zones, with and without EDNS, DO, small payloads, TCP.
 */
import { expect } from 'vitest';
import { RRCLASS, requireType } from '../../../src/dns/constants.js';
import { EDNS_OPTION } from '../../../src/dns/edns.js';
import { type Message, makeQuery } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import type { ZoneSet } from '../../../src/dns/zone/zone.js';
import { exchange } from '../../../src/resolver/query.js';
import { FIXTURE_QUERIES } from '../../helpers/dns-peers.js';
import { answerWire, sectionsOf } from './helpers.js';

export interface Case {
  qname: string;
  qtype: string;
  /** EDNS: true (1232), false (none), or a payload size. */
  edns?: boolean | number;
  dnssecOk?: boolean;
  transport?: 'udp' | 'tcp';
  qclass?: number;
  nsid?: boolean;
}

const LONG_PREFIX = `${'q'.repeat(63)}.qqqqq`;
export const cases: Case[] = [
  ...FIXTURE_QUERIES.map(([qname, qtype]) => ({ qname, qtype })),
  { qname: 'jbas736chung3bb701jkjdhqkqlhvug7.example.test.', qtype: 'NSEC3' },
  // auth.test.: every path of the algorithm.
  ...[
    ['auth.test.', 'A'],
    ['auth.test.', 'SOA'],
    ['auth.test.', 'NS'],
    ['auth.test.', 'MX'],
    ['auth.test.', 'TXT'],
    ['auth.test.', 'ANY'],
    ['_sip._tcp.auth.test.', 'SRV'],
    ['nope.auth.test.', 'A'],
    ['host.auth.test.', 'AAAA'],
    ['host.auth.test.', 'ANY'],
    ['b.ent.auth.test.', 'A'],
    ['ent.auth.test.', 'TXT'],
    ['x.b.ent.auth.test.', 'A'],
    ['sub.auth.test.', 'A'],
    ['sub.auth.test.', 'NS'],
    ['sub.auth.test.', 'DS'],
    ['sub.auth.test.', 'ANY'],
    ['www.sub.auth.test.', 'MX'],
    ['ns.sub.auth.test.', 'A'],
    ['x.sub.auth.test.', 'DS'],
    ['nods.auth.test.', 'A'],
    ['nods.auth.test.', 'DS'],
    ['nsset.auth.test.', 'A'],
    ['cname1.auth.test.', 'A'],
    ['cname1.auth.test.', 'AAAA'],
    ['cname1.auth.test.', 'CNAME'],
    ['cname1.auth.test.', 'ANY'],
    ['extcname.auth.test.', 'A'],
    ['crosszone.auth.test.', 'A'],
    ['dangling.auth.test.', 'A'],
    ['loop1.auth.test.', 'A'],
    ['tosub.auth.test.', 'A'],
    ['towild.auth.test.', 'TXT'],
    ['toent.auth.test.', 'A'],
    ['todname.auth.test.', 'A'],
    ['host.dname.auth.test.', 'A'],
    ['x.dname.auth.test.', 'A'],
    ['cn.dname.auth.test.', 'A'],
    ['cn.dname.auth.test.', 'CNAME'],
    ['dname.auth.test.', 'DNAME'],
    ['dname.auth.test.', 'A'],
    ['dname.auth.test.', 'ANY'],
    ['x.extdname.auth.test.', 'A'],
    [`${LONG_PREFIX}.longdname.auth.test.`, 'A'],
    ['foo.wild.auth.test.', 'A'],
    ['a.b.wild.auth.test.', 'A'],
    ['foo.wild.auth.test.', 'MX'],
    ['foo.wild.auth.test.', 'AAAA'],
    ['foo.wild.auth.test.', 'ANY'],
    ['*.wild.auth.test.', 'A'],
    ['exists.wild.auth.test.', 'A'],
    ['x.exists.wild.auth.test.', 'A'],
    ['wild.auth.test.', 'A'],
    ['foo.cwild.auth.test.', 'A'],
    ['foo.cwild.auth.test.', 'CNAME'],
    ['MiXeD.auth.test.', 'A'],
    ['mixed.auth.test.', 'A'],
    ['CNAME1.Auth.Test.', 'A'],
    ['FOO.Wild.AUTH.test.', 'TXT'],
    ['ttls.auth.test.', 'A'],
    ['ttls.auth.test.', 'TXT'],
    ['ptr.auth.test.', 'PTR'],
    ['nothere.org.', 'A'],
    ['test.', 'SOA'],
    ['.', 'NS'],
    // The RFC 4592 §2.2.1 examples.
    ['host3.example.', 'MX'],
    ['host3.example.', 'A'],
    ['foo.bar.example.', 'TXT'],
    ['host1.example.', 'MX'],
    ['sub.*.example.', 'MX'],
    ['_telnet._tcp.host1.example.', 'SRV'],
    ['host.subdel.example.', 'A'],
    ['ghost.*.example.', 'MX'],
    ['*.example.', 'TXT'],
    ['_tcp.host2.example.', 'TXT'],
    ['example.', 'ANY'],
  ].map(([qname, qtype]) => ({ qname: qname!, qtype: qtype! })),
  // EDNS or not, the DO bit, small payloads (TC), TCP.
  { qname: 'auth.test.', qtype: 'MX', edns: false },
  { qname: 'sub.auth.test.', qtype: 'A', edns: false },
  { qname: 'nope.auth.test.', qtype: 'A', edns: false },
  { qname: 'auth.test.', qtype: 'A', dnssecOk: true },
  { qname: 'dnssec.example.test.', qtype: 'A', dnssecOk: true },
  { qname: 'sub.example.test.', qtype: 'A', dnssecOk: true },
  { qname: 'nope.example.test.', qtype: 'A', dnssecOk: true },
  { qname: 'long.example.test.', qtype: 'TXT', edns: false },
  { qname: 'txt.example.test.', qtype: 'TXT', edns: 512 },
  { qname: 'example.test.', qtype: 'DNSKEY', edns: false },
  { qname: 'example.test.', qtype: 'HTTPS', edns: false, transport: 'tcp' },
  { qname: 'long.example.test.', qtype: 'TXT', transport: 'tcp' },
  { qname: `${LONG_PREFIX}.longdname.auth.test.`, qtype: 'A', edns: false },
  // Classes: ANY answered from IN data (AA clear); CH and HS refused.
  { qname: 'auth.test.', qtype: 'A', qclass: RRCLASS.ANY },
  { qname: 'auth.test.', qtype: 'A', qclass: RRCLASS.CH },
];

export function key(c: Case): string {
  return `${c.qname} ${c.qtype}`;
}

export function buildQuery(c: Case): Message {
  const edns = c.edns ?? true;
  const query = makeQuery(Name.fromText(c.qname), requireType(c.qtype), {
    id: Math.floor(Math.random() * 0x10000),
    rd: false,
    class: c.qclass ?? RRCLASS.IN,
    ...(edns === false && !c.dnssecOk
      ? {}
      : { edns: { udpPayloadSize: typeof edns === 'number' ? edns : 1232, dnssecOk: c.dnssecOk ?? false } }),
  });
  if (c.nsid && query.edns) query.edns.options.push({ code: EDNS_OPTION.NSID, data: new Uint8Array(0) });
  return query;
}

export function label(c: Case): string {
  return `${key(c)}${c.transport === 'tcp' ? ' tcp' : ''}${c.edns === false ? ' noedns' : ''}${c.dnssecOk ? ' +do' : ''}${typeof c.edns === 'number' ? ` bufsize=${c.edns}` : ''}${c.qclass ? ` class ${c.qclass}` : ''}`;
}

/**
 * Sends the case's query to a real server on 127.0.0.1:port and answers it in-process; the
 * two must agree section by section, unless the case is a known, documented difference
 * (`known` says why), in which case they must differ.
 */
export async function expectSameAsPeer(
  zones: ZoneSet,
  c: Case,
  port: number,
  options: { minimalResponses: boolean; known: string | undefined },
): Promise<void> {
  const query = buildQuery(c);
  const transport = c.transport ?? 'udp';
  const theirs = await exchange(query, {
    server: '127.0.0.1',
    port,
    transport,
    ignoreTruncation: true,
    timeoutMs: 2000,
    retries: 1,
  });
  const ours = answerWire(zones, query, { transport, minimalResponses: options.minimalResponses }).reply;
  // The question comes back as asked, case included (RFC 4343 §4.1).
  expect(ours.question[0]!.name.toText()).toBe(c.qname);
  expect(ours.id).toBe(query.id);
  expect(Boolean(ours.edns)).toBe(Boolean(theirs.reply.edns));
  expect(ours.edns?.dnssecOk).toBe(theirs.reply.edns?.dnssecOk);
  if (options.known) {
    expect(sectionsOf(ours), options.known).not.toEqual(sectionsOf(theirs.reply));
    return;
  }
  expect(sectionsOf(ours)).toEqual(sectionsOf(theirs.reply));
}

/** Where netkit answers differently from NSD (minimal-responses: yes) on purpose, and why. */
export const NSD_KNOWN: Record<string, string> = {
  'crosszone.auth.test. A':
    'NSD follows a CNAME into another zone it serves; netkit stops at the zone boundary, as Knot does',
  'ttls.auth.test. A':
    'NSD serves each record of an RRset with its own TTL; netkit makes them equal (RFC 2181 §5.2)',
  'nope.example.test. A +do':
    'with DO, NSD adds an NSEC3 denial (example.test. has an NSEC3 chain); DNSSEC proofs are not built yet',
};
