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
import type { AddressRdata, MxRdata, NameRdata, SoaRdata, TxtRdata } from '../rdata/types.js';
import { type ResourceRecord, rdataBytes, rdataEqual } from '../record.js';
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
 *
 * RRset by RRset, through the zones' indexes: the common types are compared without encoding
 * them, and nothing is sorted but what changed.
 */
export function diffZones(from: Zone, to: Zone): ZoneDelta {
  const steps = diffZonesSteps(from, to);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** RRsets compared between two yields of diffZonesSteps. */
const RRSETS_PER_STEP = 4096;

/**
 * diffZones in steps: yields every few thousand RRsets, so that a server can answer queries
 * between them while it works out what a reload of a large zone changed.
 */
export function* diffZonesSteps(from: Zone, to: Zone): Generator<void, ZoneDelta, void> {
  const deleted: ResourceRecord[] = [];
  const added: ResourceRecord[] = [];
  let count = 0;
  for (const before of from.allRRsets()) {
    if (++count % RRSETS_PER_STEP === 0) yield;
    if (before.type === RRTYPE.SOA) continue;
    const after = to.sameRRset(before);
    if (!after) {
      deleted.push(...before.records);
      continue;
    }
    if (before.ttl !== after.ttl) {
      // Every record's TTL changed: all go, all come back (RFC 2181 §5.2: one TTL an RRset).
      deleted.push(...before.records);
      added.push(...after.records);
      continue;
    }
    if (before.records.length === 1 && after.records.length === 1) {
      const [a] = before.records;
      const [b] = after.records;
      if (!sameData(a!, b!)) {
        deleted.push(a!);
        added.push(b!);
      }
      continue;
    }
    const keysBefore = new Set(before.records.map(dataKey));
    const keysAfter = new Set(after.records.map(dataKey));
    for (const record of before.records) if (!keysAfter.has(dataKey(record))) deleted.push(record);
    for (const record of after.records) if (!keysBefore.has(dataKey(record))) added.push(record);
  }
  for (const after of to.allRRsets()) {
    if (++count % RRSETS_PER_STEP === 0) yield;
    if (after.type !== RRTYPE.SOA && !from.sameRRset(after)) added.push(...after.records);
  }
  return { fromSoa: from.soa, toSoa: to.soa, deleted: canonicalOrder(deleted), added: canonicalOrder(added) };
}

/**
 * Whether two records of one RRset have the same data (their wire forms are equal), without
 * encoding the common types: addresses are held in their one canonical text (RFC 5952 for
 * AAAA), names in wire form.
 */
function sameData(a: ResourceRecord, b: ResourceRecord): boolean {
  switch (a.type) {
    case RRTYPE.A:
    case RRTYPE.AAAA:
      // Equal text is equal data; unequal text may still be (records made by hand, not parsed).
      return (
        (a.data as AddressRdata).address === (b.data as AddressRdata).address ||
        rdataEqual(a.type, a.data, b.data)
      );
    case RRTYPE.NS:
    case RRTYPE.CNAME:
    case RRTYPE.PTR:
    case RRTYPE.DNAME:
      return bytesEqual((a.data as NameRdata).target.wire, (b.data as NameRdata).target.wire);
    case RRTYPE.MX: {
      const x = a.data as MxRdata;
      const y = b.data as MxRdata;
      return x.preference === y.preference && bytesEqual(x.exchange.wire, y.exchange.wire);
    }
    case RRTYPE.TXT:
    case RRTYPE.SPF: {
      const x = (a.data as TxtRdata).strings;
      const y = (b.data as TxtRdata).strings;
      return x.length === y.length && x.every((string, i) => bytesEqual(string, y[i]!));
    }
    default:
      return rdataEqual(a.type, a.data, b.data);
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function dataKey(record: ResourceRecord): string {
  return bytesKey(rdataBytes(record.type, record.data));
}

/** Owner (RFC 4034 §6.1), type, then rdata bytes (§6.3): how deltas are listed. */
function canonicalOrder(records: ResourceRecord[]): ResourceRecord[] {
  return records
    .map((record) => ({ record, data: rdataBytes(record.type, record.data) }))
    .sort(
      (a, b) =>
        a.record.name.compare(b.record.name) || a.record.type - b.record.type || compareBytes(a.data, b.data),
    )
    .map(({ record }) => record);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
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
