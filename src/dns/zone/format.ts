/**
 * A zone in canonical order and form, for `netkit zone format` and for comparing zones:
 * owners in the canonical order of RFC 4034 §6.1, the SOA first at the apex (so a reader
 * without `$TTL` still finds its TTLs as BIND would), then types by number, then rdata by its
 * wire bytes (RFC 4034 §6.3); one record per line with absolute names and its TTL; identical
 * records once (as BIND and NSD load them). format(parse(format(x))) === format(x).
 */
import { RRTYPE } from '../constants.js';
import type { Name } from '../name.js';
import { type ResourceRecord, rdataBytes, recordToText } from '../record.js';

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Records in canonical order, duplicates removed. */
export function sortRecords(origin: Name, records: readonly ResourceRecord[]): ResourceRecord[] {
  const keyed = records.map((record) => ({ record, data: rdataBytes(record.type, record.data) }));
  const rank = (record: ResourceRecord) =>
    record.type === RRTYPE.SOA && record.name.equals(origin) ? -1 : record.type;
  keyed.sort(
    (a, b) =>
      a.record.name.compare(b.record.name) ||
      rank(a.record) - rank(b.record) ||
      a.record.class - b.record.class ||
      compareBytes(a.data, b.data),
  );
  const out: ResourceRecord[] = [];
  let last: (typeof keyed)[number] | undefined;
  for (const item of keyed) {
    const same =
      last !== undefined &&
      last.record.type === item.record.type &&
      last.record.class === item.record.class &&
      last.record.name.equals(item.record.name) &&
      compareBytes(last.data, item.data) === 0;
    if (!same) out.push(item.record);
    last = item;
  }
  return out;
}

/** The zone as text: an `$ORIGIN` and `$TTL` header (the SOA's TTL), then one record per line. */
export function formatZone(origin: Name, records: readonly ResourceRecord[]): string {
  const sorted = sortRecords(origin, records);
  const soa = sorted.find((record) => record.type === RRTYPE.SOA);
  const lines = [`$ORIGIN ${origin.toText()}`, `$TTL ${soa?.ttl ?? 3600}`];
  for (const record of sorted) lines.push(recordToText(record));
  return `${lines.join('\n')}\n`;
}
