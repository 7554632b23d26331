/**
 * Resource records (RFC 1035 §3.2.1, §4.1.3) and their rdata, both ways between wire and
 * presentation text, whatever the type: a registered codec when there is one, the RFC 3597
 * generic form (`\# LENGTH HEX`) otherwise, and for known types given in generic form.
 */
import { classToText, parseClass, parseType, RRCLASS, typeToText } from './constants.js';
import { DnsDecodeError, DnsEncodeError, DnsTextError } from './errors.js';
import { Name } from './name.js';
// Every record type registers itself here, so whatever reads or writes records knows them all.
import './rdata/all.js';
import { rdataCodec } from './rdata/registry.js';
import type { Rdata, UnknownRdata } from './rdata/types.js';
import { fromHex, RdataTokens, toHex, tokenize } from './text.js';
import { WireReader, WireWriter } from './wire.js';

export interface ResourceRecord<T extends Rdata = Rdata> {
  name: Name;
  type: number;
  class: number;
  ttl: number;
  data: T;
}

export interface Question {
  name: Name;
  type: number;
  class: number;
}

/** Reads one rdata of `type` from `reader`, which ends where the rdata ends. */
export function decodeRdata(type: number, reader: WireReader): Rdata {
  const codec = rdataCodec(type);
  const start = reader.offset;
  let data: Rdata;
  try {
    data = codec ? codec.decode(reader) : { bytes: reader.rest() };
  } catch (error) {
    if (error instanceof DnsDecodeError) throw error;
    // A value the codec read but cannot hold (an over-long name, say): still the input's fault.
    throw new DnsDecodeError(
      `bad ${typeToText(type)} data: ${error instanceof Error ? error.message : String(error)}`,
      start,
      { cause: error },
    );
  }
  // The message is built only on failure: this runs once a record.
  if (reader.offset !== reader.end) reader.expectEnd(`the ${typeToText(type)} data`);
  return data;
}

/** Writes one rdata (without its length). */
export function encodeRdata(writer: WireWriter, type: number, data: Rdata): void {
  const codec = rdataCodec(type);
  if (codec && !('bytes' in data && Object.keys(data).length === 1)) codec.encode(writer, data);
  else if ('bytes' in data) writer.bytes((data as UnknownRdata).bytes);
  else throw new DnsEncodeError(`no codec for ${typeToText(type)} and its data is not raw bytes`);
}

/** Writes a record: owner, type, class, TTL, then the rdata with its length filled in. */
export function encodeRecord(writer: WireWriter, record: ResourceRecord): void {
  writer.name(record.name);
  writer.u16(record.type);
  writer.u16(record.class);
  writer.u32(record.ttl);
  const lengthAt = writer.reserveU16();
  const start = writer.length;
  encodeRdata(writer, record.type, record.data);
  const length = writer.length - start;
  if (length > 0xffff)
    throw new DnsEncodeError(`${typeToText(record.type)} data of ${length} bytes is over 65535`);
  writer.patchU16(lengthAt, length);
}

/** Reads a record at the reader's position. */
export function decodeRecord(reader: WireReader): ResourceRecord {
  const name = reader.name('a record owner');
  const type = reader.u16('a record type');
  const rrclass = reader.u16('a record class');
  const ttl = reader.u32('a record TTL');
  const length = reader.u16('a record data length');
  const data = decodeRdata(type, reader.restrict(length, `${typeToText(type)} data of ${length} bytes`));
  return { name, type, class: rrclass, ttl, data };
}

/** The rdata's wire bytes alone, uncompressed (for comparing data, and the generic form). */
export function rdataBytes(type: number, data: Rdata): Uint8Array {
  const writer = new WireWriter(false);
  try {
    encodeRdata(writer, type, data);
    return writer.finish();
  } finally {
    writer.release();
  }
}

