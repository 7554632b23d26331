/**
 * What each record type's data is, once decoded: plain objects with the fields their RFCs
 * name (as dnspython names them where it can). Names are Name, addresses strings in their
 * canonical text form (RFC 5952 for IPv6), opaque fields bytes.
 */
import type { Name } from '../name.js';
import type { TsigRdata } from './tsig.js';

export interface AddressRdata {
  /** A: dotted quad; AAAA: RFC 5952 text. */
  address: string;
}
/** NS, CNAME, DNAME, PTR (and other one-name types). */
export interface NameRdata {
  target: Name;
}
export interface SoaRdata {
  mname: Name;
  rname: Name;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
export interface MxRdata {
  preference: number;
  exchange: Name;
}
/** TXT, SPF: one or more character-strings (each at most 255 bytes). */
export interface TxtRdata {
  strings: Uint8Array[];
}
export interface SrvRdata {
  priority: number;
  weight: number;
  port: number;
  target: Name;
}
export interface NaptrRdata {
  order: number;
  preference: number;
  flags: Uint8Array;
  services: Uint8Array;
  regexp: Uint8Array;
  replacement: Name;
}
export interface CaaRdata {
  flags: number;
  /** The property tag: ASCII letters and digits (issue, issuewild, iodef...). */
  tag: string;
  value: Uint8Array;
}
export interface HinfoRdata {
  cpu: Uint8Array;
  os: Uint8Array;
}
export interface SshfpRdata {
  algorithm: number;
  fpType: number;
  fingerprint: Uint8Array;
}
export interface TlsaRdata {
  usage: number;
  selector: number;
  mtype: number;
  data: Uint8Array;
}
/** One SvcParam in wire form (RFC 9460 §2.2); the codec reads and writes each key's text. */
export interface SvcParam {
  key: number;
  value: Uint8Array;
}
/** SVCB and HTTPS (RFC 9460). `params` sorted by key, each key once. */
export interface SvcbRdata {
  priority: number;
  target: Name;
  params: SvcParam[];
}
/** DS and CDS. */
export interface DsRdata {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Uint8Array;
}
/** DNSKEY and CDNSKEY. */
export interface DnskeyRdata {
  flags: number;
  protocol: number;
  algorithm: number;
  publicKey: Uint8Array;
}
export interface RrsigRdata {
  typeCovered: number;
  algorithm: number;
  labels: number;
  originalTtl: number;
  /** Seconds since the epoch (serial-number arithmetic, RFC 4034 §3.1.5). */
  expiration: number;
  inception: number;
  keyTag: number;
  signer: Name;
  signature: Uint8Array;
}
export interface NsecRdata {
  next: Name;
  /** The types present, ascending, each once (from the type bit maps). */
  types: number[];
}
export interface Nsec3Rdata {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
  /** The next hashed owner name, raw (base32hex in text). */
  nextHashed: Uint8Array;
  types: number[];
}
export interface Nsec3paramRdata {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
}
/** EDNS(0) OPT pseudo-record data: its options, in order. */
export interface OptRdata {
  options: { code: number; data: Uint8Array }[];
}
/** A type the codec does not know (RFC 3597): its data as bytes, `\# N HEX` in text. */
export interface UnknownRdata {
  bytes: Uint8Array;
}

export type Rdata =
  | AddressRdata
  | NameRdata
  | SoaRdata
  | MxRdata
  | TxtRdata
  | SrvRdata
  | NaptrRdata
  | CaaRdata
  | HinfoRdata
  | SshfpRdata
  | TlsaRdata
  | SvcbRdata
  | DsRdata
  | DnskeyRdata
  | RrsigRdata
  | NsecRdata
  | Nsec3Rdata
  | Nsec3paramRdata
  | OptRdata
  | TsigRdata
  | UnknownRdata;
