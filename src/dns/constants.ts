/**
 * DNS numbers and their mnemonics (IANA's DNS parameters registry): record types, classes,
 * opcodes and response codes, both ways, with the RFC 3597 `TYPE123` / `CLASS123` forms for
 * numbers without a name.
 */
import { DnsTextError } from './errors.js';

/** Record types by mnemonic, as IANA lists them (meta types included). */
export const RRTYPE = {
  A: 1,
  NS: 2,
  MD: 3,
  MF: 4,
  CNAME: 5,
  SOA: 6,
  MB: 7,
  MG: 8,
  MR: 9,
  NULL: 10,
  WKS: 11,
  PTR: 12,
  HINFO: 13,
  MINFO: 14,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  X25: 19,
  ISDN: 20,
  RT: 21,
  NSAP: 22,
  'NSAP-PTR': 23,
  SIG: 24,
  KEY: 25,
  PX: 26,
  GPOS: 27,
  AAAA: 28,
  LOC: 29,
  NXT: 30,
  EID: 31,
  NIMLOC: 32,
  SRV: 33,
  ATMA: 34,
  NAPTR: 35,
  KX: 36,
  CERT: 37,
  A6: 38,
  DNAME: 39,
  SINK: 40,
  OPT: 41,
  APL: 42,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SMIMEA: 53,
  HIP: 55,
  NINFO: 56,
  RKEY: 57,
  TALINK: 58,
  CDS: 59,
  CDNSKEY: 60,
  OPENPGPKEY: 61,
  CSYNC: 62,
  ZONEMD: 63,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  UINFO: 100,
  UID: 101,
  GID: 102,
  UNSPEC: 103,
  NID: 104,
  L32: 105,
  L64: 106,
  LP: 107,
  EUI48: 108,
  EUI64: 109,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
  URI: 256,
  CAA: 257,
  AVC: 258,
  DOA: 259,
  AMTRELAY: 260,
  TA: 32768,
  DLV: 32769,
} as const;

export type RRTypeName = keyof typeof RRTYPE;

export const RRCLASS = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;

export const OPCODE = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5, DSO: 6 } as const;

/** Response codes; 16 and above need EDNS (the OPT record holds the upper 8 bits). */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  DSOTYPENI: 11,
  BADVERS: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADMODE: 19,
  BADNAME: 20,
  BADALG: 21,
  BADTRUNC: 22,
  BADCOOKIE: 23,
} as const;

function invert(table: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(table).map(([name, value]) => [value, name]));
}

const TYPE_NAMES = invert(RRTYPE);
const CLASS_NAMES = invert(RRCLASS);
const OPCODE_NAMES = invert(OPCODE);
const RCODE_NAMES = invert(RCODE);

/** `MX`, or `TYPE65280` for a type without a mnemonic (RFC 3597 §5). */
export function typeToText(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE${type}`;
}

/** `IN`, or `CLASS32` (RFC 3597 §5). */
export function classToText(rrclass: number): string {
  return CLASS_NAMES.get(rrclass) ?? `CLASS${rrclass}`;
}

export function opcodeToText(opcode: number): string {
  return OPCODE_NAMES.get(opcode) ?? `OPCODE${opcode}`;
}

export function rcodeToText(rcode: number): string {
  return RCODE_NAMES.get(rcode) ?? `RCODE${rcode}`;
}

function fromText(
  text: string,
  table: Record<string, number>,
  prefix: string,
  max: number,
  what: string,
): number | undefined {
  const upper = text.toUpperCase();
  if (Object.hasOwn(table, upper)) return table[upper];
  if (upper.startsWith(prefix)) {
    const digits = upper.slice(prefix.length);
    if (/^\d{1,5}$/.test(digits)) {
      const value = Number(digits);
      if (value <= max) return value;
    }
    throw new DnsTextError(`${what} ${JSON.stringify(text)} is out of range (0 to ${max})`);
  }
  return undefined;
}

/** `mx` or `TYPE15` → 15; undefined when `text` is not a type. */
export function parseType(text: string): number | undefined {
  return fromText(text, RRTYPE, 'TYPE', 0xffff, 'type');
}

/** `IN` or `CLASS1` → 1; undefined when `text` is not a class. */
export function parseClass(text: string): number | undefined {
  return fromText(text, RRCLASS, 'CLASS', 0xffff, 'class');
}

/** A type that must be known: throws DnsTextError otherwise. */
export function requireType(text: string): number {
  const type = parseType(text);
  if (type === undefined) throw new DnsTextError(`unknown record type ${JSON.stringify(text)}`);
  return type;
}

export function parseRcode(text: string): number | undefined {
  return fromText(text, RCODE, 'RCODE', 0xfff, 'rcode');
}

export function parseOpcode(text: string): number | undefined {
  return fromText(text, OPCODE, 'OPCODE', 15, 'opcode');
}
