/** Errors the runtime words to a stream peer through the service's formatError. */
import { NetkitError, RemoteError } from '../core/errors.js';

export class TooManyConnectionsError extends NetkitError {
  constructor(limit: number) {
    super('NK_TOO_MANY_CONNECTIONS', `server full (${limit} connections); try again later`, {
      details: { limit },
    });
  }
}

export class TooManyFromAddressError extends NetkitError {
  constructor(limit: number) {
    super('NK_TOO_MANY_FROM_ADDRESS', `too many connections from your address (${limit}); try again later`, {
      details: { limit },
    });
  }
}

export class IdleTimeoutError extends NetkitError {
  constructor(idleMs: number) {
    super('NK_IDLE_TIMEOUT', `closing idle connection after ${idleMs / 1000} s`, { details: { idleMs } });
  }
}

/** A bug in a protocol core: the peer gets a generic line, the log gets the cause. */
export class InternalError extends NetkitError {
  constructor(cause: unknown) {
    super('NK_INTERNAL', 'internal server error', { cause });
  }
}

export { RemoteError };
