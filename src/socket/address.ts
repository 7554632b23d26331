/**
 * Socket addresses as Python writes them: [host, port] for IPv4 and IPv6, a path string
 * for Unix sockets. Host names are resolved here (with the socket's family), so the socket
 * classes only ever see address literals.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { formatHostPort } from '../core/endpoint.js';
import {
  type AddressFamily,
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IPPROTO_TCP,
  IPPROTO_UDP,
  SOCK_DGRAM,
  SOCK_STREAM,
  type SocketKind,
} from './constants.js';
import { SocketArgumentError, toSocketError } from './errors.js';

/** [host, port]: host is a name or an address literal ('' means any address, as in Python). */
export type InetAddress = readonly [host: string, port: number];
/** What a caller passes: [host, port], or a path for Unix sockets. */
export type SocketAddress = InetAddress | string;
/** What netkit returns: [address literal, port], or a path ('' for an unnamed Unix peer). */
export type PeerAddress = [host: string, port: number] | string;

export interface ResolvedInet {
  kind: 'inet';
  /** An address literal, never a name. */
  host: string;
  port: number;
  family: 4 | 6;
}

export interface ResolvedUnix {
  kind: 'unix';
  path: string;
}

export type ResolvedAddress = ResolvedInet | ResolvedUnix;

/** Checks the shape of an address for this family, without resolving names. */
export function checkAddress(family: AddressFamily, address: unknown, operation: string): SocketAddress {
  if (family === AF_UNIX) {
    if (typeof address !== 'string' || address.length === 0) {
      throw new SocketArgumentError(`${operation}: a Unix socket address is a non-empty path string`, {
        details: { address },
      });
    }
    return address;
  }
  if (!Array.isArray(address) || address.length < 2 || typeof address[0] !== 'string') {
    throw new SocketArgumentError(`${operation}: an IP socket address is [host, port], as ['127.0.0.1', 7]`, {
      details: { address },
    });
  }
  const port = address[1];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SocketArgumentError(`${operation}: port must be an integer from 0 to 65535`, {
      details: { address },
    });
  }
  return [address[0], port];
}

/** Resolves an address for a socket of `family`: names through the system resolver. */
export async function resolveAddress(
  family: AddressFamily,
  address: unknown,
  operation: string,
): Promise<ResolvedAddress> {
  const checked = checkAddress(family, address, operation);
  if (typeof checked === 'string') return { kind: 'unix', path: checked };
  const [host, port] = checked;
  const want = family === AF_INET6 ? 6 : 4;
  if (host === '') return { kind: 'inet', host: want === 6 ? '::' : '0.0.0.0', port, family: want };
  const literal = isIP(host.split('%')[0]!);
  if (literal !== 0) {
    if (literal !== want) {
      throw new SocketArgumentError(
        `${operation}: ${host} is an IPv${literal} address but the socket is IPv${want}` +
          (want === 6 ? ` (write ::ffff:${host} for an IPv4-mapped address)` : ''),
        { details: { address: checked } },
      );
    }
    return { kind: 'inet', host, port, family: want };
  }
  try {
    const found = await lookup(host, { family: want });
    return { kind: 'inet', host: found.address, port, family: want };
  } catch (error) {
    throw toSocketError(error, { operation: `${operation}: resolve ${host}`, details: { host } });
  }
}

export function formatAddress(address: ResolvedAddress | PeerAddress): string {
  if (typeof address === 'string') return address === '' ? '(unnamed unix socket)' : address;
  if (Array.isArray(address)) return formatHostPort(address[0], address[1]);
  const resolved = address as ResolvedAddress;
  return resolved.kind === 'unix' ? resolved.path : formatHostPort(resolved.host, resolved.port);
}

export function toPeerAddress(resolved: ResolvedAddress): PeerAddress {
  return resolved.kind === 'unix' ? resolved.path : [resolved.host, resolved.port];
}

/** One entry of getaddrinfo(): [family, type, proto, canonname, sockaddr], as in Python. */
export type AddrInfo = [
  family: AddressFamily,
  type: SocketKind,
  proto: number,
  canonname: string,
  [string, number],
];

/**
 * Python's socket.getaddrinfo(host, port, family, type): every address of `host`, each
 * once per socket type unless `type` picks one. Family 0 means IPv4 and IPv6.
 */
export async function getaddrinfo(
  host: string,
  port: number,
  family: 0 | AddressFamily = 0,
  type: 0 | SocketKind = 0,
): Promise<AddrInfo[]> {
  if (family === AF_UNIX) throw new SocketArgumentError('getaddrinfo: AF_UNIX has no host names');
  checkAddress(AF_INET, [host, port], 'getaddrinfo');
  let found: { address: string; family: number }[];
  try {
    found = await lookup(host, { all: true, family: family === 0 ? 0 : family === AF_INET6 ? 6 : 4 });
  } catch (error) {
    throw toSocketError(error, { operation: `resolve ${host}`, details: { host } });
  }
  const types: SocketKind[] = type === 0 ? [SOCK_STREAM, SOCK_DGRAM] : [type];
  return found.flatMap((entry) =>
    types.map(
      (kind): AddrInfo => [
        entry.family === 6 ? AF_INET6 : AF_INET,
        kind,
        kind === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP,
        '',
        [entry.address, port],
      ],
    ),
  );
}
