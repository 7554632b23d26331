/**
 * Serial number arithmetic (RFC 1982) for the 32-bit SOA serial: serials wrap around at 2^32,
 * and `a` is newer than `b` when it is less than 2^31 ahead of it. Two serials exactly 2^31
 * apart are not ordered (§3.2): neither is newer.
 */
import { DnsTransferError } from './errors.js';

const HALF = 2 ** 31;
const MODULUS = 2 ** 32;

/** -1 if a < b, 0 if equal, 1 if a > b, undefined when the two are exactly 2^31 apart (RFC 1982 §3.2 leaves it undefined). */
export function compareSerials(a: number, b: number): -1 | 0 | 1 | undefined {
  const x = a >>> 0;
  const y = b >>> 0;
  if (x === y) return 0;
  // How far a is ahead of b, modulo 2^32.
  const ahead = (x - y + MODULUS) % MODULUS;
  if (ahead === HALF) return undefined;
  return ahead < HALF ? 1 : -1;
}

/** True when `candidate` is newer than `current` (RFC 1982 §3.2). */
export function serialIsNewer(candidate: number, current: number): boolean {
  return compareSerials(candidate, current) === 1;
}

/** `serial` plus `increment` (at most 2^31 - 1, RFC 1982 §3.1), wrapped to 32 bits. */
export function addToSerial(serial: number, increment: number): number {
  if (!Number.isInteger(increment) || increment < 0 || increment > HALF - 1)
    throw new DnsTransferError(`a serial increment is between 0 and 2^31 - 1, not ${increment}`);
  return ((serial >>> 0) + increment) % MODULUS;
}
