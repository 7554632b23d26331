/**
 * A UDP socket (IPv4 or IPv6) with Python's methods. Node reads every datagram as soon as
 * it arrives, so the receive queue lives here and is bounded like the kernel's: a datagram
 * arriving on a full queue is dropped and counted. recvfrom(bufsize) returns one datagram
 * cut to bufsize; the rest of it is discarded, as recvfrom(2) does.
 */
import { createSocket as createDgram, type Socket as DgramSocket } from 'node:dgram';
import type { NetkitError } from '../core/errors.js';
import { formatAddress, type PeerAddress, resolveAddress, type SocketAddress } from './address.js';
import { type AddressFamily, AF_INET6, SOCK_DGRAM, type SocketLimits } from './constants.js';
import { type Datagram, DatagramQueue } from './datagram-queue.js';
import { SocketClosedError, SocketStateError, toSocketError } from './errors.js';
import { checkBufsize, checkTimeout, type SocketStats, toBuffer } from './socket-common.js';
import { WaitQueue } from './wait-queue.js';

/** Largest UDP payload over IPv6 (and more than IPv4 allows): recvfrom's default bufsize when iterating. */
const MAX_DATAGRAM = 65535;

export class DatagramSocket implements AsyncIterable<[Buffer, PeerAddress]> {
  readonly type = SOCK_DGRAM;
  private socket: DgramSocket | undefined;
  private bound = false;
  private peer: PeerAddress | undefined;
  private closed = false;
  private timeoutMs: number | null = null;
  private readonly queue: DatagramQueue;
  private readonly readers = new WaitQueue<Datagram, number>();
  /** An error the OS reported asynchronously (ICMP port unreachable): given to the next recv, once. */
  private pendingError: NetkitError | undefined;
  private bytesReceived = 0;
  private bytesSent = 0;

  constructor(
    readonly family: AddressFamily,
    limits: SocketLimits,
  ) {
    this.queue = new DatagramQueue(limits.datagramQueueLength, limits.datagramQueueBytes);
  }

  setTimeout(timeoutMs: number | null): void {
    this.timeoutMs = checkTimeout(timeoutMs);
  }

  getTimeout(): number | null {
    return this.timeoutMs;
  }

  private open(operation: string): DgramSocket {
    if (this.closed) throw new SocketClosedError(operation);
    if (this.socket) return this.socket;
    const socket = createDgram({ type: this.family === AF_INET6 ? 'udp6' : 'udp4' });
    socket.on('message', (data, rinfo) => {
      this.bytesReceived += data.length;
      const datagram = { data, host: rinfo.address, port: rinfo.port };
      if (this.readers.length > 0) this.readers.resolveFirst(datagram);
      else this.queue.push(datagram);
    });
    socket.on('error', (error) => {
      const mapped = toSocketError(error, { operation: `recvfrom on ${this.describe()}` });
      if (this.readers.length > 0) this.readers.rejectFirst(mapped);
      else this.pendingError = mapped;
    });
    this.socket = socket;
    return socket;
  }

