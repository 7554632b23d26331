/**
 * Differential tests of the basic record types against the npm package dns-packet (5.6): a
 * record encoded by one is decoded by the other and compared field by field, both ways.
 * dns-packet has no SPF codec, so SPF is not here.
 *
 * dns-packet's model is narrower than ours, so the data is kept to what it represents
 * (arbitraries with `ascii: true`): names are dotted strings with no escapes (a `.` or a
 * non-UTF-8 byte inside a label cannot be told apart), and HINFO, NAPTR and CAA strings are
 * JavaScript strings written as UTF-8. Where the two differ:
 * - AAAA text: dns-packet compresses the first run of zero groups, not the longest
 *   (`1::1:0:0:0:1` where RFC 5952 §4.2.3 wants `1:0:0:1::1`), and prints IPv4-mapped
 *   addresses in hex (`::ffff:102:304`, where RFC 5952 §5, dig and dnspython print
 *   `::ffff:1.2.3.4`). Addresses are compared as bytes.
 * - Names: dns-packet drops the final dot (`example.com`; the root is `.`).
 * - CAA: dns-packet adds `issuerCritical` (flags bit 128) when decoding.
 */
import dnsPacket, { type Answer } from 'dns-packet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIPv6 } from '../../src/core/ip.js';
import { RRTYPE, typeToText } from '../../src/dns/constants.js';
import { Name } from '../../src/dns/name.js';
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
import { decodeRecord, encodeRecord } from '../../src/dns/record.js';
import { WireReader, WireWriter } from '../../src/dns/wire.js';
import { arbitraryName, arbitraryRdata, BASIC_TYPES, hex, plain } from './arbitraries.js';

const HEADER_BYTES = 12;
const TYPES = BASIC_TYPES.filter((type) => type !== RRTYPE.SPF);
const utf8 = new TextDecoder();
const bytes = (text: string) => new TextEncoder().encode(text);

/** Our name as dns-packet writes names. */
function packetName(name: Name): string {
  return name.isRoot() ? '.' : name.toText().slice(0, -1);
}

function fromPacketName(text: string): Name {
  return Name.fromText(text === '.' ? '.' : `${text}.`);
}

/** Our data as dns-packet's `data` for the type. */
function toPacket(type: number, data: Rdata): unknown {
  switch (type) {
    case RRTYPE.A:
    case RRTYPE.AAAA:
      return (data as AddressRdata).address;
    case RRTYPE.NS:
    case RRTYPE.CNAME:
    case RRTYPE.DNAME:
    case RRTYPE.PTR:
      return packetName((data as NameRdata).target);
    case RRTYPE.SOA: {
      const soa = data as SoaRdata;
      return { ...soa, mname: packetName(soa.mname), rname: packetName(soa.rname) };
    }
    case RRTYPE.MX: {
      const mx = data as MxRdata;
      return { preference: mx.preference, exchange: packetName(mx.exchange) };
    }
    case RRTYPE.TXT:
      return (data as TxtRdata).strings.map((item) => Buffer.from(item));
    case RRTYPE.SRV: {
      const srv = data as SrvRdata;
      return { ...srv, target: packetName(srv.target) };
    }
    case RRTYPE.NAPTR: {
      const naptr = data as NaptrRdata;
      return {
        order: naptr.order,
        preference: naptr.preference,
        flags: utf8.decode(naptr.flags),
        services: utf8.decode(naptr.services),
        regexp: utf8.decode(naptr.regexp),
        replacement: packetName(naptr.replacement),
      };
    }
    case RRTYPE.CAA: {
      const caa = data as CaaRdata;
      return { flags: caa.flags, tag: caa.tag, value: utf8.decode(caa.value) };
    }
    case RRTYPE.HINFO: {
      const hinfo = data as HinfoRdata;
      return { cpu: utf8.decode(hinfo.cpu), os: utf8.decode(hinfo.os) };
    }
    default:
      throw new Error(`no dns-packet form for ${typeToText(type)}`);
  }
}

