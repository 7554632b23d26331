/**
 * Interop with dnspython's transfer client (Debian's python3-dnspython, /usr/bin/python3;
 * `dns.xfr.Inbound`, dnspython ≥ 2.1): the IXFR and AXFR responses we build, as wire messages
 * split at random, applied by dnspython to its copy of the old version, give the zone we have;
 * and the same messages re-encoded by dnspython (its own name compression) read back through
 * TransferReader give the same deltas. One Python process for every case.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { RRTYPE } from '../../../src/dns/constants.js';
import { decodeMessage, encodeMessage, type Message } from '../../../src/dns/message.js';
import { type ResourceRecord, rdataBytes, recordToText } from '../../../src/dns/record.js';
import { diffZones, type ZoneDelta } from '../../../src/dns/transfer/diff.js';
import { ixfrRecords } from '../../../src/dns/transfer/ixfr.js';
import { TransferReader } from '../../../src/dns/transfer/reader.js';
import type { Zone } from '../../../src/dns/zone/zone.js';
import { DNSPYTHON, describeWithPeers } from '../../helpers/peers.js';
import { hex } from '../arbitraries.js';
import { arbitraryZoneLines, deltaText, ORIGIN, split, zoneOf } from './helpers.js';

const SCRIPT = `
import sys, json
import dns.zone, dns.xfr, dns.message, dns.rdatatype, dns.name
out = []
for line in sys.stdin:
    job = json.loads(line)
    origin = dns.name.from_text(job['origin'])
    try:
        if job['base'] is None:
            zone = dns.zone.Zone(origin, relativize=False)
        else:
            zone = dns.zone.from_text(job['base'], origin=origin, relativize=False, check_origin=False)
        rdtype = dns.rdatatype.from_text(job['type'])
        inbound = dns.xfr.Inbound(zone, rdtype, serial=job['serial'])
        done = False
        rewired = []
        for wire in job['messages']:
            message = dns.message.from_wire(bytes.fromhex(wire), xfr=True, one_rr_per_rrset=True)
            rewired.append(message.to_wire().hex())
            done = inbound.process_message(message)
        rows = []
        for name, ttl, rd in zone.iterate_rdatas():
            rows.append('%s %d %d %d %s' % (name.canonicalize().to_wire().hex(), rd.rdtype, rd.rdclass, ttl, rd.to_wire().hex()))
        out.append({'done': done, 'rows': sorted(rows), 'rewired': rewired})
    except Exception as e:
        out.append({'error': '%s: %s' % (type(e).__name__, e)})
print(json.dumps(out))
`;

interface Job {
  origin: string;
  /** The client's version as zone text, or null for an empty zone (AXFR). */
  base: string | null;
  type: 'IXFR' | 'AXFR';
  serial: number | null;
  messages: string[];
}

interface Outcome {
  done?: boolean;
  rows?: string[];
  rewired?: string[];
  error?: string;
}

