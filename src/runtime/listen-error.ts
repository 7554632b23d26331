/**
 * Turns the errors the OS gives when binding into one clear line each, with a stable code.
 */
import { LocalError } from '../core/errors.js';

export class ListenError extends LocalError {}

export function toListenError(error: unknown, endpoint: string): ListenError {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const details = { endpoint, errno };
  switch (errno) {
    case 'EADDRINUSE':
      return new ListenError('NK_ADDR_IN_USE', `${endpoint}: address already in use`, {
        details,
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new ListenError(
        'NK_ADDR_PERMISSION',
        `${endpoint}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE; a Unix socket needs a writable folder)`,
        { details, cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new ListenError('NK_ADDR_NOT_AVAILABLE', `${endpoint}: address not available on this host`, {
        details,
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new ListenError('NK_HOST_NOT_FOUND', `${endpoint}: host name not found`, {
        details,
        cause: error,
      });
    default:
      return new ListenError(
        'NK_LISTEN_FAILED',
        `${endpoint}: cannot listen: ${(error as Error | undefined)?.message ?? String(error)}`,
        { details, cause: error },
      );
  }
}
