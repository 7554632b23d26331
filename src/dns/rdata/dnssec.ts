/**
 * DNSSEC record types: DS and CDS (RFC 4034 §5, RFC 7344), DNSKEY and CDNSKEY (RFC 4034 §2),
 * RRSIG (RFC 4034 §3), NSEC (RFC 4034 §4), NSEC3 and NSEC3PARAM (RFC 5155 §3, §4). Text as
 * dig prints it: numbers for algorithms (mnemonics accepted), upper-case hex and base64 in
 * chunks of 56 characters (binary-text.ts), RRSIG times as YYYYMMDDHHmmSS.
 */
import { parseType, RRTYPE, typeToText } from '../constants.js';
import { DnsTextError } from '../errors.js';
import { fromHex, type RdataTokens, toHex } from '../text.js';
import type { WireReader, WireWriter } from '../wire.js';
import {
  algorithmFromText,
  base64Rest,
  base64Text,
  fromBase32Hex,
  hexRest,
  hexText,
  toBase32Hex,
  uncompressedName,
  withTail,
} from './binary-text.js';
import { type RdataCodec, registerRdata } from './registry.js';
import { decodeTypeBitmap, encodeTypeBitmap, typesFromText, typesToText } from './type-bitmap.js';
import type { DnskeyRdata, DsRdata, Nsec3paramRdata, Nsec3Rdata, NsecRdata, RrsigRdata } from './types.js';

/**
 * Digest lengths of the DS digest types with a fixed one (RFC 4509 SHA-256, RFC 5933 GOST,
 * RFC 6605 SHA-384, RFC 3658 SHA-1); BIND and dnspython both refuse other lengths for these, on wire and in text.
 */
const DIGEST_LENGTHS: ReadonlyMap<number, number> = new Map([
  [1, 20],
  [2, 32],
  [3, 32],
  [4, 48],
]);

function digestLengthProblem(digestType: number, length: number): string | undefined {
  const expected = DIGEST_LENGTHS.get(digestType);
  return expected === undefined || expected === length
    ? undefined
    : `a digest of type ${digestType} is ${expected} bytes, not ${length}`;
}

function dsCodec(type: number): RdataCodec<DsRdata> {
  return {
    type,
    compressNames: false,
    decode(reader) {
      const keyTag = reader.u16('the key tag');
      const algorithm = reader.u8('the algorithm');
      const digestType = reader.u8('the digest type');
      const at = reader.offset;
      const digest = reader.rest();
      const problem = digestLengthProblem(digestType, digest.length);
      if (problem) reader.fail(problem, at);
      return { keyTag, algorithm, digestType, digest };
    },
    encode(writer, data) {
      writer.u16(data.keyTag);
      writer.u8(data.algorithm);
      writer.u8(data.digestType);
      writer.bytes(data.digest);
    },
    fromText(tokens) {
      const keyTag = tokens.uint('the key tag', 16);
      const algorithm = algorithmFromText(tokens, 'the algorithm');
      const digestType = tokens.uint('the digest type', 8);
      const digest = hexRest(tokens, 'the digest');
      const problem = digestLengthProblem(digestType, digest.length);
      if (problem) throw new DnsTextError(problem);
      return { keyTag, algorithm, digestType, digest };
    },
    toText: (data) => withTail(`${data.keyTag} ${data.algorithm} ${data.digestType}`, hexText(data.digest)),
  };
}

function dnskeyCodec(type: number): RdataCodec<DnskeyRdata> {
  return {
    type,
    compressNames: false,
    decode: (reader) => ({
      flags: reader.u16('the flags'),
      protocol: reader.u8('the protocol'),
      algorithm: reader.u8('the algorithm'),
      publicKey: reader.rest(),
    }),
    encode(writer, data) {
      writer.u16(data.flags);
      writer.u8(data.protocol);
      writer.u8(data.algorithm);
      writer.bytes(data.publicKey);
    },
    fromText: (tokens) => ({
      flags: tokens.uint('the flags', 16),
      protocol: tokens.uint('the protocol', 8),
      algorithm: algorithmFromText(tokens, 'the algorithm'),
      publicKey: base64Rest(tokens, 'the public key'),
    }),
    toText: (data) =>
      withTail(`${data.flags} ${data.protocol} ${data.algorithm}`, base64Text(data.publicKey)),
  };
}

