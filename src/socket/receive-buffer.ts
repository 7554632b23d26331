/**
 * Received bytes not yet read by recv(), in arrival order, with the high-water mark that
 * tells the socket when to stop reading. Sans I/O: the owner calls `push` with what
 * arrived and acts on the answer (pause), and asks `shouldResume` after each `take`.
 * The hysteresis (pause at the mark, resume below half of it) keeps a slow reader from
 * toggling the socket on every small recv.
 */

export class ReceiveBuffer {
  private chunks: Buffer[] = [];
  /** Bytes of chunks[0] already taken. */
  private offset = 0;
  private bytes = 0;
  private peak = 0;

  constructor(readonly highWaterMark: number) {}

  /** Unread bytes held. */
  get length(): number {
    return this.bytes;
  }

  /** The most unread bytes ever held at once. */
  get peakLength(): number {
    return this.peak;
  }

  /** Stores a chunk; true when the owner should pause reading. */
  push(chunk: Buffer): boolean {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
      if (this.bytes > this.peak) this.peak = this.bytes;
    }
    return this.bytes >= this.highWaterMark;
  }

  /** True when a paused owner should read again. */
  shouldResume(): boolean {
    return this.bytes <= this.highWaterMark / 2;
  }

  /** Up to `max` bytes, oldest first; empty when nothing is held. Copies only across chunks. */
  take(max: number): Buffer {
    const wanted = Math.min(max, this.bytes);
    if (wanted <= 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    if (first.length - this.offset >= wanted) {
      const out = first.subarray(this.offset, this.offset + wanted);
      this.advance(wanted);
      return out;
    }
    const out = Buffer.allocUnsafe(wanted);
    let filled = 0;
    while (filled < wanted) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length - this.offset, wanted - filled);
      chunk.copy(out, filled, this.offset, this.offset + n);
      filled += n;
      this.advance(n);
    }
    return out;
  }

  /** Forgets everything held (shutdown(SHUT_RD)). */
  clear(): void {
    this.chunks = [];
    this.offset = 0;
    this.bytes = 0;
  }

  private advance(n: number): void {
    this.offset += n;
    this.bytes -= n;
    if (this.offset === this.chunks[0]!.length) {
      this.chunks.shift();
      this.offset = 0;
    }
  }
}
