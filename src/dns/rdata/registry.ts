/**
 * One registry of record types: type number → codec. A codec turns one type's rdata between
 * wire and presentation text; adding a type is one small module that calls `registerRdata`.
 * Types without a codec are kept as bytes (RFC 3597) by record.ts.
 */
import type { RdataTokens } from '../text.js';
import type { WireReader, WireWriter } from '../wire.js';
import type { Rdata } from './types.js';

export interface RdataCodec<T extends Rdata = Rdata> {
  readonly type: number;
  /**
   * Whether names in this type's rdata may be compressed on write: only the RFC 1035 types
   * (NS, CNAME, SOA, PTR, MX...), RFC 3597 §4. Decoding always follows pointers in the
   * types that RFC 3597 §4 lists as possibly compressed, and never in others.
   */
  readonly compressNames: boolean;
  /** Reads the rdata; `reader` ends where the rdata ends, and must be read to its end. */
  decode(reader: WireReader): T;
  encode(writer: WireWriter, data: T): void;
  /** Parses the rdata's text (the part after the type). */
  fromText(tokens: RdataTokens): T;
  /** The rdata's text, as dig and dnspython print it. */
  toText(data: T): string;
}

const codecs = new Map<number, RdataCodec>();

export function registerRdata<T extends Rdata>(codec: RdataCodec<T>): void {
  codecs.set(codec.type, codec as unknown as RdataCodec);
}

export function rdataCodec(type: number): RdataCodec | undefined {
  return codecs.get(type);
}

export function registeredTypes(): number[] {
  return [...codecs.keys()].sort((a, b) => a - b);
}
