/**
 * EDNS(0) (RFC 6891): the OPT pseudo-record as a message-level value, and its options.
 *
 * A message holds `edns?: Edns` rather than an OPT record among its additional records: the
 * OPT record's class is the UDP payload size, its TTL the upper rcode bits, the version and
 * the flags (RFC 6891 §6.1.3), so message.ts writes and reads it itself. Options stay bytes
 * (`{ code, data }`, unknown ones too); the builders and readers below give the typed view of
 * the common ones, and validate what their RFCs require.
 *
 * Readers throw DnsDecodeError (a peer's fault) whose `offset` is counted from the start of the
 * option's data; builders throw DnsEncodeError (the caller's fault).
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../core/ip.js';
import { DnsDecodeError, DnsEncodeError } from './errors.js';

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

export interface Edns {
  /** The requestor's largest UDP payload (the OPT record's CLASS). */
  udpPayloadSize: number;
  /** EDNS version (0 is the only one defined). */
  version: number;
  /** The DO bit (RFC 3225): DNSSEC records wanted. */
  dnssecOk: boolean;
  /** The other 15 flag bits (Z), as a number below 0x8000; 0 unless an extension defines them. */
  flags: number;
  options: EdnsOption[];
}

/** EDNS option codes (IANA "DNS EDNS0 Option Codes"). */
export const EDNS_OPTION = {
  LLQ: 1,
  UL: 2,
  NSID: 3,
  DAU: 5,
  DHU: 6,
  N3U: 7,
  CLIENT_SUBNET: 8,
  EXPIRE: 9,
  COOKIE: 10,
  TCP_KEEPALIVE: 11,
  PADDING: 12,
  CHAIN: 13,
  KEY_TAG: 14,
  EDE: 15,
} as const;

/** The payload size DNS Flag Day 2020 recommends: no IP fragmentation on common paths. */
export const DEFAULT_UDP_PAYLOAD_SIZE = 1232;

/** The DO bit within the OPT record's 16 flag bits. */
export const EDNS_DO_BIT = 0x8000;

/** A plain EDNS(0) value with the given fields filled in. */
export function makeEdns(fields: Partial<Edns> = {}): Edns {
  return {
    udpPayloadSize: fields.udpPayloadSize ?? DEFAULT_UDP_PAYLOAD_SIZE,
    version: fields.version ?? 0,
    dnssecOk: fields.dnssecOk ?? false,
    flags: fields.flags ?? 0,
    options: fields.options ?? [],
  };
}

/** The first option with `code`, if any. */
export function findOption(edns: Edns | undefined, code: number): EdnsOption | undefined {
  return edns?.options.find((option) => option.code === code);
}

function fail(option: EdnsOption, message: string, offset = 0): never {
  throw new DnsDecodeError(`EDNS option ${option.code}: ${message}`, offset, {
    details: { option: option.code },
  });
}

function expectCode(option: EdnsOption, code: number, what: string): void {
  if (option.code !== code) throw new DnsEncodeError(`option ${option.code} is not ${what} (${code})`);
}

// NSID (RFC 5001): empty in a query; the server's identifier, opaque bytes, in a response.

export function nsidOption(id: Uint8Array | string = new Uint8Array(0)): EdnsOption {
  return {
    code: EDNS_OPTION.NSID,
    data: typeof id === 'string' ? new TextEncoder().encode(id) : id,
  };
}

export function readNsid(option: EdnsOption): Uint8Array {
  expectCode(option, EDNS_OPTION.NSID, 'NSID');
  return option.data;
}

// COOKIE (RFC 7873 §4): a client cookie of 8 bytes, then optionally a server cookie of 8 to 32.

export interface Cookie {
  client: Uint8Array;
  server?: Uint8Array;
}

export function cookieOption(cookie: Cookie): EdnsOption {
  if (cookie.client.length !== 8)
    throw new DnsEncodeError(`a client cookie is 8 bytes, not ${cookie.client.length}`);
  const server = cookie.server ?? new Uint8Array(0);
  if (cookie.server && (server.length < 8 || server.length > 32))
    throw new DnsEncodeError(`a server cookie is 8 to 32 bytes, not ${server.length}`);
  const data = new Uint8Array(8 + server.length);
  data.set(cookie.client, 0);
  data.set(server, 8);
  return { code: EDNS_OPTION.COOKIE, data };
}

