/**
 * Time (RFC 868): the server's clock as a 32-bit big-endian count of seconds since
 * 1900-01-01T00:00:00Z. Over TCP the server sends the 4 bytes as soon as a client connects,
 * then closes (whatever the client sends is ignored); over UDP any datagram, empty or not,
 * is answered with one datagram of 4 bytes. docs/protocols/time.md has the details.
 *
 * The field wraps: RFC 868 says its base "will serve until the year 2036", and
 * 2036-02-07T06:28:16Z is sent as 0 again. The server sends the time modulo 2^32, and a
 * client decodes it in the 136-year era closest to its own clock (`decodeTime`), so both
 * keep working after the wrap. Pure: `now` is passed in, nothing here reads a clock.
 */
import type { DatagramProtocol, StreamProtocol } from '../../runtime/service.js';
import { TimeBadArgumentError, TimeBadReplyError } from './errors.js';

/** Seconds from 1900-01-01T00:00:00Z to the Unix epoch (RFC 868: "2,208,988,800 ... 1 Jan 1970"). */
export const RFC868_UNIX_OFFSET = 2_208_988_800;

/** The field counts seconds modulo 2^32: one era is about 136 years. */
const ERA_SECONDS = 2 ** 32;
const HALF_ERA_SECONDS = 2 ** 31;
/** The range of a Date, in milliseconds either side of the Unix epoch. */
const MAX_MS = 8.64e15;

function checkMs(name: string, value: number): void {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_MS) throw new TimeBadArgumentError(name, value);
}

/** The value of the time field at `nowMs`: whole seconds since 1900, modulo 2^32. */
export function timeSeconds(nowMs: number): number {
  checkMs('nowMs', nowMs);
  // Whole milliseconds first: dividing a tiny negative fraction would underflow to -0, in 1970.
  const seconds = Math.floor(Math.floor(nowMs) / 1000) + RFC868_UNIX_OFFSET;
  return ((seconds % ERA_SECONDS) + ERA_SECONDS) % ERA_SECONDS;
}

/** The 4 bytes a time server sends at `nowMs` (milliseconds since the Unix epoch). */
export function timeReply(nowMs: number): Uint8Array {
  const reply = new Uint8Array(4);
  new DataView(reply.buffer).setUint32(0, timeSeconds(nowMs));
  return reply;
}

/**
 * Client side: the time a reply stands for, in milliseconds since the Unix epoch, taken in
 * the era that puts it closest to `nearMs` (the client's own clock): within 68 years of it,
 * so a reply of 0 read in 2040 is 2036-02-07T06:28:16Z, and read in 1950 is 1900-01-01.
 * A reply that is not exactly 4 bytes is a TimeBadReplyError (NK_TIME_BAD_REPLY).
 */
export function decodeTime(bytes: Uint8Array, nearMs: number): number {
  checkMs('nearMs', nearMs);
  if (bytes.length !== 4) throw new TimeBadReplyError(bytes.length);
  const value = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  const pivot = nearMs / 1000 + RFC868_UNIX_OFFSET;
  // The era that puts value in [pivot - 2^31, pivot + 2^31).
  const era = Math.ceil((pivot - HALF_ERA_SECONDS - value) / ERA_SECONDS);
  return (value + era * ERA_SECONDS - RFC868_UNIX_OFFSET) * 1000;
}

/** TCP and Unix sockets: the 4 bytes on connect, then close; anything the client sends is ignored. */
export const timeStream: StreamProtocol = {
  framing: 'raw',
  session: () => ({
    open: (now) => [{ type: 'send', data: timeReply(now) }, { type: 'close' }],
    receive: () => [],
  }),
};

/** UDP: any datagram (RFC 868 says an empty one) gets the 4 bytes. */
export const timeDatagram: DatagramProtocol = {
  receive: (_datagram, _peer, now) => [timeReply(now)],
};
