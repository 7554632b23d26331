/**
 * Domain names (RFC 1034 §3.1, RFC 1035 §2.3.4, §3.1 and §5.1): held in their uncompressed
 * wire form, so decoding, comparing and encoding never split and join strings; the text form
 * is made on demand and kept.
 *
 * - Limits: a label is 1 to 63 bytes, a whole name at most 255 bytes on the wire.
 * - Text: labels separated by dots; `\.` and `\DDD` escapes; a final dot for an absolute name.
 * - Comparison ignores ASCII case (RFC 4343) and keeps the case given; `compare` is the
 *   canonical order of RFC 4034 §6.1.
 * - Relative names (no final dot) exist for zone files; `derelativize(origin)` completes them.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../core/ip.js';
import { DnsEncodeError, DnsTextError } from './errors.js';

export const MAX_LABEL_BYTES = 63;
export const MAX_NAME_BYTES = 255;

/** Room for a name's bytes (255 at most) while its key is made. */
const KEY_SCRATCH = new Uint16Array(256);
/** Room for a name read from text (longer texts get a buffer of their own). */
const TEXT_SCRATCH = new Uint8Array(1024);
const LOWER = new Uint8Array(256);
for (let i = 0; i < 256; i++) LOWER[i] = i >= 0x41 && i <= 0x5a ? i + 0x20 : i;

const DOT = 0x2e;
const BACKSLASH = 0x5c;

/** Bytes written with a backslash in text (dnspython and BIND escape these). */
function needsBackslash(byte: number): boolean {
  return (
    byte === DOT ||
    byte === BACKSLASH ||
    byte === 0x22 /* " */ ||
    byte === 0x28 /* ( */ ||
    byte === 0x29 /* ) */ ||
    byte === 0x3b /* ; */ ||
    byte === 0x40 /* @ */ ||
    byte === 0x24 /* $ */
  );
}

/** One label as text (RFC 1035 §5.1 escapes). */
export function labelToText(wire: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = wire[i]!;
    if (byte < 0x21 || byte > 0x7e) text += `\\${byte.toString().padStart(3, '0')}`;
    else if (needsBackslash(byte)) text += `\\${String.fromCharCode(byte)}`;
    else text += String.fromCharCode(byte);
  }
  return text;
}

export class Name {
  /** The root, `.`. */
  static readonly ROOT = new Name(Uint8Array.of(0), true);
  /** The empty relative name (`@` relative to an origin). */
  static readonly EMPTY = new Name(new Uint8Array(0), false);

  private text: string | undefined;
  private lowerKey: string | undefined;
  private exactKey: string | undefined;

  private constructor(
    /** Length-prefixed labels, uncompressed; with the final zero byte when absolute. */
    readonly wire: Uint8Array,
    readonly absolute: boolean,
  ) {}

  /**
   * From wire bytes already checked (the decoder's and this module's own use): length-prefixed
   * labels, each 1 to 63 bytes, ending with a zero byte when `absolute`.
   */
  static fromCheckedWire(wire: Uint8Array, absolute: boolean): Name {
    if (absolute && wire.length === 1) return Name.ROOT;
    return new Name(wire, absolute);
  }

  /** From labels (strings are taken as bytes of their UTF-8 encoding). */
  static fromLabels(labels: readonly (Uint8Array | string)[], absolute = true): Name {
    const encoder = new TextEncoder();
    const parts = labels.map((label) => (typeof label === 'string' ? encoder.encode(label) : label));
    let size = absolute ? 1 : 0;
    for (const part of parts) {
      if (part.length === 0) throw new DnsTextError('a name cannot have an empty label');
      if (part.length > MAX_LABEL_BYTES)
        throw new DnsTextError(`a label is at most ${MAX_LABEL_BYTES} bytes, not ${part.length}`);
      size += part.length + 1;
    }
    const wire = allocateName(size);
    let at = 0;
    for (const part of parts) {
      wire[at++] = part.length;
      wire.set(part, at);
      at += part.length;
    }
    const name = Name.fromCheckedWire(wire, absolute);
    name.checkLength();
    return name;
  }

