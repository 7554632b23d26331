import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RCODE } from '../../../src/dns/constants.js';
import type { Message } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import { applyDeltas, diffZones, type ZoneDelta } from '../../../src/dns/transfer/diff.js';
import { DnsTransferError } from '../../../src/dns/transfer/errors.js';
import { ixfrRecords } from '../../../src/dns/transfer/ixfr.js';
import { TransferReader, type TransferResult } from '../../../src/dns/transfer/reader.js';
import {
  arbitraryCuts,
  arbitraryZone,
  arbitraryZoneLines,
  ORIGIN,
  records,
  response,
  rows,
  soa,
  split,
  zoneOf,
} from './helpers.js';

const ZONE = zoneOf(
  7,
  `@ 3600 NS ns1
   ns1 3600 A 192.0.2.1
   www 300 A 192.0.2.10
   mail 3600 MX 10 mx`,
);
const AXFR = [...ZONE.records(), ZONE.soa];

/** Feeds every message; the transfer must be complete after the last one, not before. */
function run(reader: TransferReader, messages: Message[]): TransferResult {
  messages.forEach((message, i) => {
    expect(reader.push(message)).toBe(i === messages.length - 1);
  });
  expect(reader.done).toBe(true);
  return reader.result();
}

function failure(action: () => unknown): DnsTransferError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DnsTransferError);
    expect((error as DnsTransferError).code).toBe('NK_DNS_TRANSFER');
    return error as DnsTransferError;
  }
  throw new Error('expected a DnsTransferError');
}

const axfrReader = () => new TransferReader(ORIGIN, { type: 'AXFR' });
const ixfrReader = (clientSerial: number) => new TransferReader(ORIGIN, { type: 'IXFR', clientSerial });