  async bind(address: SocketAddress): Promise<void> {
    if (this.closed) throw new SocketClosedError('bind');
    if (this.bound) throw new SocketStateError('bind: the socket is already bound');
    const target = await resolveAddress(this.family, address, 'bind');
    if (target.kind !== 'inet') throw new SocketStateError('bind: UDP sockets take [host, port]');
    const socket = this.open('bind');
    this.bound = true;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ address: target.host, port: target.port }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      // A dgram socket whose bind failed cannot be bound again: start over with a new one.
      this.pendingError = undefined;
      this.bound = false;
      this.socket = undefined;
      socket.close(() => undefined);
      throw toSocketError(error, {
        operation: `bind ${formatAddress(target)}`,
        details: { address: target },
      });
    }
  }

  /** Fixes the peer: send() goes to it and only its datagrams are received. Connecting again moves it. */
  async connect(address: SocketAddress): Promise<void> {
    const target = await resolveAddress(this.family, address, 'connect');
    if (target.kind !== 'inet') throw new SocketStateError('connect: UDP sockets take [host, port]');
    const socket = this.open('connect');
    if (this.peer !== undefined) socket.disconnect();
    this.peer = undefined;
    try {
      await new Promise<void>((resolve, reject) =>
        socket.connect(target.port, target.host, (error?: Error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      throw toSocketError(error, { operation: `connect to ${formatAddress(target)}` });
    }
    this.bound = true;
    this.peer = [target.host, target.port];
  }

  /** Sends one datagram to `address` (binding to an ephemeral port first if needed); returns its length. */
  async sendto(data: Uint8Array | string, address: SocketAddress): Promise<number> {
    if (this.peer !== undefined) throw new SocketStateError('sendto: the socket is connected; use send()');
    const bytes = toBuffer(data);
    const target = await resolveAddress(this.family, address, 'sendto');
    if (target.kind !== 'inet') throw new SocketStateError('sendto: UDP sockets take [host, port]');
    const socket = this.open('sendto');
    this.bound = true;
    return this.transmit(socket, bytes, `sendto ${formatAddress(target)}`, target.port, target.host);
  }

  /** Sends one datagram to the connected peer. */
  async send(data: Uint8Array | string): Promise<number> {
    if (this.closed) throw new SocketClosedError('send');
    if (this.peer === undefined)
      throw new SocketStateError('send: the socket is not connected; use sendto()');
    return this.transmit(this.socket!, toBuffer(data), `send to ${formatAddress(this.peer)}`);
  }

  async sendall(data: Uint8Array | string): Promise<void> {
    await this.send(data);
  }

  private async transmit(
    socket: DgramSocket,
    bytes: Buffer,
    operation: string,
    port?: number,
    host?: string,
  ) {
    // The callback comes once the datagram is handed to the kernel: one datagram in flight per call.
    try {
      const sent = await new Promise<number>((resolve, reject) => {
        const done = (error: Error | null, n: number) => (error ? reject(error) : resolve(n));
        if (port === undefined) socket.send(bytes, done);
        else socket.send(bytes, port, host, done);
      });
      this.bytesSent += sent;
      return sent;
    } catch (error) {
      throw toSocketError(error, { operation, details: { size: bytes.length } });
    }
  }

  /** One datagram, cut to `bufsize` bytes, and its sender. */
  async recvfrom(bufsize: number): Promise<[Buffer, PeerAddress]> {
    checkBufsize(bufsize, 'recvfrom');
    if (this.closed) throw new SocketClosedError('recvfrom');
    if (!this.bound) {
      throw new SocketStateError(
        'recvfrom: the socket is not bound, so nothing can arrive; bind() or sendto() first',
      );
    }
    let datagram: Datagram | undefined;
    if (this.readers.length === 0) datagram = this.queue.shift();
    if (!datagram && this.readers.length === 0 && this.pendingError) {
      const error = this.pendingError;
      this.pendingError = undefined;
      throw error;
    }
    datagram ??= await this.readers.wait(bufsize, this.timeoutMs, `recvfrom on ${this.describe()}`);
    return [datagram.data.subarray(0, bufsize), [datagram.host, datagram.port]];
  }

  async recv(bufsize: number): Promise<Buffer> {
    return (await this.recvfrom(bufsize))[0];
  }

  /** Python raises EOPNOTSUPP: UDP has no connections to listen for. */
  listen(_backlog?: number): never {
    throw new SocketStateError('listen: UDP sockets have no connections; use recvfrom()');
  }

  async accept(): Promise<never> {
    throw new SocketStateError('accept: UDP sockets have no connections; use recvfrom()');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.readers.rejectAll(new SocketClosedError('recvfrom'));
    this.queue.clear();
    const socket = this.socket;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  getsockname(): PeerAddress {
    if (this.closed) throw new SocketClosedError('getsockname');
    if (this.socket && this.bound) {
      try {
        const address = this.socket.address();
        return [address.address, address.port];
      } catch {
        // Not bound yet: an implicit bind is still under way.
      }
    }
    return [this.family === AF_INET6 ? '::' : '0.0.0.0', 0];
  }

  getpeername(): PeerAddress {
    if (this.closed) throw new SocketClosedError('getpeername');
    if (this.peer === undefined) throw new SocketStateError('getpeername: the socket is not connected');
    return this.peer;
  }

  stats(): SocketStats {
    return {
      bytesReceived: this.bytesReceived,
      bytesSent: this.bytesSent,
      bufferedBytes: this.queue.byteLength,
      peakBufferedBytes: this.queue.peakByteLength,
      readPauses: 0,
      writeBufferedBytes: 0,
      peakWriteBufferedBytes: 0,
      dropped: this.queue.dropped,
    };
  }

  /** Received datagrams with their senders, for `for await`; ends when the socket is closed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<[Buffer, PeerAddress]> {
    while (true) {
      try {
        yield await this.recvfrom(MAX_DATAGRAM);
      } catch (error) {
        if (error instanceof SocketClosedError) return;
        throw error;
      }
    }
  }

  private describe(): string {
    if (this.peer !== undefined) return formatAddress(this.peer);
    return this.closed ? 'a closed socket' : formatAddress(this.getsockname());
  }
}