  /**
   * From presentation text: `www.example.com.` (absolute), `www` (relative, or completed with
   * `origin` when given), `@` (the origin), `.` (the root); escapes `\.`, `\\`, `\DDD`.
   */
  static fromText(text: string, origin?: Name): Name {
    if (text === '@') {
      if (!origin) throw new DnsTextError('`@` needs an origin');
      return origin;
    }
    if (text === '.') return Name.ROOT;
    if (text === '') throw new DnsTextError('empty name');
    // Labels are written straight into a scratch buffer, each after a length byte reserved for
    // it, and the name's bytes copied out once: a zone file of a million names makes no arrays
    // per label (which was most of loading's garbage).
    let out = TEXT_SCRATCH;
    const most = text.length * 4 + 2 + (origin ? origin.wire.length : 0);
    if (most > out.length) out = new Uint8Array(most);
    let size = 1;
    let lengthAt = 0;
    let absolute = false;
    let overlong = 0;
    const endLabel = () => {
      const length = size - lengthAt - 1;
      if (length === 0) throw new DnsTextError(`empty label in name ${JSON.stringify(text)}`);
      // Reported once the whole text has been read, as an empty label elsewhere comes first.
      if (length > MAX_LABEL_BYTES && overlong === 0) overlong = length;
      out[lengthAt] = length;
      lengthAt = size++;
    };
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === BACKSLASH) {
        const next = text.charCodeAt(i + 1);
        if (Number.isNaN(next))
          throw new DnsTextError(`name ${JSON.stringify(text)} ends in a lone backslash`);
        if (next >= 0x30 && next <= 0x39) {
          const digits = text.slice(i + 1, i + 4);
          if (!/^\d{3}$/.test(digits) || Number(digits) > 255)
            throw new DnsTextError(
              `bad escape \\${digits} in name ${JSON.stringify(text)}: \\DDD needs 3 digits, 0 to 255`,
            );
          out[size++] = Number(digits);
          i += 3;
        } else {
          size = putChar(out, size, text, i + 1);
          if (next >= 0xd800 && next <= 0xdbff) i++;
          i++;
        }
      } else if (code === DOT) {
        endLabel();
        if (i === text.length - 1) absolute = true;
      } else {
        size = putChar(out, size, text, i);
        if (code >= 0xd800 && code <= 0xdbff) i++;
      }
    }
    if (size - lengthAt - 1 > 0) endLabel();
    if (overlong > 0) throw new DnsTextError(`a label is at most ${MAX_LABEL_BYTES} bytes, not ${overlong}`);
    // `lengthAt` is the byte reserved after the last label: the root's zero when absolute.
    let length = lengthAt;
    if (absolute) out[length++] = 0;
    const first = Name.fromCheckedWire(copyName(out, length), absolute);
    first.checkLength();
    if (absolute || !origin) return first;
    out.set(origin.wire, length);
    const name = Name.fromCheckedWire(copyName(out, length + origin.wire.length), origin.absolute);
    name.checkLength();
    return name;
  }

  /** An internationalised name (`bücher.example`) in its ASCII form (`xn--bcher-kva.example`, IDNA 2008/UTS 46). */
  static fromUnicode(text: string, origin?: Name): Name {
    const absolute = text.endsWith('.') && text !== '.';
    const ascii = domainToASCII(absolute ? text.slice(0, -1) : text);
    if (ascii === '') throw new DnsTextError(`${JSON.stringify(text)} is not a valid internationalised name`);
    return Name.fromText(absolute ? `${ascii}.` : ascii, origin);
  }

  /** The reverse-lookup name of an address: 4.3.2.1.in-addr.arpa. or the ip6.arpa. nibbles. */
  static fromAddress(address: string): Name {
    const v4 = parseIPv4(address);
    if (v4) return Name.fromText(`${[...v4].reverse().join('.')}.in-addr.arpa.`);
    const v6 = parseIPv6(address.replace(/%.*$/, ''));
    if (!v6) throw new DnsTextError(`${JSON.stringify(address)} is not an IPv4 or IPv6 address`);
    const nibbles: string[] = [];
    for (let i = v6.length - 1; i >= 0; i--) {
      nibbles.push((v6[i]! & 0x0f).toString(16), (v6[i]! >> 4).toString(16));
    }
    return Name.fromText(`${nibbles.join('.')}.ip6.arpa.`);
  }

  /** The address a complete reverse name stands for, or undefined. */
  toAddress(): string | undefined {
    const labels = this.labels().map((label) => new TextDecoder().decode(label).toLowerCase());
    if (!this.absolute) return undefined;
    if (labels.length === 6 && labels[4] === 'in-addr' && labels[5] === 'arpa') {
      const parts = labels.slice(0, 4).reverse();
      if (!parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)) return undefined;
      return formatIPv4(Uint8Array.from(parts.map(Number)));
    }
    if (labels.length === 34 && labels[32] === 'ip6' && labels[33] === 'arpa') {
      const nibbles = labels.slice(0, 32);
      if (!nibbles.every((nibble) => /^[0-9a-f]$/.test(nibble))) return undefined;
      const bytes = new Uint8Array(16);
      for (let i = 0; i < 16; i++) {
        bytes[i] =
          (Number.parseInt(nibbles[31 - 2 * i]!, 16) << 4) | Number.parseInt(nibbles[30 - 2 * i]!, 16);
      }
      return formatIPv6(bytes);
    }
    return undefined;
  }

  /** Labels, not counting the root. */
  get labelCount(): number {
    let count = 0;
    for (let at = 0; at < this.wire.length && this.wire[at] !== 0; at += this.wire[at]! + 1) count++;
    return count;
  }

  /** The labels, left to right (views into the wire form). */
  labels(): Uint8Array[] {
    const labels: Uint8Array[] = [];
    for (let at = 0; at < this.wire.length && this.wire[at] !== 0; at += this.wire[at]! + 1) {
      labels.push(this.wire.subarray(at + 1, at + 1 + this.wire[at]!));
    }
    return labels;
  }

  /** Length on the wire, uncompressed (a relative name counts as completed by the root). */
  get wireLength(): number {
    return this.absolute ? this.wire.length : this.wire.length + 1;
  }

  isRoot(): boolean {
    return this.absolute && this.wire.length === 1;
  }

  /** Whether the first label is `*` (a wildcard owner, RFC 4592). */
  isWildcard(): boolean {
    return this.wire.length >= 2 && this.wire[0] === 1 && this.wire[1] === 0x2a;
  }

  toText(): string {
    if (this.text === undefined) {
      if (this.isRoot()) this.text = '.';
      else {
        const parts: string[] = [];
        for (let at = 0; at < this.wire.length && this.wire[at] !== 0; at += this.wire[at]! + 1) {
          parts.push(labelToText(this.wire, at + 1, at + 1 + this.wire[at]!));
        }
        this.text = parts.join('.') + (this.absolute ? '.' : '');
      }
    }
    return this.text;
  }

  toString(): string {
    return this.toText();
  }

  toJSON(): string {
    return this.toText();
  }

  /** The text with `xn--` labels shown in Unicode. */
  toUnicode(): string {
    const text = this.toText();
    if (!/(^|\.)xn--/i.test(text)) return text;
    const body = this.absolute && !this.isRoot() ? text.slice(0, -1) : text;
    const unicode = domainToUnicode(body);
    return unicode === '' ? text : unicode + (this.absolute && !this.isRoot() ? '.' : '');
  }

  /** A string equal for names equal ignoring ASCII case: for Map keys. */
  key(): string {
    if (this.lowerKey === undefined) {
      // One string made from a scratch buffer: adding a character at a time made a string per
      // byte, which a zone of a million names pays for in garbage collection.
      const wire = this.wire;
      for (let i = 0; i < wire.length; i++) KEY_SCRATCH[i] = LOWER[wire[i]!]!;
      const body = String.fromCharCode.apply(
        null,
        KEY_SCRATCH.subarray(0, wire.length) as unknown as number[],
      );
      this.lowerKey = this.absolute ? body : `~${body}`;
    }
    return this.lowerKey;
  }

  /**
   * The name's bytes as written (case kept), one character a byte: a writer's compression table
   * looks up this key and its suffixes (`key.slice(labelStart)`). Case kept: a name is compressed
   * only against an exact copy, so every name reads back with the case it was written in
   * (RFC 4343 §4.1, output case preservation). Kept, as names are written again and again; the
   * suffixes are not (a transfer of a million names would keep them all).
   */
  caseKey(): string {
    if (this.exactKey === undefined) {
      const wire = this.wire;
      for (let i = 0; i < wire.length; i++) KEY_SCRATCH[i] = wire[i]!;
      const body = String.fromCharCode.apply(
        null,
        KEY_SCRATCH.subarray(0, wire.length) as unknown as number[],
      );
      this.exactKey = this.absolute ? body : `~${body}`;
    }
    return this.exactKey;
  }

  equals(other: Name): boolean {
    if (this === other) return true;
    if (this.absolute !== other.absolute || this.wire.length !== other.wire.length) return false;
    for (let i = 0; i < this.wire.length; i++)
      if (LOWER[this.wire[i]!] !== LOWER[other.wire[i]!]) return false;
    return true;
  }

  /** Canonical DNS order (RFC 4034 §6.1): by labels from the right, bytes lower-cased, shorter first. */
  compare(other: Name): number {
    const a = this.labelStarts();
    const b = other.labelStarts();
    for (let i = a.length - 1, j = b.length - 1; i >= 0 && j >= 0; i--, j--) {
      const order = compareLabel(this.wire, a[i]!, other.wire, b[j]!);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }

  /** True when this name is `parent` or below it. */
  isSubdomainOf(parent: Name): boolean {
    if (this.absolute !== parent.absolute) return false;
    const wire = this.wire;
    const theirs = parent.wire;
    // The parent's bytes must be our last bytes, starting at one of our labels (no arrays: a
    // zone load asks this of every record).
    const offset = wire.length - theirs.length;
    if (offset < 0) return false;
    let at = 0;
    while (at < offset) at += wire[at]! + 1;
    if (at !== offset) return false;
    for (let i = 0; i < theirs.length; i++) if (LOWER[wire[offset + i]!] !== LOWER[theirs[i]!]) return false;
    return true;
  }

  /** The name relative to `origin` (`www` for www.example.com. under example.com.); others unchanged. */
  relativize(origin: Name): Name {
    if (!this.absolute || !this.isSubdomainOf(origin)) return this;
    const keep = this.labelCount - origin.labelCount;
    if (keep === 0) return Name.EMPTY;
    const starts = this.labelStarts();
    return Name.fromCheckedWire(copyName(this.wire, starts[keep]!), false);
  }

  /** A relative name completed with `origin`; an absolute one unchanged. */
  derelativize(origin: Name): Name {
    if (this.absolute) return this;
    return this.concat(origin);
  }

  /** This relative name followed by `suffix`. */
  concat(suffix: Name): Name {
    if (this.absolute) throw new DnsTextError(`cannot append to the absolute name ${this.toText()}`);
    const wire = allocateName(this.wire.length + suffix.wire.length);
    wire.set(this.wire, 0);
    wire.set(suffix.wire, this.wire.length);
    const name = Name.fromCheckedWire(wire, suffix.absolute);
    name.checkLength();
    return name;
  }

  /** The name without its first `count` labels. */
  parent(count = 1): Name {
    const starts = this.labelStarts();
    if (count > starts.length) throw new DnsTextError(`${this.toText()} has no parent ${count} labels up`);
    if (count === 0) return this;
    const at = count === starts.length ? this.wire.length - (this.absolute ? 1 : 0) : starts[count]!;
    if (this.absolute && at === this.wire.length - 1) return Name.ROOT;
    return Name.fromCheckedWire(copyName(this.wire, this.wire.length - at, at), this.absolute);
  }

  private labelStarts(): number[] {
    const starts: number[] = [];
    for (let at = 0; at < this.wire.length && this.wire[at] !== 0; at += this.wire[at]! + 1) starts.push(at);
    return starts;
  }

  private checkLength(): void {
    if (this.wireLength > MAX_NAME_BYTES)
      throw new DnsEncodeError(
        `a name is at most ${MAX_NAME_BYTES} bytes on the wire, not ${this.wireLength}`,
      );
  }
}

