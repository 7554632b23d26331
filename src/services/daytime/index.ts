/** The daytime service (RFC 867): its protocol core, a client-side parser and errors (docs/protocols/daytime.md). */

export { DaytimeBadOptionError, DaytimeBadReplyError, DaytimeBadTimeZoneError } from './errors.js';
export {
  createDaytimeDatagram,
  createDaytimeStream,
  DAYTIME_DEFAULTS,
  DAYTIME_FORMATS,
  type DaytimeFormat,
  type DaytimeLineEnd,
  type DaytimeOptions,
  daytimeDatagram,
  daytimeStream,
  daytimeText,
  type ParseDaytimeOptions,
  parseDaytime,
  type ResolvedDaytimeOptions,
  resolveDaytimeOptions,
} from './protocol.js';
