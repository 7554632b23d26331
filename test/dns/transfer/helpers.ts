/**
 * Shared pieces of the zone replication tests: an origin, SOAs by serial, records from text,
 * small random zones under one origin, and transfer responses split into messages.
 */
import fc from 'fast-check';
import { RCODE } from '../../../src/dns/constants.js';
import { emptyFlags, type Message } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import type { SoaRdata } from '../../../src/dns/rdata/types.js';
import { type ResourceRecord, rdataBytes, recordFromText, recordToText } from '../../../src/dns/record.js';
import type { ZoneDelta } from '../../../src/dns/transfer/diff.js';
import { Zone } from '../../../src/dns/zone/zone.js';
import { hex } from '../arbitraries.js';

export const ORIGIN = Name.fromText('example.com.');

export function soa(serial: number, origin = ORIGIN): ResourceRecord<SoaRdata> {
  return recordFromText(`@ 3600 IN SOA ns1 hostmaster ${serial >>> 0} 7200 3600 1209600 300`, {
    origin,
  }) as ResourceRecord<SoaRdata>;
}

/** Records from presentation lines, relative to `origin`. */
export function records(text: string, origin = ORIGIN): ResourceRecord[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => recordFromText(line, { origin }));
}

export function zoneOf(serial: number, text: string, origin = ORIGIN): Zone {
  return Zone.fromRecords(origin, [soa(serial, origin), ...records(text, origin)]);
}

/** A record as a comparable row: owner ignoring case, type, class, TTL, rdata. */
export function row(record: ResourceRecord): string {
  return `${record.name.key()} ${record.type} ${record.class} ${record.ttl} ${hex(rdataBytes(record.type, record.data))}`;
}

/** Records as a sorted list of rows, duplicates kept (a doubled record shows). */
export function rows(list: readonly ResourceRecord[]): string[] {
  return list.map(row).sort();
}

const OWNERS = ['@', 'www', 'WWW', 'mail', 'a.b', 'b', 'x.y.z', '*.w'];
const LINES = [
  (n: number) => `A 192.0.2.${n % 8}`,
  (n: number) => `AAAA 2001:db8::${n % 5}`,
  (n: number) => `TXT "v${n % 6}"`,
  (n: number) => `MX ${n % 3} mx${n % 2}`,
  (n: number) => `NS ns${n % 3}.example.net.`,
];
const TTLS = [60, 300, 3600];

/** A small random record set under ORIGIN (no SOA, no CNAME), drawn from a pool so versions overlap. */
export function arbitraryZoneLines(): fc.Arbitrary<string[]> {
  return fc.array(
    fc
      .tuple(fc.nat(OWNERS.length - 1), fc.nat(LINES.length - 1), fc.nat(15), fc.nat(TTLS.length - 1))
      .map(([owner, line, n, ttl]) => `${OWNERS[owner]} ${TTLS[ttl]} IN ${LINES[line]!(n)}`),
    { maxLength: 25 },
  );
}

/** A random zone at `serial`. */
export function arbitraryZone(serial: number): fc.Arbitrary<Zone> {
  return arbitraryZoneLines().map((lines) => zoneOf(serial, lines.join('\n')));
}

/** One response message holding `answer`. */
export function response(answer: ResourceRecord[], rcode: number = RCODE.NOERROR): Message {
  return {
    id: 1,
    opcode: 0,
    rcode,
    flags: { ...emptyFlags(), qr: true, aa: true },
    question: [],
    answer,
    authority: [],
    additional: [],
  };
}

/** `list` cut into messages before each index of `cuts` (sorted, deduplicated, empty parts dropped). */
export function split(list: readonly ResourceRecord[], cuts: readonly number[]): Message[] {
  const at = [...new Set(cuts.filter((cut) => cut > 0 && cut < list.length))].sort((a, b) => a - b);
  const bounds = [0, ...at, list.length];
  const messages: Message[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) messages.push(response(list.slice(bounds[i], bounds[i + 1])));
  return messages;
}

/** Arbitrary cut points for a list of `length` records. */
export function arbitraryCuts(length: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: length });
}

/** A delta as text (Name objects cache keys lazily, so equal deltas need not be deep-equal). */
export function deltaText(delta: ZoneDelta): {
  from: string;
  to: string;
  deleted: string[];
  added: string[];
} {
  return {
    from: recordToText(delta.fromSoa),
    to: recordToText(delta.toSoa),
    deleted: delta.deleted.map(recordToText),
    added: delta.added.map(recordToText),
  };
}
