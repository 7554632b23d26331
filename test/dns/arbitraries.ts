/**
 * fast-check arbitraries for DNS names and the basic record types (src/dns/rdata/basic.ts),
 * for property and differential tests here and at the message level. Every value they give is
 * valid: it encodes, and survives encode→decode and toText→fromText unchanged.
 *
 * `ascii: true` keeps to what simpler peers (dns-packet) can represent: names of
 * letters, digits, `-` and `_`; strings of printable ASCII.
 */
import fc from 'fast-check';
import { formatIPv4 } from '../../src/core/ip.js';
import { RRCLASS, RRTYPE } from '../../src/dns/constants.js';
import { MAX_NAME_BYTES, Name } from '../../src/dns/name.js';
import { formatAaaa } from '../../src/dns/rdata/address.js';
import type {
  AddressRdata,
  CaaRdata,
  HinfoRdata,
  MxRdata,
  NameRdata,
  NaptrRdata,
  Rdata,
  SoaRdata,
  SrvRdata,
  TxtRdata,
} from '../../src/dns/rdata/types.js';
import {
  decodeRdata,
  type ResourceRecord,
  rdataBytes,
  rdataFromText,
  rdataToText,
} from '../../src/dns/record.js';
import { fromHex, toHex } from '../../src/dns/text.js';
import { WireReader } from '../../src/dns/wire.js';
import '../../src/dns/rdata/all.js';

export interface ArbitraryOptions {
  /** Hostname-like names and printable-ASCII strings only (see the module comment). */
  ascii?: boolean;
}

/** The types src/dns/rdata/basic.ts registers. */
export const BASIC_TYPES = [
  RRTYPE.A,
  RRTYPE.AAAA,
  RRTYPE.NS,
  RRTYPE.CNAME,
  RRTYPE.DNAME,
  RRTYPE.PTR,
  RRTYPE.SOA,
  RRTYPE.MX,
  RRTYPE.TXT,
  RRTYPE.SPF,
  RRTYPE.SRV,
  RRTYPE.NAPTR,
  RRTYPE.CAA,
  RRTYPE.HINFO,
] as const;

const HOST_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const encoder = new TextEncoder();

function chars(alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
}

/** One label: hostname-like mostly, any bytes (dots, spaces, `\`, 0x00, 0xff...) otherwise. */
export function arbitraryLabel(options: ArbitraryOptions = {}): fc.Arbitrary<Uint8Array> {
  const host = chars(HOST_CHARS, 1, 63).map((text) => encoder.encode(text));
  if (options.ascii) return host;
  return fc.oneof(
    { weight: 3, arbitrary: host },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 63 }) },
  );
}

/** An absolute name of at most 255 bytes on the wire (the root now and then). */
export function arbitraryName(options: ArbitraryOptions = {}): fc.Arbitrary<Name> {
  return fc
    .oneof(
      { weight: 8, arbitrary: fc.array(arbitraryLabel(options), { minLength: 1, maxLength: 5 }) },
      // Long names, up to the 255-byte limit.
      { weight: 1, arbitrary: fc.array(arbitraryLabel(options), { minLength: 4, maxLength: 10 }) },
      { weight: 1, arbitrary: fc.constant([] as Uint8Array[]) },
    )
    .map((labels) => {
      const kept: Uint8Array[] = [];
      let size = 1;
      for (const label of labels) {
        if (size + label.length + 1 > MAX_NAME_BYTES) break;
        kept.push(label);
        size += label.length + 1;
      }
      return Name.fromLabels(kept);
    });
}

/** A <character-string>'s bytes: 0 to 255 of them. */
export function arbitraryString(options: ArbitraryOptions = {}, maxLength = 255): fc.Arbitrary<Uint8Array> {
  const printable = fc
    .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength })
    .map((text) => encoder.encode(text));
  if (options.ascii) return printable;
  return fc.oneof(printable, fc.uint8Array({ maxLength }));
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

function nameRdata(options: ArbitraryOptions): fc.Arbitrary<NameRdata> {
  return arbitraryName(options).map((target) => ({ target }));
}

function txtRdata(options: ArbitraryOptions): fc.Arbitrary<TxtRdata> {
  return fc
    .array(
      arbitraryString(options, 300).map((bytes) => bytes.slice(0, 255)),
      { minLength: 1, maxLength: 5 },
    )
    .map((strings) => ({ strings }));
}

function ipv6Bytes(): fc.Arbitrary<Uint8Array> {
  // Groups of zeros often, so `::` lands everywhere; the IPv4-mapped and -compatible forms too.
  const group = fc.oneof(fc.constant(0), fc.constant(0xffff), u16);
  const groups = fc.array(group, { minLength: 8, maxLength: 8 }).map((list) => {
    const bytes = new Uint8Array(16);
    list.forEach((value, i) => {
      bytes[2 * i] = value >> 8;
      bytes[2 * i + 1] = value & 0xff;
    });
    return bytes;
  });
  const embedded = fc
    .tuple(fc.boolean(), fc.uint8Array({ minLength: 4, maxLength: 4 }))
    .map(([mapped, v4]) =>
      Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, mapped ? 0xff : 0, mapped ? 0xff : 0, ...v4]),
    );
  return fc.oneof({ weight: 4, arbitrary: groups }, { weight: 1, arbitrary: embedded });
}