export function readCookie(option: EdnsOption): Cookie {
  expectCode(option, EDNS_OPTION.COOKIE, 'COOKIE');
  const length = option.data.length;
  // RFC 7873 §5.2.2: any other length is FORMERR.
  if (length !== 8 && (length < 16 || length > 40))
    fail(option, `a cookie is 8 bytes, or 16 to 40 with a server cookie, not ${length}`);
  const client = option.data.slice(0, 8);
  return length === 8 ? { client } : { client, server: option.data.slice(8) };
}

// EDNS Client Subnet (RFC 7871 §6): family, source and scope prefix lengths, and the address
// cut to ceil(source / 8) bytes, with the bits past the source prefix zero.

export interface ClientSubnet {
  /** 1: IPv4, 2: IPv6 (IANA address family numbers). */
  family: 1 | 2;
  sourcePrefix: number;
  scopePrefix: number;
  /** The address, completed with zeros to a full IPv4 or IPv6 address, in text. */
  address: string;
}

export function clientSubnetOption(subnet: {
  address: string;
  sourcePrefix: number;
  scopePrefix?: number;
}): EdnsOption {
  const v4 = parseIPv4(subnet.address);
  const bytes = v4 ?? parseIPv6(subnet.address);
  if (!bytes) throw new DnsEncodeError(`${JSON.stringify(subnet.address)} is not an IPv4 or IPv6 address`);
  const family = v4 ? 1 : 2;
  const maxPrefix = bytes.length * 8;
  const scope = subnet.scopePrefix ?? 0;
  for (const [what, value] of [
    ['source prefix', subnet.sourcePrefix],
    ['scope prefix', scope],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > maxPrefix)
      throw new DnsEncodeError(`client subnet ${what} ${value} is not 0 to ${maxPrefix}`);
  }
  const kept = Math.ceil(subnet.sourcePrefix / 8);
  const data = new Uint8Array(4 + kept);
  data[0] = 0;
  data[1] = family;
  data[2] = subnet.sourcePrefix;
  data[3] = scope;
  data.set(bytes.subarray(0, kept), 4);
  if (subnet.sourcePrefix % 8 !== 0)
    data[3 + kept] = data[3 + kept]! & (0xff << (8 - (subnet.sourcePrefix % 8)));
  return { code: EDNS_OPTION.CLIENT_SUBNET, data };
}

export function readClientSubnet(option: EdnsOption): ClientSubnet {
  expectCode(option, EDNS_OPTION.CLIENT_SUBNET, 'CLIENT-SUBNET');
  const data = option.data;
  if (data.length < 4) fail(option, `client subnet needs at least 4 bytes, not ${data.length}`);
  const family = (data[0]! << 8) | data[1]!;
  if (family !== 1 && family !== 2) fail(option, `unknown client subnet family ${family}`);
  const size = family === 1 ? 4 : 16;
  const sourcePrefix = data[2]!;
  const scopePrefix = data[3]!;
  if (sourcePrefix > size * 8) fail(option, `source prefix ${sourcePrefix} is over ${size * 8}`, 2);
  if (scopePrefix > size * 8) fail(option, `scope prefix ${scopePrefix} is over ${size * 8}`, 3);
  const kept = Math.ceil(sourcePrefix / 8);
  if (data.length - 4 !== kept)
    fail(option, `a /${sourcePrefix} address takes ${kept} bytes, not ${data.length - 4}`, 4);
  if (sourcePrefix % 8 !== 0 && (data[3 + kept]! & (0xff >> (sourcePrefix % 8))) !== 0)
    fail(option, `address bits past the /${sourcePrefix} prefix are not zero`, 3 + kept);
  const bytes = new Uint8Array(size);
  bytes.set(data.subarray(4), 0);
  return {
    family,
    sourcePrefix,
    scopePrefix,
    address: family === 1 ? formatIPv4(bytes) : formatIPv6(bytes),
  };
}

// Padding (RFC 7830): zero bytes making the message a multiple of a block size.

export function paddingOption(length: number): EdnsOption {
  if (!Number.isInteger(length) || length < 0 || length > 0xffff)
    throw new DnsEncodeError(`padding length ${length} is not 0 to 65535`);
  return { code: EDNS_OPTION.PADDING, data: new Uint8Array(length) };
}

export function readPadding(option: EdnsOption): number {
  expectCode(option, EDNS_OPTION.PADDING, 'PADDING');
  return option.data.length;
}

/** The padding that brings a message of `size` bytes (without it) to a multiple of `block` (RFC 8467). */
export function paddingFor(size: number, block: number): EdnsOption {
  const withHeader = size + 4;
  return paddingOption((block - (withHeader % block)) % block);
}

// EXPIRE (RFC 7314): empty in a query; the zone's remaining expire time in seconds in a response.

