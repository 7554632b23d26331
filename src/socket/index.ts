/**
 * netkit/socket: Python's socket API as promises over Node's net and dgram, so the
 * lecture's programs translate line for line. See docs/socket.md.
 */
export {
  type AddrInfo,
  getaddrinfo,
  type InetAddress,
  type PeerAddress,
  type SocketAddress,
} from './address.js';
export {
  type AddressFamily,
  AF_INET,
  AF_INET6,
  AF_UNIX,
  type FamilyName,
  IPPROTO_TCP,
  IPPROTO_UDP,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  type ShutdownHow,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOCKET_DEFAULTS,
  type SocketKind,
  type SocketLimits,
  type TypeName,
} from './constants.js';
export { DatagramSocket } from './datagram-socket.js';
export {
  AddressInUseError,
  AddressNotAvailableError,
  AddressPermissionError,
  ConnectionRefusedError,
  ConnectionResetError,
  HostNotFoundError,
  HostUnreachableError,
  SocketArgumentError,
  SocketClosedError,
  SocketError,
  SocketStateError,
  SocketTimeoutError,
  SocketUnsupportedError,
} from './errors.js';
export {
  type CreateConnectionOptions,
  type CreateSocketOptions,
  createConnection,
  createSocket,
  type Socket,
  type SocketOptions,
  socket,
} from './socket.js';
export type { SocketStats } from './socket-common.js';
export { StreamSocket } from './stream-socket.js';
