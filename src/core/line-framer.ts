/**
 * Splits a byte stream into lines, sans I/O. A line ends at LF; a CR before the LF is
 * dropped too (telnet and nc -C send CRLF). A line longer than `maxLineBytes` is reported
 * once as 'too-long' and its bytes are skipped up to the next LF, so memory stays bounded
 * by the limit whatever the peer sends.
 */
export type FrameEvent = { type: 'line'; line: Uint8Array } | { type: 'too-long'; limit: number };

const LF = 0x0a;
const CR = 0x0d;

export class LineFramer {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of an over-long line. */
  private discarding = false;

  constructor(readonly maxLineBytes: number) {}

  /** True when part of a line has arrived and its end has not. */
  get hasPartial(): boolean {
    return this.pendingBytes > 0 || this.discarding;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      const end = newline < 0 ? chunk.length : newline;
      if (this.discarding) {
        // Still inside an over-long line: skip to its LF.
        if (newline >= 0) this.discarding = false;
      } else if (newline >= 0) {
        const length = this.pendingBytes + (end - start);
        const content = this.lastByte(chunk, start, end) === CR ? length - 1 : length;
        if (content > this.maxLineBytes) {
          this.dropPending();
          events.push({ type: 'too-long', limit: this.maxLineBytes });
        } else {
          events.push({ type: 'line', line: this.take(chunk.subarray(start, end)) });
        }
      } else if (this.pendingBytes + (end - start) > this.maxLineBytes + 1) {
        // +1: the last byte may be the CR of a CRLF, which is not content.
        this.dropPending();
        this.discarding = true;
        events.push({ type: 'too-long', limit: this.maxLineBytes });
      } else {
        // Copy: the caller may reuse its buffer once push returns.
        this.pending.push(chunk.slice(start, end));
        this.pendingBytes += end - start;
      }
      if (newline < 0) break;
      start = newline + 1;
    }
    return events;
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** At end of stream: the last line if it had no LF. */
  finish(): FrameEvent[] {
    if (this.discarding) {
      this.discarding = false;
      return [];
    }
    if (this.pendingBytes === 0) return [];
    const length = this.lastByte(new Uint8Array(0), 0, 0) === CR ? this.pendingBytes - 1 : this.pendingBytes;
    if (length > this.maxLineBytes) {
      this.dropPending();
      return [{ type: 'too-long', limit: this.maxLineBytes }];
    }
    return [{ type: 'line', line: this.take(new Uint8Array(0)) }];
  }

  private lastByte(chunk: Uint8Array, start: number, end: number): number | undefined {
    if (end > start) return chunk[end - 1];
    const last = this.pending[this.pending.length - 1];
    return last ? last[last.length - 1] : undefined;
  }

  /** Joins pending bytes with `tail` and strips one trailing CR. */
  private take(tail: Uint8Array): Uint8Array {
    let line: Uint8Array;
    if (this.pendingBytes === 0) {
      line = tail.slice();
    } else {
      line = new Uint8Array(this.pendingBytes + tail.length);
      let offset = 0;
      for (const part of this.pending) {
        line.set(part, offset);
        offset += part.length;
      }
      line.set(tail, offset);
      this.pending = [];
      this.pendingBytes = 0;
    }
    return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
  }
}
