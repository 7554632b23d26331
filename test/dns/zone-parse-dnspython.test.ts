/**
 * Differential: parseZone against dnspython's dns.zone.from_text (Debian's python3-dnspython,
 * /usr/bin/python3), record for record, on the fixture zones and on random zones written with
 * relative owners, carried owners, parentheses and comments. One Python process for all zones.
 * Records are compared as wire bytes (owner, type, class, TTL, rdata), sorted; dnspython
 * merges identical records, so ours are deduplicated first. Every zone here has `$TTL`, where
 * the two agree (without it dnspython prefers the SOA minimum; see parse.ts). The random zones
 * have no SOA, CNAME or DNAME of their own (dnspython refuses a CNAME beside other data, as we
 * do in `zone check`, not in the parser, and keeps one DNAME per owner).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { RRTYPE, typeToText } from '../../src/dns/constants.js';
import { Name } from '../../src/dns/name.js';
import { type ResourceRecord, rdataBytes, rdataToText, recordToText } from '../../src/dns/record.js';
import { parseZone } from '../../src/dns/zone/parse.js';
import { DNSPYTHON, describeWithPeers } from '../helpers/peers.js';
import { arbitraryRecord, hex } from './arbitraries.js';

/** Types dnspython keeps one record of per owner. */
const SINGLETONS = new Set<number>([RRTYPE.SOA, RRTYPE.CNAME, RRTYPE.DNAME]);

const FIXTURES = fileURLToPath(new URL('../fixtures/dns/', import.meta.url));

const SCRIPT = `
import sys, json
import dns.zone, dns.name
out = []
for line in sys.stdin:
    job = json.loads(line)
    try:
        z = dns.zone.from_text(job['text'], origin=job['origin'], relativize=False, check_origin=False)
        rows = []
        for name, ttl, rd in z.iterate_rdatas():
            rows.append('%s %d %d %d %s' % (name.to_wire().hex(), rd.rdtype, rd.rdclass, ttl, rd.to_wire().hex()))
        out.append({'rows': sorted(rows)})
    except Exception as e:
        out.append({'error': '%s: %s' % (type(e).__name__, e)})
print(json.dumps(out))
`;

function ours(records: readonly ResourceRecord[]): string[] {
  const rows = records.map((r) =>
    `${hex(r.name.wire)} ${r.type} ${r.class} ${r.ttl} ${hex(rdataBytes(r.type, r.data))}`.toLowerCase(),
  );
  return [...new Set(rows)].sort();
}

function dnspython(jobs: { text: string; origin: string }[]): { rows?: string[]; error?: string }[] {
  const result = spawnSync('/usr/bin/python3', ['-c', SCRIPT], {
    input: jobs.map((job) => JSON.stringify(job)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** A zone text written the way people write them: relative owners, carried owners, parentheses. */
function writeZone(origin: Name, records: ResourceRecord[]): string {
  const lines = [
    `$ORIGIN ${origin.toText()}`,
    '$TTL 3600',
    '@ 360 IN SOA ns hostmaster ( 1 7200 3600 1209600 300 ) ; soa',
    '  120 NS ns',
    'ns 60 A 192.0.2.1',
  ];
  let last: Name | undefined;
  records.forEach((record, i) => {
    const owner = last?.equals(record.name) ? '' : record.name.relativize(origin).toText() || '@';
    last = record.name;
    const data = rdataToText(record.type, record.data);
    const rdata = i % 3 === 0 && !data.includes('"') ? `( ${data.split(' ').join('\n  ')} ) ; comment` : data;
    lines.push(`${owner}\t${record.ttl} IN ${typeToText(record.type)} ${rdata}`);
  });
  return `${lines.join('\n')}\n`;
}

describeWithPeers('zone parsing agrees with dnspython', [DNSPYTHON], () => {
  it('on the fixture zones and 100 random zones, record for record', () => {
    const jobs: { text: string; origin: string; name: string }[] = [];
    for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.zone'))) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      jobs.push({ text, origin: parseZone(text).origin.toText(), name });
    }
    const origin = Name.fromText('zone.test.');
    const zones = fc.sample(
      fc.array(
        // One TTL per type, so that no RRset mixes TTLs (dnspython makes them one, as BIND does).
        arbitraryRecord({ ascii: true })
          // dnspython keeps one record of a singleton type (SOA, CNAME, DNAME) per owner.
          .filter((record) => !SINGLETONS.has(record.type))
          .map((record) => ({
            ...record,
            ttl: record.type * 60,
            name: record.name.isRoot()
              ? origin
              : Name.fromLabels(record.name.labels().slice(0, 2), false).concat(origin),
          })),
        { maxLength: 30 },
      ),
      { numRuns: 100 },
    );
    for (const [i, records] of zones.entries()) {
      const sorted = [...records].sort((a, b) => a.name.compare(b.name));
      jobs.push({ text: writeZone(origin, sorted), origin: origin.toText(), name: `random ${i}` });
    }
    const answers = dnspython(jobs);
    for (const [i, job] of jobs.entries()) {
      const answer = answers[i]!;
      expect(answer.error, `${job.name}\n${job.text}`).toBeUndefined();
      const mine = ours(parseZone(job.text, { origin: job.origin }).records);
      expect(
        mine,
        `${job.name}\n${job.text}\n${parseZone(job.text).records.map(recordToText).join('\n')}`,
      ).toEqual(answer.rows);
    }
  });
});
