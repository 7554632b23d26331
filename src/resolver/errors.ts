/**
 * What a DNS lookup can end in besides an answer, each its own class and code, so callers
 * can tell a name that does not exist from a server that failed or did not answer.
 */
import { NetkitError, RemoteError } from '../core/errors.js';

/** No reply (or no acceptable one) from any server in time. */
export class DnsTimeoutError extends NetkitError {
  constructor(what: string, servers: string[], tries: number, timeoutMs: number) {
    super(
      'NK_DNS_TIMEOUT',
      `no reply for ${what} from ${servers.join(', ')} (${tries} tries of ${timeoutMs / 1000} s)`,
      {
        details: { servers, tries, timeoutMs },
      },
    );
  }
}

/** The name does not exist (RCODE NXDOMAIN). */
export class DnsNxDomainError extends RemoteError {
  constructor(name: string) {
    super('NK_DNS_NXDOMAIN', `${name} does not exist (NXDOMAIN)`, { details: { name } });
  }
}

/** The name exists but has no records of the type asked for. */
export class DnsNoDataError extends RemoteError {
  constructor(name: string, type: string) {
    super('NK_DNS_NODATA', `${name} has no ${type} records`, { details: { name, type } });
  }
}

/** The server answered with an error RCODE other than NXDOMAIN (SERVFAIL, REFUSED, FORMERR...). */
export class DnsServerError extends RemoteError {
  readonly rcode: number;
  constructor(name: string, server: string, rcode: number, rcodeText: string) {
    super(
      rcodeText === 'SERVFAIL'
        ? 'NK_DNS_SERVFAIL'
        : rcodeText === 'REFUSED'
          ? 'NK_DNS_REFUSED'
          : 'NK_DNS_RCODE',
      `${server} answered ${rcodeText} for ${name}`,
      { details: { name, server, rcode, rcodeText } },
    );
    this.rcode = rcode;
  }
}

/** A reply that cannot be used: malformed, or a zone transfer that broke off. */
export class DnsBadReplyError extends RemoteError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('NK_DNS_BAD_REPLY', message, options);
  }
}

/**
 * TSIG (RFC 8945) failed on an exchange we signed: the server rejected our key (its answer
 * carries the TSIG error: BADKEY, BADSIG, BADTIME) or its reply is unsigned or wrongly signed.
 */
export class DnsTsigError extends RemoteError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NK_DNS_TSIG', message, { details });
  }
}