describe('TransferReader, AXFR', () => {
  it('reads SOA, records, SOA in one message', () => {
    const result = run(axfrReader(), [response(AXFR)]);
    expect(result.kind).toBe('axfr');
    if (result.kind !== 'axfr') return;
    expect(result.soa.data.serial).toBe(7);
    expect(result.records).toEqual(ZONE.records());
  });

  it('gives the same result for every split of the records into messages (property)', () => {
    fc.assert(
      fc.property(arbitraryCuts(AXFR.length), (cuts) => {
        const reader = axfrReader();
        const result = run(reader, split(AXFR, cuts));
        expect(result).toEqual({ kind: 'axfr', soa: ZONE.soa, records: ZONE.records() });
        expect(reader.count).toBe(AXFR.length);
      }),
    );
    // And every single cut point.
    for (let cut = 1; cut < AXFR.length; cut++)
      expect(run(axfrReader(), split(AXFR, [cut])).kind).toBe('axfr');
  });

  it('reads a zone of its SOA alone ("SOA SOA"), in one message or two', () => {
    expect(run(axfrReader(), [response([soa(3), soa(3)])])).toEqual({
      kind: 'axfr',
      soa: soa(3),
      records: [soa(3)],
    });
    expect(run(axfrReader(), [response([soa(3)]), response([soa(3)])]).kind).toBe('axfr');
  });

  it('reads random zones (property)', () => {
    fc.assert(
      fc.property(arbitraryZone(9), fc.array(fc.nat(), { maxLength: 8 }), (zone, cuts) => {
        const list = [...zone.records(), zone.soa];
        const result = run(
          axfrReader(),
          split(
            list,
            cuts.map((cut) => cut % list.length),
          ),
        );
        expect(result.kind === 'axfr' && rows(result.records)).toEqual(rows(zone.records()));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts empty messages after the first', () => {
    const reader = axfrReader();
    expect(reader.push(response(AXFR.slice(0, 2)))).toBe(false);
    expect(reader.push(response([]))).toBe(false);
    expect(reader.push(response(AXFR.slice(2)))).toBe(true);
  });
});

describe('TransferReader, IXFR', () => {
  const v1 = zoneOf(1, 'a 60 A 192.0.2.1\nb 60 A 192.0.2.2');
  const v2 = zoneOf(2, 'a 60 A 192.0.2.1\nc 60 A 192.0.2.3');
  const v3 = zoneOf(3, 'a 120 A 192.0.2.1\nc 60 A 192.0.2.3\nd 60 TXT "x"');
  const deltas = [diffZones(v1, v2), diffZones(v2, v3)];
  const incremental = ixfrRecords(v3.soa, deltas);

  it('reads an incremental response into its deltas', () => {
    const result = run(ixfrReader(1), [response(incremental)]);
    expect(result).toEqual({ kind: 'ixfr', soa: v3.soa, deltas });
  });

  it('reads it split at every point (property)', () => {
    fc.assert(
      fc.property(arbitraryCuts(incremental.length), (cuts) => {
        expect(run(ixfrReader(1), split(incremental, cuts))).toEqual({ kind: 'ixfr', soa: v3.soa, deltas });
      }),
    );
  });

  it('reads deltas with empty deletions or additions', () => {
    const onlyAdds: ZoneDelta = {
      fromSoa: soa(1),
      toSoa: soa(2),
      deleted: [],
      added: records('x 60 A 192.0.2.9'),
    };
    const onlyDeletes: ZoneDelta = {
      fromSoa: soa(2),
      toSoa: soa(3),
      deleted: records('x 60 A 192.0.2.9'),
      added: [],
    };
    const nothing: ZoneDelta = { fromSoa: soa(3), toSoa: soa(4), deleted: [], added: [] };
    const list = ixfrRecords(soa(4), [onlyAdds, onlyDeletes, nothing]);
    for (let cut = 0; cut < list.length; cut++)
      expect(run(ixfrReader(1), split(list, [cut]))).toEqual({
        kind: 'ixfr',
        soa: soa(4),
        deltas: [onlyAdds, onlyDeletes, nothing],
      });
  });

  it('reads an AXFR-style response (RFC 1995 §4), split anywhere', () => {
    const list = [...v3.records(), v3.soa];
    for (let cut = 0; cut < list.length; cut++) {
      const result = run(ixfrReader(1), split(list, [cut]));
      expect(result).toEqual({ kind: 'axfr', soa: v3.soa, records: v3.records() });
    }
    // A zone of its SOA alone, AXFR style.
    expect(run(ixfrReader(1), [response([soa(5), soa(5)])])).toEqual({
      kind: 'axfr',
      soa: soa(5),
      records: [soa(5)],
    });
  });

  it('is current when the first message is one SOA no newer than ours', () => {
    expect(run(ixfrReader(3), [response([soa(3)])])).toEqual({ kind: 'current', soa: soa(3) });
    expect(run(ixfrReader(3), [response([soa(2)])])).toEqual({ kind: 'current', soa: soa(2) });
    // Newer only by RFC 1982: serial 0xfffffff0 is older than 5.
    expect(run(ixfrReader(5), [response([soa(0xfffffff0)])]).kind).toBe('current');
    // "SOA S SOA S" with S our serial: an incremental response with no changes.
    expect(run(ixfrReader(3), [response([soa(3), soa(3)])])).toEqual({ kind: 'current', soa: soa(3) });
  });

  it('waits for more after a first message of one newer SOA', () => {
    const reader = ixfrReader(1);
    expect(reader.push(response(incremental.slice(0, 1)))).toBe(false);
    expect(reader.done).toBe(false);
    expect(() => reader.result()).toThrow(DnsTransferError);
    expect(reader.push(response(incremental.slice(1)))).toBe(true);
    expect(reader.result().kind).toBe('ixfr');
  });

  it("reports a response of one newer SOA that ends there as 'ixfr-single-soa'", () => {
    const reader = ixfrReader(1);
    reader.push(response([soa(3)]));
    const error = failure(() => reader.end());
    expect(error.details.reason).toBe('ixfr-single-soa');
    expect(error.message).toMatch(/TCP|AXFR/);
  });

  it('round-trips: ixfrRecords split at random gives the deltas back, and they apply (property)', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryZoneLines(), { minLength: 2, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (versions, cuts) => {
          const zones = versions.map((lines, i) => zoneOf(100 + i, lines.join('\n')));
          const chain = zones.slice(1).map((zone, i) => diffZones(zones[i]!, zone));
          const last = zones.at(-1)!;
          const list = ixfrRecords(last.soa, chain);
          const result = run(
            ixfrReader(100),
            split(
              list,
              cuts.map((cut) => cut % list.length),
            ),
          );
          expect(result).toEqual({ kind: 'ixfr', soa: last.soa, deltas: chain });
          if (result.kind !== 'ixfr') return;
          expect(rows(applyDeltas(zones[0]!.records(), result.deltas))).toEqual(rows(last.records()));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('TransferReader errors', () => {
  it('names an error RCODE', () => {
    const error = failure(() => axfrReader().push(response([], RCODE.REFUSED)));
    expect(error.details.rcode).toBe(RCODE.REFUSED);
    expect(error.message).toMatch(/REFUSED/);
    // Also in a later message.
    const reader = axfrReader();
    reader.push(response(AXFR.slice(0, 2)));
    expect(failure(() => reader.push(response(AXFR.slice(2), RCODE.SERVFAIL))).details.rcode).toBe(
      RCODE.SERVFAIL,
    );
  });

  it('refuses an empty first message', () => {
    expect(failure(() => axfrReader().push(response([]))).details.reason).toBe('empty');
    expect(failure(() => ixfrReader(1).push(response([]))).details.reason).toBe('empty');
  });

  it('refuses a first record that is not the SOA of the zone', () => {
    expect(failure(() => axfrReader().push(response(AXFR.slice(1)))).details.reason).toBe('first-not-soa');
    const foreign = soa(7, Name.fromText('example.org.'));
    expect(failure(() => axfrReader().push(response([foreign]))).details.reason).toBe('soa-name');
  });

  it('refuses records outside the zone, and SOAs of another name', () => {
    const outside = records('www.example.org. 60 A 192.0.2.1');
    expect(failure(() => axfrReader().push(response([ZONE.soa, ...outside]))).details.reason).toBe('outside');
    const subSoa = records('sub 60 SOA ns1 hostmaster 7 1 1 1 1');
    expect(failure(() => axfrReader().push(response([ZONE.soa, ...subSoa]))).details.reason).toBe('soa-name');
  });

  it('refuses an SOA of another serial inside an AXFR', () => {
    expect(
      failure(() => axfrReader().push(response([soa(7), ...AXFR.slice(1, 3), soa(8)]))).details.reason,
    ).toBe('broken-sequence');
  });

  it('refuses IXFR sequences whose serials do not chain', () => {
    const v1 = zoneOf(1, 'a 60 A 192.0.2.1');
    const v2 = zoneOf(2, 'b 60 A 192.0.2.1');
    const v3 = zoneOf(3, 'c 60 A 192.0.2.1');
    const [d1, d2] = [diffZones(v1, v2), diffZones(v2, v3)];
    // A gap: 1→2 then 5→3.
    const gap = ixfrRecords(v3.soa, [d1!, { ...d2!, fromSoa: soa(5) }]);
    expect(failure(() => ixfrReader(1).push(response(gap))).details.reason).toBe('broken-sequence');
    // The second SOA is neither the client's serial nor the final one.
    const wrongStart = ixfrRecords(v3.soa, [{ ...d1!, fromSoa: soa(9) }]);
    expect(failure(() => ixfrReader(1).push(response(wrongStart))).details.reason).toBe('broken-sequence');
  });

  it('refuses a message, or records, after the end', () => {
    const reader = axfrReader();
    reader.push(response(AXFR));
    expect(failure(() => reader.push(response([ZONE.soa]))).details.reason).toBe('after-end');
    expect(failure(() => axfrReader().push(response([...AXFR, ZONE.soa]))).details.reason).toBe('after-end');
    const current = ixfrReader(7);
    current.push(response([soa(7)]));
    expect(failure(() => current.push(response([soa(7)]))).details.reason).toBe('after-end');
  });

  it('refuses more records than maxRecords', () => {
    const reader = new TransferReader(ORIGIN, { type: 'AXFR', maxRecords: 3 });
    expect(failure(() => reader.push(response(AXFR))).details.reason).toBe('too-many');
  });

  it('says a response cut short is cut short', () => {
    const reader = axfrReader();
    reader.push(response(AXFR.slice(0, 3)));
    expect(failure(() => reader.end()).details.reason).toBe('cut-short');
    const done = axfrReader();
    done.push(response(AXFR));
    expect(() => done.end()).not.toThrow();
  });

  it('needs the client serial for IXFR', () => {
    expect(() => new TransferReader(ORIGIN, { type: 'IXFR' })).toThrow(DnsTransferError);
  });
});
