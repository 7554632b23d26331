/**
 * Reading and writing DNS wire format (RFC 1035 §3 and §4): bounded readers, names with
 * compression (§4.1.4) on both sides.
 *
 * Reading distrusts the input: every read is checked against the reader's end; `restrict`
 * gives a sub-reader for one record's rdata that must be consumed exactly; a compression
 * pointer must point strictly backwards (so no loop is possible) and inside the message, and
 * a name may not pass 255 bytes, nor follow more than 127 pointers. Every failure is a
 * DnsDecodeError with its offset.
 *
 * Speed (bench/dns-codec.mjs): a reader remembers the names it has read by their offset, shared
 * with the readers `restrict` makes, so a pointer to a name already read (most owners, and the
 * common suffixes) costs a map lookup instead of a walk and a copy; the writer matches suffixes
 * with slices of the name's cached lower-case key instead of building a string per suffix.
 */
import { DnsDecodeError, DnsEncodeError } from './errors.js';
import { allocateName, copyName, MAX_NAME_BYTES, Name } from './name.js';

/**
 * Pointers one name may follow. Each must point strictly backwards, so loops are impossible
 * anyway; the cap bounds the work a hostile chain of pointers can cause (a name has at most
 * 127 labels, so a sane encoder never needs more).
 */
export const MAX_POINTER_HOPS = 127;

/**
 * Names read from one message, by the offset they start at. Few names: a linear search of two
 * arrays beats a Map here; past SMALL_CACHE entries a Map keeps lookups O(1) for big messages.
 */
const SMALL_CACHE = 32;

class NameCache {
  private readonly offsets: number[] = [];
  private readonly names: Name[] = [];
  private map: Map<number, Name> | undefined;

  get(offset: number): Name | undefined {
    if (this.map) return this.map.get(offset);
    const index = this.offsets.indexOf(offset);
    return index < 0 ? undefined : this.names[index];
  }

  set(offset: number, name: Name): void {
    if (this.map) {
      this.map.set(offset, name);
      return;
    }
    this.offsets.push(offset);
    this.names.push(name);
    if (this.offsets.length > SMALL_CACHE) {
      this.map = new Map();
      for (let i = this.offsets.length - 1; i >= 0; i--) this.map.set(this.offsets[i]!, this.names[i]!);
    }
  }
}

export class WireReader {
  offset: number;

  constructor(
    /** The whole message: compression pointers may point anywhere before them in it. */
    readonly message: Uint8Array,
    offset = 0,
    /** Reads stop here (a record's rdata end, or the message's end). */
    readonly end = message.length,
    /** Names already read from `message`, by offset (shared by a reader and its restrictions). */
    private names?: NameCache,
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
    // A copy, as a plain Uint8Array even when the message is a Buffer (whose slice() is a view).
    const message = this.message;
    const bytes = Buffer.isBuffer(message)
      ? new Uint8Array(message.subarray(this.offset, this.offset + count))
      : message.slice(this.offset, this.offset + count);
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
    this.names ??= new NameCache();
    const reader = new WireReader(this.message, this.offset, this.offset + length, this.names);
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
    const start = this.offset;
    let at = start;
    // Labels read in place (before any pointer) must stay inside this reader.
    let limit = this.end;
    // Bytes of labels before the end (or before a suffix already read), without the root.
    let length = 0;
    // Where reading continues after the name: after its first pointer, or after its end.
    let resume = -1;
    let hops = 0;
    let suffix: Name | undefined;
    // The first pointer's target, and how many label bytes came before it.
    let firstTarget = -1;
    let beforeFirst = 0;
    for (;;) {
      if (at >= limit) this.fail(`${what} runs past the end`, at);
      const byte = message[at]!;
      if (byte === 0) {
        if (resume < 0) resume = at + 1;
        break;
      }
      if (byte >= 0xc0) {
        if (at + 1 >= limit) this.fail(`${what}: compression pointer cut short`, at);
        const target = ((byte & 0x3f) << 8) | message[at + 1]!;
        // Strictly backwards: each jump lands earlier than the last, so loops cannot happen.
        if (target >= at) this.fail(`${what}: compression pointer to ${target} does not point backwards`, at);
        if (++hops > MAX_POINTER_HOPS)
          this.fail(`${what} follows more than ${MAX_POINTER_HOPS} pointers`, at);
        if (resume < 0) resume = at + 2;
        const known = this.names?.get(target);
        // A name read before from these bytes was checked as this walk would check it.
        if (known && length + known.wire.length <= MAX_NAME_BYTES) {
          suffix = known;
          break;
        }
        if (firstTarget < 0) {
          firstTarget = target;
          beforeFirst = length;
        }
        at = target;
        limit = message.length;
        continue;
      }
      if (byte >= 0x40) this.fail(`${what}: unsupported label type 0x${(byte & 0xc0).toString(16)}`, at);
      if (at + 1 + byte > limit) this.fail(`${what}: a label runs past the end`, at);
      if (length + byte + 2 > MAX_NAME_BYTES) this.fail(`${what} is longer than ${MAX_NAME_BYTES} bytes`, at);
      length += byte + 1;
      at += byte + 1;
    }
    this.offset = resume;
    if (suffix && length === 0) return suffix;
    const wire = allocateName(length + (suffix ? suffix.wire.length : 1));
    // Copy the labels, following the same pointers (all checked above).
    let out = 0;
    at = start;
    while (out < length) {
      const byte = message[at]!;
      if (byte >= 0xc0) {
        at = ((byte & 0x3f) << 8) | message[at + 1]!;
        continue;
      }
      const end = at + byte + 1;
      while (at < end) wire[out++] = message[at++]!;
    }
    if (suffix) wire.set(suffix.wire, out);
    else wire[out] = 0;
    const name = Name.fromCheckedWire(wire, true);
    this.names ??= new NameCache();
    this.names.set(start, name);
    if (firstTarget >= 0 && !this.names.get(firstTarget))
      this.names.set(
        firstTarget,
        Name.fromCheckedWire(copyName(wire, wire.length - beforeFirst, beforeFirst), true),
      );
    return name;
  }
}

