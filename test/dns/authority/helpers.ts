/**
 * Test helpers for the answer engine: zones from master files (read by the zone-file
 * parser), and a table runner that answers a query in-process and gives each section as
 * presentation text.
 */
import { readFileSync } from 'node:fs';
import { type AnswerOptions, type AnswerResult, answerQuery } from '../../../src/dns/authority/answer.js';
import { RCODE, rcodeToText } from '../../../src/dns/constants.js';
import { decodeMessage, encodeMessage, type Message, makeQuery } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import { type ResourceRecord, recordFromText, recordToText } from '../../../src/dns/record.js';
import { parseZone } from '../../../src/dns/zone/parse.js';
import { Zone, ZoneSet } from '../../../src/dns/zone/zone.js';
import { fixtureZones } from '../../helpers/dns-peers.js';

export const ZONE_DIR = new URL('./', import.meta.url);

/** The records of a zone file's text, read by the zone-file parser. */
export function recordsFromText(text: string, origin: string): ResourceRecord[] {
  return parseZone(text, { origin }).records;
}

export function zoneFromText(text: string, origin: string): Zone {
  return Zone.fromRecords(Name.fromText(origin), recordsFromText(text, origin));
}

export function readZoneText(file: string): string {
  return readFileSync(new URL(file, ZONE_DIR), 'utf8');
}

/** The test zones: auth.test. and the RFC 4592 §2.2.1 zone example. */
export const TEST_ZONES = [
  { origin: 'auth.test.', file: 'auth.test.zone' },
  { origin: 'example.', file: 'rfc4592.example.zone' },
] as const;

export function testZoneSet(): ZoneSet {
  return new ZoneSet(TEST_ZONES.map(({ origin, file }) => zoneFromText(readZoneText(file), origin)));
}

export interface Sections {
  rcode: string;
  aa: boolean;
  tc: boolean;
  answer: string[];
  authority: string[];
  additional: string[];
}

/** Records as text, names lower-cased (case is compared apart), sorted: sections compared as sets. */
export function sectionText(records: readonly ResourceRecord[]): string[] {
  return records.map((record) => canonicalText(record)).sort();
}

/** Names compare ignoring case (RFC 4343): the whole line is lower-cased, on both sides. */
export function canonicalText(record: ResourceRecord): string {
  return recordToText(record).toLowerCase();
}

/** Presentation records (absolute names) in the form sectionText gives. */
export function expected(lines: readonly string[]): string[] {
  return lines.map((line) => canonicalText(recordFromText(line))).sort();
}

export function sectionsOf(message: Message): Sections {
  return {
    rcode: rcodeToText(message.rcode),
    aa: message.flags.aa,
    tc: message.flags.tc,
    answer: sectionText(message.answer),
    authority: sectionText(message.authority),
    additional: sectionText(message.additional),
  };
}

/** Answers `query` in-process, then encodes with the result's size and decodes it back. */
export function answerWire(
  zones: ZoneSet,
  query: Message,
  options: AnswerOptions,
): { result: AnswerResult; reply: Message } {
  const result = answerQuery(zones, query, options);
  const bytes = encodeMessage(result.response, { maxSize: result.maxSize });
  return { result, reply: decodeMessage(bytes) };
}

export function ask(
  zones: ZoneSet,
  qname: string,
  qtype: string,
  options: Partial<AnswerOptions> & { edns?: boolean } = {},
): Sections {
  const query = makeQuery(Name.fromText(qname), qtype, { id: 4321, rd: false, edns: options.edns ?? true });
  return sectionsOf(answerWire(zones, query, { transport: 'udp', ...options }).reply);
}

export { RCODE };

/** The zones the differential tests serve (the fixtures and the test zones), for a peer and for us. */
export function peerTestZones(): { peerZones: { origin: string; text: string }[]; zones: ZoneSet } {
  const peerZones = [
    ...fixtureZones(),
    ...TEST_ZONES.map(({ origin, file }) => ({ origin, text: readZoneText(file) })),
  ];
  const zones = new ZoneSet();
  for (const { origin, text } of peerZones)
    zones.add(Zone.fromRecords(Name.fromText(origin), recordsFromText(text, origin)));
  return { peerZones, zones };
}
