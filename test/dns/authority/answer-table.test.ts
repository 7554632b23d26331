/**
 * The answer engine, CoreDNS-style (STYLE.md §4): a table of questions and the records each
 * section must hold, over auth.test. (delegations, glue, ENTs, CNAME and DNAME chains,
 * wildcards, MX/SRV/NS targets in and out of the zone) and the RFC 4592 §2.2.1 zone; run with
 * and without minimal responses. Sections are compared as sets; TTLs included.
 */
import { describe, expect, it } from 'vitest';
import { ask, expected, testZoneSet } from './helpers.js';

interface Row {
  qname: string;
  qtype: string;
  rcode?: string;
  aa?: boolean;
  answer?: string[];
  authority?: string[];
  /** Additional records by default (Knot's additional-section processing). */
  additional?: string[];
  /** Additional records with minimalResponses, when they differ from `additional`. */
  minimalAdditional?: string[];
}

const SOA = 'auth.test. 300 IN SOA ns1.auth.test. hostmaster.auth.test. 2024010101 7200 3600 1209600 300';
const EX_SOA = 'example. 3600 IN SOA ns.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600';
const NS1 = ['ns1.auth.test. 3600 IN A 192.0.2.1', 'ns1.auth.test. 3600 IN AAAA 2001:db8::1'];
const SUB_NS = [
  'sub.auth.test. 3600 IN NS ns.sub.auth.test.',
  'sub.auth.test. 3600 IN NS ns1.auth.test.',
  'sub.auth.test. 3600 IN NS ns.other.net.',
];
const SUB_GLUE = [
  'ns.sub.auth.test. 3600 IN A 192.0.2.53',
  'ns.sub.auth.test. 3600 IN AAAA 2001:db8::53',
  ...NS1,
];
const MAIL = ['mail.auth.test. 3600 IN A 192.0.2.25', 'mail.auth.test. 3600 IN AAAA 2001:db8::25'];
const LONG = `${'a'.repeat(59)}.${'b'.repeat(59)}.${'c'.repeat(59)}.auth.test.`;

