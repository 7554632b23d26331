/**
 * The errors of netkit/lookup. Each carries a stable netkit `code` and, in `details.python`,
 * the exception Python's socket module raises for the same case, so a student can map one
 * to the other:
 *   AddressLookupError  socket.gaierror (getaddrinfo failed: EAI_* codes, negative errno)
 *   HostLookupError     socket.herror   (gethostbyname_r / gethostbyaddr_r failed: h_errno)
 *   ServiceNotFoundError, PortNotFoundError  OSError from getservbyname / getservbyport
 *   BadPortError, BadProtoError, BadNameError  the caller's arguments (OverflowError, ...)
 * An answer of "no such name" is nobody's fault, so those extend NetkitError directly;
 * bad arguments are the caller's, so those are LocalErrors.
 */
import { LocalError, NetkitError, type NetkitErrorOptions } from '../core/errors.js';

/** getaddrinfo's failures as glibc numbers them (netdb.h) with gai_strerror's text. */
export const EAI = {
  EAI_NONAME: { errno: -2, message: 'Name or service not known', code: 'NK_LOOKUP_NONAME' },
  EAI_AGAIN: { errno: -3, message: 'Temporary failure in name resolution', code: 'NK_LOOKUP_AGAIN' },
  EAI_FAIL: { errno: -4, message: 'Non-recoverable failure in name resolution', code: 'NK_LOOKUP_FAIL' },
  EAI_NODATA: { errno: -5, message: 'No address associated with hostname', code: 'NK_LOOKUP_NODATA' },
  EAI_FAMILY: { errno: -6, message: 'ai_family not supported', code: 'NK_LOOKUP_FAMILY' },
  EAI_ADDRFAMILY: {
    errno: -9,
    message: 'Address family for hostname not supported',
    code: 'NK_LOOKUP_ADDRFAMILY',
  },
  EAI_MEMORY: { errno: -10, message: 'Memory allocation failure', code: 'NK_LOOKUP_SYSTEM' },
  EAI_SYSTEM: { errno: -11, message: 'System error', code: 'NK_LOOKUP_SYSTEM' },
} as const;

export type EaiName = keyof typeof EAI;

/** h_errno values (netdb.h) with hstrerror's text, which socket.herror carries. */
export const H_ERRNO = {
  HOST_NOT_FOUND: { errno: 1, message: 'Unknown host', code: 'NK_LOOKUP_HOST_NOT_FOUND' },
  TRY_AGAIN: { errno: 2, message: 'Host name lookup failure', code: 'NK_LOOKUP_HOST_TRY_AGAIN' },
  NO_RECOVERY: { errno: 3, message: 'Unknown server error', code: 'NK_LOOKUP_HOST_NO_RECOVERY' },
  NO_DATA: { errno: 4, message: 'No address associated with name', code: 'NK_LOOKUP_HOST_NO_DATA' },
} as const;

export type HErrnoName = keyof typeof H_ERRNO;

/** A name or address could not be resolved, as socket.gaierror. */
export class AddressLookupError extends NetkitError {
  readonly eai: EaiName;

  constructor(eai: EaiName, host: string, options: NetkitErrorOptions = {}) {
    const entry = EAI[eai];
    super(entry.code, `${JSON.stringify(host)}: ${entry.message}`, {
      ...options,
      details: { host, eai, errno: entry.errno, python: 'socket.gaierror', ...options.details },
    });
    this.eai = eai;
  }
}

/** The host database has no entry for a name or address, as socket.herror. */
export class HostLookupError extends NetkitError {
  readonly hErrno: HErrnoName;

  constructor(hErrno: HErrnoName, host: string, options: NetkitErrorOptions = {}) {
    const entry = H_ERRNO[hErrno];
    super(entry.code, `${JSON.stringify(host)}: ${entry.message}`, {
      ...options,
      details: { host, hErrno, errno: entry.errno, python: 'socket.herror', ...options.details },
    });
    this.hErrno = hErrno;
  }
}

function protoText(proto: string | undefined): string {
  return proto === undefined ? 'any protocol' : proto;
}

/** getservbyname found nothing: Python raises OSError('service/proto not found'). */
export class ServiceNotFoundError extends NetkitError {
  constructor(name: string, proto: string | undefined) {
    super('NK_LOOKUP_SERVICE_NOT_FOUND', `service/proto not found: ${name}/${protoText(proto)}`, {
      details: { name, proto: proto ?? null, python: 'OSError', pythonMessage: 'service/proto not found' },
    });
  }
}

/** getservbyport found nothing: Python raises OSError('port/proto not found'). */
export class PortNotFoundError extends NetkitError {
  constructor(port: number, proto: string | undefined) {
    super('NK_LOOKUP_PORT_NOT_FOUND', `port/proto not found: ${port}/${protoText(proto)}`, {
      details: { port, proto: proto ?? null, python: 'OSError', pythonMessage: 'port/proto not found' },
    });
  }
}

/** A port that is not an integer from 0 to 65535 (Python: OverflowError or TypeError). */
export class BadPortError extends LocalError {
  constructor(port: unknown) {
    super('NK_LOOKUP_BAD_PORT', `port must be an integer from 0 to 65535, not ${String(port)}`, {
      details: { port: String(port), python: 'OverflowError', pythonMessage: 'port must be 0-65535.' },
    });
  }
}

/** A protocol name that cannot appear in a services file (empty, blanks, NUL, '/' or '#'). */
export class BadProtoError extends LocalError {
  constructor(proto: string) {
    super(
      'NK_LOOKUP_BAD_PROTO',
      `protocol must be a name such as "tcp" or "udp", not ${JSON.stringify(proto)}`,
      {
        details: { proto },
      },
    );
  }
}

/**
 * A host or service name that cannot be looked up at all: a NUL byte (Python: TypeError for host names, ValueError for services),
 * an empty or over-long label (Python's idna codec: UnicodeError), an empty address.
 */
export class BadNameError extends LocalError {
  constructor(name: string, reason: string, python: string) {
    super('NK_LOOKUP_BAD_NAME', `${JSON.stringify(name)} is not a valid name: ${reason}`, {
      details: { name, reason, python },
    });
  }
}