function compareLabel(a: Uint8Array, at: number, b: Uint8Array, bt: number): number {
  const lengthA = a[at]!;
  const lengthB = b[bt]!;
  const common = Math.min(lengthA, lengthB);
  for (let i = 1; i <= common; i++) {
    const diff = LOWER[a[at + i]!]! - LOWER[b[bt + i]!]!;
    if (diff !== 0) return diff;
  }
  return lengthA - lengthB;
}

/** Appends the UTF-8 bytes of the character at `index` of `text`. */
/** Writes the character at `index` (UTF-8 when not ASCII) at `at`; returns where it ends. */
function putChar(out: Uint8Array, at: number, text: string, index: number): number {
  const code = text.codePointAt(index)!;
  if (code < 0x80) {
    out[at] = code;
    return at + 1;
  }
  const bytes = new TextEncoder().encode(String.fromCodePoint(code));
  out.set(bytes, at);
  return at + bytes.length;
}

/**
 * Names' bytes are cut from shared slabs: a view each rather than an array each. Measured on a
 * zone of a million records, 150 MiB less (about 150 bytes a record), at no cost to decoding.
 * A slab lives while any name cut from it does; names are long-lived zone data or die young
 * with their message, so slabs are seldom held by one name. (Views are made with the
 * constructor: subarray() looks up a species constructor each call, which cost decoding 10%.)
 */
const SLAB_BYTES = 16_384;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** Room for a name's bytes (zeroed), in a slab. */
export function allocateName(length: number): Uint8Array {
  if (length > SLAB_BYTES >> 4) return new Uint8Array(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const bytes = new Uint8Array(slab, slabUsed, length);
  slabUsed += length;
  return bytes;
}

/** A copy of `length` bytes of `source` from `start`: a name's own bytes, in a slab. */
export function copyName(source: Uint8Array, length: number, start = 0): Uint8Array {
  const bytes = allocateName(length);
  for (let i = 0; i < length; i++) bytes[i] = source[start + i]!;
  return bytes;
}
