/**
 * One connected stream (TCP or Unix) seen through pull-style calls. Node pushes 'data';
 * recv() pulls. Between them sits a bounded ReceiveBuffer: when the reader falls behind,
 * the net.Socket is paused, the kernel buffer fills and TCP flow control stops the sender.
 * Writes wait for 'drain' when Node's write buffer is full, so a fast writer to a slow peer
 * blocks as Python's sendall would, instead of buffering without bound.
 */
import type { Socket } from 'node:net';
import type { NetkitError } from '../core/errors.js';
import type { PeerAddress } from './address.js';
import { SHUT_RD, SHUT_RDWR, SHUT_WR, type ShutdownHow, type SocketLimits } from './constants.js';
import { SocketArgumentError, SocketClosedError, SocketStateError, toSocketError } from './errors.js';
import { ReceiveBuffer } from './receive-buffer.js';
import { type SocketStats, toBuffer } from './socket-common.js';
import { WaitQueue, waitForEvent, withTimeout } from './wait-queue.js';

const EMPTY = Buffer.alloc(0);

export class StreamConnection {
  private readonly buffer: ReceiveBuffer;
  private readonly readers = new WaitQueue<Buffer, number>();
  private eof = false;
  private failure: NetkitError | undefined;
  private closedLocally = false;
  private readShut = false;
  private writeShut = false;
  private paused = false;
  private pauses = 0;
  private bytesReceived = 0;
  private bytesSent = 0;
  private peakWriteBuffered = 0;
  /** Sends run one after another, so concurrent sendall() calls never interleave their bytes. */
  private sendChain: Promise<unknown> = Promise.resolve();
  private readonly closed: Promise<void>;