/** An arbitrary valid rdata of one of the basic types. */
export function arbitraryRdata(type: number, options: ArbitraryOptions = {}): fc.Arbitrary<Rdata> {
  const name = arbitraryName(options);
  const string = arbitraryString(options);
  switch (type) {
    case RRTYPE.A:
      return fc
        .uint8Array({ minLength: 4, maxLength: 4 })
        .map((bytes): AddressRdata => ({ address: formatIPv4(bytes) }));
    case RRTYPE.AAAA:
      return ipv6Bytes().map((bytes): AddressRdata => ({ address: formatAaaa(bytes) }));
    case RRTYPE.NS:
    case RRTYPE.CNAME:
    case RRTYPE.DNAME:
    case RRTYPE.PTR:
      return nameRdata(options);
    case RRTYPE.SOA:
      return fc.tuple(name, name, u32, u32, u32, u32, u32).map(
        ([mname, rname, serial, refresh, retry, expire, minimum]): SoaRdata => ({
          mname,
          rname,
          serial,
          refresh,
          retry,
          expire,
          minimum,
        }),
      );
    case RRTYPE.MX:
      return fc.tuple(u16, name).map(([preference, exchange]): MxRdata => ({ preference, exchange }));
    case RRTYPE.TXT:
    case RRTYPE.SPF:
      return txtRdata(options);
    case RRTYPE.SRV:
      return fc
        .tuple(u16, u16, u16, name)
        .map(([priority, weight, port, target]): SrvRdata => ({ priority, weight, port, target }));
    case RRTYPE.NAPTR:
      return fc.tuple(u16, u16, string, string, string, name).map(
        ([order, preference, flags, services, regexp, replacement]): NaptrRdata => ({
          order,
          preference,
          flags,
          services,
          regexp,
          replacement,
        }),
      );
    case RRTYPE.CAA:
      return fc
        .tuple(
          fc.oneof(fc.constantFrom(0, 128), fc.integer({ min: 0, max: 255 })),
          fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom('issue', 'issuewild', 'iodef', 'issuemail', 'tbs') },
            { weight: 2, arbitrary: chars(ALNUM, 1, 16) },
            { weight: 1, arbitrary: chars(ALNUM, 200, 255) },
          ),
          arbitraryString(options, 400),
        )
        .map(([flags, tag, value]): CaaRdata => ({ flags, tag, value }));
    case RRTYPE.HINFO:
      return fc.tuple(string, string).map(([cpu, os]): HinfoRdata => ({ cpu, os }));
    default:
      throw new Error(`no arbitrary for type ${type}`);
  }
}

/** A record of any basic type, class IN, TTL 0 to 2^31-1 (RFC 2181 §8). */
export function arbitraryRecord(options: ArbitraryOptions = {}): fc.Arbitrary<ResourceRecord> {
  return fc.constantFrom(...BASIC_TYPES).chain((type) =>
    fc.record({
      name: arbitraryName(options),
      type: fc.constant<number>(type),
      class: fc.constant<number>(RRCLASS.IN),
      ttl: fc.integer({ min: 0, max: 0x7fffffff }),
      data: arbitraryRdata(type, options),
    }),
  );
}

// Codec shorthands for tests of rdata on its own.

export function hex(bytes: Uint8Array): string {
  return toHex(bytes).toLowerCase();
}

export function bytesOf(hexText: string): Uint8Array {
  return fromHex(hexText, 'test vector');
}

/** The rdata's wire bytes, uncompressed. */
export function encode(type: number, data: Rdata): Uint8Array {
  return rdataBytes(type, data);
}

/** Decodes rdata standing alone (no message around it). */
export function decode(type: number, bytes: Uint8Array): Rdata {
  return decodeRdata(type, new WireReader(bytes));
}

export function toText(type: number, data: Rdata): string {
  return rdataToText(type, data);
}

export function fromText(type: number, text: string, origin?: Name): Rdata {
  return rdataFromText(type, text, origin);
}

/**
 * A form of rdata to compare with toEqual: each Name as its exact text (Name objects cache
 * their text and key lazily, so two equal names need not be deep-equal objects).
 */
export function plain(data: Rdata): unknown {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      value instanceof Name
        ? `name:${value.toText()}`
        : Array.isArray(value)
          ? value.map((item) => hex(item as Uint8Array))
          : value instanceof Uint8Array
            ? `bytes:${hex(value)}`
            : value,
    ]),
  );
}
