/**
 * Shared pieces of the message tests: a comparable form of a message, random messages for
 * fast-check, and the golden captures.
 */
import fc from 'fast-check';
import { RRCLASS, RRTYPE } from '../../src/dns/constants.js';
import type { Edns, EdnsOption } from '../../src/dns/edns.js';
import type { Message } from '../../src/dns/message.js';
import { Name } from '../../src/dns/name.js';
import type { Rdata } from '../../src/dns/rdata/types.js';
import { type Question, type ResourceRecord, rdataBytes } from '../../src/dns/record.js';
import { toHex } from '../../src/dns/text.js';
import { type ArbitraryOptions, arbitraryName, arbitraryRecord } from './arbitraries.js';

export function hex(bytes: Uint8Array): string {
  return toHex(bytes).toLowerCase();
}

export function bytesOf(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

const LOWER = (byte: number) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/** The name with ASCII letters lower-cased. */
export function lowerName(name: Name): Name {
  return Name.fromCheckedWire(name.wire.map(LOWER), name.absolute);
}

function lowerData(data: Rdata): Rdata {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, value instanceof Name ? lowerName(value) : value]),
  ) as unknown as Rdata;
}

/**
 * A record as plain data: owner text, numbers, rdata as uncompressed wire hex; with `caseless`,
 * every name (owner and in the data) lower-cased first.
 */
export function plainRecord(record: ResourceRecord, caseless = false): string {
  const name = caseless ? lowerName(record.name) : record.name;
  const data = caseless ? lowerData(record.data) : record.data;
  return `${name.toText()} ${record.ttl} ${record.class} ${record.type} ${hex(rdataBytes(record.type, data))}`;
}

/** A message in a form toEqual can compare (Name objects cache text lazily). */
export function plainMessage(message: Message, caseless = false): unknown {
  const records = (list: ResourceRecord[]) => list.map((record) => plainRecord(record, caseless));
  return {
    ...message,
    question: message.question.map(
      (q) => `${(caseless ? lowerName(q.name) : q.name).toText()} ${q.class} ${q.type}`,
    ),
    answer: records(message.answer),
    authority: records(message.authority),
    additional: records(message.additional),
    edns: message.edns && {
      ...message.edns,
      options: message.edns.options.map((option) => `${option.code}:${hex(option.data)}`),
    },
  };
}

/** An A record built by hand (no codec needed). */
export function aRecord(name: string, address: string, ttl = 300): ResourceRecord {
  return { name: Name.fromText(name), type: RRTYPE.A, class: RRCLASS.IN, ttl, data: { address } };
}

/** A record of a type without a codec, its data as bytes (RFC 3597). */
export function unknownRecord(name: string, type: number, bytes: Uint8Array, ttl = 60): ResourceRecord {
  return { name: Name.fromText(name), type, class: RRCLASS.IN, ttl, data: { bytes } };
}

export const arbitraryQuestion = (options: ArbitraryOptions = {}): fc.Arbitrary<Question> =>
  fc.record({
    name: arbitraryName(options),
    type: fc.oneof(fc.constantFrom(1, 2, 5, 6, 15, 16, 28, 33, 255), fc.integer({ min: 0, max: 0xffff })),
    class: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 0xffff })),
  });

export const arbitraryOption: fc.Arbitrary<EdnsOption> = fc.record({
  code: fc.oneof(fc.constantFrom(3, 10, 12, 15, 65001), fc.integer({ min: 0, max: 0xffff })),
  data: fc.uint8Array({ maxLength: 40 }),
});

export const arbitraryEdns: fc.Arbitrary<Edns> = fc.record({
  udpPayloadSize: fc.oneof(fc.constantFrom(512, 1232, 4096), fc.integer({ min: 0, max: 0xffff })),
  version: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
  dnssecOk: fc.boolean(),
  flags: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0x7fff })),
  options: fc.array(arbitraryOption, { maxLength: 4 }),
});

/** A generic record of a type no codec knows (the registry's fallback). */
export const arbitraryUnknownRecord: fc.Arbitrary<ResourceRecord> = fc.record({
  name: arbitraryName(),
  type: fc.constantFrom(65280, 65534, 0xff00 + 7),
  class: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 0xffff })),
  ttl: fc.integer({ min: 0, max: 0xffffffff }),
  data: fc.uint8Array({ maxLength: 30 }).map((bytes) => ({ bytes })),
});

export interface ArbitraryMessageOptions extends ArbitraryOptions {
  /** Records of unknown types too (peers without RFC 3597 support leave them out). */
  unknown?: boolean;
  /** EDNS now and then (default true). */
  edns?: boolean;
  maxRecords?: number;
}

/** Header flags, every bit at random (QR as `qr` gives it). */
export function arbitraryFlags(qr: fc.Arbitrary<boolean> = fc.boolean()) {
  return fc.record({
    qr,
    aa: fc.boolean(),
    tc: fc.boolean(),
    rd: fc.boolean(),
    ra: fc.boolean(),
    ad: fc.boolean(),
    cd: fc.boolean(),
    z: fc.boolean(),
  });
}

export function arbitraryMessage(options: ArbitraryMessageOptions = {}): fc.Arbitrary<Message> {
  const max = options.maxRecords ?? 6;
  const record =
    options.unknown === false
      ? arbitraryRecord(options)
      : fc.oneof(
          { weight: 4, arbitrary: arbitraryRecord(options) },
          { weight: 1, arbitrary: arbitraryUnknownRecord },
        );
  const records = fc.array(record, { maxLength: max });
  return fc
    .record({
      id: fc.integer({ min: 0, max: 0xffff }),
      opcode: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })),
      rcode: fc.integer({ min: 0, max: 15 }),
      extended: fc.integer({ min: 0, max: 255 }),
      flags: arbitraryFlags(),
      question: fc.array(arbitraryQuestion(options), { maxLength: 2 }),
      answer: records,
      authority: records,
      additional: records,
      edns: options.edns === false ? fc.constant(undefined) : fc.option(arbitraryEdns, { nil: undefined }),
    })
    .map(({ extended, edns, ...rest }) => {
      const message: Message = { ...rest, rcode: edns ? (extended << 4) | rest.rcode : rest.rcode };
      if (edns) message.edns = edns;
      return message;
    });
}
