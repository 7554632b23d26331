/**
 * ZoneBuilder (src/dns/zone/zone.ts): a zone built a record at a time, its whole-zone checks run
 * in steps, is the zone Zone.fromRecords makes — the same records, warnings, delegations and glue,
 * and for a list that is no zone, the same DnsZoneError — and both match a model of fromRecords as it
 * was before the builder (the whole list in hand, one pass).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RRTYPE, typeToText } from '../../src/dns/constants.js';
import { Name } from '../../src/dns/name.js';
import { type ResourceRecord, rdataBytes, recordFromText, recordToText } from '../../src/dns/record.js';
import { DnsZoneError, Zone, ZoneBuilder } from '../../src/dns/zone/zone.js';

const ORIGIN = Name.fromText('z.test.');

/**
 * Records to draw from: the SOA (twice, and a second one), delegations with glue and occluded
 * data, CNAME and DNAME beside other data or alone, names in two spellings, records outside the
 * zone or of another class, NSEC3 apart, and the same data twice.
 */
const POOL = [
  'z.test. SOA ns.z.test. h.z.test. 1 7200 3600 1209600 300',
  'z.test. SOA ns.z.test. h.z.test. 2 7200 3600 1209600 300',
  'z.test. NS ns.z.test.',
  'ns.z.test. A 192.0.2.1',
  'NS.Z.test. A 192.0.2.1',
  'www.z.test. A 192.0.2.2',
  'www.z.test. A 192.0.2.3',
  'WWW.z.test. AAAA 2001:db8::1',
  'www.z.test. TXT "hello"',
  'alias.z.test. CNAME www.z.test.',
  'alias.z.test. CNAME other.test.',
  'alias.z.test. RRSIG A 13 3 3600 20300101000000 20240101000000 29882 z.test. AAAA',
  'alias.z.test. NSEC z.test. CNAME RRSIG NSEC',
  'www.z.test. CNAME alias.z.test.',
  'd.z.test. DNAME other.test.',
  'd.z.test. DNAME else.test.',
  'sub.z.test. NS ns.sub.z.test.',
  'ns.sub.z.test. A 192.0.2.53',
  'deep.below.sub.z.test. TXT "occluded"',
  'a.b.c.z.test. MX 10 www.z.test.',
  'x.z.test. SOA ns.z.test. h.z.test. 1 2 3 4 5',
  'www.other.test. A 192.0.2.9',
  'test. A 192.0.2.10',
  'jbas736chung3bb701jkjdhqkqlhvug7.z.test. NSEC3 1 0 0 - V3N2R9CHQLP7TDETOLMMAKFMS81UDCJE A NS',
];

