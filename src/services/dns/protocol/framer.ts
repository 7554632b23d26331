/**
 * DNS over TCP framing (RFC 1035 §4.2.2): every message is preceded by its length as a 2-byte
 * big-endian number. Sans I/O: bytes in, whole messages out, however the stream was cut.
 *
 * - A frame that arrives whole inside one chunk is a view of that chunk (no copy): the runtime
 *   hands each chunk to `push` once and never reuses it, and sessions use frames at once.
 *   Only a frame split across chunks is copied together.
 * - A length of 0 gives an empty frame (the session decides; it does not decode as a message).
 * - A length over `maxFrameBytes` is reported once as 'too-long' and its bytes are skipped: the
 *   length says where the next message starts, so the stream stays in step and memory stays at
 *   the limit.
 */
import type { FrameEvent } from '../../../core/line-framer.js';
import type { Framer } from '../../../runtime/service.js';

/** The largest length a 2-byte prefix can give. */
export const MAX_TCP_MESSAGE_BYTES = 65_535;

export class LengthPrefixFramer implements Framer {
  /** The first byte of a length cut between chunks, or -1. */
  private lengthHigh = -1;
  /** The body being gathered: its expected length, and the parts received so far. */
  private bodyLength = -1;
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  /** Bytes still to skip of an over-long frame. */
  private skipping = 0;

  constructor(readonly maxFrameBytes: number = MAX_TCP_MESSAGE_BYTES) {}

  get hasPartial(): boolean {
    return this.lengthHigh >= 0 || this.bodyLength >= 0 || this.skipping > 0;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    let at = 0;
    const end = chunk.length;
    while (at < end) {
      if (this.skipping > 0) {
        const skip = Math.min(this.skipping, end - at);
        this.skipping -= skip;
        at += skip;
        continue;
      }
      if (this.bodyLength >= 0) {
        // Gathering a frame that began in an earlier chunk.
        const take = Math.min(this.bodyLength - this.partBytes, end - at);
        this.parts.push(chunk.slice(at, at + take));
        this.partBytes += take;
        at += take;
        if (this.partBytes === this.bodyLength) events.push({ type: 'line', line: this.joinParts() });
        continue;
      }
      let length: number;
      if (this.lengthHigh >= 0) {
        length = (this.lengthHigh << 8) | chunk[at]!;
        this.lengthHigh = -1;
        at += 1;
      } else if (end - at >= 2) {
        length = (chunk[at]! << 8) | chunk[at + 1]!;
        at += 2;
      } else {
        this.lengthHigh = chunk[at]!;
        at += 1;
        break;
      }
      if (length > this.maxFrameBytes) {
        events.push({ type: 'too-long', limit: this.maxFrameBytes });
        this.skipping = length;
        continue;
      }
      if (end - at >= length) {
        events.push({ type: 'line', line: chunk.subarray(at, at + length) });
        at += length;
      } else {
        this.bodyLength = length;
      }
    }
    return events;
  }

  /** At the end of the stream: a frame cut short is dropped (there is nobody to answer it). */
  finish(): FrameEvent[] {
    this.lengthHigh = -1;
    this.bodyLength = -1;
    this.parts = [];
    this.partBytes = 0;
    this.skipping = 0;
    return [];
  }

  private joinParts(): Uint8Array {
    const frame = this.parts.length === 1 ? this.parts[0]! : new Uint8Array(this.partBytes);
    if (this.parts.length > 1) {
      let offset = 0;
      for (const part of this.parts) {
        frame.set(part, offset);
        offset += part.length;
      }
    }
    this.parts = [];
    this.partBytes = 0;
    this.bodyLength = -1;
    return frame;
  }
}

/** `message` with its 2-byte length in front, ready for a TCP stream. */
export function withLengthPrefix(message: Uint8Array): Uint8Array {
  const framed = new Uint8Array(message.length + 2);
  framed[0] = message.length >> 8;
  framed[1] = message.length & 0xff;
  framed.set(message, 2);
  return framed;
}