export function rdataToText(type: number, data: Rdata): string {
  const codec = rdataCodec(type);
  if (codec && !('bytes' in data && Object.keys(data).length === 1)) return codec.toText(data);
  const bytes = (data as UnknownRdata).bytes;
  return bytes.length === 0 ? '\\# 0' : `\\# ${bytes.length} ${toHex(bytes)}`;
}

/** Parses rdata text; `\# LENGTH HEX` is accepted for every type (RFC 3597 §5). */
export function rdataFromText(type: number, text: string | RdataTokens, origin?: Name): Rdata {
  const tokens = typeof text === 'string' ? RdataTokens.fromText(text, origin) : text;
  if (tokens.peek() === '\\#') {
    tokens.next('\\#');
    const length = tokens.uint('the generic data length', 16);
    const hex = tokens.rest().join('');
    const bytes = fromHex(hex, 'generic data');
    if (bytes.length !== length)
      throw new DnsTextError(`generic data says ${length} bytes but has ${bytes.length}`);
    const codec = rdataCodec(type);
    if (!codec) return { bytes };
    try {
      return decodeRdata(type, new WireReader(bytes));
    } catch (error) {
      throw new DnsTextError(
        `generic data is not valid ${typeToText(type)} data: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  const codec = rdataCodec(type);
  if (!codec)
    throw new DnsTextError(`${typeToText(type)} data must be written in the generic form \\# LENGTH HEX`);
  const data = codec.fromText(tokens);
  tokens.end(`${typeToText(type)} data`);
  return data;
}

/** `name TTL CLASS TYPE rdata`, one space between fields. */
export function recordToText(record: ResourceRecord): string {
  return `${record.name.toText()} ${record.ttl} ${classToText(record.class)} ${typeToText(record.type)} ${rdataToText(record.type, record.data)}`;
}

export interface RecordTextOptions {
  origin?: Name;
  /** TTL when the text has none (default: 3600). */
  ttl?: number;
  /** Class when the text has none (default: IN). */
  rrclass?: number;
}

/**
 * One record from `owner [TTL] [CLASS] TYPE rdata` (TTL and class in either order, as in zone
 * files), on one line without comments or parentheses.
 */
export function recordFromText(text: string, options: RecordTextOptions = {}): ResourceRecord {
  const tokens = tokenize(text);
  const origin = options.origin ?? Name.ROOT;
  if (tokens.length < 2)
    throw new DnsTextError(`a record needs at least an owner and a type: ${JSON.stringify(text)}`);
  const name = Name.fromText(tokens[0]!, origin);
  let ttl: number | undefined;
  let rrclass: number | undefined;
  let index = 1;
  for (; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (ttl === undefined && /^\d+$/.test(token)) {
      ttl = Number(token);
      if (ttl > 0x7fffffff) throw new DnsTextError(`TTL ${token} is over 2147483647 (RFC 2181 §8)`);
      continue;
    }
    const asClass = rrclass === undefined ? parseClass(token) : undefined;
    // ANY is a class and a type: the class when a type follows (dig prints `0 ANY TSIG ...`).
    const next = tokens[index + 1];
    const isClass = parseType(token) === undefined || (next !== undefined && parseType(next) !== undefined);
    if (asClass !== undefined && isClass) {
      rrclass = asClass;
      continue;
    }
    break;
  }
  const typeToken = tokens[index];
  if (typeToken === undefined) throw new DnsTextError(`no record type in ${JSON.stringify(text)}`);
  const type = parseType(typeToken);
  if (type === undefined) throw new DnsTextError(`unknown record type ${JSON.stringify(typeToken)}`);
  const data = rdataFromText(type, new RdataTokens(tokens.slice(index + 1), origin));
  return {
    name,
    type,
    class: rrclass ?? options.rrclass ?? RRCLASS.IN,
    ttl: ttl ?? options.ttl ?? 3600,
    data,
  };
}

/** Two rdata of one type are equal when their uncompressed wire forms are. */
export function rdataEqual(type: number, a: Rdata, b: Rdata): boolean {
  const x = rdataBytes(type, a);
  const y = rdataBytes(type, b);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}
