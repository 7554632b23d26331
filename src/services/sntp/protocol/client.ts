/**
 * The client side of SNTP (RFC 4330 section 5): a request, the reply read back and checked,
 * and the clock offset and round-trip delay from the four timestamps. No socket here: a
 * client sends `sntpRequest(t1)`, keeps those bytes, and gives the reply and them to
 * `validateSntpReply`.
 */
import {
  SntpBadOptionError,
  SntpBadReplyError,
  SntpKissOfDeathError,
  SntpOriginMismatchError,
  SntpUnsynchronisedError,
} from '../errors.js';
import { checkTimeMs, formatRefId } from './config.js';
import {
  firstByte,
  fromShortFormat,
  HEADER_BYTES,
  int8,
  LEAP_UNSYNCHRONISED,
  leapOf,
  MODE,
  modeOf,
  OFFSET,
  STRATUM_UNSYNCHRONISED,
  versionOf,
} from './packet.js';
import { readNtpTimestamp, writeNtpTimestamp } from './timestamp.js';

/** The version netkit's client speaks. */
export const SNTP_CLIENT_VERSION = 4;

/** A reply's header, times in milliseconds since the Unix epoch (undefined: the field is zero, "unset"). */
export interface SntpReply {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  /** log2 of the poll interval in seconds, as the server sent it. */
  poll: number;
  /** log2 of the server clock's precision in seconds. */
  precision: number;
  /** Milliseconds. */
  rootDelay: number;
  /** Milliseconds. */
  rootDispersion: number;
  /** The reference ID as people read it: 'LOCL' or a kiss code for strata 0 and 1, a dotted quad above. */
  refId: string;
  /** The reference ID as the 32-bit value on the wire. */
  refIdValue: number;
  reference: number | undefined;
  origin: number | undefined;
  receive: number | undefined;
  transmit: number | undefined;
}

/** A reply that passed validateSntpReply: its origin, receive and transmit timestamps are set. */
export interface ValidSntpReply extends SntpReply {
  origin: number;
  receive: number;
  transmit: number;
}

export interface SntpReplyOptions {
  /**
   * The client's clock (its send time T1 is the usual choice): each timestamp is read in the
   * NTP era that puts it within 68 years of this. Without it, RFC 4330 section 3's rule
   * (1968 to 2104).
   */
  nearMs?: number;
}

/**
 * A 48-byte client request (mode 3, version 4) with `transmitMs` as its transmit timestamp
 * and every other field zero, as RFC 9109's data minimisation suggests. The server copies the
 * transmit timestamp into its reply's origin, which is all it is used for: a client may send
 * a random value instead of its clock, so that the packet does not tell its time (keep the
 * request's bytes either way to check the reply).
 */
export function sntpRequest(transmitMs: number): Uint8Array {
  checkTimeMs('transmitMs', transmitMs);
  const request = new Uint8Array(HEADER_BYTES);
  request[0] = firstByte(0, SNTP_CLIENT_VERSION, MODE.client);
  writeNtpTimestamp(new DataView(request.buffer), OFFSET.transmit, transmitMs, true);
  return request;
}

/** Reads a reply's header without judging it (see validateSntpReply); fewer than 48 bytes is NK_SNTP_BAD_REPLY. */
export function parseSntpReply(bytes: Uint8Array, options: SntpReplyOptions = {}): SntpReply {
  if (options.nearMs !== undefined) checkTimeMs('nearMs', options.nearMs);
  if (bytes.length < HEADER_BYTES) {
    throw new SntpBadReplyError(`${bytes.length} bytes, shorter than the 48-byte header`, {
      size: bytes.length,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const first = bytes[0]!;
  const stratum = bytes[1]!;
  const refIdValue = view.getUint32(OFFSET.refId);
  const near = options.nearMs;
  return {
    leap: leapOf(first),
    version: versionOf(first),
    mode: modeOf(first),
    stratum,
    poll: int8(bytes[2]!),
    precision: int8(bytes[3]!),
    rootDelay: fromShortFormat(view.getUint32(OFFSET.rootDelay)),
    rootDispersion: fromShortFormat(view.getUint32(OFFSET.rootDispersion)),
    refId: formatRefId(refIdValue, stratum),
    refIdValue,
    reference: readNtpTimestamp(view, OFFSET.reference, near),
    origin: readNtpTimestamp(view, OFFSET.origin, near),
    receive: readNtpTimestamp(view, OFFSET.receive, near),
    transmit: readNtpTimestamp(view, OFFSET.transmit, near),
  };
}

/**
 * Reads a reply to `request` (the bytes we sent) and checks it as RFC 4330 section 5 asks,
 * in this order: a full header (NK_SNTP_BAD_REPLY), mode 4 and version 1 to 4
 * (NK_SNTP_BAD_REPLY), its origin timestamp equal bit for bit to our transmit timestamp
 * (NK_SNTP_ORIGIN_MISMATCH), stratum 0 (NK_SNTP_KISS_OF_DEATH, with the code), non-zero
 * receive and transmit timestamps (NK_SNTP_BAD_REPLY), and a synchronised server: leap
 * indicator not 3 and stratum below 16 (NK_SNTP_UNSYNCHRONISED). Unicast only: a broadcast
 * (mode 5) packet answers no request.
 */
export function validateSntpReply(
  reply: Uint8Array,
  request: Uint8Array,
  options: SntpReplyOptions = {},
): ValidSntpReply {
  if (request.length < HEADER_BYTES) {
    throw new SntpBadOptionError(
      `request must be the 48 bytes or more that were sent, not ${request.length}`,
    );
  }
  const parsed = parseSntpReply(reply, options);
  if (parsed.mode !== MODE.server)
    throw new SntpBadReplyError(`mode ${parsed.mode} is not a server reply (4)`, { mode: parsed.mode });
  if (parsed.version < 1 || parsed.version > 4) {
    throw new SntpBadReplyError(`version ${parsed.version} is not NTP 1 to 4`, { version: parsed.version });
  }
  for (let i = 0; i < 8; i++) {
    if (reply[OFFSET.origin + i] !== request[OFFSET.transmit + i]) throw new SntpOriginMismatchError();
  }
  if (parsed.stratum === 0) throw new SntpKissOfDeathError(parsed.refId);
  const { origin, receive, transmit } = parsed;
  if (transmit === undefined) throw new SntpBadReplyError('its transmit timestamp is zero');
  if (receive === undefined) throw new SntpBadReplyError('its receive timestamp is zero');
  if (origin === undefined) throw new SntpBadReplyError('its origin timestamp is zero');
  if (parsed.leap === LEAP_UNSYNCHRONISED || parsed.stratum >= STRATUM_UNSYNCHRONISED) {
    throw new SntpUnsynchronisedError(parsed.leap, parsed.stratum);
  }
  return { ...parsed, origin, receive, transmit };
}

/**
 * The clock offset and round-trip delay (RFC 4330 section 5), all in milliseconds:
 * t1 the client sent the request, t2 the server received it, t3 the server sent the reply,
 * t4 the client received it. offset = ((t2 - t1) + (t3 - t4)) / 2 is what to add to the
 * client's clock; delay = (t4 - t1) - (t3 - t2) is the time spent on the network.
 */
export function ntpOffsetDelay(
  t1: number,
  t2: number,
  t3: number,
  t4: number,
): { offset: number; delay: number } {
  return { offset: (t2 - t1 + (t3 - t4)) / 2, delay: t4 - t1 - (t3 - t2) };
}
