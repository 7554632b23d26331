/**
 * A TCP or Unix stream socket with Python's methods and states: fresh → bound → listening
 * (a server), or fresh → connected (a client, or a socket returned by accept()). Every call
 * that can wait honours setTimeout(), and misuse fails with NK_SOCKET_STATE as Python's
 * OSError would (ENOTCONN, EINVAL, EISCONN).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { formatAddress, type PeerAddress, resolveAddress, type SocketAddress } from './address.js';
import {
  type AddressFamily,
  AF_INET6,
  AF_UNIX,
  SHUT_RDWR,
  type ShutdownHow,
  SOCK_STREAM,
  type SocketLimits,
} from './constants.js';
import { SocketClosedError, SocketStateError, SocketUnsupportedError, toSocketError } from './errors.js';
import { checkBufsize, checkTimeout, type SocketStats } from './socket-common.js';
import { StreamConnection } from './stream-connection.js';
import { StreamListener } from './stream-listener.js';
import { waitForEvent } from './wait-queue.js';

type StreamState = 'fresh' | 'bound' | 'listening' | 'connecting' | 'connected' | 'closed';

export class StreamSocket implements AsyncIterable<Buffer> {
  readonly type = SOCK_STREAM;
  private state: StreamState;
  private timeoutMs: number | null = null;
  private listener: StreamListener | undefined;
  private connection: StreamConnection | undefined;
  private connecting: Socket | undefined;

  constructor(
    readonly family: AddressFamily,
    private readonly limits: SocketLimits,
    connection?: StreamConnection,
  ) {
    this.connection = connection;
    this.state = connection ? 'connected' : 'fresh';
  }

  /** Milliseconds a waiting call may take before it fails with NK_SOCKET_TIMEOUT; null waits forever. */
  setTimeout(timeoutMs: number | null): void {
    this.timeoutMs = checkTimeout(timeoutMs);
  }

  getTimeout(): number | null {
    return this.timeoutMs;
  }

  /** Binds and starts listening at once (see stream-listener.ts for why); connections queue until accept(). */
  async bind(address: SocketAddress): Promise<void> {
    this.expect('bind', ['fresh'], 'the socket is already bound or connected');
    const target = await resolveAddress(this.family, address, 'bind');
    this.expect('bind', ['fresh'], 'the socket is already bound or connected');
    const listener = await StreamListener.open(target, this.limits);
    if (this.state !== 'fresh') {
      await listener.close();
      this.expect('bind', ['fresh'], 'the socket is already bound or connected');
    }
    this.listener = listener;
    this.state = 'bound';
  }

  /** Marks the socket as a server; `backlog` bounds the connections waiting for accept(). */
  listen(backlog: number = this.limits.backlog): void {
    this.expect('listen', ['bound', 'listening'], 'call bind() first');
    this.listener!.backlog = Math.max(0, Math.floor(backlog));
    this.state = 'listening';
  }

  /** The next connection and its peer address ([host, port], or '' for an unnamed Unix peer). */
  async accept(): Promise<[StreamSocket, PeerAddress]> {
    this.expect('accept', ['listening'], 'call listen() first');
    const connection = await this.listener!.accept(this.timeoutMs);
    return [new StreamSocket(this.family, this.limits, connection), connection.peer];
  }

  /** Accepted connections, for `for await`; ends when the socket is closed. */
  async *connections(): AsyncGenerator<[StreamSocket, PeerAddress]> {
    while (true) {
      try {
        yield await this.accept();
      } catch (error) {
        if (error instanceof SocketClosedError) return;
        throw error;
      }
    }
  }

  async connect(address: SocketAddress): Promise<void> {
    this.expect('connect', ['fresh', 'bound'], 'the socket is already connected or listening');
    const target = await resolveAddress(this.family, address, 'connect');
    this.expect('connect', ['fresh', 'bound'], 'the socket is already connected or listening');
    let local: PeerAddress | undefined;
    if (this.listener) {
      // bind() then connect(): connect from the bound address, as Python does.
      if (target.kind === 'unix')
        throw new SocketUnsupportedError('connect: Node.js cannot bind a Unix client socket');
      local = this.listener.address;
      await this.listener.close();
      this.listener = undefined;
    }
    const operation = `connect to ${formatAddress(target)}`;
    const socket =
      target.kind === 'unix'
        ? netConnect({ path: target.path, allowHalfOpen: true })
        : netConnect({
            host: target.host,
            port: target.port,
            family: target.family,
            allowHalfOpen: true,
            ...(Array.isArray(local) ? { localAddress: local[0], localPort: local[1] } : {}),
          });
    this.state = 'connecting';
    this.connecting = socket;
    try {
      await waitForEvent(
        socket,
        'connect',
        this.timeoutMs,
        operation,
        () => new SocketClosedError('connect'),
      );
    } catch (error) {
      socket.destroy();
      if (this.state === 'connecting') this.state = 'fresh';
      throw toSocketError(error, { operation, details: { address: target } });
    } finally {
      this.connecting = undefined;
    }
    const peer: PeerAddress =
      target.kind === 'unix'
        ? target.path
        : [socket.remoteAddress ?? target.host, socket.remotePort ?? target.port];
    const mine: PeerAddress =
      target.kind === 'unix' ? '' : [socket.localAddress ?? '', socket.localPort ?? 0];
    this.connection = new StreamConnection(socket, this.limits, mine, peer, formatAddress(target));
    this.state = 'connected';
  }

  /** Sends all of `data` once there is room, and returns its length (never a partial count). */
  async send(data: Uint8Array | string): Promise<number> {
    return this.connected('send').send(data, this.timeoutMs);
  }

  async sendall(data: Uint8Array | string): Promise<void> {
    return this.connected('sendall').sendall(data, this.timeoutMs);
  }

  /** Stream sockets have no destination per call: use send(), as Python's EISCONN says. */
  async sendto(_data: Uint8Array | string, _address: SocketAddress): Promise<number> {
    throw new SocketStateError('sendto: a stream socket sends to its connected peer; use send()');
  }

  /** Up to `bufsize` bytes of what has arrived (waits if nothing has); empty at end of stream. */
  async recv(bufsize: number): Promise<Buffer> {
    checkBufsize(bufsize, 'recv');
    return this.connected('recv').recv(bufsize, this.timeoutMs);
  }

  /** recv() with the peer address (Python gives None here; the peer is more useful). */
  async recvfrom(bufsize: number): Promise<[Buffer, PeerAddress]> {
    checkBufsize(bufsize, 'recvfrom');
    const connection = this.connected('recvfrom');
    return [await connection.recv(bufsize, this.timeoutMs), connection.peer];
  }

  async shutdown(how: ShutdownHow = SHUT_RDWR): Promise<void> {
    return this.connected('shutdown').shutdown(how);
  }

  /** Closes the socket; pending and later calls fail with NK_SOCKET_CLOSED. Closing twice is fine. */
  async close(): Promise<void> {
    this.state = 'closed';
    this.connecting?.destroy();
    await Promise.all([this.listener?.close(), this.connection?.close()]);
  }

  /** The local address: the real port after bind(['host', 0]); ['0.0.0.0', 0] (or '') before bind. */
  getsockname(): PeerAddress {
    if (this.state === 'closed') throw new SocketClosedError('getsockname');
    if (this.listener) return this.listener.address;
    if (this.connection) return this.connection.local;
    if (this.family === AF_UNIX) return '';
    return [this.family === AF_INET6 ? '::' : '0.0.0.0', 0];
  }

  getpeername(): PeerAddress {
    return this.connected('getpeername').peer;
  }

  stats(): SocketStats {
    const empty: SocketStats = {
      bytesReceived: 0,
      bytesSent: 0,
      bufferedBytes: 0,
      peakBufferedBytes: 0,
      readPauses: 0,
      writeBufferedBytes: 0,
      peakWriteBufferedBytes: 0,
      dropped: 0,
    };
    if (this.connection) return this.connection.stats();
    return { ...empty, dropped: this.listener?.droppedConnections ?? 0 };
  }

  /** Received data chunk by chunk, for `for await`; ends at end of stream. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    if (this.state === 'listening') {
      throw new SocketStateError(
        'iterate a listening socket with connections(), not for await on the socket',
      );
    }
    while (true) {
      const chunk = await this.recv(this.limits.iterateBytes);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  private connected(operation: string): StreamConnection {
    this.expect(operation, ['connected'], 'the socket is not connected');
    return this.connection!;
  }

  private expect(operation: string, states: StreamState[], why: string): void {
    if (this.state === 'closed') throw new SocketClosedError(operation);
    if (!states.includes(this.state)) {
      throw new SocketStateError(`${operation}: ${why} (state: ${this.state})`, {
        details: { operation, state: this.state },
      });
    }
  }
}