const rows: Row[] = [
  // Positive answers; additional addresses for NS, MX and SRV targets inside the zone.
  { qname: 'auth.test.', qtype: 'A', answer: ['auth.test. 3600 IN A 192.0.2.10'] },
  { qname: 'AuTh.TeSt.', qtype: 'A', answer: ['auth.test. 3600 IN A 192.0.2.10'] },
  { qname: 'auth.test.', qtype: 'SOA', answer: [SOA.replace(' 300 IN', ' 3600 IN')] },
  {
    qname: 'auth.test.',
    qtype: 'NS',
    answer: ['auth.test. 3600 IN NS ns1.auth.test.', 'auth.test. 3600 IN NS ns2.elsewhere.net.'],
    additional: NS1,
  },
  {
    qname: 'auth.test.',
    qtype: 'MX',
    answer: ['auth.test. 3600 IN MX 10 mail.auth.test.', 'auth.test. 3600 IN MX 20 mx.elsewhere.net.'],
    additional: MAIL,
    minimalAdditional: [],
  },
  {
    qname: '_sip._tcp.auth.test.',
    qtype: 'SRV',
    answer: [
      '_sip._tcp.auth.test. 3600 IN SRV 10 60 5060 sip.auth.test.',
      '_sip._tcp.auth.test. 3600 IN SRV 20 0 5061 sip.elsewhere.net.',
    ],
    additional: ['sip.auth.test. 3600 IN A 192.0.2.30', 'sip.auth.test. 3600 IN AAAA 2001:db8::30'],
    minimalAdditional: [],
  },
  { qname: 'ptr.auth.test.', qtype: 'PTR', answer: ['ptr.auth.test. 3600 IN PTR host.auth.test.'] },
  // TTLs of one RRset made equal: the first record's (BIND's rule).
  {
    qname: 'ttls.auth.test.',
    qtype: 'A',
    answer: ['ttls.auth.test. 100 IN A 192.0.2.5', 'ttls.auth.test. 100 IN A 192.0.2.6'],
  },
  // Negative answers: the SOA with the negative TTL min(3600, 300).
  { qname: 'nope.auth.test.', qtype: 'A', rcode: 'NXDOMAIN', authority: [SOA] },
  { qname: 'host.auth.test.', qtype: 'AAAA', authority: [SOA] },
  // Empty non-terminals exist: NODATA, not NXDOMAIN.
  { qname: 'b.ent.auth.test.', qtype: 'A', authority: [SOA] },
  { qname: 'ent.auth.test.', qtype: 'TXT', authority: [SOA] },
  { qname: 'x.b.ent.auth.test.', qtype: 'A', rcode: 'NXDOMAIN', authority: [SOA] },
  // Referrals: no AA, NS in authority, glue and in-zone server addresses in additional.
  { qname: 'sub.auth.test.', qtype: 'A', aa: false, authority: SUB_NS, additional: SUB_GLUE },
  { qname: 'www.sub.auth.test.', qtype: 'MX', aa: false, authority: SUB_NS, additional: SUB_GLUE },
  { qname: 'ns.sub.auth.test.', qtype: 'A', aa: false, authority: SUB_NS, additional: SUB_GLUE },
  { qname: 'sub.auth.test.', qtype: 'NS', aa: false, authority: SUB_NS, additional: SUB_GLUE },
  { qname: 'sub.auth.test.', qtype: 'ANY', aa: false, authority: SUB_NS, additional: SUB_GLUE },
  {
    qname: 'nods.auth.test.',
    qtype: 'A',
    aa: false,
    authority: ['nods.auth.test. 3600 IN NS ns.elsewhere.net.'],
  },
  // DS lives at the parent side of the cut: answered with AA, NODATA when absent.
  {
    qname: 'sub.auth.test.',
    qtype: 'DS',
    answer: [
      'sub.auth.test. 3600 IN DS 29882 13 2 D207AB82A9F68718488BE3F5A1DC66101A74981CB5CA4A5BC160B2ED5F5BD48B',
    ],
  },
  { qname: 'nods.auth.test.', qtype: 'DS', authority: [SOA] },
  { qname: 'x.sub.auth.test.', qtype: 'DS', aa: false, authority: SUB_NS, additional: SUB_GLUE },
  // CNAME chains inside the zone, out of it, dangling, looping, into a referral.
  {
    qname: 'cname1.auth.test.',
    qtype: 'A',
    answer: [
      'cname1.auth.test. 3600 IN CNAME cname2.auth.test.',
      'cname2.auth.test. 3600 IN CNAME host.auth.test.',
      'host.auth.test. 3600 IN A 192.0.2.12',
    ],
  },
  {
    qname: 'cname1.auth.test.',
    qtype: 'CNAME',
    answer: ['cname1.auth.test. 3600 IN CNAME cname2.auth.test.'],
  },
  {
    qname: 'cname1.auth.test.',
    qtype: 'AAAA',
    answer: [
      'cname1.auth.test. 3600 IN CNAME cname2.auth.test.',
      'cname2.auth.test. 3600 IN CNAME host.auth.test.',
    ],
    authority: [SOA],
  },
  {
    qname: 'extcname.auth.test.',
    qtype: 'A',
    answer: ['extcname.auth.test. 3600 IN CNAME www.elsewhere.net.'],
  },
  // Into another zone served here: not followed (Knot; NSD follows, see docs/dns.md).
  {
    qname: 'crosszone.auth.test.',
    qtype: 'A',
    answer: ['crosszone.auth.test. 3600 IN CNAME host1.example.'],
  },
  {
    qname: 'dangling.auth.test.',
    qtype: 'A',
    rcode: 'NXDOMAIN',
    answer: ['dangling.auth.test. 3600 IN CNAME missing.auth.test.'],
    authority: [SOA],
  },
  {
    qname: 'loop1.auth.test.',
    qtype: 'A',
    answer: [
      'loop1.auth.test. 3600 IN CNAME loop2.auth.test.',
      'loop2.auth.test. 3600 IN CNAME loop1.auth.test.',
    ],
  },
  {
    qname: 'tosub.auth.test.',
    qtype: 'A',
    answer: ['tosub.auth.test. 3600 IN CNAME x.sub.auth.test.'],
    authority: SUB_NS,
    additional: SUB_GLUE,
  },
  {
    qname: 'towild.auth.test.',
    qtype: 'TXT',
    answer: [
      'towild.auth.test. 3600 IN CNAME foo.wild.auth.test.',
      'foo.wild.auth.test. 3600 IN TXT "from the wildcard"',
    ],
  },
  {
    qname: 'toent.auth.test.',
    qtype: 'A',
    answer: ['toent.auth.test. 3600 IN CNAME b.ent.auth.test.'],
    authority: [SOA],
  },
  // DNAME: the DNAME, a synthesised CNAME with its TTL, the new name followed.
  {
    qname: 'host.dname.auth.test.',
    qtype: 'A',
    answer: [
      'dname.auth.test. 3600 IN DNAME target.auth.test.',
      'host.dname.auth.test. 3600 IN CNAME host.target.auth.test.',
      'host.target.auth.test. 3600 IN A 192.0.2.80',
    ],
  },
  {
    qname: 'x.dname.auth.test.',
    qtype: 'A',
    rcode: 'NXDOMAIN',
    answer: [
      'dname.auth.test. 3600 IN DNAME target.auth.test.',
      'x.dname.auth.test. 3600 IN CNAME x.target.auth.test.',
    ],
    authority: [SOA],
  },
  {
    qname: 'cn.dname.auth.test.',
    qtype: 'A',
    answer: [
      'dname.auth.test. 3600 IN DNAME target.auth.test.',
      'cn.dname.auth.test. 3600 IN CNAME cn.target.auth.test.',
      'cn.target.auth.test. 3600 IN CNAME host.auth.test.',
      'host.auth.test. 3600 IN A 192.0.2.12',
    ],
  },
  {
    qname: 'todname.auth.test.',
    qtype: 'A',
    answer: [
      'todname.auth.test. 3600 IN CNAME host.dname.auth.test.',
      'dname.auth.test. 3600 IN DNAME target.auth.test.',
      'host.dname.auth.test. 3600 IN CNAME host.target.auth.test.',
      'host.target.auth.test. 3600 IN A 192.0.2.80',
    ],
  },
  { qname: 'dname.auth.test.', qtype: 'DNAME', answer: ['dname.auth.test. 3600 IN DNAME target.auth.test.'] },
  { qname: 'dname.auth.test.', qtype: 'A', authority: [SOA] },
  {
    qname: 'x.extdname.auth.test.',
    qtype: 'A',
    answer: [
      'extdname.auth.test. 3600 IN DNAME elsewhere.net.',
      'x.extdname.auth.test. 3600 IN CNAME x.elsewhere.net.',
    ],
  },
  {
    qname: `${'q'.repeat(63)}.qqqqq.longdname.auth.test.`,
    qtype: 'A',
    rcode: 'YXDOMAIN',
    answer: [`longdname.auth.test. 3600 IN DNAME ${LONG}`],
  },
  // Wildcards (RFC 4592): synthesised owner, NODATA, no match through existing names.
  { qname: 'foo.wild.auth.test.', qtype: 'A', answer: ['foo.wild.auth.test. 3600 IN A 192.0.2.99'] },
  { qname: 'a.b.wild.auth.test.', qtype: 'A', answer: ['a.b.wild.auth.test. 3600 IN A 192.0.2.99'] },
  {
    qname: 'foo.wild.auth.test.',
    qtype: 'MX',
    answer: ['foo.wild.auth.test. 3600 IN MX 10 mail.auth.test.'],
    additional: MAIL,
    minimalAdditional: [],
  },
  { qname: 'foo.wild.auth.test.', qtype: 'AAAA', authority: [SOA] },
  { qname: 'foo.wild.auth.test.', qtype: 'ANY', answer: ['foo.wild.auth.test. 3600 IN A 192.0.2.99'] },
  { qname: 'exists.wild.auth.test.', qtype: 'A', authority: [SOA] },
  { qname: 'x.exists.wild.auth.test.', qtype: 'A', rcode: 'NXDOMAIN', authority: [SOA] },
  { qname: 'wild.auth.test.', qtype: 'A', authority: [SOA] },
  {
    qname: 'foo.cwild.auth.test.',
    qtype: 'A',
    answer: ['foo.cwild.auth.test. 3600 IN CNAME host.auth.test.', 'host.auth.test. 3600 IN A 192.0.2.12'],
  },
  // ANY (RFC 8482): one RRset, the first of the name in zone order.
  { qname: 'auth.test.', qtype: 'ANY', answer: [SOA.replace(' 300 IN', ' 3600 IN')] },
  { qname: 'host.auth.test.', qtype: 'ANY', answer: ['host.auth.test. 3600 IN A 192.0.2.12'] },
  { qname: 'cname1.auth.test.', qtype: 'ANY', answer: ['cname1.auth.test. 3600 IN CNAME cname2.auth.test.'] },
  // Outside every zone served.
  { qname: 'nothere.org.', qtype: 'A', rcode: 'REFUSED', aa: false },
  { qname: 'test.', qtype: 'A', rcode: 'REFUSED', aa: false },
  // The RFC 4592 §2.2.1 examples.
  {
    qname: 'host3.example.',
    qtype: 'MX',
    answer: ['host3.example. 3600 IN MX 10 host1.example.'],
    additional: ['host1.example. 3600 IN A 192.0.2.1'],
    minimalAdditional: [],
  },
  { qname: 'host3.example.', qtype: 'A', authority: [EX_SOA] },
  { qname: 'foo.bar.example.', qtype: 'TXT', answer: ['foo.bar.example. 3600 IN TXT "this is a wildcard"'] },
  { qname: 'host1.example.', qtype: 'MX', authority: [EX_SOA] },
  { qname: 'sub.*.example.', qtype: 'MX', authority: [EX_SOA] },
  { qname: '_telnet._tcp.host1.example.', qtype: 'SRV', rcode: 'NXDOMAIN', authority: [EX_SOA] },
  {
    qname: 'host.subdel.example.',
    qtype: 'A',
    aa: false,
    authority: ['subdel.example. 3600 IN NS ns.example.com.', 'subdel.example. 3600 IN NS ns.example.net.'],
  },
  { qname: 'ghost.*.example.', qtype: 'MX', rcode: 'NXDOMAIN', authority: [EX_SOA] },
  // "*" asked for literally is the wildcard's own name.
  { qname: '*.example.', qtype: 'TXT', answer: ['*.example. 3600 IN TXT "this is a wildcard"'] },
  // _tcp.host2.example. is an empty non-terminal: no wildcard match below example. for it.
  { qname: '_tcp.host2.example.', qtype: 'TXT', authority: [EX_SOA] },
];

const zones = testZoneSet();

for (const minimalResponses of [false, true]) {
  describe(`answerQuery table (minimalResponses: ${minimalResponses})`, () => {
    it.each(rows)('$qname $qtype', (row) => {
      const got = ask(zones, row.qname, row.qtype, { minimalResponses });
      const additional = minimalResponses ? (row.minimalAdditional ?? row.additional) : row.additional;
      expect(got).toEqual({
        rcode: row.rcode ?? 'NOERROR',
        aa: row.aa ?? true,
        tc: false,
        answer: expected(row.answer ?? []),
        authority: expected(row.authority ?? []),
        additional: expected(additional ?? []),
      });
    });
  });
}
