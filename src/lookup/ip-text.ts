/**
 * Address text as the C library reads and writes it, without I/O. The lookups must print
 * exactly what Python prints, and Python prints what glibc's inet_ntop gives; they must
 * accept exactly what glibc accepts (inet_pton for /etc/hosts, inet_aton for numeric names).
 */
import { formatIPv4, parseIPv4, parseIPv6 } from '../core/ip.js';

export interface ParsedAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** inet_pton: a strict dotted quad or an IPv6 address without a %zone, else undefined. */
export function parseAddress(text: string): ParsedAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4) return { family: 4, bytes: v4 };
  if (text.includes('%')) return undefined;
  const v6 = parseIPv6(text);
  return v6 ? { family: 6, bytes: v6 } : undefined;
}

// The largest value the last part may hold when there are 1, 2, 3 or 4 parts.
const ATON_LAST_PART_MAX = [0xffffffff, 0xffffff, 0xffff, 0xff];

/**
 * glibc's inet_aton_exact: 1 to 4 parts separated by dots, each a C integer (0x hex,
 * leading-0 octal, or decimal); the last part fills the remaining bytes, so "127.1" is
 * 127.0.0.1 and "4294967295" is 255.255.255.255. Nothing may follow the number.
 */
export function inetAton(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(part)) value = Number.parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = Number.parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = Number(part);
    else return undefined;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((value) => value > 0xff)) return undefined;
  if (last > ATON_LAST_PART_MAX[values.length]!) return undefined;
  const bytes = new Uint8Array(4);
  values.forEach((value, i) => {
    bytes[i] = value;
  });
  // The last part is big-endian in the bytes that remain.
  for (let i = 3, rest = last; i >= values.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

/**
 * inet_ntop as glibc writes it: RFC 5952 compression (runs of two or more zero groups,
 * the first of the longest), and the last 32 bits as a dotted quad for IPv4-mapped
 * (::ffff:1.2.3.4) and IPv4-compatible (::1.2.3.4) addresses.
 */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return formatIPv4(bytes);
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestBase = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestBase = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestBase = -1;
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength) {
      if (i === bestBase) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    if (i === 6 && bestBase === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff))) {
      return text + formatIPv4(bytes.subarray(12));
    }
    text += words[i]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLength === 8) text += ':';
  return text;
}

/** The IPv4 address inside ::ffff:a.b.c.d, or undefined. */
export function unmapIPv4(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length !== 16) return undefined;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return undefined;
  return bytes[10] === 0xff && bytes[11] === 0xff ? bytes.slice(12) : undefined;
}

/** The name a PTR query asks for: RFC 1035 section 3.5 (in-addr.arpa), RFC 3596 section 2.5 (ip6.arpa). */
export function reverseName(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${[...bytes].reverse().join('.')}.in-addr.arpa`;
  const nibbles: string[] = [];
  for (let i = bytes.length - 1; i >= 0; i--) {
    nibbles.push((bytes[i]! & 0x0f).toString(16), (bytes[i]! >> 4).toString(16));
  }
  return `${nibbles.join('.')}.ip6.arpa`;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