function dnspython(jobs: Job[]): Outcome[] {
  const result = spawnSync('/usr/bin/python3', ['-c', SCRIPT], {
    input: jobs.map((job) => JSON.stringify(job)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** Our rows in dnspython's form: owner lower-cased, type, class, TTL, rdata. */
function rows(records: readonly ResourceRecord[]): string[] {
  return records
    .map((r) => {
      const owner = hex(Uint8Array.from(r.name.key(), (c) => c.charCodeAt(0)));
      return `${owner} ${r.type} ${r.class} ${r.ttl} ${hex(rdataBytes(r.type, r.data))}`;
    })
    .sort();
}

function zoneText(zone: Zone): string {
  return `${zone.records().map(recordToText).join('\n')}\n`;
}

/** Wire messages of a transfer response: the question in the first only, as servers send. */
function wire(messages: Message[], type: number): string[] {
  return messages.map((message, i) =>
    hex(
      encodeMessage({
        ...message,
        question: i === 0 ? [{ name: ORIGIN, type, class: 1 }] : [],
      }),
    ),
  );
}

interface Case {
  versions: Zone[];
  cuts: number[];
}

const cases: Case[] = fc
  .sample(
    fc.tuple(
      fc.array(arbitraryZoneLines(), { minLength: 2, maxLength: 4 }),
      fc.array(fc.nat(200), { maxLength: 6 }),
    ),
    { numRuns: 60, seed: 1995 },
  )
  .map(([versions, cuts]) => ({
    versions: versions.map((lines, i) => zoneOf(10 + i, lines.join('\n'))),
    cuts,
  }));

describeWithPeers('zone transfers against dnspython dns.xfr.Inbound', [DNSPYTHON], () => {
  it('applies our IXFR responses to the old version and gets the new one', () => {
    const sequences = cases.map(({ versions, cuts }) => {
      const deltas = versions.slice(1).map((zone, i) => diffZones(versions[i]!, zone));
      const list = ixfrRecords(versions.at(-1)!.soa, deltas);
      return {
        list,
        messages: split(
          list,
          cuts.map((cut) => cut % list.length),
        ),
      };
    });
    const outcomes = dnspython(
      cases.map(({ versions }, i) => ({
        origin: ORIGIN.toText(),
        base: zoneText(versions[0]!),
        type: 'IXFR',
        serial: 10,
        messages: wire(sequences[i]!.messages, RRTYPE.IXFR),
      })),
    );
    outcomes.forEach((outcome, i) => {
      const { versions } = cases[i]!;
      expect(outcome.error).toBeUndefined();
      expect(outcome.done).toBe(true);
      expect(outcome.rows).toEqual(rows(versions.at(-1)!.records()));
      // dnspython's encoding of the same messages reads back to the same deltas.
      const reader = new TransferReader(ORIGIN, { type: 'IXFR', clientSerial: 10 });
      for (const message of outcome.rewired!) reader.push(decodeMessage(Buffer.from(message, 'hex')));
      expect(reader.done).toBe(true);
      const deltas = versions.slice(1).map((zone, j) => diffZones(versions[j]!, zone));
      const result = reader.result();
      // dnspython compresses names ignoring case: a later "www" may point at an earlier "WWW".
      const lower = (list: ZoneDelta[]) => JSON.stringify(list.map(deltaText)).toLowerCase();
      expect(result.kind === 'ixfr' && lower(result.deltas)).toBe(lower(deltas));
    });
  });

  it('loads our AXFR responses, and AXFR-style IXFR responses, as the zone', () => {
    const jobs: { job: Job; zone: Zone }[] = [];
    for (const { versions, cuts } of cases.slice(0, 30)) {
      const zone = versions.at(-1)!;
      const list = [...zone.records(), zone.soa];
      const messages = split(
        list,
        cuts.map((cut) => cut % list.length),
      );
      jobs.push({
        zone,
        job: {
          origin: ORIGIN.toText(),
          base: null,
          type: 'AXFR',
          serial: null,
          messages: wire(messages, RRTYPE.AXFR),
        },
      });
      // dnspython takes "SOA SOA" in answer to an IXFR for an empty incremental response
      // (FormError), not for a zone of its SOA alone: only AXFR for that one.
      if (zone.size === 1) continue;
      jobs.push({
        zone,
        job: {
          origin: ORIGIN.toText(),
          base: zoneText(versions[0]!),
          type: 'IXFR',
          serial: 10,
          messages: wire(messages, RRTYPE.IXFR),
        },
      });
    }
    const outcomes = dnspython(jobs.map(({ job }) => job));
    outcomes.forEach((outcome, i) => {
      const zone = jobs[i]!.zone;
      expect(outcome.error).toBeUndefined();
      expect(outcome.done).toBe(true);
      expect(outcome.rows).toEqual(rows(zone.records()));
    });
  });
});
