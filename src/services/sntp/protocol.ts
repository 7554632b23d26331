/**
 * SNTP server (RFC 4330 section 6; the server side of RFC 5905), over UDP only. A client
 * request (mode 3, NTP versions 1 to 4, 48 bytes or more) gets one 48-byte server reply
 * (mode 4); everything else is dropped without a word, so the server can never be used to
 * reflect or amplify traffic (the reply is never larger than the request). Over its rate, a
 * client gets a Kiss-o'-Death (RATE) instead. docs/protocols/sntp.md has the details.
 *
 * Pure: the receive and transmit times are passed in. The runtime reads its clock once when a
 * datagram arrives and sends the reply synchronously, so the DatagramProtocol uses that one
 * `now` for both (the reply says the server took no time, which is true to within the
 * microseconds the core takes); `sntpReply` takes the two times apart for a caller that has them.
 */
import type { DatagramProtocol } from '../../runtime/service.js';
import { SntpBadOptionError } from './errors.js';
import {
  checkTimeMs,
  MAX_POLL,
  MIN_POLL,
  type ResolvedSntpConfig,
  resolveSntpConfig,
  type SntpServerOptions,
} from './protocol/config.js';
import {
  firstByte,
  HEADER_BYTES,
  int8,
  isClientRequest,
  LEAP_UNSYNCHRONISED,
  MODE,
  OFFSET,
  versionOf,
} from './protocol/packet.js';
import { writeNtpTimestamp } from './protocol/timestamp.js';

export {
  ntpOffsetDelay,
  parseSntpReply,
  SNTP_CLIENT_VERSION,
  type SntpReply,
  type SntpReplyOptions,
  sntpRequest,
  type ValidSntpReply,
  validateSntpReply,
} from './protocol/client.js';
export {
  formatRefId,
  MAX_POLL,
  MIN_POLL,
  type ResolvedSntpConfig,
  resolveSntpConfig,
  SNTP_DEFAULTS,
  type SntpServerOptions,
} from './protocol/config.js';
export { isClientRequest } from './protocol/packet.js';
export {
  fromNtpTimestamp,
  NTP_UNIX_OFFSET,
  type NtpTimestamp,
  toNtpTimestamp,
} from './protocol/timestamp.js';

const pollOf = (request: Uint8Array): number => Math.min(MAX_POLL, Math.max(MIN_POLL, int8(request[2]!)));

/** The reply to a client request, from a resolved configuration; undefined for anything else. */
function buildReply(
  request: Uint8Array,
  receiveMs: number,
  transmitMs: number,
  config: ResolvedSntpConfig,
): Uint8Array | undefined {
  if (!isClientRequest(request)) return undefined;
  const reply = new Uint8Array(HEADER_BYTES);
  const view = new DataView(reply.buffer);
  reply[0] = firstByte(config.leap, versionOf(request[0]!), MODE.server);
  reply[1] = config.stratum;
  reply[2] = pollOf(request) & 0xff;
  reply[3] = config.precision & 0xff;
  view.setUint32(OFFSET.rootDelay, config.rootDelay);
  view.setUint32(OFFSET.rootDispersion, config.rootDispersion);
  view.setUint32(OFFSET.refId, config.refId);
  writeNtpTimestamp(view, OFFSET.reference, receiveMs - config.referenceAgeMs, true);
  // Origin: the client's transmit timestamp, bit for bit (whatever it is: clients may randomise it).
  reply.set(request.subarray(OFFSET.transmit, OFFSET.transmit + 8), OFFSET.origin);
  writeNtpTimestamp(view, OFFSET.receive, receiveMs, true);
  writeNtpTimestamp(view, OFFSET.transmit, transmitMs, true);
  return reply;
}

/**
 * The 48-byte reply to `request`, or undefined when it is not a client request (see
 * isClientRequest). `receiveMs` is when the request arrived, `transmitMs` when the reply
 * leaves (not before it), both in milliseconds since the Unix epoch with a fractional part.
 * The version is the request's; the origin timestamp is the request's transmit timestamp.
 */
export function sntpReply(
  request: Uint8Array,
  receiveMs: number,
  transmitMs: number,
  options: SntpServerOptions = {},
): Uint8Array | undefined {
  checkTimeMs('receiveMs', receiveMs);
  checkTimeMs('transmitMs', transmitMs);
  if (transmitMs < receiveMs) {
    throw new SntpBadOptionError('transmitMs must not be before receiveMs', { receiveMs, transmitMs });
  }
  return buildReply(request, receiveMs, transmitMs, resolveSntpConfig(options));
}

/**
 * A Kiss-o'-Death (RFC 5905 section 7.4) for a client request, or undefined for anything
 * else: leap indicator 3, stratum 0, the kiss code as reference ID, the request's version.
 * As ntpd does, every other field is the request's own (its transmit timestamp as origin,
 * receive and transmit), so the packet tells nothing about the server's clock and costs no read of it.
 */
export function sntpKissOfDeath(request: Uint8Array, kissCode = 'RATE'): Uint8Array | undefined {
  if (!/^[A-Z]{4}$/.test(kissCode)) {
    throw new SntpBadOptionError(
      `a kiss code is 4 upper-case ASCII letters (RATE, DENY, RSTR), not ${JSON.stringify(kissCode)}`,
    );
  }
  if (!isClientRequest(request)) return undefined;
  const reply = new Uint8Array(HEADER_BYTES);
  reply.set(request.subarray(0, HEADER_BYTES));
  reply[0] = firstByte(LEAP_UNSYNCHRONISED, versionOf(request[0]!), MODE.server);
  reply[1] = 0;
  reply[2] = pollOf(request) & 0xff;
  for (let i = 0; i < 4; i++) reply[OFFSET.refId + i] = kissCode.charCodeAt(i);
  const transmit = request.subarray(OFFSET.transmit, OFFSET.transmit + 8);
  reply.set(transmit, OFFSET.origin);
  reply.set(transmit, OFFSET.receive);
  return reply;
}

/**
 * The SNTP server for the runtime: `receive` answers client requests with the runtime's `now`
 * as both receive and transmit time, `rateLimited` answers a client over its rate with a
 * Kiss-o'-Death (RATE) and drops anything else. The options are checked here, once
 * (NK_SNTP_BAD_OPTION).
 */
export function createSntpDatagram(options: SntpServerOptions = {}): DatagramProtocol {
  const config = resolveSntpConfig(options);
  return {
    receive: (datagram, _peer, now) => {
      const reply = buildReply(datagram, now, now, config);
      return reply ? [reply] : [];
    },
    rateLimited: (datagram) => {
      const kiss = sntpKissOfDeath(datagram, 'RATE');
      return kiss ? [kiss] : [];
    },
    // RFC 5905: the transmit timestamp is the time the reply leaves, not when it was built.
    // A Kiss-o'-Death (stratum 0) keeps the fields it copied from the request.
    stampReply: (reply, now) => {
      if (reply.length >= 48 && reply[1] !== 0) {
        writeNtpTimestamp(
          new DataView(reply.buffer, reply.byteOffset, reply.byteLength),
          OFFSET.transmit,
          now,
          true,
        );
      }
      return reply;
    },
  };
}

/** The SNTP server with the default configuration (stratum 2, refid 127.127.1.1, LI 0, precision -20). */
export const sntpDatagram: DatagramProtocol = createSntpDatagram();
