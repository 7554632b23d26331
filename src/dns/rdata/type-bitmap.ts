/**
 * The type bit maps of NSEC and NSEC3 (RFC 4034 §4.1.2, RFC 5155 §3.2.1): for each window of
 * 256 types that has any, the window number, a bitmap length of 1 to 32, and the bitmap with
 * its trailing zero octets left out. Decoding rejects what an encoder following the RFC never
 * writes (windows not strictly ascending, lengths 0 or over 32, a trailing zero octet, as BIND
 * does), so every decoded bitmap is written back byte for byte.
 */
import { parseType, typeToText } from '../constants.js';
import { DnsEncodeError, DnsTextError } from '../errors.js';
import type { RdataTokens } from '../text.js';
import type { WireReader, WireWriter } from '../wire.js';

/** Reads bitmaps up to the reader's end: the types present, ascending. */
export function decodeTypeBitmap(reader: WireReader): number[] {
  const types: number[] = [];
  let lastWindow = -1;
  while (!reader.atEnd()) {
    const start = reader.offset;
    const window = reader.u8('a type bitmap window');
    const length = reader.u8('a type bitmap length');
    if (window <= lastWindow)
      reader.fail(`type bitmap window ${window} after window ${lastWindow}: windows must ascend`, start);
    if (length === 0 || length > 32)
      reader.fail(`type bitmap length ${length} in window ${window}: must be 1 to 32`, start + 1);
    const bitmap = reader.bytes(length, 'a type bitmap');
    if (bitmap[length - 1] === 0)
      reader.fail(`type bitmap of window ${window} ends in a zero octet`, reader.offset - 1);
    for (let i = 0; i < length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        if (bitmap[i]! & (0x80 >> bit)) types.push(window * 256 + i * 8 + bit);
      }
    }
    lastWindow = window;
  }
  return types;
}

/** Writes the bitmaps of `types` (ascending and unique, as the data model holds them). */
export function encodeTypeBitmap(writer: WireWriter, types: readonly number[]): void {
  let index = 0;
  let previous = -1;
  while (index < types.length) {
    const window = types[index]! >> 8;
    const bitmap = new Uint8Array(32);
    let length = 0;
    while (index < types.length && types[index]! >> 8 === window) {
      const type = types[index]!;
      if (!Number.isInteger(type) || type <= previous || type > 0xffff)
        throw new DnsEncodeError(`type bitmap: types must be unique and ascending, 0 to 65535 (got ${type})`);
      previous = type;
      const low = type & 0xff;
      bitmap[low >> 3]! |= 0x80 >> (low & 7);
      length = (low >> 3) + 1;
      index++;
    }
    writer.u8(window);
    writer.u8(length);
    writer.bytes(bitmap.subarray(0, length));
  }
}

export function typesToText(types: readonly number[]): string {
  return types.map(typeToText).join(' ');
}

/** Every remaining token as a type (mnemonic or TYPEnnn), sorted and without repeats. */
export function typesFromText(tokens: RdataTokens): number[] {
  const types = new Set<number>();
  for (const token of tokens.rest()) {
    const type = parseType(token);
    if (type === undefined) throw new DnsTextError(`type bitmap: unknown type ${JSON.stringify(token)}`);
    types.add(type);
  }
  return [...types].sort((a, b) => a - b);
}
