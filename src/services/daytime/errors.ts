/**
 * The daytime service's errors (docs/errors.md). Each has a stable `code`: match on it, not
 * on the message. Messages never quote a server's reply (it may hold terminal escapes).
 */
import { LocalError, RemoteError } from '../../core/errors.js';

/** A bad option (an unknown format or line end) or a time that cannot be written. */
export class DaytimeBadOptionError extends LocalError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NK_DAYTIME_BAD_OPTION', message, { details });
  }
}

/** A time zone that is not an IANA zone name Intl.DateTimeFormat knows (e.g. `Europe/Paris`, `UTC`). */
export class DaytimeBadTimeZoneError extends LocalError {
  constructor(timeZone: string, cause?: unknown) {
    super(
      'NK_DAYTIME_BAD_TIME_ZONE',
      `unknown time zone ${JSON.stringify(timeZone)}: give an IANA name such as UTC or Europe/Paris`,
      { details: { timeZone }, cause },
    );
  }
}

/** Client side: a daytime reply in none of the formats parseDaytime reads. */
export class DaytimeBadReplyError extends RemoteError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('NK_DAYTIME_BAD_REPLY', `bad reply from the daytime server: ${reason}`, { details });
  }
}
