/**
 * The zone data model (src/dns/zone/zone.ts): what Zone.fromRecords refuses, how it indexes
 * (RRsets, TTLs made equal, empty non-terminals, delegations and glue, NSEC3 apart), the
 * canonical record order, and ZoneSet's longest match.
 */
import { describe, expect, it } from 'vitest';
import { Name } from '../../src/dns/name.js';
import { recordFromText, recordToText } from '../../src/dns/record.js';
import { DnsZoneError, Zone, ZoneSet } from '../../src/dns/zone/zone.js';
import { recordsFromText } from './authority/helpers.js';

const SOA = 'z.test. 3600 IN SOA ns.z.test. h.z.test. 1 7200 3600 1209600 300';

/** Records straight from their lines (not through the zone-file parser, which has checks of its own). */
function recordsOf(lines: string[]) {
  const origin = Name.fromText('z.test.');
  return lines.map((line) => recordFromText(line, { origin, ttl: 3600 }));
}

function zone(...lines: string[]): Zone {
  return Zone.fromRecords(Name.fromText('z.test.'), recordsOf([SOA, ...lines]));
}

describe('Zone.fromRecords refuses', () => {
  it.each([
    ['no SOA', [], /no SOA record at its apex/],
    ['a record outside the zone', ['www.other.test. A 192.0.2.1'], /outside the zone z\.test\./],
    ['the parent of the apex', ['test. A 192.0.2.1'], /outside the zone/],
    ['an SOA below the apex', ['sub.z.test. SOA ns.z.test. h.z.test. 1 2 3 4 5'], /not the apex/],
    ['two SOA records', ['z.test. SOA ns.z.test. h.z.test. 2 2 3 4 5'], /2 SOA records; one at most/],
    ['a CNAME beside other data', ['www CNAME z.test.', 'www A 192.0.2.1'], /a CNAME and A data/],
    ['a CNAME at the apex', ['z.test. CNAME other.test.'], /a CNAME and SOA data/],
    ['two CNAMEs', ['www CNAME a.z.test.', 'www CNAME b.z.test.'], /2 CNAME records/],
    ['two DNAMEs', ['d DNAME a.z.test.', 'd DNAME b.z.test.'], /2 DNAME records/],
    ['another class', ['www CH A 192.0.2.1'], /class 3/],
  ])('%s', (_what, lines, message) => {
    const records = () => recordsOf(lines);
    const build = () =>
      lines.length === 0 && _what === 'no SOA'
        ? Zone.fromRecords(Name.fromText('z.test.'), records())
        : zone(...lines);
    expect(build).toThrow(DnsZoneError);
    expect(build).toThrow(message);
    try {
      build();
    } catch (error) {
      expect((error as DnsZoneError).code).toBe('NK_DNS_ZONE_INVALID');
    }
  });

  it('accepts CNAME beside RRSIG and NSEC, and the same record twice (kept once)', () => {
    const z = zone(
      'www CNAME z.test.',
      'www NSEC z.test. CNAME RRSIG NSEC',
      'a A 192.0.2.1',
      'a A 192.0.2.1',
    );
    expect(z.rrset(Name.fromText('a.z.test.'), 1)!.records).toHaveLength(1);
    expect(z.size).toBe(4);
  });
});

