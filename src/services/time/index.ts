/** The time service (RFC 868): its protocol core, a client-side decoder and errors (docs/protocols/time.md). */

export { TimeBadArgumentError, TimeBadReplyError } from './errors.js';
export {
  decodeTime,
  RFC868_UNIX_OFFSET,
  timeDatagram,
  timeReply,
  timeSeconds,
  timeStream,
} from './protocol.js';
