/**
 * Shared pieces of the key and DNSSEC types: binary fields in text (hex, base64, base32hex) as
 * BIND prints them, names that must not be compressed, and DNSSEC algorithm mnemonics.
 */
import { DnsTextError } from '../errors.js';
import type { Name } from '../name.js';
import { fromBase64, fromHex, type RdataTokens, toBase64, toHex } from '../text.js';
import type { WireReader } from '../wire.js';

/**
 * dig and named-checkzone (BIND 9.18, +nomultiline) cut long hex and base64 fields into chunks
 * of 56 characters separated by one space; we print them the same way, and join every
 * remaining token when reading (RFC 4034 §2.2: "whitespace is allowed within the Base64 text").
 */
export const BIND_CHUNK = 56;

export function chunked(text: string, size = BIND_CHUNK): string {
  if (text.length <= size) return text;
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += size) parts.push(text.slice(at, at + size));
  return parts.join(' ');
}

/** Hex as BIND prints a digest: upper case, in chunks. */
export function hexText(bytes: Uint8Array): string {
  return chunked(toHex(bytes));
}

export function base64Text(bytes: Uint8Array): string {
  return chunked(toBase64(bytes));
}

/** Every remaining token, joined, as hex (may be empty: nothing left). */
export function hexRest(tokens: RdataTokens, what: string): Uint8Array {
  return fromHex(tokens.rest().join(''), what);
}

/** Every remaining token, joined, as base64 (may be empty: nothing left). */
export function base64Rest(tokens: RdataTokens, what: string): Uint8Array {
  return fromBase64(tokens.rest().join(''), what);
}

/** Appends the text of a binary field, if any, after a space. */
export function withTail(head: string, tail: string): string {
  return tail === '' ? head : `${head} ${tail}`;
}

// RFC 4648 §7, "base32hex": the NSEC3 next hashed owner name (RFC 5155 §3.3), no padding.
const BASE32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

export function toBase32Hex(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += BASE32HEX[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) text += BASE32HEX[(buffer << (5 - bits)) & 31];
  return text;
}

/** Case-insensitive; the length must be a whole number of bytes and the unused bits zero. */
export function fromBase32Hex(text: string, what: string): Uint8Array {
  const bad = (): never => {
    throw new DnsTextError(`${what}: ${JSON.stringify(text.slice(0, 60))} is not unpadded base32hex`);
  };
  if (![0, 2, 4, 5, 7].includes(text.length % 8)) bad();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.toUpperCase()) {
    const value = BASE32HEX.indexOf(char);
    if (value < 0) bad();
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
      buffer &= (1 << bits) - 1;
    }
  }
  if (buffer !== 0) bad();
  return Uint8Array.from(bytes);
}

/**
 * A name that must be written uncompressed (RRSIG's signer, RFC 4034 §3.1.7; NSEC's next name,
 * §4.1.1; SVCB's target, RFC 9460 §2.2): a compression pointer in it is an error, as in BIND.
 */
export function uncompressedName(reader: WireReader, what: string): Name {
  for (let at = reader.offset; at < reader.end; ) {
    const byte = reader.message[at]!;
    if (byte === 0) break;
    if ((byte & 0xc0) === 0xc0) reader.fail(`${what} may not be compressed`, at);
    at += byte + 1;
  }
  return reader.name(what);
}

/** DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers"), accepted on input. */
const ALGORITHMS: Record<string, number> = {
  RSAMD5: 1,
  DH: 2,
  DSA: 3,
  RSASHA1: 5,
  'DSA-NSEC3-SHA1': 6,
  'RSASHA1-NSEC3-SHA1': 7,
  RSASHA256: 8,
  RSASHA512: 10,
  'ECC-GOST': 12,
  ECDSAP256SHA256: 13,
  ECDSAP384SHA384: 14,
  ED25519: 15,
  ED448: 16,
  INDIRECT: 252,
  PRIVATEDNS: 253,
  PRIVATEOID: 254,
};

/** An algorithm field: a number 0..255 or a mnemonic (BIND and dnspython take both; both print numbers). */
export function algorithmFromText(tokens: RdataTokens, what: string): number {
  const token = tokens.peek();
  if (token !== undefined && Object.hasOwn(ALGORITHMS, token.toUpperCase())) {
    tokens.next(what);
    return ALGORITHMS[token.toUpperCase()]!;
  }
  return tokens.uint(what, 8);
}