/**
 * One buffer and suffix map lent to one writer at a time and given back by finish(): encoding a
 * message then allocates nothing but its result. A writer made while they are lent (one nested
 * in another, or after a writer was dropped without finishing) gets its own.
 */
interface Scratch {
  buffer: Uint8Array;
  /**
   * Suffix key → `generation * OFFSETS + offset`: an entry counts only for the writer of its
   * generation, so a new writer need not clear the map (clearing costs as much as encoding a
   * small message); it is cleared only when it grows past MAX_KEPT_SUFFIXES.
   */
  suffixes: Map<string, number>;
  generation: number;
}
/** Offsets a compression pointer can reach (14 bits). */
const OFFSETS = 0x4000;
const MAX_KEPT_SUFFIXES = 4096;
/** The largest buffer kept for reuse (a message over TCP is at most 65535 bytes). */
const MAX_KEPT_BUFFER = 0x10000;
let spare: Scratch | undefined = { buffer: new Uint8Array(4096), suffixes: new Map(), generation: 0 };
const EMPTY = new Uint8Array(0);

export class WireWriter {
  private buffer: Uint8Array;
  private size = 0;
  /** Lower-cased wire form of each name suffix written → its offset (for compression). */
  private readonly suffixes: Map<string, number>;
  private readonly generation: number;
  private lent: Scratch | undefined;
  private finished: Uint8Array | undefined;

  constructor(
    /** Compress names where a record type allows it (RFC 3597 §4: the RFC 1035 types only). */
    readonly compression = true,
  ) {
    const scratch = spare;
    if (scratch) {
      spare = undefined;
      this.lent = scratch;
      this.buffer = scratch.buffer;
      if (scratch.suffixes.size > MAX_KEPT_SUFFIXES) {
        scratch.suffixes.clear();
        scratch.generation = 0;
      }
      this.suffixes = scratch.suffixes;
      this.generation = ++scratch.generation;
    } else {
      this.buffer = new Uint8Array(512);
      this.suffixes = new Map();
      this.generation = 1;
    }
  }

  get length(): number {
    return this.size;
  }

  private ensure(count: number): void {
    if (this.size + count <= this.buffer.length) return;
    let capacity = Math.max(512, this.buffer.length * 2);
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
    // Each suffix's key: the name's key from the suffix's first label on.
    const key = name.caseKey();
    let at = 0;
    while (wire[at] !== 0) {
      const suffix = at === 0 ? key : key.slice(at);
      const entry = this.suffixes.get(suffix);
      const base = this.generation * OFFSETS;
      const known = entry !== undefined && entry >= base && entry < base + OFFSETS ? entry - base : undefined;
      if (known !== undefined && useCompression) {
        this.u16(0xc000 | known);
        return;
      }
      // Only offsets a pointer can reach (14 bits) are remembered.
      if (known === undefined && this.size < OFFSETS) this.suffixes.set(suffix, base + this.size);
      const end = at + wire[at]! + 1;
      this.ensure(end - at);
      const buffer = this.buffer;
      let size = this.size;
      while (at < end) buffer[size++] = wire[at++]!;
      this.size = size;
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

  /** The bytes written (a copy). Gives back the lent buffer: write nothing after this. */
  finish(): Uint8Array {
    if (this.finished) return this.finished.slice();
    // From Node's buffer pool: a small typed array of its own costs more than the encoding.
    // (A plain Uint8Array over the pooled memory: callers get the type they expect.)
    const pooled = Buffer.allocUnsafe(this.size);
    const bytes = new Uint8Array(pooled.buffer, pooled.byteOffset, this.size);
    bytes.set(this.buffer.subarray(0, this.size));
    this.release();
    this.finished = bytes;
    this.size = bytes.length;
    return bytes;
  }

  /** Gives the lent buffer back for the next writer (finish does it); the writer is done. */
  release(): void {
    const scratch = this.lent;
    if (!scratch) return;
    this.lent = undefined;
    if (this.buffer.length > scratch.buffer.length && this.buffer.length <= MAX_KEPT_BUFFER)
      scratch.buffer = this.buffer;
    // A writer used after this grows a buffer of its own instead of writing into the spare one.
    this.buffer = EMPTY;
    this.size = 0;
    spare = scratch;
  }
}