describe('Zone indexing', () => {
  const z = zone(
    'z.test. NS ns.z.test.',
    'ns A 192.0.2.1',
    'a.b.ent A 192.0.2.2',
    'sub NS ns.sub.z.test.',
    'ns.sub A 192.0.2.3',
    'deep.below.sub A 192.0.2.4',
    'ttl 100 A 192.0.2.5',
    'ttl 50 A 192.0.2.6',
    'jbas736chung3bb701jkjdhqkqlhvug7 NSEC3 1 0 0 - V3N2R9CHQLP7TDETOLMMAKFMS81UDCJE A',
  );

  it('merges records into RRsets and gives them the first TTL (BIND), with a warning', () => {
    const rrset = z.rrset(Name.fromText('TTL.z.test.'), 1)!;
    expect(rrset.records.map((r) => r.ttl)).toEqual([100, 100]);
    expect(rrset.ttl).toBe(100);
    expect(z.warnings).toEqual([expect.stringMatching(/TTL 50 set to the RRset's TTL 100/)]);
  });

  it('creates empty non-terminals between owners and the apex', () => {
    expect(z.node(Name.fromText('b.ent.z.test.'))?.rrsets.size).toBe(0);
    expect(z.node(Name.fromText('ent.z.test.'))?.rrsets.size).toBe(0);
    expect(z.node(Name.fromText('x.ent.z.test.'))).toBeUndefined();
  });

  it('marks delegation points and the glue below them', () => {
    expect(z.node(Name.fromText('sub.z.test.'))).toMatchObject({ delegation: true, glue: false });
    expect(z.node(Name.fromText('ns.sub.z.test.'))).toMatchObject({ delegation: false, glue: true });
    expect(z.node(Name.fromText('deep.below.sub.z.test.'))!.glue).toBe(true);
    expect(z.node(Name.fromText('below.sub.z.test.'))!.glue).toBe(true);
    expect(z.apex.delegation).toBe(false);
    expect(z.node(Name.fromText('ns.z.test.'))!.glue).toBe(false);
  });

  it('keeps NSEC3 owners out of the names of the zone', () => {
    expect(z.node(Name.fromText('jbas736chung3bb701jkjdhqkqlhvug7.z.test.'))).toBeUndefined();
    expect(z.records().some((r) => r.type === 50)).toBe(true);
  });

  it('gives the SOA and the negative-answer SOA (TTL min(SOA TTL, minimum), RFC 2308)', () => {
    expect(z.soa.ttl).toBe(3600);
    expect(z.negativeSoa.ttl).toBe(300);
    expect(z.negativeSoa.data).toBe(z.soa.data);
  });

  it('lists the records in canonical order, SOA first, each name as first written', () => {
    const text = zone(
      'b A 192.0.2.2',
      'A A 192.0.2.9',
      'a A 192.0.2.1',
      'z.test. NS ns.z.test.',
      'z.test. A 192.0.2.0',
    )
      .records()
      .map(recordToText);
    expect(text).toEqual([
      'z.test. 3600 IN SOA ns.z.test. h.z.test. 1 7200 3600 1209600 300',
      'z.test. 3600 IN A 192.0.2.0',
      'z.test. 3600 IN NS ns.z.test.',
      'A.z.test. 3600 IN A 192.0.2.1',
      'A.z.test. 3600 IN A 192.0.2.9',
      'b.z.test. 3600 IN A 192.0.2.2',
    ]);
  });
});

describe('ZoneSet', () => {
  const make = (origin: string) => {
    const suffix = origin === '.' ? '' : origin;
    return Zone.fromRecords(
      Name.fromText(origin),
      recordsFromText(`${origin} 3600 IN SOA ns.${suffix} h.${suffix} 1 2 3 4 5`, origin),
    );
  };
  const zones = new ZoneSet([make('test.'), make('z.test.'), make('sub.z.test.'), make('.')]);

  it.each([
    ['a.b.sub.z.test.', 'sub.z.test.'],
    ['SUB.Z.TEST.', 'sub.z.test.'],
    ['xsub.z.test.', 'z.test.'],
    ['z.test.', 'z.test.'],
    ['other.test.', 'test.'],
    ['example.', '.'],
    ['.', '.'],
  ])('finds the deepest zone of %s: %s', (name, origin) => {
    expect(zones.find(Name.fromText(name))?.origin.toText()).toBe(origin);
  });

  it('finds the zone above a cut, and nothing when none is served', () => {
    expect(zones.findAbove(Name.fromText('sub.z.test.'))?.origin.toText()).toBe('z.test.');
    expect(zones.findAbove(Name.fromText('test.'))?.origin.toText()).toBe('.');
    expect(new ZoneSet([make('z.test.')]).find(Name.fromText('other.test.'))).toBeUndefined();
    expect(new ZoneSet([make('z.test.')]).findAbove(Name.fromText('z.test.'))).toBeUndefined();
  });

  it('adds, replaces and removes zones', () => {
    const set = new ZoneSet();
    set.add(make('z.test.'));
    set.add(make('z.test.'));
    expect(set.size).toBe(1);
    expect(set.get(Name.fromText('Z.test.'))).toBeDefined();
    expect(set.remove(Name.fromText('z.test.'))).toBe(true);
    expect([...set]).toEqual([]);
  });
});
