/**
 * The entry points and the pieces around the socket classes: socket()/createSocket(),
 * names resolved at bind and connect, getaddrinfo, createConnection, bind-then-connect,
 * and the errno table behind every typed error.
 */
import '../helpers/dns-invalid-mock.js';
import { describe, expect, it } from 'vitest';
import { NetkitError } from '../../src/core/errors.js';
import { toSocketError } from '../../src/socket/errors.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  createConnection,
  createSocket,
  DatagramSocket,
  getaddrinfo,
  SOCK_DGRAM,
  SOCK_STREAM,
  SocketStateError,
  StreamSocket,
  socket,
} from '../../src/socket/index.js';
import { freePort } from './helpers/processes.js';
import { codeOf, HAS_IPV6, listening, track, unixPath } from './helpers/sockets.js';

describe('socket() and createSocket()', () => {
  it('use Linux values for the constants and Python defaults (AF_INET, SOCK_STREAM)', () => {
    expect([AF_UNIX, AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM]).toEqual([1, 2, 10, 1, 2]);
    const s = track(socket());
    expect(s).toBeInstanceOf(StreamSocket);
    expect([s.family, s.type]).toEqual([AF_INET, SOCK_STREAM]);
  });

  it('createSocket takes words', () => {
    const u = track(createSocket({ family: 'ipv6', type: 'dgram' }));
    expect(u).toBeInstanceOf(DatagramSocket);
    expect([u.family, u.type]).toEqual([AF_INET6, SOCK_DGRAM]);
    expect(track(createSocket({ family: 'unix' })).family).toBe(AF_UNIX);
    expect(() => createSocket({ family: 'ipx' as 'ipv4' })).toThrow(/unknown family/);
  });
});

describe('addresses', () => {
  it('resolves host names at bind and connect, and binds any address for an empty host', async () => {
    const server = await listening(AF_INET, ['localhost', 0]);
    const [host, port] = server.getsockname() as [string, number];
    expect(host).toBe('127.0.0.1');
    const client = track(socket(AF_INET));
    await client.connect(['localhost', port]);
    expect(client.getpeername()).toEqual(['127.0.0.1', port]);
    const any = await listening(AF_INET, ['', 0]);
    expect((any.getsockname() as [string, number])[0]).toBe('0.0.0.0');
  });

  it('getaddrinfo returns Python-shaped entries', async () => {
    const entries = await getaddrinfo('127.0.0.1', 7, 0, SOCK_STREAM);
    expect(entries).toEqual([[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 7]]]);
    const both = await getaddrinfo('::1', 53);
    expect(both).toEqual([
      [AF_INET6, SOCK_STREAM, 6, '', ['::1', 53]],
      [AF_INET6, SOCK_DGRAM, 17, '', ['::1', 53]],
    ]);
    expect(await codeOf(getaddrinfo('no-such-host.invalid', 1))).toBe('NK_HOST_NOT_FOUND');
  });

  it('bind() then connect() connects from the bound port, as in Python', async () => {
    const server = await listening(AF_INET, ['127.0.0.1', 0]);
    const client = track(socket(AF_INET));
    await client.bind(['127.0.0.1', 0]);
    const [, localPort] = client.getsockname() as [string, number];
    await client.connect(server.getsockname());
    const [, from] = await server.accept();
    expect(from).toEqual(['127.0.0.1', localPort]);
  });
});

describe('createConnection()', () => {
  it('connects to a name, trying its addresses, and keeps the timeout set', async () => {
    const server = await listening(AF_INET, ['127.0.0.1', 0]);
    const [, port] = server.getsockname() as [string, number];
    const s = track(await createConnection(['localhost', port], { timeoutMs: 1000 }));
    expect(s.getpeername()).toEqual(['127.0.0.1', port]);
    expect(s.getTimeout()).toBe(1000);
  });

  it('connects to a Unix path', async () => {
    const path = unixPath();
    await listening(AF_UNIX, path);
    const s = track(await createConnection(path));
    expect(s.getpeername()).toBe(path);
  });

  it.skipIf(!HAS_IPV6)('connects over IPv6 and reports the last error when every address fails', async () => {
    const server = await listening(AF_INET6, ['::1', 0]);
    const s = track(await createConnection(server.getsockname() as [string, number]));
    expect((s.getpeername() as [string, number])[0]).toBe('::1');
    expect(await codeOf(createConnection(['127.0.0.1', await freePort('tcp')]))).toBe('NK_CONN_REFUSED');
  });
});

describe('toSocketError', () => {
  const table: [string, string][] = [
    ['ECONNREFUSED', 'NK_CONN_REFUSED'],
    ['ECONNRESET', 'NK_CONN_RESET'],
    ['EPIPE', 'NK_CONN_RESET'],
    ['ECONNABORTED', 'NK_CONN_RESET'],
    ['ETIMEDOUT', 'NK_SOCKET_TIMEOUT'],
    ['EADDRINUSE', 'NK_ADDR_IN_USE'],
    ['EACCES', 'NK_ADDR_PERMISSION'],
    ['EPERM', 'NK_ADDR_PERMISSION'],
    ['EADDRNOTAVAIL', 'NK_ADDR_NOT_AVAILABLE'],
    ['ENOTFOUND', 'NK_HOST_NOT_FOUND'],
    ['EAI_AGAIN', 'NK_HOST_NOT_FOUND'],
    ['EHOSTUNREACH', 'NK_HOST_UNREACHABLE'],
    ['ENETUNREACH', 'NK_HOST_UNREACHABLE'],
    ['ERR_STREAM_DESTROYED', 'NK_SOCKET_CLOSED'],
    ['ENOENT', 'NK_SOCKET_ERROR'],
    ['EWHATEVER', 'NK_SOCKET_ERROR'],
  ];
  it.each(table)('maps %s to %s, keeping errno, syscall and cause', (errno, code) => {
    const cause = Object.assign(new Error(`bind ${errno}`), { code: errno, syscall: 'bind' });
    const error = toSocketError(cause, { operation: 'bind 127.0.0.1:80' });
    expect(error).toBeInstanceOf(NetkitError);
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ errno, syscall: 'bind', operation: 'bind 127.0.0.1:80' });
    expect(error.cause).toBe(cause);
    expect(error.message.startsWith('bind 127.0.0.1:80')).toBe(true);
  });

  it('passes netkit errors through unchanged', () => {
    const original = new SocketStateError('nope');
    expect(toSocketError(original, { operation: 'x' })).toBe(original);
  });
});
