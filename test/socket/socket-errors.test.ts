/**
 * Every failure surfaces as a typed error with a stable code, the errno and syscall in
 * details and the Node.js error as cause: refused, reset, address in use / not available /
 * permission, host not found, timeouts, misuse and use after close.
 */
import '../helpers/dns-invalid-mock.js';
import { spawn } from 'node:child_process';
import { createServer, type Socket as NetSocket, connect as netConnect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LocalError, NetkitError } from '../../src/core/errors.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  ConnectionRefusedError,
  SOCK_DGRAM,
  SOCK_STREAM,
  SocketError,
  type SocketKind,
  socket,
} from '../../src/socket/index.js';
import { freePort } from './helpers/processes.js';
import { codeOf, connectedPair, HAS_IPV6, listening, track, unixPath } from './helpers/sockets.js';

describe('errors from the network and the OS', () => {
  it('refused: NK_CONN_REFUSED with errno, syscall and cause', async () => {
    const s = track(socket(AF_INET, SOCK_STREAM));
    const port = await freePort('tcp');
    const error = await s.connect(['127.0.0.1', port]).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error).toBeInstanceOf(SocketError);
    expect(error).toBeInstanceOf(NetkitError);
    expect(error).toMatchObject({ code: 'NK_CONN_REFUSED', name: 'ConnectionRefusedError' });
    expect(error.details).toMatchObject({ errno: 'ECONNREFUSED', syscall: 'connect' });
    expect(error.message).toBe(`connect to 127.0.0.1:${port}: connection refused`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    // A failed connect leaves the socket usable for another try, and a Unix path with no server is refused too.
    const server = await listening(AF_INET, ['127.0.0.1', 0]);
    await s.connect(server.getsockname());
    expect(await codeOf(track(socket(AF_UNIX)).connect(unixPath()))).toBe('NK_SOCKET_ERROR');
  });

  it('reset: NK_CONN_RESET on recv, and on every later call', async () => {
    const server = createServer((peer: NetSocket) => peer.once('data', () => peer.resetAndDestroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const s = track(socket(AF_INET, SOCK_STREAM));
      await s.connect(['127.0.0.1', (server.address() as { port: number }).port]);
      await s.sendall('trigger');
      const error = await s.recv(10).catch((e) => e);
      expect(error.code).toBe('NK_CONN_RESET');
      expect(error.details.errno).toBe('ECONNRESET');
      expect(await codeOf(s.sendall('more'))).toBe('NK_CONN_RESET');
      expect(await codeOf(s.recv(10))).toBe('NK_CONN_RESET');
    } finally {
      server.close();
    }
  });

  it('address in use at bind: NK_ADDR_IN_USE for TCP, UDP and Unix paths', async () => {
    const tcp = await listening(AF_INET, ['127.0.0.1', 0]);
    const error = await track(socket(AF_INET, SOCK_STREAM))
      .bind(tcp.getsockname())
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'NK_ADDR_IN_USE', details: { errno: 'EADDRINUSE' } });
    const udp = track(socket(AF_INET, SOCK_DGRAM));
    await udp.bind(['127.0.0.1', 0]);
    expect(await codeOf(track(socket(AF_INET, SOCK_DGRAM)).bind(udp.getsockname()))).toBe('NK_ADDR_IN_USE');
    const path = unixPath();
    await listening(AF_UNIX, path);
    expect(await codeOf(track(socket(AF_UNIX)).bind(path))).toBe('NK_ADDR_IN_USE');
  });

  it('an address of no local interface: NK_ADDR_NOT_AVAILABLE (198.51.100.1 is TEST-NET-2)', async () => {
    expect(await codeOf(track(socket(AF_INET)).bind(['198.51.100.1', 0]))).toBe('NK_ADDR_NOT_AVAILABLE');
    expect(await codeOf(track(socket(AF_INET, SOCK_DGRAM)).bind(['198.51.100.1', 0]))).toBe(
      'NK_ADDR_NOT_AVAILABLE',
    );
  });

  it.skipIf(process.getuid?.() === 0)('a privileged port without privilege: NK_ADDR_PERMISSION', async () => {
    expect(await codeOf(track(socket(AF_INET)).bind(['127.0.0.1', 80]))).toBe('NK_ADDR_PERMISSION');
  });

  it('a name that does not resolve: NK_HOST_NOT_FOUND (.invalid is reserved by RFC 6761)', async () => {
    const error = await track(socket(AF_INET))
      .connect(['no-such-host.invalid', 80])
      .catch((e) => e);
    expect(error.code).toBe('NK_HOST_NOT_FOUND');
    expect(error.details.host).toBe('no-such-host.invalid');
  });
});

