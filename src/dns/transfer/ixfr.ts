/**
 * Incremental zone transfer (IXFR, RFC 1995) on the primary's side, and the query a secondary
 * sends: the pure parts, with no transport.
 */
import { RRCLASS, RRTYPE } from '../constants.js';
import { type Message, makeQuery } from '../message.js';
import type { Name } from '../name.js';
import type { SoaRdata } from '../rdata/types.js';
import type { ResourceRecord } from '../record.js';
import type { ZoneDelta } from './diff.js';

/**
 * The answer records of an IXFR response (RFC 1995 §4): the current SOA, then for each delta
 * its fromSoa, its deleted records, its toSoa, its added records; then the current SOA again.
 * With no deltas (the client is current): the current SOA alone.
 */
export function ixfrRecords(
  currentSoa: ResourceRecord<SoaRdata>,
  deltas: readonly ZoneDelta[],
): ResourceRecord[] {
  if (deltas.length === 0) return [currentSoa];
  const records: ResourceRecord[] = [currentSoa];
  for (const delta of deltas) {
    records.push(delta.fromSoa);
    for (const record of delta.deleted) records.push(record);
    records.push(delta.toSoa);
    for (const record of delta.added) records.push(record);
  }
  records.push(currentSoa);
  return records;
}

/**
 * The serial in an IXFR query's authority section SOA (RFC 1995 §3), or undefined when
 * missing/not an SOA of the zone.
 */
export function ixfrQuerySerial(query: Message): number | undefined {
  const zone = query.question[0]?.name;
  if (zone === undefined) return undefined;
  const soa = query.authority.find((record) => record.type === RRTYPE.SOA && record.name.equals(zone));
  return soa === undefined ? undefined : (soa.data as SoaRdata).serial;
}

/**
 * Builds the IXFR query message for a client: question (origin, IXFR, IN), authority = [soa of
 * the client's version] (RFC 1995 §3).
 */
export function makeIxfrQuery(origin: Name, soa: ResourceRecord<SoaRdata>, id: number): Message {
  const query = makeQuery(origin, RRTYPE.IXFR, { id, rd: false, class: RRCLASS.IN });
  query.authority = [soa];
  return query;
}
