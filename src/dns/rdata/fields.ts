/**
 * Record types whose data is a fixed sequence of simple fields, declared as data (as miekg/dns
 * declares them in its struct tags): one generic codec reads, writes, parses and prints them.
 *
 * Field kinds (RFC 1035 §3.3):
 * - `u8`, `u16`, `u32`: unsigned integers, big-endian on the wire, decimal in text.
 * - `period`: a u32 of seconds (the SOA timers); text also takes BIND's units (`1h30m`), as
 *   BIND and dnspython do; printed in seconds, as dig prints it.
 * - `name`: a domain name, absolute in text; compressed on write only when the type allows.
 * - `string`: a <character-string>, a length byte and up to 255 bytes; quoted in text.
 */
import { DnsEncodeError, DnsTextError } from '../errors.js';
import type { Name } from '../name.js';
import { quoteString, type RdataTokens } from '../text.js';
import type { WireReader, WireWriter } from '../wire.js';
import type { RdataCodec } from './registry.js';
import type { Rdata } from './types.js';

export const MAX_STRING_BYTES = 255;

export type FieldKind = 'u8' | 'u16' | 'u32' | 'period' | 'name' | 'string';

export interface Field<T> {
  readonly key: keyof T & string;
  readonly kind: FieldKind;
}

/** Reads a <character-string> (RFC 1035 §3.3): a length byte, then that many bytes. */
export function readString(reader: WireReader, what: string): Uint8Array {
  const length = reader.u8(`the length of ${what}`);
  return reader.bytes(length, what);
}

export function writeString(writer: WireWriter, bytes: Uint8Array, what: string): void {
  if (bytes.length > MAX_STRING_BYTES)
    throw new DnsEncodeError(`${what} is ${bytes.length} bytes; a character-string holds at most 255`);
  writer.u8(bytes.length);
  writer.bytes(bytes);
}

const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** Seconds as BIND's zone files write them: `3600`, or units `1w2d3h4m5s` (any case). */
export function parsePeriod(token: string, what: string): number {
  let seconds: number;
  if (/^\d{1,10}$/.test(token)) seconds = Number(token);
  else if (/^(\d{1,10}[wdhms])+$/i.test(token)) {
    seconds = 0;
    for (const [, count, unit] of token.matchAll(/(\d+)([wdhms])/gi))
      seconds += Number(count) * UNIT_SECONDS[unit!.toLowerCase()]!;
  } else throw new DnsTextError(`${what}: ${JSON.stringify(token)} is not a number of seconds`);
  if (seconds > 0xffffffff) throw new DnsTextError(`${what}: ${token} is over 4294967295 seconds`);
  return seconds;
}

/** The codec of a type made of `fields` in order. `label` names the fields in errors (`the MX exchange`). */
export function fieldCodec<T extends Rdata>(
  type: number,
  label: string,
  compressNames: boolean,
  fields: readonly Field<T>[],
): RdataCodec<T> {
  const what = (field: Field<T>) => `the ${label} ${field.key}`;
  return {
    type,
    compressNames,
    decode(reader) {
      const data: Record<string, unknown> = {};
      for (const field of fields) {
        const name = what(field);
        switch (field.kind) {
          case 'u8':
            data[field.key] = reader.u8(name);
            break;
          case 'u16':
            data[field.key] = reader.u16(name);
            break;
          case 'u32':
          case 'period':
            data[field.key] = reader.u32(name);
            break;
          case 'name':
            data[field.key] = reader.name(name);
            break;
          case 'string':
            data[field.key] = readString(reader, name);
            break;
        }
      }
      return data as T;
    },
    encode(writer, data) {
      const values = data as unknown as Record<string, unknown>;
      for (const field of fields) {
        const value = values[field.key];
        switch (field.kind) {
          case 'u8':
            writer.u8(checkUint(value, 0xff, what(field)));
            break;
          case 'u16':
            writer.u16(checkUint(value, 0xffff, what(field)));
            break;
          case 'u32':
          case 'period':
            writer.u32(checkUint(value, 0xffffffff, what(field)));
            break;
          case 'name':
            writer.name(value as Name, compressNames);
            break;
          case 'string':
            writeString(writer, value as Uint8Array, what(field));
            break;
        }
      }
    },
    fromText(tokens: RdataTokens) {
      const data: Record<string, unknown> = {};
      for (const field of fields) {
        const name = what(field);
        switch (field.kind) {
          case 'u8':
            data[field.key] = tokens.uint(name, 8);
            break;
          case 'u16':
            data[field.key] = tokens.uint(name, 16);
            break;
          case 'u32':
            data[field.key] = tokens.uint(name, 32);
            break;
          case 'period':
            data[field.key] = parsePeriod(tokens.next(name), name);
            break;
          case 'name':
            data[field.key] = tokens.name(name);
            break;
          case 'string':
            data[field.key] = tokens.string(name);
            break;
        }
      }
      return data as T;
    },
    toText(data) {
      const values = data as unknown as Record<string, unknown>;
      return fields
        .map((field) => {
          const value = values[field.key];
          if (field.kind === 'name') return (value as Name).toText();
          if (field.kind === 'string') return quoteString(value as Uint8Array);
          return String(value);
        })
        .join(' ');
    },
  };
}

function checkUint(value: unknown, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max)
    throw new DnsEncodeError(`${what}: ${String(value)} is not an integer from 0 to ${max}`);
  return value;
}