describe('timeouts (setTimeout)', () => {
  it('recv and accept reject with NK_SOCKET_TIMEOUT after the timeout, and the socket stays usable', async () => {
    const [client, conn, server] = await connectedPair(AF_INET, ['127.0.0.1', 0]);
    conn.setTimeout(80);
    server.setTimeout(80);
    const started = Date.now();
    const error = await conn.recv(10).catch((e) => e);
    expect(error).toMatchObject({ code: 'NK_SOCKET_TIMEOUT', details: { timeoutMs: 80 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(await codeOf(server.accept())).toBe('NK_SOCKET_TIMEOUT');
    await client.sendall('still here');
    expect((await conn.recv(100)).toString()).toBe('still here');
    conn.setTimeout(null);
    expect(conn.getTimeout()).toBeNull();
  });

  it('a timed-out recv takes nothing: the data goes to the next caller', async () => {
    const [client, conn] = await connectedPair(AF_INET, ['127.0.0.1', 0]);
    conn.setTimeout(30);
    const first = codeOf(conn.recv(10));
    conn.setTimeout(null);
    const second = conn.recv(10);
    expect(await first).toBe('NK_SOCKET_TIMEOUT');
    await client.sendall('data');
    expect((await second).toString()).toBe('data');
  });

  it('timeout 0 fails at once when the call would wait (Python non-blocking mode)', async () => {
    const [client, conn] = await connectedPair(AF_INET, ['127.0.0.1', 0]);
    conn.setTimeout(0);
    expect(await codeOf(conn.recv(10))).toBe('NK_SOCKET_TIMEOUT');
    await client.sendall('ready');
    while (conn.stats().bufferedBytes < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await conn.recv(10)).toString()).toBe('ready');
  });

  it('sendall to a peer that never reads times out', async () => {
    const [client] = await connectedPair(AF_INET, ['127.0.0.1', 0]);
    client.setTimeout(300);
    const error = await client.sendall(Buffer.alloc(64 * 1024 * 1024)).catch((e) => e);
    expect(error.code).toBe('NK_SOCKET_TIMEOUT');
    expect(client.stats().bytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it('connect times out against a listener whose accept queue is full (loopback only)', async () => {
    const { port, connections, stop } = await fullAcceptQueue();
    try {
      const s = track(socket(AF_INET));
      s.setTimeout(200);
      const started = Date.now();
      const error = await s.connect(['127.0.0.1', port]).catch((e) => e);
      expect(error.code).toBe('NK_SOCKET_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const connection of connections) connection.destroy();
      stop();
    }
  });
});

/**
 * A loopback listener that never accepts, with its accept queue filled: Linux then drops
 * further SYNs, so a connect to it hangs. All traffic stays on 127.0.0.1. Python is used
 * because Node always accepts; it is one of the interop peers CI installs.
 */
async function fullAcceptQueue(): Promise<{ port: number; connections: NetSocket[]; stop: () => void }> {
  const child = spawn('python3', [
    '-c',
    'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)',
  ]);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('error', reject);
  });
  const connections: NetSocket[] = [];
  // Fill the queue: keep connecting until one attempt is still pending after 300 ms.
  for (let i = 0; i < 8; i++) {
    const attempt = netConnect({ host: '127.0.0.1', port });
    attempt.on('error', () => undefined);
    connections.push(attempt);
    await new Promise((resolve) => setTimeout(resolve, 150));
    if (attempt.connecting) break;
  }
  return { port, connections, stop: () => child.kill('SIGKILL') };
}

describe('misuse is a LocalError with NK_SOCKET_STATE, bad arguments NK_SOCKET_ARGUMENT', () => {
  it('calls in the wrong state', async () => {
    const fresh = track(socket(AF_INET, SOCK_STREAM));
    const error = await fresh.recv(10).catch((e) => e);
    expect(error).toBeInstanceOf(LocalError);
    expect(error.code).toBe('NK_SOCKET_STATE');
    expect(await codeOf(fresh.send('x'))).toBe('NK_SOCKET_STATE');
    expect(await codeOf(fresh.accept())).toBe('NK_SOCKET_STATE');
    expect(await codeOf(() => fresh.listen())).toBe('NK_SOCKET_STATE');
    expect(await codeOf(() => fresh.getpeername())).toBe('NK_SOCKET_STATE');
    expect(fresh.getsockname()).toEqual(['0.0.0.0', 0]);

    const bound = track(socket(AF_INET, SOCK_STREAM));
    await bound.bind(['127.0.0.1', 0]);
    expect(await codeOf(bound.accept())).toBe('NK_SOCKET_STATE'); // accept before listen
    expect(await codeOf(bound.bind(['127.0.0.1', 0]))).toBe('NK_SOCKET_STATE');
    bound.listen(3);
    expect(await codeOf(bound.connect(['127.0.0.1', 9]))).toBe('NK_SOCKET_STATE');
    expect(await codeOf(bound.send('x'))).toBe('NK_SOCKET_STATE');
    expect(await codeOf(bound[Symbol.asyncIterator]().next())).toBe('NK_SOCKET_STATE');

    const [client] = await connectedPair(AF_INET, ['127.0.0.1', 0]);
    expect(await codeOf(client.connect(['127.0.0.1', 9]))).toBe('NK_SOCKET_STATE');
    expect(await codeOf(client.sendto('x', ['127.0.0.1', 9]))).toBe('NK_SOCKET_STATE');
    expect(await codeOf(client.shutdown(7 as 0))).toBe('NK_SOCKET_ARGUMENT');
  });

  it('bad families, types and address shapes', async () => {
    expect(await codeOf(() => socket(AF_UNIX, SOCK_DGRAM))).toBe('NK_SOCKET_UNSUPPORTED');
    expect(await codeOf(() => socket(99 as 2))).toBe('NK_SOCKET_ARGUMENT');
    expect(await codeOf(() => socket(AF_INET, 5 as SocketKind))).toBe('NK_SOCKET_ARGUMENT');
    const s = track(socket(AF_INET));
    for (const address of ['127.0.0.1:80', ['127.0.0.1'], ['127.0.0.1', 70000], ['127.0.0.1', -1], [1, 2]]) {
      expect(await codeOf(s.bind(address as never))).toBe('NK_SOCKET_ARGUMENT');
    }
    expect(await codeOf(s.bind(['::1', 0]))).toBe('NK_SOCKET_ARGUMENT'); // IPv6 literal, IPv4 socket
    if (HAS_IPV6)
      expect(await codeOf(track(socket(AF_INET6)).bind(['127.0.0.1', 0]))).toBe('NK_SOCKET_ARGUMENT');
    expect(await codeOf(track(socket(AF_UNIX)).bind(['127.0.0.1', 0] as never))).toBe('NK_SOCKET_ARGUMENT');
    expect(await codeOf(track(socket(AF_UNIX)).bind(''))).toBe('NK_SOCKET_ARGUMENT');
  });

  it('bad bufsize, data and timeout', async () => {
    const [client] = await connectedPair(AF_INET, ['127.0.0.1', 0]);
    expect(await codeOf(client.recv(-1))).toBe('NK_SOCKET_ARGUMENT');
    expect(await codeOf(client.recv(1.5))).toBe('NK_SOCKET_ARGUMENT');
    expect(await codeOf(client.send(42 as never))).toBe('NK_SOCKET_ARGUMENT');
    expect(await codeOf(() => client.setTimeout(-1))).toBe('NK_SOCKET_ARGUMENT');
    expect(await codeOf(() => client.setTimeout(Number.NaN))).toBe('NK_SOCKET_ARGUMENT');
  });
});
