/**
 * The names Python's socket module uses, with Linux's numeric values (so they print as a
 * student expects), and the named defaults for every limit the socket API enforces.
 */

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export type AddressFamily = typeof AF_UNIX | typeof AF_INET | typeof AF_INET6;
export type SocketKind = typeof SOCK_STREAM | typeof SOCK_DGRAM;
export type ShutdownHow = typeof SHUT_RD | typeof SHUT_WR | typeof SHUT_RDWR;

/** The same choices spelled as words, for createSocket(). */
export type FamilyName = 'ipv4' | 'ipv6' | 'unix';
export type TypeName = 'stream' | 'dgram';

export const FAMILY_BY_NAME: Record<FamilyName, AddressFamily> = {
  ipv4: AF_INET,
  ipv6: AF_INET6,
  unix: AF_UNIX,
};
export const TYPE_BY_NAME: Record<TypeName, SocketKind> = { stream: SOCK_STREAM, dgram: SOCK_DGRAM };

export function familyName(family: AddressFamily): FamilyName {
  if (family === AF_INET) return 'ipv4';
  if (family === AF_INET6) return 'ipv6';
  return 'unix';
}

export const SOCKET_DEFAULTS = {
  /**
   * Unread received bytes at which a stream socket stops reading (TCP then shrinks its
   * window and the sender blocks). Reading resumes once recv() drains below half of it.
   * At most one more chunk (64 KiB from libuv) arrives past the mark.
   */
  receiveHighWaterMark: 64 * 1024,
  /** sendall() writes in chunks of this size and waits for 'drain' between full buffers. */
  sendChunkBytes: 64 * 1024,
  /** UDP: unread datagrams held before new ones are dropped, as a full kernel buffer does. */
  datagramQueueLength: 1024,
  /** UDP: unread bytes held before new datagrams are dropped (Linux's default rmem is ~208 KiB). */
  datagramQueueBytes: 1024 * 1024,
  /** Python's listen() default: min(SOMAXCONN, 128). */
  backlog: 128,
  /** Chunk size of `for await` over a connected stream socket. */
  iterateBytes: 64 * 1024,
  /** close() waits this long for buffered writes to reach the kernel, then drops them. */
  closeLingerMs: 30_000,
} as const;

export type SocketLimits = { -readonly [K in keyof typeof SOCKET_DEFAULTS]: number };

export function resolveSocketLimits(overrides: Partial<SocketLimits> = {}): SocketLimits {
  const limits: SocketLimits = { ...SOCKET_DEFAULTS };
  for (const [key, value] of Object.entries(overrides) as [keyof SocketLimits, number | undefined][]) {
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}
