/**
 * Typed errors of the socket API. Match on `error.code`; `details.errno` and
 * `details.syscall` keep what the OS said, and `cause` the original Node.js error.
 * - SocketError: the network or the OS refused (refused, reset, timeout, address in use...);
 * - LocalError subclasses: the program misused a socket (wrong state, bad address, closed).
 */
import { type ErrorDetails, LocalError, NetkitError, type NetkitErrorOptions } from '../core/errors.js';

/** A failure reported by the network or the OS. Unclassified errnos get NK_SOCKET_ERROR. */
export class SocketError extends NetkitError {
  constructor(code: string, message: string, options: NetkitErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A call waited longer than the socket's timeout (Python's socket.timeout / TimeoutError). */
export class SocketTimeoutError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_SOCKET_TIMEOUT', message, options);
  }

  /** The error of a call that waited past the timeout set with setTimeout(). */
  static after(operation: string, timeoutMs: number): SocketTimeoutError {
    return new SocketTimeoutError(`${operation} timed out after ${timeoutMs} ms`, {
      details: { operation, timeoutMs },
    });
  }
}

export class ConnectionRefusedError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_CONN_REFUSED', message, options);
  }
}

/** The peer reset the connection (ECONNRESET), or it was gone when we wrote (EPIPE). */
export class ConnectionResetError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_CONN_RESET', message, options);
  }
}

export class HostUnreachableError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_HOST_UNREACHABLE', message, options);
  }
}

export class HostNotFoundError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_HOST_NOT_FOUND', message, options);
  }
}

export class AddressInUseError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_ADDR_IN_USE', message, options);
  }
}

export class AddressPermissionError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_ADDR_PERMISSION', message, options);
  }
}

export class AddressNotAvailableError extends SocketError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_ADDR_NOT_AVAILABLE', message, options);
  }
}

/** The call does not fit the socket's state: recv before connect, accept before listen... */
export class SocketStateError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_SOCKET_STATE', message, options);
  }
}

/** The socket was closed by this program (before or during the call). */
export class SocketClosedError extends LocalError {
  constructor(operation: string, options: NetkitErrorOptions = {}) {
    super('NK_SOCKET_CLOSED', `${operation} on a closed socket`, {
      ...options,
      details: { operation, ...options.details },
    });
  }
}

/** A bad argument: an address of the wrong shape or family, a negative bufsize, data that is not bytes. */
export class SocketArgumentError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_SOCKET_ARGUMENT', message, options);
  }
}

/** A family/type pair Node.js cannot provide (Unix datagram sockets). */
export class SocketUnsupportedError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_SOCKET_UNSUPPORTED', message, options);
  }
}

type ErrorClass = new (message: string, options: NetkitErrorOptions) => NetkitError;

const BY_ERRNO: Record<string, [ErrorClass, string]> = {
  ECONNREFUSED: [ConnectionRefusedError, 'connection refused'],
  ECONNRESET: [ConnectionResetError, 'connection reset by peer'],
  EPIPE: [ConnectionResetError, 'broken pipe: the peer closed the connection'],
  ECONNABORTED: [ConnectionResetError, 'connection aborted'],
  EHOSTUNREACH: [HostUnreachableError, 'no route to host'],
  ENETUNREACH: [HostUnreachableError, 'network is unreachable'],
  EHOSTDOWN: [HostUnreachableError, 'host is down'],
  ENETDOWN: [HostUnreachableError, 'network is down'],
  ENOTFOUND: [HostNotFoundError, 'host not found'],
  EAI_NONAME: [HostNotFoundError, 'host not found'],
  EAI_NODATA: [HostNotFoundError, 'host has no address of this family'],
  EAI_AGAIN: [HostNotFoundError, 'temporary failure in name resolution'],
  EAI_FAIL: [HostNotFoundError, 'name resolution failed'],
  EADDRINUSE: [AddressInUseError, 'address already in use'],
  EACCES: [AddressPermissionError, 'permission denied'],
  EPERM: [AddressPermissionError, 'operation not permitted'],
  EADDRNOTAVAIL: [AddressNotAvailableError, 'address not available on this host'],
};

export interface ErrorContext {
  /** What was being done, as it should read in a message: "connect to 127.0.0.1:7". */
  operation: string;
  details?: ErrorDetails;
}

/** Turns a Node.js error into a typed netkit error; netkit errors pass through unchanged. */
export function toSocketError(error: unknown, context: ErrorContext): NetkitError {
  if (error instanceof NetkitError) return error;
  const nodeError = error as NodeJS.ErrnoException;
  const errno = typeof nodeError?.code === 'string' ? nodeError.code : undefined;
  const details: ErrorDetails = { ...context.details, operation: context.operation };
  if (errno !== undefined) details.errno = errno;
  if (nodeError?.syscall !== undefined) details.syscall = nodeError.syscall;
  const options = { details, cause: error };
  if (errno === 'ETIMEDOUT')
    return new SocketTimeoutError(`${context.operation}: connection timed out`, options);
  if (errno === 'ERR_SOCKET_CLOSED' || errno === 'ERR_STREAM_DESTROYED' || errno === 'EBADF') {
    return new SocketClosedError(context.operation, options);
  }
  if (errno === 'ENOENT') {
    // Connecting to a Unix socket path that does not exist (Python's FileNotFoundError).
    return new SocketError('NK_SOCKET_ERROR', `${context.operation}: no such socket file`, options);
  }
  const known = errno === undefined ? undefined : BY_ERRNO[errno];
  if (known) return new known[0](`${context.operation}: ${known[1]}`, options);
  const reason = nodeError instanceof Error ? nodeError.message : String(error);
  return new SocketError('NK_SOCKET_ERROR', `${context.operation}: ${reason}`, options);
}
