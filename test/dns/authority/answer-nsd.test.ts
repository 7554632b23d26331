/**
 * Differential test against NSD (issue 8): the same zones served by NSD with
 * `minimal-responses: yes` and answered in-process by answerQuery with minimalResponses; the
 * same queries to both; the same RCODE, AA and TC, and the same records in each section
 * (compared as sets, TTLs included, names ignoring case). Each place where netkit answers
 * otherwise on purpose is listed in KNOWN, with the reason (docs/dns.md, "Authoritative
 * answers").
 */
import { afterAll, beforeAll, it } from 'vitest';
import { type DnsServer, startNsd } from '../../helpers/dns-peers.js';
import { describeWithPeers, NSD } from '../../helpers/peers.js';
import { cases, expectSameAsPeer, label, NSD_KNOWN } from './cases.js';
import { peerTestZones } from './helpers.js';

/** Where netkit answers otherwise than NSD on purpose, and why (see docs/dns.md). */

describeWithPeers('answerQuery against NSD (minimal-responses: yes)', [NSD], () => {
  let nsd: DnsServer;
  const { peerZones, zones } = peerTestZones();

  beforeAll(async () => {
    nsd = await startNsd(peerZones, { minimalResponses: true });
  });
  afterAll(async () => {
    await nsd?.stop();
  });

  it.each(cases.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    await expectSameAsPeer(zones, c, nsd.port, { minimalResponses: true, known: NSD_KNOWN[label(c)] });
  });
});
