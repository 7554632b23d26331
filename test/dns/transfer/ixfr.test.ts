import { describe, expect, it } from 'vitest';
import { RRTYPE } from '../../../src/dns/constants.js';
import { decodeMessage, encodeMessage, makeQuery } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import type { SoaRdata } from '../../../src/dns/rdata/types.js';
import { type ResourceRecord, recordToText } from '../../../src/dns/record.js';
import { diffZones } from '../../../src/dns/transfer/diff.js';
import { ixfrQuerySerial, ixfrRecords, makeIxfrQuery } from '../../../src/dns/transfer/ixfr.js';
import { ZoneJournal } from '../../../src/dns/transfer/journal.js';
import { Zone } from '../../../src/dns/zone/zone.js';
import { ORIGIN, records, soa } from './helpers.js';

// RFC 1995 §7 (Example): three versions of JAIN.AD.JP.
const JAIN = Name.fromText('JAIN.AD.JP.');
const soaLine = (serial: number) =>
  `JAIN.AD.JP. 3600 IN SOA NS.JAIN.AD.JP. mohta.jain.ad.jp. ${serial} 600 600 3600000 604800`;
const version = (serial: number, body: string) =>
  Zone.fromRecords(JAIN, records(`${soaLine(serial)}\n${body}`, JAIN));
const JAIN_ZONES = [
  version(
    1,
    `JAIN.AD.JP. 3600 IN NS NS.JAIN.AD.JP.
     NS.JAIN.AD.JP. 3600 IN A 133.69.136.1
     NEZU.JAIN.AD.JP. 3600 IN A 133.69.136.5`,
  ),
  version(
    2,
    `JAIN.AD.JP. 3600 IN NS NS.JAIN.AD.JP.
     NS.JAIN.AD.JP. 3600 IN A 133.69.136.1
     JAIN-BB.JAIN.AD.JP. 3600 IN A 133.69.136.4
     JAIN-BB.JAIN.AD.JP. 3600 IN A 192.41.197.2`,
  ),
  version(
    3,
    `JAIN.AD.JP. 3600 IN NS NS.JAIN.AD.JP.
     NS.JAIN.AD.JP. 3600 IN A 133.69.136.1
     JAIN-BB.JAIN.AD.JP. 3600 IN A 133.69.136.3
     JAIN-BB.JAIN.AD.JP. 3600 IN A 192.41.197.2`,
  ),
];

/** The RFC writes `JAIN.AD.JP. IN SOA serial=3`; so do we, the rest as presentation text. */
function text(record: ResourceRecord): string {
  return record.type === RRTYPE.SOA ? `SOA serial=${(record.data as SoaRdata).serial}` : recordToText(record);
}

describe('ixfrRecords', () => {
  it('gives RFC 1995 §7 example response for serial 1 → 3', () => {
    const [v1, v2, v3] = JAIN_ZONES;
    const journal = new ZoneJournal(JAIN);
    journal.append(diffZones(v1!, v2!));
    journal.append(diffZones(v2!, v3!));
    const deltas = journal.deltasSince(1, 3)!;
    expect(ixfrRecords(v3!.soa, deltas).map(text)).toEqual([
      'SOA serial=3',
      'SOA serial=1',
      'NEZU.JAIN.AD.JP. 3600 IN A 133.69.136.5',
      'SOA serial=2',
      'JAIN-BB.JAIN.AD.JP. 3600 IN A 133.69.136.4',
      'JAIN-BB.JAIN.AD.JP. 3600 IN A 192.41.197.2',
      'SOA serial=2',
      'JAIN-BB.JAIN.AD.JP. 3600 IN A 133.69.136.4',
      'SOA serial=3',
      'JAIN-BB.JAIN.AD.JP. 3600 IN A 133.69.136.3',
      'SOA serial=3',
    ]);
    // The SOAs are the versions' own.
    const sequence = ixfrRecords(v3!.soa, deltas);
    expect(recordToText(sequence[1]!)).toBe(soaLine(1));
    expect(recordToText(sequence.at(-1)!)).toBe(soaLine(3));
  });

  it('gives the current SOA alone to a client that is current', () => {
    const v3 = JAIN_ZONES[2]!;
    expect(ixfrRecords(v3.soa, [])).toEqual([v3.soa]);
  });
});

describe('IXFR queries', () => {
  it('carries the client SOA in the authority section (RFC 1995 §3), through the wire', () => {
    const query = makeIxfrQuery(ORIGIN, soa(42), 0x1234);
    expect(query.question).toEqual([{ name: ORIGIN, type: RRTYPE.IXFR, class: 1 }]);
    expect(query.flags.rd).toBe(false);
    expect(query.id).toBe(0x1234);
    const back = decodeMessage(encodeMessage(query));
    expect(ixfrQuerySerial(back)).toBe(42);
  });

  it('finds no serial without an SOA of the zone', () => {
    const plain = makeQuery(ORIGIN, RRTYPE.IXFR, { id: 1 });
    expect(ixfrQuerySerial(plain)).toBeUndefined();
    const other = makeIxfrQuery(ORIGIN, soa(7, Name.fromText('example.org.')), 1);
    expect(ixfrQuerySerial(other)).toBeUndefined();
    const noQuestion = { ...makeIxfrQuery(ORIGIN, soa(7), 1), question: [] };
    expect(ixfrQuerySerial(noQuestion)).toBeUndefined();
    // The zone's name in any case.
    expect(ixfrQuerySerial(makeIxfrQuery(Name.fromText('EXAMPLE.COM.'), soa(9), 1))).toBe(9);
  });
});
