/**
 * The time service's errors (docs/errors.md). Each has a stable `code`: match on it, not on
 * the message.
 */
import { LocalError, RemoteError } from '../../core/errors.js';

/** A time argument that is not a number of milliseconds within the range of a JavaScript date (±8.64e15 ms). */
export class TimeBadArgumentError extends LocalError {
  constructor(name: string, value: unknown) {
    super('NK_TIME_BAD_ARGUMENT', `${name} must be a finite number of milliseconds within ±8.64e15`, {
      details: { name, value: String(value) },
    });
  }
}

/** Client side: a time reply (RFC 868) is exactly 4 bytes; anything else is refused. */
export class TimeBadReplyError extends RemoteError {
  constructor(size: number) {
    super('NK_TIME_BAD_REPLY', `bad reply from the time server: ${size} bytes instead of 4`, {
      details: { size },
    });
  }
}