  constructor(
    readonly socket: Socket,
    private readonly limits: SocketLimits,
    readonly local: PeerAddress,
    readonly peer: PeerAddress,
    /** The peer as messages name it: "127.0.0.1:7", "/tmp/echo.sock". */
    private readonly name: string,
  ) {
    this.buffer = new ReceiveBuffer(limits.receiveHighWaterMark);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.eof = true;
      this.serveReaders();
    });
    socket.on('error', (error) => {
      this.failure ??= toSocketError(error, { operation: `connection with ${name}` });
      this.serveReaders();
    });
    socket.on('close', () => {
      // Destroyed without an error or a FIN (by us): later reads see end of stream.
      this.eof = true;
      this.serveReaders();
    });
  }

  private onData(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    if (this.readShut || this.closedLocally) return;
    if (this.buffer.push(chunk) && !this.paused) {
      this.socket.pause();
      this.paused = true;
      this.pauses++;
    }
    this.serveReaders();
  }

  /** Hands buffered data, end of stream or the failure to waiting readers, oldest first. */
  private serveReaders(): void {
    while (this.readers.length > 0) {
      if (this.buffer.length > 0) this.readers.resolveFirst(this.buffer.take(this.readers.peek()!));
      else if (this.failure) this.readers.rejectFirst(this.failure);
      else if (this.eof || this.readShut) this.readers.resolveFirst(EMPTY);
      else break;
    }
    if (this.paused && this.buffer.shouldResume() && !this.socket.destroyed) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Up to `bufsize` bytes of what has arrived; waits if nothing has; empty at end of stream. */
  recv(bufsize: number, timeoutMs: number | null): Promise<Buffer> {
    if (this.closedLocally) return Promise.reject(new SocketClosedError('recv'));
    if (bufsize === 0) return Promise.resolve(EMPTY);
    if (this.readers.length === 0) {
      if (this.buffer.length > 0) {
        const data = this.buffer.take(bufsize);
        this.serveReaders();
        return Promise.resolve(data);
      }
      if (this.failure) return Promise.reject(this.failure);
      if (this.eof || this.readShut) return Promise.resolve(EMPTY);
    }
    return this.readers.wait(bufsize, timeoutMs, `recv from ${this.name}`);
  }

  /** Writes all of `data` once the write buffer has room; returns its length (see docs). */
  send(data: Uint8Array | string, timeoutMs: number | null): Promise<number> {
    const bytes = toBuffer(data);
    return this.serialize(async () => {
      await this.waitForRoom('send', timeoutMs);
      this.socket.write(bytes);
      this.noteWrite(bytes.length);
      return bytes.length;
    });
  }

  /** Writes all of `data` in chunks, waiting for room between them and for the last to be flushed. */
  sendall(data: Uint8Array | string, timeoutMs: number | null): Promise<void> {
    const bytes = toBuffer(data);
    return this.serialize(async () => {
      const step = this.limits.sendChunkBytes;
      let last: Promise<void> = Promise.resolve();
      for (let offset = 0; offset < bytes.length; offset += step) {
        await this.waitForRoom('sendall', timeoutMs);
        const chunk = bytes.subarray(offset, offset + step);
        last = new Promise((resolve, reject) =>
          this.socket.write(chunk, (error) => (error ? reject(error) : resolve())),
        );
        last.catch(() => undefined); // reported below, or by the 'error' listener
        this.noteWrite(chunk.length);
      }
      // Waiting for the last write to reach the kernel makes errors (reset, broken pipe) land here.
      try {
        await withTimeout(last, timeoutMs, `sendall to ${this.name}`);
      } catch (error) {
        throw this.failure ?? toSocketError(error, { operation: `sendall to ${this.name}` });
      }
    });
  }

  private async waitForRoom(operation: string, timeoutMs: number | null): Promise<void> {
    this.checkWritable(operation);
    if (!this.socket.writableNeedDrain) return;
    try {
      await waitForEvent(this.socket, 'drain', timeoutMs, `${operation} to ${this.name}`, () => this.failure);
    } catch (error) {
      throw toSocketError(error, { operation: `${operation} to ${this.name}` });
    }
    this.checkWritable(operation);
  }

  private checkWritable(operation: string): void {
    if (this.closedLocally) throw new SocketClosedError(operation);
    if (this.failure) throw this.failure;
    if (this.writeShut) throw new SocketStateError(`${operation} after shutdown(SHUT_WR)`);
    if (this.socket.destroyed) throw new SocketClosedError(operation);
  }

  private noteWrite(length: number): void {
    this.bytesSent += length;
    this.peakWriteBuffered = Math.max(this.peakWriteBuffered, this.socket.writableLength);
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.sendChain.then(operation, operation);
    this.sendChain = run.catch(() => undefined);
    return run;
  }

  /** SHUT_WR sends FIN after everything already sent; SHUT_RD discards further input. */
  async shutdown(how: ShutdownHow): Promise<void> {
    if (this.closedLocally) throw new SocketClosedError('shutdown');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) {
      throw new SocketArgumentError(`shutdown: how must be SHUT_RD, SHUT_WR or SHUT_RDWR, not ${how}`);
    }
    if (how !== SHUT_WR) {
      this.readShut = true;
      this.buffer.clear();
      this.serveReaders();
    }
    if (how === SHUT_RD) return;
    await this.serialize(async () => {
      if (this.writeShut || this.socket.destroyed) return;
      this.writeShut = true;
      const finished = waitForEvent(this.socket, 'finish', null, 'shutdown', () => undefined);
      this.socket.end();
      await finished.catch(() => undefined); // a failure shows on the next call
    });
  }

  /**
   * Closes the connection: later and pending calls fail with NK_SOCKET_CLOSED. What send()
   * already accepted is still flushed (as the kernel does after close()), for at most
   * closeLingerMs; then the socket is destroyed.
   */
  close(): Promise<void> {
    if (this.closedLocally) return this.closed;
    this.closedLocally = true;
    this.readers.rejectAll(new SocketClosedError('recv'));
    this.buffer.clear();
    if (!this.socket.destroyed) {
      this.socket.destroySoon();
      setTimeout(() => this.socket.destroy(), this.limits.closeLingerMs).unref();
    }
    return this.closed;
  }

  stats(): SocketStats {
    return {
      bytesReceived: this.bytesReceived,
      bytesSent: this.bytesSent,
      bufferedBytes: this.buffer.length,
      peakBufferedBytes: this.buffer.peakLength,
      readPauses: this.pauses,
      writeBufferedBytes: this.socket.writableLength,
      peakWriteBufferedBytes: this.peakWriteBuffered,
      dropped: 0,
    };
  }
}
