import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Name } from '../../../src/dns/name.js';
import type { ResourceRecord } from '../../../src/dns/record.js';
import { applyDeltas, diffZones } from '../../../src/dns/transfer/diff.js';
import { DnsTransferError } from '../../../src/dns/transfer/errors.js';
import { Zone } from '../../../src/dns/zone/zone.js';
import { arbitraryZone, ORIGIN, records, rows, soa, zoneOf } from './helpers.js';

describe('diffZones', () => {
  const v1 = zoneOf(
    1,
    `@ 3600 NS ns1
     ns1 3600 A 192.0.2.1
     www 300 A 192.0.2.10
     www 300 A 192.0.2.11
     mail 3600 MX 10 mx`,
  );
  const v2 = zoneOf(
    2,
    `@ 3600 NS ns1
     ns1 3600 A 192.0.2.1
     WWW 300 A 192.0.2.10
     www 300 A 192.0.2.12
     mail 60 MX 10 mx`,
  );

  it('lists deleted and added records in canonical order, SOAs apart', () => {
    const delta = diffZones(v1, v2);
    expect(delta.fromSoa.data.serial).toBe(1);
    expect(delta.toSoa.data.serial).toBe(2);
    expect(rows(delta.deleted)).toEqual(rows(records('www 300 A 192.0.2.11\nmail 3600 MX 10 mx')));
    expect(rows(delta.added)).toEqual(rows(records('www 300 A 192.0.2.12\nmail 60 MX 10 mx')));
    // Canonical order: mail before www.
    expect(delta.deleted.map((r) => r.name.toText())).toEqual(['mail.example.com.', 'www.example.com.']);
  });

  it('makes a TTL-only change a deletion and an addition', () => {
    const delta = diffZones(zoneOf(1, 'a 60 A 192.0.2.1'), zoneOf(2, 'a 120 A 192.0.2.1'));
    expect(delta.deleted.map((r) => r.ttl)).toEqual([60]);
    expect(delta.added.map((r) => r.ttl)).toEqual([120]);
  });

  it('finds no change between a zone and itself but the SOA', () => {
    const delta = diffZones(v1, v1);
    expect(delta.deleted).toEqual([]);
    expect(delta.added).toEqual([]);
  });

  it('ignores the case of owner names (RFC 4343)', () => {
    const delta = diffZones(zoneOf(1, 'Www 60 A 192.0.2.1'), zoneOf(2, 'wWW 60 A 192.0.2.1'));
    expect(delta.deleted).toEqual([]);
    expect(delta.added).toEqual([]);
  });
});

describe('applyDeltas', () => {
  it('turns version A into version B (property)', () => {
    fc.assert(
      fc.property(arbitraryZone(1), arbitraryZone(2), (a, b) => {
        expect(rows(applyDeltas(a.records(), [diffZones(a, b)]))).toEqual(rows(b.records()));
      }),
      { numRuns: 300 },
    );
  });

  it('applies a chain of three versions, at once or one by one (property)', () => {
    fc.assert(
      fc.property(arbitraryZone(1), arbitraryZone(2), arbitraryZone(3), (a, b, c) => {
        const deltas = [diffZones(a, b), diffZones(b, c)];
        const atOnce = applyDeltas(a.records(), deltas);
        expect(rows(atOnce)).toEqual(rows(c.records()));
        expect(atOnce[0]!.type).toBe(6);
        expect(rows(applyDeltas(applyDeltas(a.records(), [deltas[0]!]), [deltas[1]!]))).toEqual(
          rows(c.records()),
        );
        // The result is a zone again.
        expect(rows(Zone.fromRecords(ORIGIN, atOnce).records())).toEqual(rows(c.records()));
      }),
      { numRuns: 200 },
    );
  });

  it('returns the records unchanged, SOA first, for no deltas', () => {
    const zone = zoneOf(5, 'a 60 A 192.0.2.1\nb 60 TXT "x"');
    const out = applyDeltas(zone.records(), []);
    expect(out[0]).toBe(zone.soa);
    expect(rows(out)).toEqual(rows(zone.records()));
  });

  it('does not double an added record already present, and takes its new TTL', () => {
    const zone = zoneOf(1, 'a 60 A 192.0.2.1');
    const out = applyDeltas(zone.records(), [
      { fromSoa: soa(1), toSoa: soa(2), deleted: [], added: records('A 90 A 192.0.2.1') },
    ]);
    expect(rows(out)).toEqual(rows([soa(2), ...records('a 90 A 192.0.2.1')]));
  });

  it('refuses a delta that starts at another serial', () => {
    const zone = zoneOf(1, 'a 60 A 192.0.2.1');
    const apply = () =>
      applyDeltas(zone.records(), [{ fromSoa: soa(2), toSoa: soa(3), deleted: [], added: [] }]);
    expect(apply).toThrow(DnsTransferError);
    expect(apply).toThrow(/starts at serial 2, the zone is at serial 1/);
    // The second of two deltas that do not chain.
    const chain = [
      { fromSoa: soa(1), toSoa: soa(2), deleted: [], added: [] },
      { fromSoa: soa(3), toSoa: soa(4), deleted: [], added: [] },
    ];
    expect(() => applyDeltas(zone.records(), chain)).toThrow(/delta 2 starts at serial 3/);
  });

  it('refuses a delta that deletes a record the zone does not hold', () => {
    const zone = zoneOf(1, 'a 60 A 192.0.2.1');
    const deleted = records('a 60 A 192.0.2.2');
    try {
      applyDeltas(zone.records(), [{ fromSoa: soa(1), toSoa: soa(2), deleted, added: [] }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DnsTransferError);
      expect((error as DnsTransferError).code).toBe('NK_DNS_TRANSFER');
      expect((error as DnsTransferError).details.reason).toBe('missing-record');
    }
    // A record deleted twice (by two deltas) is missing the second time.
    const once = { fromSoa: soa(1), toSoa: soa(2), deleted: records('a 60 A 192.0.2.1'), added: [] };
    const twice = { ...once, fromSoa: soa(2), toSoa: soa(3) };
    expect(() => applyDeltas(zone.records(), [once, twice])).toThrow(DnsTransferError);
  });

  it('refuses records without an SOA', () => {
    expect(() => applyDeltas(records('a 60 A 192.0.2.1'), [])).toThrow(DnsTransferError);
  });

  it('applies a small delta to a large zone, touching only what it names', () => {
    const big: ResourceRecord[] = [soa(1)];
    const base = records('x 60 A 192.0.2.1')[0]!;
    for (let i = 0; i < 100_000; i++)
      big.push({
        ...base,
        name: Name.fromText(`h${i}.example.com.`),
        data: { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      });
    const delta = {
      fromSoa: soa(1),
      toSoa: soa(2),
      deleted: [{ ...big[500]! }],
      added: records('new 60 A 192.0.2.9\nh7 60 A 192.0.2.7'),
    };
    const out = applyDeltas(big, [delta]);
    expect(out.length).toBe(100_000 + 1 - 1 + 2);
    expect(out[0]!.data).toMatchObject({ serial: 2 });
    expect(out.some((record) => record.name.toText() === 'h499.example.com.')).toBe(false);
    // (How fast this is at 1,000,000 records is for a benchmark, not a test: `npm run bench:dns-transfer`.)
  });
});
