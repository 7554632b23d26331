/**
 * The DNS codec's errors. Decoding is the one place outside input reaches: every malformed
 * input becomes a DnsDecodeError carrying the byte offset where it went wrong, and nothing
 * else ever escapes the decoder.
 */
import { LocalError, type NetkitErrorOptions, RemoteError } from '../core/errors.js';

/** Malformed wire bytes (a peer's fault). `offset` is where in the message it was found. */
export class DnsDecodeError extends RemoteError {
  readonly offset: number;
  constructor(message: string, offset: number, options: NetkitErrorOptions = {}) {
    super('NK_DNS_DECODE', `${message} (at byte ${offset})`, {
      ...options,
      details: { offset, ...options.details },
    });
    this.offset = offset;
  }
}

/** Presentation-format text that does not parse (a name, a record's data, a type). */
export class DnsTextError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_DNS_TEXT', message, options);
  }
}

/** A value that cannot be put on the wire (a label over 63 bytes, rdata over 65535 bytes...). */
export class DnsEncodeError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_DNS_ENCODE', message, options);
  }
}