const arbitraryRecordLine = fc.record({
  line: fc.constantFrom(...POOL),
  ttl: fc.constantFrom(300, 300, 300, 60),
  chaos: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

/** Lists that are zones most of the time (an SOA first), and sometimes not. */
const arbitraryRecords: fc.Arbitrary<ResourceRecord[]> = fc
  .tuple(fc.boolean(), fc.array(arbitraryRecordLine, { maxLength: 25 }))
  .map(([soaFirst, lines]) =>
    [...(soaFirst ? [{ line: POOL[0]!, ttl: 300, chaos: false }] : []), ...lines].map(
      ({ line, ttl, chaos }) => {
        const [owner, ...rest] = line.split(' ');
        return recordFromText(`${owner} ${ttl} ${chaos ? 'CH' : 'IN'} ${rest.join(' ')}`);
      },
    ),
  );

type Outcome = { error: string } | { records: string[]; warnings: string[]; size: number; cuts: string[] };

function outcomeOf(build: () => Zone): Outcome {
  let zone: Zone;
  try {
    zone = build();
  } catch (error) {
    if (!(error instanceof DnsZoneError)) throw error;
    return { error: error.message };
  }
  const cuts = [...zone.allNodes()]
    .map((node) => `${node.name.toText()} delegation=${node.delegation} glue=${node.glue}`)
    .sort();
  return {
    records: zone.records().map((record) => recordToText(record)),
    warnings: [...zone.warnings],
    size: zone.size,
    cuts,
  };
}

/**
 * Zone.fromRecords as it was before ZoneBuilder (a Set of data per RRset, the whole list in
 * hand), kept as the model the builder must match: its outcome, without making a Zone.
 */
function referenceOutcome(origin: Name, records: readonly ResourceRecord[]): Outcome {
  const { SOA, NS, CNAME, DNAME, RRSIG, NSEC, NSEC3 } = RRTYPE;
  const fail = (message: string): Outcome => ({ error: message });
  type Node = { name: Name; rrsets: Map<number, { ttl: number; records: ResourceRecord[] }>; cname: boolean };
  const apexSoa = records.find((record) => record.type === SOA && record.name.equals(origin));
  if (!apexSoa) return fail(`zone ${origin.toText()} has no SOA record at its apex`);
  const nodes = new Map<string, Node>();
  const nsec3 = new Map<string, Node>();
  const nodeFor = (map: Map<string, Node>, name: Name, ancestors: boolean): Node => {
    let node = map.get(name.key());
    if (node) return node;
    node = { name, rrsets: new Map(), cname: false };
    map.set(name.key(), node);
    for (let child = name; ancestors && child.labelCount > 0 && !map.has(child.parent().key()); ) {
      child = child.parent();
      map.set(child.key(), { name: child, rrsets: new Map(), cname: false });
    }
    return node;
  };
  const warnings: string[] = [];
  const seen = new Map<object, Set<string>>();
  let size = 0;
  for (const record of records) {
    const what = `${record.name.toText()} ${typeToText(record.type)}`;
    if (!record.name.isSubdomainOf(origin)) return fail(`${what} is outside the zone ${origin.toText()}`);
    if (record.class !== apexSoa.class)
      return fail(`${what} is of class ${record.class}, the zone's SOA of class ${apexSoa.class}`);
    if (record.type === SOA && !record.name.equals(origin))
      return fail(`an SOA record at ${record.name.toText()}, not the apex ${origin.toText()}`);
    const node =
      record.type === NSEC3 ? nodeFor(nsec3, record.name, false) : nodeFor(nodes, record.name, true);
    let rrset = node.rrsets.get(record.type);
    if (!rrset) {
      rrset = { ttl: record.ttl, records: [] };
      node.rrsets.set(record.type, rrset);
      seen.set(rrset, new Set());
      if (record.type === CNAME) node.cname = true;
    }
    const key = hex(rdataBytes(record.type, record.data));
    if (seen.get(rrset)!.has(key)) continue;
    seen.get(rrset)!.add(key);
    if ((record.type === SOA || record.type === CNAME || record.type === DNAME) && rrset.records.length > 0)
      return fail(
        `${record.name.toText()} has ${rrset.records.length + 1} ${typeToText(record.type)} records; one at most`,
      );
    let kept = record;
    if (record.ttl !== rrset.ttl) {
      warnings.push(`${what}: TTL ${record.ttl} set to the RRset's TTL ${rrset.ttl} (RFC 2181 §5.2)`);
      kept = { ...kept, ttl: rrset.ttl };
    }
    if (record.name.toText() !== node.name.toText()) kept = { ...kept, name: node.name };
    rrset.records.push(kept);
    size++;
  }
  for (const node of nodes.values())
    for (const type of node.rrsets.keys())
      if (node.cname && type !== CNAME && type !== RRSIG && type !== NSEC)
        return fail(
          `${node.name.toText()} has a CNAME and ${typeToText(type)} data; a CNAME owner holds nothing else but RRSIG and NSEC (RFC 1034 §3.6.2)`,
        );
  const isCut = (node: Node) => node.rrsets.has(NS) && !node.name.equals(origin);
  const cuts = [...nodes.values()].map((node) => {
    const glue = [...nodes.values()].some(
      (above) => isCut(above) && !above.name.equals(node.name) && node.name.isSubdomainOf(above.name),
    );
    return `${node.name.toText()} delegation=${isCut(node)} glue=${glue}`;
  });
  const all = [...nodes.values(), ...nsec3.values()].sort((a, b) => a.name.compare(b.name));
  const lines: string[] = [];
  for (const node of all)
    for (const type of [...node.rrsets.keys()].sort((a, b) => (a === SOA ? -1 : b === SOA ? 1 : a - b)))
      lines.push(
        ...node.rrsets
          .get(type)!
          .records.map((record) => ({
            text: recordToText(record),
            key: hex(rdataBytes(record.type, record.data)),
          }))
          .sort((a, b) => compareHex(a.key, b.key))
          .map((entry) => entry.text),
      );
  return { records: lines, warnings, size, cuts: cuts.sort() };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Byte order of two hex strings (shorter first when one is a prefix). */
function compareHex(a: string, b: string): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i += 2) {
    const d = Number.parseInt(a.slice(i, i + 2), 16) - Number.parseInt(b.slice(i, i + 2), 16);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The builder, fed one record at a time and finished in steps (counted). */
function buildInSteps(records: readonly ResourceRecord[]): { zone: Zone; steps: number } {
  const builder = new ZoneBuilder(ORIGIN);
  for (const record of records) builder.add(record);
  expect(builder.count).toBe(records.length);
  const steps = builder.finishSteps();
  let count = 0;
  for (let step = steps.next(); ; step = steps.next(), count++)
    if (step.done) return { zone: step.value, steps: count };
}

describe('ZoneBuilder', () => {
  it('builds the zone fromRecords builds, or throws what it throws, as the unsliced model does (property)', () => {
    const seen = { zones: 0, errors: 0 };
    fc.assert(
      fc.property(arbitraryRecords, (records) => {
        const expected = outcomeOf(() => Zone.fromRecords(ORIGIN, records));
        expect(outcomeOf(() => buildInSteps(records).zone)).toEqual(expected);
        expect(expected).toEqual(referenceOutcome(ORIGIN, records));
        seen['error' in expected ? 'errors' : 'zones']++;
      }),
      { numRuns: 500 },
    );
    // Both paths were walked, often.
    expect(seen.zones).toBeGreaterThan(25);
    expect(seen.errors).toBeGreaterThan(25);
  });

  it('finishes in steps: a yield every few thousand nodes', () => {
    const records = [recordFromText('z.test. 300 IN SOA ns.z.test. h.z.test. 1 7200 3600 1209600 300')];
    for (let i = 0; i < 20_000; i++) records.push(recordFromText(`h${i}.z.test. 300 IN A 192.0.2.1`));
    const { zone, steps } = buildInSteps(records);
    expect(zone.size).toBe(20_001);
    // Two passes over 20,001 nodes, a yield every 4096.
    expect(steps).toBeGreaterThanOrEqual(9);
    expect(zone.rrset(Name.fromText('h19999.z.test.'), RRTYPE.A)).toBeDefined();
  });

  it('drops repeated data in large RRsets too (kept in a Set past a few records)', () => {
    const records = [recordFromText('z.test. 300 IN SOA ns.z.test. h.z.test. 1 7200 3600 1209600 300')];
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 20; i++) records.push(recordFromText(`www.z.test. 300 IN A 192.0.2.${i}`));
    const zone = buildInSteps(records).zone;
    expect(zone.rrset(Name.fromText('www.z.test.'), RRTYPE.A)!.records).toHaveLength(20);
    expect(outcomeOf(() => zone)).toEqual(referenceOutcome(ORIGIN, records));
  });

  it('keeps records that come before the SOA until it comes', () => {
    const builder = new ZoneBuilder(ORIGIN);
    builder.add(recordFromText('www.z.test. 300 IN A 192.0.2.2'));
    builder.add(recordFromText('z.test. 300 IN SOA ns.z.test. h.z.test. 1 7200 3600 1209600 300'));
    const zone = builder.finish();
    expect(zone.records().map((record) => record.type)).toEqual([RRTYPE.SOA, RRTYPE.A]);
    expect(() => builder.finish()).toThrow(/twice/);
  });

  it('refuses a relative origin, and a zone without an SOA when finishing', () => {
    expect(() => new ZoneBuilder(Name.fromText('z', undefined))).toThrow(DnsZoneError);
    const builder = new ZoneBuilder(ORIGIN);
    builder.add(recordFromText('www.z.test. 300 IN A 192.0.2.2'));
    expect(() => builder.finish()).toThrow(/no SOA record at its apex/);
  });
});