/** dns-packet's decoded `data` as our data (the inverse of toPacket). */
// biome-ignore lint/suspicious/noExplicitAny: dns-packet's decoded data is untyped per record type.
function fromPacket(type: number, data: any): Rdata {
  switch (type) {
    case RRTYPE.A:
      return { address: data };
    case RRTYPE.AAAA:
      // Compared as bytes: see the module comment.
      return { address: hex(parseIPv6(data)!) };
    case RRTYPE.NS:
    case RRTYPE.CNAME:
    case RRTYPE.DNAME:
    case RRTYPE.PTR:
      return { target: fromPacketName(data) };
    case RRTYPE.SOA:
      return { ...data, mname: fromPacketName(data.mname), rname: fromPacketName(data.rname) };
    case RRTYPE.MX:
      return { preference: data.preference, exchange: fromPacketName(data.exchange) };
    case RRTYPE.TXT:
      return { strings: (data as Buffer[]).map((item) => new Uint8Array(item)) };
    case RRTYPE.SRV:
      return { ...data, target: fromPacketName(data.target) };
    case RRTYPE.NAPTR:
      return {
        order: data.order,
        preference: data.preference,
        flags: bytes(data.flags),
        services: bytes(data.services),
        regexp: bytes(data.regexp),
        replacement: fromPacketName(data.replacement),
      };
    case RRTYPE.CAA:
      expect(data.issuerCritical).toBe((data.flags & 128) !== 0);
      return { flags: data.flags, tag: data.tag, value: bytes(data.value) };
    case RRTYPE.HINFO:
      return { cpu: bytes(data.cpu), os: bytes(data.os) };
    default:
      throw new Error(`no dns-packet form for ${typeToText(type)}`);
  }
}

/** Our data in the form fromPacket gives (AAAA as bytes). */
function comparable(type: number, data: Rdata): unknown {
  if (type === RRTYPE.AAAA) return { address: hex(parseIPv6((data as AddressRdata).address)!) };
  return plain(data);
}

const arbitraryCase = (type: number) =>
  fc.record({
    owner: arbitraryName({ ascii: true }),
    ttl: fc.integer({ min: 0, max: 0x7fffffff }),
    data: arbitraryRdata(type, { ascii: true }),
  });

describe('basic record types against dns-packet', () => {
  for (const type of TYPES) {
    const mnemonic = typeToText(type);

    it(`${mnemonic}: we decode what dns-packet encodes`, () => {
      fc.assert(
        fc.property(arbitraryCase(type), ({ owner, ttl, data }) => {
          const wire = dnsPacket.encode({
            type: 'response',
            answers: [
              {
                name: packetName(owner),
                type: mnemonic,
                class: 'IN',
                ttl,
                data: toPacket(type, data),
              } as Answer,
            ],
          });
          // The record follows the 12-byte header (no question).
          const reader = new WireReader(new Uint8Array(wire), HEADER_BYTES);
          const record = decodeRecord(reader);
          expect(reader.atEnd()).toBe(true);
          expect(record.name.toText()).toBe(owner.toText());
          expect([record.type, record.class, record.ttl]).toEqual([type, 1, ttl]);
          expect(plain(record.data)).toEqual(plain(data));
        }),
        { numRuns: 200 },
      );
    });

    it(`${mnemonic}: dns-packet decodes what we encode`, () => {
      fc.assert(
        fc.property(arbitraryCase(type), ({ owner, ttl, data }) => {
          const writer = new WireWriter(true);
          // A response header with one answer (RFC 1035 §4.1.1), then the record.
          for (const field of [0, 0x8000, 0, 1, 0, 0]) writer.u16(field);
          encodeRecord(writer, { name: owner, type, class: 1, ttl, data });
          const packet = dnsPacket.decode(Buffer.from(writer.finish()));
          expect(packet.answers).toHaveLength(1);
          // biome-ignore lint/suspicious/noExplicitAny: dns-packet's answer types do not cover every field.
          const answer = packet.answers![0] as any;
          expect(answer.name).toBe(packetName(owner));
          expect([answer.type, answer.class, answer.ttl]).toEqual([mnemonic, 'IN', ttl]);
          expect(plain(fromPacket(type, answer.data))).toEqual(comparable(type, data));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('prints AAAA differently (first zero run, no mixed notation), on the same bytes', () => {
    const roundTrip = (address: string) =>
      (
        dnsPacket.decode(
          dnsPacket.encode({
            type: 'response',
            answers: [{ name: 'x', type: 'AAAA', ttl: 1, data: address }],
          }),
        ).answers![0] as { data: string }
      ).data;
    expect(roundTrip('1:0:0:1::1')).toBe('1::1:0:0:0:1');
    expect(roundTrip('::ffff:1.2.3.4')).toBe('::ffff:102:304');
  });
});