const U32_LIMIT = 2 ** 32;

/** RFC 4034 §3.2: YYYYMMDDHHmmSS in UTC, for the seconds since 1970 that a u32 holds (to 2106). */
export function sigTimeToText(seconds: number): string {
  const date = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    String(date.getUTCFullYear()).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds())
  );
}

/**
 * YYYYMMDDHHmmSS, or plain seconds since 1970 (up to 10 digits, as BIND takes them). A date
 * past 2106-02-07T06:28:15Z does not fit the field: refused (BIND wraps it modulo 2^32).
 */
export function sigTimeFromText(text: string, what: string): number {
  if (/^\d{1,10}$/.test(text)) {
    const seconds = Number(text);
    if (seconds >= U32_LIMIT) throw new DnsTextError(`${what}: ${text} is over 4294967295`);
    return seconds;
  }
  const match = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(text);
  if (!match) throw new DnsTextError(`${what}: ${JSON.stringify(text)} is not YYYYMMDDHHmmSS or seconds`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw new DnsTextError(`${what}: ${text} is not a valid date and time`);
  const seconds = ms / 1000;
  if (seconds < 0 || seconds >= U32_LIMIT)
    throw new DnsTextError(`${what}: ${text} is outside 1970-01-01 to 2106-02-07 (a 32-bit field)`);
  return seconds;
}

const rrsigCodec: RdataCodec<RrsigRdata> = {
  type: RRTYPE.RRSIG,
  compressNames: false,
  decode: (reader) => ({
    typeCovered: reader.u16('the type covered'),
    algorithm: reader.u8('the algorithm'),
    labels: reader.u8('the labels'),
    originalTtl: reader.u32('the original TTL'),
    expiration: reader.u32('the expiration'),
    inception: reader.u32('the inception'),
    keyTag: reader.u16('the key tag'),
    signer: uncompressedName(reader, "the signer's name"),
    signature: reader.rest(),
  }),
  encode(writer, data) {
    writer.u16(data.typeCovered);
    writer.u8(data.algorithm);
    writer.u8(data.labels);
    writer.u32(data.originalTtl);
    writer.u32(data.expiration);
    writer.u32(data.inception);
    writer.u16(data.keyTag);
    writer.name(data.signer, false);
    writer.bytes(data.signature);
  },
  fromText(tokens) {
    const covered = tokens.next('the type covered');
    const typeCovered = parseType(covered);
    if (typeCovered === undefined) throw new DnsTextError(`unknown type covered ${JSON.stringify(covered)}`);
    return {
      typeCovered,
      algorithm: algorithmFromText(tokens, 'the algorithm'),
      labels: tokens.uint('the labels', 8),
      originalTtl: tokens.uint('the original TTL', 32),
      expiration: sigTimeFromText(tokens.next('the expiration'), 'the expiration'),
      inception: sigTimeFromText(tokens.next('the inception'), 'the inception'),
      keyTag: tokens.uint('the key tag', 16),
      signer: tokens.name("the signer's name"),
      signature: base64Rest(tokens, 'the signature'),
    };
  },
  toText: (data) =>
    withTail(
      `${typeToText(data.typeCovered)} ${data.algorithm} ${data.labels} ${data.originalTtl} ` +
        `${sigTimeToText(data.expiration)} ${sigTimeToText(data.inception)} ${data.keyTag} ${data.signer.toText()}`,
      base64Text(data.signature),
    ),
};

const nsecCodec: RdataCodec<NsecRdata> = {
  type: RRTYPE.NSEC,
  compressNames: false,
  decode: (reader) => ({
    next: uncompressedName(reader, 'the next domain name'),
    types: decodeTypeBitmap(reader),
  }),
  encode(writer, data) {
    writer.name(data.next, false);
    encodeTypeBitmap(writer, data.types);
  },
  fromText: (tokens) => ({ next: tokens.name('the next domain name'), types: typesFromText(tokens) }),
  toText: (data) => withTail(data.next.toText(), typesToText(data.types)),
};

/** RFC 5155 §3.3: the salt in hex, `-` when empty. */
function saltFromText(tokens: RdataTokens): Uint8Array {
  const token = tokens.next('the salt');
  const salt = token === '-' ? new Uint8Array(0) : fromHex(token, 'the salt');
  if (salt.length > 255) throw new DnsTextError(`the salt is ${salt.length} bytes; at most 255`);
  return salt;
}

const saltText = (salt: Uint8Array): string => (salt.length === 0 ? '-' : toHex(salt));

function readSalt(reader: WireReader): Uint8Array {
  return reader.bytes(reader.u8('the salt length'), 'the salt');
}

function writeCounted(writer: WireWriter, bytes: Uint8Array): void {
  writer.u8(bytes.length);
  writer.bytes(bytes);
}

const nsec3Codec: RdataCodec<Nsec3Rdata> = {
  type: RRTYPE.NSEC3,
  compressNames: false,
  decode(reader) {
    const hashAlgorithm = reader.u8('the hash algorithm');
    const flags = reader.u8('the flags');
    const iterations = reader.u16('the iterations');
    const salt = readSalt(reader);
    const at = reader.offset;
    const length = reader.u8('the hash length');
    // An empty next hashed owner name has no text form (RFC 5155 §3.3 gives none; BIND refuses it).
    if (length === 0) reader.fail('the next hashed owner name is empty', at);
    const nextHashed = reader.bytes(length, 'the next hashed owner name');
    return { hashAlgorithm, flags, iterations, salt, nextHashed, types: decodeTypeBitmap(reader) };
  },
  encode(writer, data) {
    writer.u8(data.hashAlgorithm);
    writer.u8(data.flags);
    writer.u16(data.iterations);
    writeCounted(writer, data.salt);
    writeCounted(writer, data.nextHashed);
    encodeTypeBitmap(writer, data.types);
  },
  fromText(tokens) {
    const hashAlgorithm = tokens.uint('the hash algorithm', 8);
    const flags = tokens.uint('the flags', 8);
    const iterations = tokens.uint('the iterations', 16);
    const salt = saltFromText(tokens);
    const nextHashed = fromBase32Hex(tokens.next('the next hashed owner name'), 'the next hashed owner name');
    if (nextHashed.length === 0 || nextHashed.length > 255)
      throw new DnsTextError(`the next hashed owner name is ${nextHashed.length} bytes; 1 to 255`);
    return { hashAlgorithm, flags, iterations, salt, nextHashed, types: typesFromText(tokens) };
  },
  toText: (data) =>
    withTail(
      `${data.hashAlgorithm} ${data.flags} ${data.iterations} ${saltText(data.salt)} ${toBase32Hex(data.nextHashed)}`,
      typesToText(data.types),
    ),
};

const nsec3paramCodec: RdataCodec<Nsec3paramRdata> = {
  type: RRTYPE.NSEC3PARAM,
  compressNames: false,
  decode: (reader) => ({
    hashAlgorithm: reader.u8('the hash algorithm'),
    flags: reader.u8('the flags'),
    iterations: reader.u16('the iterations'),
    salt: readSalt(reader),
  }),
  encode(writer, data) {
    writer.u8(data.hashAlgorithm);
    writer.u8(data.flags);
    writer.u16(data.iterations);
    writeCounted(writer, data.salt);
  },
  fromText: (tokens) => ({
    hashAlgorithm: tokens.uint('the hash algorithm', 8),
    flags: tokens.uint('the flags', 8),
    iterations: tokens.uint('the iterations', 16),
    salt: saltFromText(tokens),
  }),
  toText: (data) => `${data.hashAlgorithm} ${data.flags} ${data.iterations} ${saltText(data.salt)}`,
};

registerRdata(dsCodec(RRTYPE.DS));
registerRdata(dsCodec(RRTYPE.CDS));
registerRdata(dnskeyCodec(RRTYPE.DNSKEY));
registerRdata(dnskeyCodec(RRTYPE.CDNSKEY));
registerRdata(rrsigCodec);
registerRdata(nsecCodec);
registerRdata(nsec3Codec);
registerRdata(nsec3paramCodec);
