/**
 * The listening half of a stream socket. Node has no bind-without-listen for servers, so
 * bind() opens a net.Server at once: "address in use" surfaces at bind() and getsockname()
 * knows the real port, as in Python. The kernel hands every connection to Node straight
 * away, so the accept queue lives here: connections wait in it (reading at most
 * receiveHighWaterMark each) until accept(). Like Linux, it holds backlog + 1 connections;
 * past that a new connection is reset and counted (Linux would drop the SYN and let the
 * client retry; Node gives no way to stop accepting).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { formatHostPort } from '../core/endpoint.js';
import { formatAddress, type PeerAddress, type ResolvedAddress } from './address.js';
import type { SocketLimits } from './constants.js';
import { SocketClosedError, toSocketError } from './errors.js';
import { StreamConnection } from './stream-connection.js';
import { WaitQueue } from './wait-queue.js';

export class StreamListener {
  private readonly queue: StreamConnection[] = [];
  private readonly acceptors = new WaitQueue<StreamConnection>();
  private dropped = 0;
  private closed = false;
  /** Connections held before accept() beyond which new ones are reset (Python's listen(backlog)). */
  backlog: number;

  private constructor(
    private readonly server: Server,
    private readonly limits: SocketLimits,
    /** The bound address, with the real port when port 0 was asked for. */
    readonly address: PeerAddress,
  ) {
    this.backlog = limits.backlog;
    server.on('connection', (socket) => this.onConnection(socket));
    // Accept failures (EMFILE...) leave the listener usable; the next accept() still waits.
    server.on('error', () => undefined);
  }

  static async open(target: ResolvedAddress, limits: SocketLimits): Promise<StreamListener> {
    const server = createServer({ allowHalfOpen: true });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const options =
          target.kind === 'unix' ? { path: target.path } : { host: target.host, port: target.port };
        server.listen(options, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      throw toSocketError(error, {
        operation: `bind ${formatAddress(target)}`,
        details: { address: target },
      });
    }
    const bound = server.address();
    const address: PeerAddress =
      bound === null || typeof bound === 'string'
        ? target.kind === 'unix'
          ? target.path
          : (bound ?? '')
        : [bound.address, bound.port];
    return new StreamListener(server, limits, address);
  }

  private onConnection(socket: Socket): void {
    const connection = this.wrap(socket);
    if (this.acceptors.length > 0) this.acceptors.resolveFirst(connection);
    else if (this.queue.length <= this.backlog) this.queue.push(connection);
    else {
      this.dropped++;
      this.reset(connection.socket);
    }
  }

  /** Resets a TCP connection (RST, as the kernel does); a Unix one can only be closed. */
  private reset(socket: Socket): void {
    if (typeof this.address === 'string') socket.destroy();
    else socket.resetAndDestroy();
  }

  private wrap(socket: Socket): StreamConnection {
    if (typeof this.address === 'string') {
      // An accepted Unix connection's peer is unnamed unless the client bound a path: Python returns ''.
      return new StreamConnection(socket, this.limits, this.address, '', `${this.address} (peer)`);
    }
    const peer: [string, number] = [socket.remoteAddress ?? '', socket.remotePort ?? 0];
    const local: [string, number] = [
      socket.localAddress ?? this.address[0],
      socket.localPort ?? this.address[1],
    ];
    return new StreamConnection(socket, this.limits, local, peer, formatHostPort(peer[0], peer[1]));
  }

  /** The oldest queued connection, or the next to arrive. */
  accept(timeoutMs: number | null): Promise<StreamConnection> {
    if (this.closed) return Promise.reject(new SocketClosedError('accept'));
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return this.acceptors.wait(undefined, timeoutMs, `accept on ${formatAddress(this.address)}`);
  }

  /** Connections reset because the accept queue was full. */
  get droppedConnections(): number {
    return this.dropped;
  }

  get queuedConnections(): number {
    return this.queue.length;
  }

  /**
   * Stops listening (a Unix socket file is removed, as Node does). Connections accepted
   * earlier stay open; queued ones are reset, as the kernel resets them when a listening
   * socket closes.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.acceptors.rejectAll(new SocketClosedError('accept'));
    for (const connection of this.queue.splice(0)) this.reset(connection.socket);
    // server.close()'s callback waits for accepted connections too; the port is free already.
    await new Promise<void>((resolve) => {
      this.server.close();
      setImmediate(resolve);
    });
  }
}
