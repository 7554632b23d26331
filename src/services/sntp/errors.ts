/**
 * SNTP's errors (docs/errors.md). Each has a stable `code`: match on it, not on the message.
 * The server never throws for a peer's packet (it answers or drops it), so the remote errors
 * here are a client's: what is wrong with a server's reply. Messages never quote the reply's
 * bytes (a kiss code with control characters is shown in hex).
 */
import { LocalError, RemoteError } from '../../core/errors.js';

/** A bad server option or argument: a stratum out of range, a refid that does not fit, a time that is not one. */
export class SntpBadOptionError extends LocalError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NK_SNTP_BAD_OPTION', message, { details });
  }
}

/** Client side: not a usable server reply (too short, wrong mode or version, a zero timestamp). */
export class SntpBadReplyError extends RemoteError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('NK_SNTP_BAD_REPLY', `bad SNTP reply: ${reason}`, { details });
  }
}

/**
 * Client side: the reply's origin timestamp is not the transmit timestamp of our request: a
 * late reply to an earlier request, a duplicate, or a forgery (RFC 5905 section 8, "bogus").
 * A client drops it and keeps waiting for the real reply.
 */
export class SntpOriginMismatchError extends RemoteError {
  constructor() {
    super(
      'NK_SNTP_ORIGIN_MISMATCH',
      'SNTP reply does not answer our request (its origin timestamp is not our transmit timestamp)',
    );
  }
}

/** What a client should do on each kiss code (RFC 5905 section 7.4, RFC 4330 section 8). */
const KISS_MEANINGS: Record<string, string> = {
  RATE: 'the server is rate limiting this client: poll less often',
  DENY: 'the server denies access: stop querying it',
  RSTR: 'the server restricts access: stop querying it',
};

/** Client side: a Kiss-o'-Death (stratum 0) reply; `details.kissCode` is the code, e.g. RATE or DENY. */
export class SntpKissOfDeathError extends RemoteError {
  readonly kissCode: string;

  constructor(kissCode: string) {
    const meaning = KISS_MEANINGS[kissCode] ?? 'the server refused to give the time';
    super('NK_SNTP_KISS_OF_DEATH', `kiss-o'-death ${kissCode} from the SNTP server: ${meaning}`, {
      details: { kissCode },
    });
    this.kissCode = kissCode;
  }
}

/** Client side: the server says its own clock is not synchronised (LI 3, or stratum 16 or more). */
export class SntpUnsynchronisedError extends RemoteError {
  constructor(leap: number, stratum: number) {
    super(
      'NK_SNTP_UNSYNCHRONISED',
      `the SNTP server's clock is not synchronised (leap indicator ${leap}, stratum ${stratum})`,
      { details: { leap, stratum } },
    );
  }
}
