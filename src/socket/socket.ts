/**
 * The entry points, named as in Python: socket(family, type), create_connection(), and
 * createSocket({ family: 'ipv4', type: 'stream' }) for those who prefer words.
 */
import { getaddrinfo, type InetAddress } from './address.js';
import {
  type AddressFamily,
  AF_INET,
  AF_INET6,
  AF_UNIX,
  FAMILY_BY_NAME,
  type FamilyName,
  resolveSocketLimits,
  SOCK_DGRAM,
  SOCK_STREAM,
  type SocketKind,
  type SocketLimits,
  TYPE_BY_NAME,
  type TypeName,
} from './constants.js';
import { DatagramSocket } from './datagram-socket.js';
import { SocketArgumentError, SocketUnsupportedError } from './errors.js';
import { StreamSocket } from './stream-socket.js';

export type Socket = StreamSocket | DatagramSocket;

/** Limits to override for one socket (see SOCKET_DEFAULTS). */
export type SocketOptions = Partial<SocketLimits>;

export function socket(
  family?: AddressFamily,
  type?: typeof SOCK_STREAM,
  options?: SocketOptions,
): StreamSocket;
export function socket(
  family: AddressFamily,
  type: typeof SOCK_DGRAM,
  options?: SocketOptions,
): DatagramSocket;
export function socket(family?: AddressFamily, type?: SocketKind, options?: SocketOptions): Socket;
/** Python's socket.socket(family=AF_INET, type=SOCK_STREAM). */
export function socket(
  family: AddressFamily = AF_INET,
  type: SocketKind = SOCK_STREAM,
  options: SocketOptions = {},
): Socket {
  if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) {
    throw new SocketArgumentError(`socket: unknown family ${family}; use AF_INET, AF_INET6 or AF_UNIX`);
  }
  const limits = resolveSocketLimits(options);
  if (type === SOCK_STREAM) return new StreamSocket(family, limits);
  if (type !== SOCK_DGRAM)
    throw new SocketArgumentError(`socket: unknown type ${type}; use SOCK_STREAM or SOCK_DGRAM`);
  if (family === AF_UNIX) throw new SocketUnsupportedError('socket: Node.js has no Unix datagram sockets');
  return new DatagramSocket(family, limits);
}

export interface CreateSocketOptions extends SocketOptions {
  family?: FamilyName;
  type?: TypeName;
}

export function createSocket(options: CreateSocketOptions & { type: 'dgram' }): DatagramSocket;
export function createSocket(options?: CreateSocketOptions & { type?: 'stream' }): StreamSocket;
export function createSocket(options?: CreateSocketOptions): Socket;
/** socket() with words: createSocket({ family: 'ipv6', type: 'dgram' }). Defaults: ipv4, stream. */
export function createSocket(options: CreateSocketOptions = {}): Socket {
  const { family = 'ipv4', type = 'stream', ...limits } = options;
  const familyNumber = FAMILY_BY_NAME[family];
  const typeNumber = TYPE_BY_NAME[type];
  if (familyNumber === undefined) throw new SocketArgumentError(`createSocket: unknown family "${family}"`);
  if (typeNumber === undefined) throw new SocketArgumentError(`createSocket: unknown type "${type}"`);
  return socket(familyNumber, typeNumber, limits);
}

export interface CreateConnectionOptions extends SocketOptions {
  /** Applies to each connection attempt and stays set on the socket, as in Python. */
  timeoutMs?: number | null;
}

/**
 * Python's socket.create_connection(): tries every address of the host (IPv4 and IPv6)
 * in resolver order and returns the first connected socket, or throws the last error.
 * A string is a Unix socket path.
 */
export async function createConnection(
  address: InetAddress | string,
  options: CreateConnectionOptions = {},
): Promise<StreamSocket> {
  const { timeoutMs = null, ...limits } = options;
  const attempt = async (family: AddressFamily, target: InetAddress | string) => {
    const s = socket(family, SOCK_STREAM, limits);
    s.setTimeout(timeoutMs);
    try {
      await s.connect(target);
      return s;
    } catch (error) {
      await s.close();
      throw error;
    }
  };
  if (typeof address === 'string') return attempt(AF_UNIX, address);
  const candidates = await getaddrinfo(address[0], address[1], 0, SOCK_STREAM);
  let lastError: unknown;
  for (const [family, , , , sockaddr] of candidates) {
    try {
      return await attempt(family, sockaddr);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
