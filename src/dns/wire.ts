/**
 * Reading and writing DNS wire format (RFC 1035 §3 and §4): bounded readers, names with
 * compression (§4.1.4) on both sides.
 *
 * Reading distrusts the input: every read is checked against the reader's end; `restrict`
 * gives a sub-reader for one record's rdata that must be consumed exactly; a compression
 * pointer must point strictly backwards (so no loop is possible) and inside the message, and
 * a name may not pass 255 bytes. Every failure is a DnsDecodeError with its offset.
 */
import { DnsDecodeError, DnsEncodeError } from './errors.js';
import { MAX_NAME_BYTES, Name } from './name.js';

const LOWER = new Uint8Array(256);
for (let i = 0; i < 256; i++) LOWER[i] = i >= 0x41 && i <= 0x5a ? i + 0x20 : i;

export class WireReader {
  offset: number;

  constructor(
    /** The whole message: compression pointers may point anywhere before them in it. */
    readonly message: Uint8Array,
    offset = 0,
    /** Reads stop here (a record's rdata end, or the message's end). */
    readonly end = message.length,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  atEnd(): boolean {
    return this.offset >= this.end;
  }

  fail(message: string, offset = this.offset): never {
    throw new DnsDecodeError(message, offset);
  }

  private need(count: number, what: string): void {
    if (this.end - this.offset < count)
      this.fail(
        `${what} needs ${count} byte${count === 1 ? '' : 's'}, ${Math.max(0, this.end - this.offset)} left`,
      );
  }

  u8(what = 'a byte'): number {
    this.need(1, what);
    return this.message[this.offset++]!;
  }

  u16(what = 'a 16-bit field'): number {
    this.need(2, what);
    const value = (this.message[this.offset]! << 8) | this.message[this.offset + 1]!;
    this.offset += 2;
    return value;
  }

  u32(what = 'a 32-bit field'): number {
    this.need(4, what);
    const m = this.message;
    const at = this.offset;
    this.offset += 4;
    return ((m[at]! << 24) >>> 0) + ((m[at + 1]! << 16) | (m[at + 2]! << 8) | m[at + 3]!);
  }

  /** A copy of the next `count` bytes. */
  bytes(count: number, what = 'data'): Uint8Array {
    this.need(count, what);
    const bytes = this.message.slice(this.offset, this.offset + count);
    this.offset += count;
    return bytes;
  }

  /** A copy of everything left. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  /** A reader over the next `length` bytes (which this reader skips). */
  restrict(length: number, what: string): WireReader {
    this.need(length, what);
    const reader = new WireReader(this.message, this.offset, this.offset + length);
    this.offset += length;
    return reader;
  }

  /** The reader must have been read to its end exactly. */
  expectEnd(what: string): void {
    if (this.offset !== this.end) this.fail(`${this.end - this.offset} unexpected byte(s) after ${what}`);
  }

  /** A name, following compression pointers. */
  name(what = 'a name'): Name {
    const message = this.message;
    const out = new Uint8Array(MAX_NAME_BYTES);
    let length = 0;
    let at = this.offset;
    // Where reading continues after the name: after its first pointer, or after its end.
    let resume = -1;
    // Labels read in place (before any pointer) must stay inside this reader.
    let limit = this.end;
    for (;;) {
      if (at >= limit) this.fail(`${what} runs past the end`, at);
      const byte = message[at]!;
      if (byte === 0) {
        out[length++] = 0;
        if (resume < 0) resume = at + 1;
        break;
      }
      const kind = byte & 0xc0;
      if (kind === 0xc0) {
        if (at + 1 >= limit) this.fail(`${what}: compression pointer cut short`, at);
        const target = ((byte & 0x3f) << 8) | message[at + 1]!;
        // Strictly backwards: each jump lands earlier than the last, so loops cannot happen.
        if (target >= at) this.fail(`${what}: compression pointer to ${target} does not point backwards`, at);
        if (resume < 0) resume = at + 2;
        at = target;
        limit = message.length;
        continue;
      }
      if (kind !== 0) this.fail(`${what}: unsupported label type 0x${kind.toString(16)}`, at);
      if (at + 1 + byte > limit) this.fail(`${what}: a label runs past the end`, at);
      if (length + byte + 2 > MAX_NAME_BYTES) this.fail(`${what} is longer than ${MAX_NAME_BYTES} bytes`, at);
      out.set(message.subarray(at, at + 1 + byte), length);
      length += byte + 1;
      at += byte + 1;
    }
    this.offset = resume;
    return Name.fromCheckedWire(out.slice(0, length), true);
  }
}

export class WireWriter {
  private buffer = new Uint8Array(512);
  private size = 0;
  /** Lower-cased wire form of each name suffix written → its offset (for compression). */
  private readonly suffixes = new Map<string, number>();

  constructor(
    /** Compress names where a record type allows it (RFC 3597 §4: the RFC 1035 types only). */
    readonly compression = true,
  ) {}

  get length(): number {
    return this.size;
  }

  private ensure(count: number): void {
    if (this.size + count <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.size + count) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.size++] = value & 0xff;
  }

  u16(value: number): void {
    this.ensure(2);
    this.buffer[this.size++] = (value >>> 8) & 0xff;
    this.buffer[this.size++] = value & 0xff;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buffer[this.size++] = (value >>> 24) & 0xff;
    this.buffer[this.size++] = (value >>> 16) & 0xff;
    this.buffer[this.size++] = (value >>> 8) & 0xff;
    this.buffer[this.size++] = value & 0xff;
  }

  bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.size);
    this.size += bytes.length;
  }

  /**
   * An absolute name; compressed (pointing at an earlier copy of its longest known suffix)
   * when `compress` and the writer's compression are both on.
   */
  name(name: Name, compress = true): void {
    if (!name.absolute) throw new DnsEncodeError(`cannot write the relative name ${name.toText()}`);
    const wire = name.wire;
    const useCompression = compress && this.compression;
    let at = 0;
    while (wire[at] !== 0) {
      const key = suffixKey(wire, at);
      if (useCompression) {
        const target = this.suffixes.get(key);
        if (target !== undefined) {
          this.u16(0xc000 | target);
          return;
        }
      }
      // Only offsets a pointer can reach (14 bits) are remembered.
      if (this.size < 0x4000 && !this.suffixes.has(key)) this.suffixes.set(key, this.size);
      const length = wire[at]!;
      this.bytes(wire.subarray(at, at + length + 1));
      at += length + 1;
    }
    this.u8(0);
  }

  /** Leaves room for a 16-bit value to fill in later (an rdata length); returns its position. */
  reserveU16(): number {
    this.ensure(2);
    const at = this.size;
    this.size += 2;
    return at;
  }

  patchU16(at: number, value: number): void {
    this.buffer[at] = (value >>> 8) & 0xff;
    this.buffer[at + 1] = value & 0xff;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}

function suffixKey(wire: Uint8Array, start: number): string {
  let key = '';
  for (let i = start; i < wire.length; i++) key += String.fromCharCode(LOWER[wire[i]!]!);
  return key;
}
