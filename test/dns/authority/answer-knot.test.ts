/**
 * Differential test against Knot DNS: the same zones and queries as the NSD test, Knot with its
 * defaults (it has no minimal-responses setting: additional addresses for NS, MX and SRV
 * targets, no apex NS in authority) and answerQuery without minimal responses. Knot is the
 * second opinion where NSD and an RFC disagree; each difference is listed in KNOWN.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { type DnsServer, startKnot } from '../../helpers/dns-peers.js';
import { describeWithPeers, KNOTD } from '../../helpers/peers.js';
import { cases, expectSameAsPeer, label } from './cases.js';
import { peerTestZones } from './helpers.js';

/** Where netkit answers otherwise than Knot on purpose, and why (see docs/dns.md). */
const KNOWN: Record<string, string> = {
  'auth.test. ANY':
    'RFC 8482 minimal ANY: Knot gives the RRset of the lowest type; netkit the first in zone order, as NSD',
  'example. ANY': 'as auth.test. ANY',
  [`${'q'.repeat(63)}.qqqqq.longdname.auth.test. A`]:
    'a DNAME substitution over 255 bytes: Knot 3.2 answers NXDOMAIN; netkit YXDOMAIN, as RFC 6672 §2.2 and NSD',
  [`${'q'.repeat(63)}.qqqqq.longdname.auth.test. A noedns`]: 'as the same query with EDNS',
  'ttls.auth.test. A': 'TTLs of one RRset made equal: Knot takes the last; netkit the first, as BIND',
  'auth.test. A class 255':
    'class ANY: Knot sets AA; netkit does not, as NSD (the plain class IN query agrees)',
};

describeWithPeers(
  'answerQuery against Knot (its defaults; netkit without minimal responses)',
  [KNOTD],
  () => {
    let knot: DnsServer;
    const { peerZones, zones } = peerTestZones();

    beforeAll(async () => {
      knot = await startKnot(peerZones);
    });
    afterAll(async () => {
      await knot?.stop();
    });

    it.each(cases.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
      await expectSameAsPeer(zones, c, knot.port, { minimalResponses: false, known: KNOWN[label(c)] });
    });
  },
);