export function expireOption(seconds?: number): EdnsOption {
  if (seconds === undefined) return { code: EDNS_OPTION.EXPIRE, data: new Uint8Array(0) };
  return { code: EDNS_OPTION.EXPIRE, data: u32Bytes(seconds, 'expire') };
}

export function readExpire(option: EdnsOption): number | undefined {
  expectCode(option, EDNS_OPTION.EXPIRE, 'EXPIRE');
  const data = option.data;
  if (data.length === 0) return undefined;
  if (data.length !== 4) fail(option, `EXPIRE is 0 or 4 bytes, not ${data.length}`);
  return ((data[0]! << 24) >>> 0) + ((data[1]! << 16) | (data[2]! << 8) | data[3]!);
}

// edns-tcp-keepalive (RFC 7828): empty in a query; an idle timeout in units of 100 ms in a response.

export function tcpKeepaliveOption(timeout?: number): EdnsOption {
  if (timeout === undefined) return { code: EDNS_OPTION.TCP_KEEPALIVE, data: new Uint8Array(0) };
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > 0xffff)
    throw new DnsEncodeError(`TCP keepalive timeout ${timeout} is not 0 to 65535 (units of 100 ms)`);
  return { code: EDNS_OPTION.TCP_KEEPALIVE, data: Uint8Array.of(timeout >> 8, timeout & 0xff) };
}

/** The timeout in units of 100 ms, or undefined when the option is empty. */
export function readTcpKeepalive(option: EdnsOption): number | undefined {
  expectCode(option, EDNS_OPTION.TCP_KEEPALIVE, 'TCP-KEEPALIVE');
  const data = option.data;
  if (data.length === 0) return undefined;
  if (data.length !== 2) fail(option, `TCP keepalive is 0 or 2 bytes, not ${data.length}`);
  return (data[0]! << 8) | data[1]!;
}

// Extended DNS Errors (RFC 8914 §2): an info code and optional UTF-8 text.

/** Info codes (IANA "Extended DNS Error Codes"), with the purpose text the registry gives. */
export const EDE_CODES: ReadonlyMap<number, string> = new Map([
  [0, 'Other Error'],
  [1, 'Unsupported DNSKEY Algorithm'],
  [2, 'Unsupported DS Digest Type'],
  [3, 'Stale Answer'],
  [4, 'Forged Answer'],
  [5, 'DNSSEC Indeterminate'],
  [6, 'DNSSEC Bogus'],
  [7, 'Signature Expired'],
  [8, 'Signature Not Yet Valid'],
  [9, 'DNSKEY Missing'],
  [10, 'RRSIGs Missing'],
  [11, 'No Zone Key Bit Set'],
  [12, 'NSEC Missing'],
  [13, 'Cached Error'],
  [14, 'Not Ready'],
  [15, 'Blocked'],
  [16, 'Censored'],
  [17, 'Filtered'],
  [18, 'Prohibited'],
  [19, 'Stale NXDOMAIN Answer'],
  [20, 'Not Authoritative'],
  [21, 'Not Supported'],
  [22, 'No Reachable Authority'],
  [23, 'Network Error'],
  [24, 'Invalid Data'],
]);

export interface ExtendedError {
  infoCode: number;
  /** Extra text for people (may be empty). */
  extraText: string;
}

export function edeOption(error: { infoCode: number; extraText?: string }): EdnsOption {
  if (!Number.isInteger(error.infoCode) || error.infoCode < 0 || error.infoCode > 0xffff)
    throw new DnsEncodeError(`extended error code ${error.infoCode} is not 0 to 65535`);
  const text = new TextEncoder().encode(error.extraText ?? '');
  const data = new Uint8Array(2 + text.length);
  data[0] = error.infoCode >> 8;
  data[1] = error.infoCode & 0xff;
  data.set(text, 2);
  return { code: EDNS_OPTION.EDE, data };
}

export function readExtendedError(option: EdnsOption): ExtendedError {
  expectCode(option, EDNS_OPTION.EDE, 'EDE');
  const data = option.data;
  if (data.length < 2) fail(option, `an extended error needs at least 2 bytes, not ${data.length}`);
  // RFC 8914 §2: the text "SHOULD NOT be null-terminated"; be lenient and drop a final NUL.
  let end = data.length;
  if (end > 2 && data[end - 1] === 0) end--;
  return {
    infoCode: (data[0]! << 8) | data[1]!,
    extraText: new TextDecoder().decode(data.subarray(2, end)),
  };
}

function u32Bytes(value: number, what: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new DnsEncodeError(`${what} ${value} is not 0 to 4294967295`);
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}
