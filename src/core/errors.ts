/**
 * Every error netkit raises on purpose is a NetkitError with a stable `code`
 * (match on `error.code`, not on the message). As h11 does, errors are split by blame:
 * - LocalError: the caller misused an API or gave bad options (a bug or a usage error);
 * - RemoteError: a peer sent something bad; it may carry what to answer on the wire.
 * docs/errors.md lists every code.
 */
export type ErrorDetails = Record<string, unknown>;

export interface NetkitErrorOptions {
  details?: ErrorDetails;
  cause?: unknown;
}

export class NetkitError extends Error {
  readonly code: string;
  readonly details: ErrorDetails;

  constructor(code: string, message: string, options: NetkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): { name: string; code: string; message: string; details: ErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** The caller's fault: bad arguments, bad configuration, misuse of an API. */
export class LocalError extends NetkitError {}

/** The peer's fault: malformed or hostile input. `reply` is what to send back, if anything. */
export class RemoteError extends NetkitError {
  readonly reply: string | Uint8Array | undefined;

  constructor(
    code: string,
    message: string,
    options: NetkitErrorOptions & { reply?: string | Uint8Array } = {},
  ) {
    super(code, message, options);
    this.reply = options.reply;
  }
}

/** A malformed endpoint URL, with the accepted forms in the message. */
export class EndpointError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_ENDPOINT_INVALID', message, options);
  }
}

/** A command-line usage error (exit code 2). */
export class UsageError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_USAGE', message, options);
  }
}

/** A stream line longer than the configured limit. */
export class LineTooLongError extends RemoteError {
  constructor(limit: number, options: NetkitErrorOptions = {}) {
    super('NK_LINE_TOO_LONG', `line longer than ${limit} bytes`, {
      ...options,
      details: { limit, ...options.details },
    });
  }
}

/** A datagram larger than the configured limit. */
export class DatagramTooLargeError extends RemoteError {
  constructor(size: number, limit: number) {
    super('NK_DATAGRAM_TOO_LARGE', `datagram of ${size} bytes is over the limit of ${limit}`, {
      details: { size, limit },
    });
  }
}

export function isNetkitError(value: unknown): value is NetkitError {
  return value instanceof NetkitError;
}

/** The message of anything thrown, for logs and one-line CLI errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
