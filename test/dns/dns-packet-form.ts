/**
 * Our record data in the form of the npm package dns-packet (5.6), and back, for the
 * differential tests. dns-packet writes names without the final dot (the root as `.`, and
 * reads '' as the root), character-strings of TXT as Buffers, those of HINFO, NAPTR and CAA as
 * JavaScript strings (UTF-8 on the wire), and AAAA in its own text form (compare as bytes).
 */
import { parseIPv6 } from '../../src/core/ip.js';
import { RRTYPE, typeToText } from '../../src/dns/constants.js';
import { Name } from '../../src/dns/name.js';
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

const utf8 = new TextDecoder();
const bytes = (text: string) => new TextEncoder().encode(text);

export const packetName = (name: Name): string => (name.isRoot() ? '.' : name.toText().slice(0, -1));
export const fromPacketName = (text: string): Name =>
  Name.fromText(text === '.' || text === '' ? '.' : `${text}.`);

/** Our data as dns-packet's `data` for the type. */
export function toPacketData(type: number, data: Rdata): unknown {
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

/** dns-packet's decoded `data` as our data (the inverse of toPacketData; AAAA in RFC 5952 form). */
// biome-ignore lint/suspicious/noExplicitAny: dns-packet's decoded data is untyped per record type.
export function fromPacketData(type: number, data: any): Rdata {
  switch (type) {
    case RRTYPE.A:
      return { address: data };
    case RRTYPE.AAAA:
      return { address: formatAaaa(parseIPv6(data)!) };
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
      return {
        priority: data.priority,
        weight: data.weight,
        port: data.port,
        target: fromPacketName(data.target),
      };
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
      return { flags: data.flags, tag: data.tag, value: bytes(data.value) };
    case RRTYPE.HINFO:
      return { cpu: bytes(data.cpu), os: bytes(data.os) };
    default:
      throw new Error(`no dns-packet form for ${typeToText(type)}`);
  }
}
