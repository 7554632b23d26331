/**
 * What an SNTP server says about its clock, with named defaults (docs/protocols/sntp.md says
 * why each). netkit serves the host's clock, which something else keeps in time (chronyd,
 * ntpd, systemd-timesyncd): it is not a primary reference, so the default is stratum 2.
 */
import { formatIPv4, parseIPv4 } from '../../../core/ip.js';
import { SntpBadOptionError } from '../errors.js';
import { STRATUM_UNSYNCHRONISED, toShortFormat } from './packet.js';

export const SNTP_DEFAULTS = {
  /** Leap indicator: 0, no warning. 3 says "unsynchronised" and every client then ignores the reply. */
  leap: 0,
  /**
   * Stratum 2: synchronised to a primary server through the host. chronyd and ntpd accept
   * strata 1 to 15, and prefer lower ones, so a toy server does not claim 1 unless asked.
   */
  stratum: 2,
  /**
   * Reference ID for stratum 2 and above: 127.127.1.1, the refid of the undisciplined local
   * clock in ntpd and chrony. It is never a client's own address, so chronyd's loop test
   * (a server whose refid is the client's address is synchronised to the client) passes;
   * 127.0.0.1 would fail it for a client on loopback. Give the upstream server's IPv4 address to be exact.
   */
  refId: '127.127.1.1',
  /** Reference ID for stratum 1: a 4-character ASCII code (RFC 5905 figure 12), LOCL for the local clock. */
  refIdStratum1: 'LOCL',
  /**
   * log2 of the clock's precision in seconds: 2^-20 s is about 1 µs. The runtime's clock
   * (src/runtime/clock.ts) has sub-microsecond resolution; -20 leaves room for the time a read takes.
   */
  precision: -20,
  /** Root delay: the round trip to the primary source; we do not know one, so 0. */
  rootDelayMs: 0,
  /** Root dispersion: 10 ms, about what a host synchronised over the Internet can claim. */
  rootDispersionMs: 10,
  /** The reference timestamp (when the clock was last set) is this long before the request arrived: one 64 s poll. */
  referenceAgeMs: 64_000,
} as const;

/** The poll field of a reply: the client's, clamped to RFC 5905's MINPOLL 4 (16 s) and MAXPOLL 17 (36 h). */
export const MIN_POLL = 4;
export const MAX_POLL = 17;

export interface SntpServerOptions {
  /** Leap indicator, 0 to 3 (default 0). */
  leap?: number;
  /** Stratum, 1 to 16 (default 2; 16 means unsynchronised). */
  stratum?: number;
  /**
   * Reference ID: for stratum 1, 1 to 4 ASCII letters or digits ('LOCL', 'GPS', 'PPS');
   * above, a dotted-quad IPv4 address; or the 32-bit value as a number. Default: LOCL for
   * stratum 1, 127.127.1.1 above.
   */
  refId?: string | number;
  /** log2 of the clock's precision in seconds, -32 to 0 (default -20). */
  precision?: number;
  /** Root delay in milliseconds, 0 to 65535999 (default 0). */
  rootDelayMs?: number;
  /** Root dispersion in milliseconds, 0 to 65535999 (default 10). */
  rootDispersionMs?: number;
  /** How long before each request the clock was last set, for the reference timestamp (default 64000). */
  referenceAgeMs?: number;
}

/** The options checked and turned into wire values once, when a server is made. */
export interface ResolvedSntpConfig {
  leap: number;
  stratum: number;
  refId: number;
  precision: number;
  rootDelay: number;
  rootDispersion: number;
  referenceAgeMs: number;
}

/** The most NTP short format holds: 65535.99998 s. */
const MAX_SHORT_MS = 65_535_999;

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SntpBadOptionError(`${name} must be an integer from ${min} to ${max}, not ${value}`, {
      name,
      value,
    });
  }
  return value;
}

function msIn(name: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new SntpBadOptionError(`${name} must be a number of milliseconds from 0 to ${max}, not ${value}`, {
      name,
      value,
    });
  }
  return value;
}

/** A time argument (milliseconds since the Unix epoch): finite and within the range of a JavaScript date. */
export function checkTimeMs(name: string, value: number): void {
  if (!Number.isFinite(value) || Math.abs(value) > 8.64e15) {
    throw new SntpBadOptionError(`${name} must be a finite number of milliseconds within ±8.64e15`, {
      name,
      value: String(value),
    });
  }
}

/** The 32-bit reference ID of an option, checked against the stratum it goes with. */
function resolveRefId(refId: string | number, stratum: number): number {
  if (typeof refId === 'number') return integerIn('refId', refId, 0, 0xffff_ffff);
  const address = parseIPv4(refId);
  if (stratum >= 2) {
    if (!address) {
      throw new SntpBadOptionError(
        `refId for stratum ${stratum} must be an IPv4 address (the upstream server), not ${JSON.stringify(refId)}`,
        { refId },
      );
    }
    return new DataView(address.buffer).getUint32(0);
  }
  if (!/^[A-Z0-9]{1,4}$/.test(refId)) {
    throw new SntpBadOptionError(
      `refId for stratum 1 must be 1 to 4 upper-case ASCII letters or digits (LOCL, GPS, PPS), not ${JSON.stringify(refId)}`,
      { refId },
    );
  }
  // Left-justified and zero-padded (RFC 5905 section 7.3).
  let value = 0;
  for (let i = 0; i < 4; i++) value = value * 256 + (refId.charCodeAt(i) || 0);
  return value;
}

export function resolveSntpConfig(options: SntpServerOptions = {}): ResolvedSntpConfig {
  const stratum = integerIn('stratum', options.stratum ?? SNTP_DEFAULTS.stratum, 1, STRATUM_UNSYNCHRONISED);
  const refId = options.refId ?? (stratum === 1 ? SNTP_DEFAULTS.refIdStratum1 : SNTP_DEFAULTS.refId);
  return {
    leap: integerIn('leap', options.leap ?? SNTP_DEFAULTS.leap, 0, 3),
    stratum,
    refId: resolveRefId(refId, stratum),
    precision: integerIn('precision', options.precision ?? SNTP_DEFAULTS.precision, -32, 0),
    rootDelay: toShortFormat(
      msIn('rootDelayMs', options.rootDelayMs ?? SNTP_DEFAULTS.rootDelayMs, MAX_SHORT_MS),
    ),
    rootDispersion: toShortFormat(
      msIn('rootDispersionMs', options.rootDispersionMs ?? SNTP_DEFAULTS.rootDispersionMs, MAX_SHORT_MS),
    ),
    referenceAgeMs: msIn('referenceAgeMs', options.referenceAgeMs ?? SNTP_DEFAULTS.referenceAgeMs, 8.64e15),
  };
}

/** A reference ID as people read it: 4 ASCII characters for strata 0 and 1, a dotted quad above. */
export function formatRefId(value: number, stratum: number): string {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  if (stratum <= 1) {
    let end = 4;
    while (end > 0 && bytes[end - 1] === 0) end--;
    const printable = bytes.subarray(0, end).every((byte) => byte >= 0x20 && byte < 0x7f);
    if (printable) return String.fromCharCode(...bytes.subarray(0, end));
    return '0x' + value.toString(16).padStart(8, '0');
  }
  return formatIPv4(bytes);
}
