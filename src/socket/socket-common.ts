/**
 * What stream and datagram sockets share: argument checks, and the statistics a socket
 * reports about its buffers, so callers (and tests) can see backpressure at work: how much
 * is held unread, the most ever held, how often reading paused, what was dropped.
 */
import { SocketArgumentError } from './errors.js';

export interface SocketStats {
  bytesReceived: number;
  bytesSent: number;
  /** Received bytes held by netkit and not yet returned by recv(). */
  bufferedBytes: number;
  /** The most received bytes ever held at once. */
  peakBufferedBytes: number;
  /** Times a stream socket stopped reading because the reader fell behind. */
  readPauses: number;
  /** Bytes accepted by send()/sendall() and not yet handed to the kernel. */
  writeBufferedBytes: number;
  peakWriteBufferedBytes: number;
  /** Datagrams dropped on a full receive queue (UDP), or connections reset on a full accept queue. */
  dropped: number;
}

/** Bytes to send: strings are encoded as UTF-8, byte views are used without copying. */
export function toBuffer(data: Uint8Array | string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new SocketArgumentError(`expected bytes (Uint8Array) or a string, got ${typeof data}`);
}

/** recv's bufsize: a non-negative integer, as Python requires. */
export function checkBufsize(bufsize: number, operation: string): number {
  if (!Number.isInteger(bufsize) || bufsize < 0) {
    throw new SocketArgumentError(`${operation}: bufsize must be a non-negative integer, not ${bufsize}`);
  }
  return bufsize;
}

/** setTimeout's argument: milliseconds >= 0, or null for no timeout. */
export function checkTimeout(timeoutMs: number | null): number | null {
  if (timeoutMs === null) return null;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new SocketArgumentError(`setTimeout: expected milliseconds >= 0 or null, not ${timeoutMs}`);
  }
  // Node's timers take at most 2^31-1 ms; longer is as good as no timeout.
  return timeoutMs > 2 ** 31 - 1 ? null : timeoutMs;
}
