/**
 * Zone deltas: what changed from one version of a zone to the next, as IXFR carries it
 * (RFC 1995 §4): the SOA before and after, the records deleted, the records added.
 *
 * Records are the same when owner (ignoring case, RFC 4343), type, class and rdata bytes are:
 * the TTL is not part of a record's identity, so a record whose TTL alone changed is deleted
 * and added again (as BIND's ixfr-from-differences does), which is how a secondary learns the
 * new TTL.
 */
import { RRTYPE } from '../constants.js';
import type { SoaRdata } from '../rdata/types.js';
import { type ResourceRecord, rdataBytes } from '../record.js';
import type { Zone } from '../zone/zone.js';
import { DnsTransferError } from './errors.js';

export interface ZoneDelta {
  /** The SOA before (its serial is where the change starts) and after the change. */
  fromSoa: ResourceRecord<SoaRdata>;
  toSoa: ResourceRecord<SoaRdata>;
  /** Records removed and added, SOA excluded, canonical order (owner, type, rdata). */
  deleted: ResourceRecord[];
  added: ResourceRecord[];
}

/** A key equal for the same record (owner ignoring case, type, class, rdata bytes; not TTL). */
export function recordKey(record: ResourceRecord): string {
  return `${rrsetKey(record)}\u0000${bytesKey(rdataBytes(record.type, record.data))}`;
}

/** A key equal for records of one RRset (owner ignoring case, type, class). */
function rrsetKey(record: ResourceRecord): string {
  return `${record.name.key()}\u0000${record.type}\u0000${record.class}`;
}

function bytesKey(bytes: Uint8Array): string {
  // Chunks: String.fromCharCode takes its arguments on the stack.
  let key = '';
  for (let at = 0; at < bytes.length; at += 4096)
    key += String.fromCharCode(...bytes.subarray(at, Math.min(bytes.length, at + 4096)));
  return key;
}

/**
 * The change from one version of a zone to the next. Records compare by owner (ignoring case),
 * type, class and rdata bytes; a record whose only change is its TTL is deleted and added (as
 * BIND's ixfr-from-differences does).
 */
export function diffZones(from: Zone, to: Zone): ZoneDelta {
  const before = from.records().filter((record) => record.type !== RRTYPE.SOA);
  const after = to.records().filter((record) => record.type !== RRTYPE.SOA);
  const ttlsBefore = new Map<string, number>();
  for (const record of before) ttlsBefore.set(recordKey(record), record.ttl);
  const ttlsAfter = new Map<string, number>();
  for (const record of after) ttlsAfter.set(recordKey(record), record.ttl);
  // records() is in canonical order, and filtering keeps it.
  const deleted = before.filter((record) => ttlsAfter.get(recordKey(record)) !== record.ttl);
  const added = after.filter((record) => ttlsBefore.get(recordKey(record)) !== record.ttl);
  return { fromSoa: from.soa, toSoa: to.soa, deleted, added };
}

/**
 * Applies deltas, in order, to a zone's records (SOA included, as zone.records() gives): checks
 * each delta's fromSoa serial equals the current SOA serial, that every deleted record is
 * present (else DnsTransferError), then deletes, adds (an added record already present is not
 * doubled) and sets the SOA to toSoa. Returns the new record list (SOA first).
 *
 * Fast for a large zone and small deltas: only the RRsets the deltas touch are indexed by
 * record (rdata bytes are costly); every other record is passed through after one Set lookup.
 */
export function applyDeltas(
  records: readonly ResourceRecord[],
  deltas: readonly ZoneDelta[],
): ResourceRecord[] {
  // Owners first: most records are passed on after one lookup of their name's cached key.
  const touchedOwners = new Set<string>();
  const touched = new Set<string>();
  for (const delta of deltas) {
    for (const record of [...delta.deleted, ...delta.added]) {
      touchedOwners.add(record.name.key());
      touched.add(rrsetKey(record));
    }
  }
  let soa: ResourceRecord<SoaRdata> | undefined;
  const untouched: ResourceRecord[] = [];
  const indexed = new Map<string, ResourceRecord>();
  for (const record of records) {
    if (record.type === RRTYPE.SOA) {
      // One SOA a zone (Zone.fromRecords checks it); the first is the zone's.
      soa ??= record as ResourceRecord<SoaRdata>;
      continue;
    }
    if (touchedOwners.has(record.name.key()) && touched.has(rrsetKey(record)))
      indexed.set(recordKey(record), record);
    else untouched.push(record);
  }
  if (soa === undefined) throw new DnsTransferError('the records to apply deltas to have no SOA');
  for (const [index, delta] of deltas.entries()) {
    const current = soa.data.serial;
    if (delta.fromSoa.data.serial !== current)
      throw new DnsTransferError(
        `delta ${index + 1} starts at serial ${delta.fromSoa.data.serial}, the zone is at serial ${current}`,
        { details: { reason: 'serial-mismatch', serial: current, fromSerial: delta.fromSoa.data.serial } },
      );
    for (const record of delta.deleted) {
      const key = recordKey(record);
      if (!indexed.delete(key))
        throw new DnsTransferError(
          `delta ${index + 1} (serial ${current} to ${delta.toSoa.data.serial}) deletes ${record.name.toText()} type ${record.type}, which the zone does not hold`,
          { details: { reason: 'missing-record', owner: record.name.toText(), type: record.type } },
        );
    }
    // An added record already present replaces it: one copy, with the TTL the delta gives.
    for (const record of delta.added) indexed.set(recordKey(record), record);
    soa = delta.toSoa;
  }
  untouched.unshift(soa);
  for (const record of indexed.values()) untouched.push(record);
  return untouched;
}
