/**
 * Shared setup for the socket API tests: the address families to run each test over,
 * sockets closed after every test, and a way to read an error's code.
 */
import { createSocket as createDgram } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import {
  type AddressFamily,
  AF_INET,
  AF_INET6,
  AF_UNIX,
  SOCK_STREAM,
  type Socket,
  type SocketAddress,
  type SocketOptions,
  type StreamSocket,
  socket,
} from '../../../src/socket/index.js';
import { isCI } from '../../helpers/peers.js';

/** Whether ::1 can be bound here (some containers run without IPv6). */
export const HAS_IPV6: boolean = await new Promise((resolve) => {
  const probe = createDgram('udp6');
  probe.once('error', () => resolve(false));
  probe.bind(0, '::1', () => probe.close(() => resolve(true)));
});
if (!HAS_IPV6) {
  if (isCI) throw new Error('IPv6 loopback (::1) is not available, and CI requires it');
  process.stderr.write('\n*** SKIPPED: IPv6 tests, ::1 is not available on this machine\n\n');
}

const tempDir = mkdtempSync(join(tmpdir(), 'netkit-socket-'));
let unixCount = 0;

export interface FamilyCase {
  name: string;
  family: AddressFamily;
  /** A fresh address to bind: port 0, or a new path in a temporary folder. */
  bindAddress: () => SocketAddress;
  skip: boolean;
}

export const STREAM_FAMILIES: FamilyCase[] = [
  { name: 'TCP over IPv4', family: AF_INET, bindAddress: () => ['127.0.0.1', 0], skip: false },
  { name: 'TCP over IPv6', family: AF_INET6, bindAddress: () => ['::1', 0], skip: !HAS_IPV6 },
  { name: 'Unix stream', family: AF_UNIX, bindAddress: () => unixPath(), skip: false },
];

export const DATAGRAM_FAMILIES: FamilyCase[] = STREAM_FAMILIES.filter((f) => f.family !== AF_UNIX).map(
  (f) => ({
    ...f,
    name: f.name.replace('TCP', 'UDP'),
  }),
);

export function unixPath(): string {
  return join(tempDir, `s${++unixCount}.sock`);
}

const opened: Socket[] = [];

/** Remembers a socket so that it is closed after the test. */
export function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(() => {
  rmSync(tempDir, { recursive: true, force: true });
});

/** A bound, listening stream socket. */
export async function listening(
  family: AddressFamily,
  address: SocketAddress,
  options: SocketOptions = {},
): Promise<StreamSocket> {
  const s = track(socket(family, SOCK_STREAM, options));
  await s.bind(address);
  s.listen(5);
  return s;
}

/** A connected pair: [client, the server's accepted socket, the listener]. */
export async function connectedPair(
  family: AddressFamily,
  address: SocketAddress,
  options: SocketOptions = {},
): Promise<[StreamSocket, StreamSocket, StreamSocket]> {
  const server = await listening(family, address, options);
  const client = track(socket(family, SOCK_STREAM, options));
  await client.connect(server.getsockname());
  const [conn] = await server.accept();
  return [client, track(conn), server];
}

/** The code of the error `promise` rejects with (fails the test if it resolves). */
export async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return (error as { code?: string }).code ?? `no code: ${String(error)}`;
  }
  throw new Error('expected an error, but the call succeeded');
}
