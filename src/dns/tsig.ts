/**
 * TSIG (RFC 8945): signing and verifying encoded messages with a shared secret. Pure: the
 * clock is the caller's (`now`, in seconds), and node:crypto only computes HMACs.
 */
import { createHmac } from 'node:crypto';
import { LocalError, type NetkitErrorOptions } from '../core/errors.js';
import { RRCLASS, RRTYPE } from './constants.js';
import { Name } from './name.js';
import { TSIG_ERROR, type TsigRdata, tsigRdataCodec } from './rdata/tsig.js';
import { fromBase64 } from './text.js';
import { WireReader, WireWriter } from './wire.js';

export { TSIG_ERROR, type TsigRdata, tsigErrorToText, tsigRdataCodec } from './rdata/tsig.js';

/** A key file or spec that does not parse, an unknown algorithm, an empty secret. */
export class TsigKeyError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_DNS_TSIG_KEY', message, options);
  }
}

export type TsigAlgorithm =
  | 'hmac-md5'
  | 'hmac-sha1'
  | 'hmac-sha224'
  | 'hmac-sha256'
  | 'hmac-sha384'
  | 'hmac-sha512';

export interface TsigKey {
  name: Name;
  algorithm: TsigAlgorithm;
  secret: Uint8Array;
}

const ALGORITHMS: Record<TsigAlgorithm, { hash: string; size: number; wireName: string }> = {
  'hmac-md5': { hash: 'md5', size: 16, wireName: 'hmac-md5.sig-alg.reg.int.' },
  'hmac-sha1': { hash: 'sha1', size: 20, wireName: 'hmac-sha1.' },
  'hmac-sha224': { hash: 'sha224', size: 28, wireName: 'hmac-sha224.' },
  'hmac-sha256': { hash: 'sha256', size: 32, wireName: 'hmac-sha256.' },
  'hmac-sha384': { hash: 'sha384', size: 48, wireName: 'hmac-sha384.' },
  'hmac-sha512': { hash: 'sha512', size: 64, wireName: 'hmac-sha512.' },
};

/** An algorithm as BIND, Knot and dig write it (`hmac-sha256`, also `HMAC-MD5.SIG-ALG.REG.INT`). */
export function parseTsigAlgorithm(text: string): TsigAlgorithm {
  const lower = text.toLowerCase().replace(/\.$/, '');
  if (lower === 'hmac-md5.sig-alg.reg.int') return 'hmac-md5';
  if (Object.hasOwn(ALGORITHMS, lower)) return lower as TsigAlgorithm;
  throw new TsigKeyError(`${JSON.stringify(text)} is not a TSIG algorithm (hmac-sha256, hmac-sha512...)`);
}

function algorithmOfName(name: Name): TsigAlgorithm | undefined {
  try {
    return parseTsigAlgorithm(name.toText());
  } catch {
    return undefined;
  }
}

/** Builds a key, checking the algorithm and the base64 secret. */
export function makeTsigKey(name: string | Name, algorithm: string, secret: string | Uint8Array): TsigKey {
  const keyName = typeof name === 'string' ? Name.fromText(name.endsWith('.') ? name : `${name}.`) : name;
  let bytes: Uint8Array;
  try {
    bytes = typeof secret === 'string' ? fromBase64(secret, 'the TSIG secret') : secret;
  } catch (error) {
    throw new TsigKeyError(`the secret of key ${keyName.toText()} is not base64`, { cause: error });
  }
  if (bytes.length === 0) throw new TsigKeyError(`the secret of key ${keyName.toText()} is empty`);
  return { name: keyName, algorithm: parseTsigAlgorithm(algorithm), secret: bytes };
}

/**
 * Keys from a file: BIND's `key "NAME" { algorithm ALG; secret "BASE64"; };` blocks (what
 * `tsig-keygen` writes) or Knot's YAML `key:` list (what `keymgr -t` writes).
 */
export function parseTsigKeyFile(text: string): TsigKey[] {
  const keys: TsigKey[] = [];
  const bind = /key\s+"?([^"\s{]+)"?\s*\{([^}]*)\}\s*;/g;
  for (const match of text.matchAll(bind)) {
    const body = match[2]!;
    const algorithm = /algorithm\s+"?([^";\s]+)"?\s*;/.exec(body)?.[1];
    const secret = /secret\s+"([^"]*)"\s*;/.exec(body)?.[1];
    if (!algorithm || secret === undefined)
      throw new TsigKeyError(`key ${match[1]} needs an algorithm and a secret`);
    keys.push(makeTsigKey(match[1]!, algorithm, secret.replace(/\s/g, '')));
  }
  if (keys.length > 0) return keys;
  let current: Record<string, string> | undefined;
  const fields: Record<string, string>[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trimEnd();
    const item = /^\s*(-\s+)?(id|algorithm|secret)\s*:\s*"?([^"]*?)"?\s*$/.exec(line);
    if (!item) continue;
    if (item[1] || !current) {
      current = {};
      fields.push(current);
    }
    current[item[2]!] = item[3]!;
  }
  for (const key of fields) {
    if (!key.id || !key.algorithm || key.secret === undefined)
      throw new TsigKeyError('a Knot key needs an id, an algorithm and a secret');
    keys.push(makeTsigKey(key.id, key.algorithm, key.secret));
  }
  if (keys.length === 0)
    throw new TsigKeyError('no TSIG key found (neither BIND key blocks nor Knot key: list)');
  return keys;
}

/**
 * A key on one line: `NAME:ALG:SECRET`; dig's `-y` form `ALG:NAME:SECRET` is also taken (when
 * the first part is an algorithm and the second is not), and `NAME:SECRET` means hmac-sha256.
 */
export function parseTsigSpec(spec: string): TsigKey {
  const parts = spec.split(':');
  const isAlgorithm = (text: string): boolean => {
    try {
      parseTsigAlgorithm(text);
      return true;
    } catch {
      return false;
    }
  };
  if (parts.length === 2) return makeTsigKey(parts[0]!, 'hmac-sha256', parts[1]!);
  if (parts.length === 3) {
    const [a, b, secret] = parts as [string, string, string];
    if (!isAlgorithm(b) && isAlgorithm(a)) return makeTsigKey(b, a, secret);
    return makeTsigKey(a, b, secret);
  }
  throw new TsigKeyError(`${JSON.stringify(spec)} is not NAME:ALG:SECRET`);
}

function canonicalWire(name: Name): Uint8Array {
  return name.wire.map((byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte));
}

function hmac(key: TsigKey, parts: Uint8Array[]): Uint8Array {
  const mac = createHmac(ALGORITHMS[key.algorithm].hash, key.secret);
  for (const part of parts) mac.update(part);
  return new Uint8Array(mac.digest());
}

/** The TSIG variables of RFC 8945 §4.3.3, in the digest's form. */
function tsigVariables(keyName: Name, data: TsigRdata, rrclass: number, ttl: number): Uint8Array {
  const writer = new WireWriter(false);
  try {
    writer.bytes(canonicalWire(keyName));
    writer.u16(rrclass);
    writer.u32(ttl);
    writer.bytes(canonicalWire(data.algorithm));
    writer.u16(Math.floor(data.timeSigned / 2 ** 32));
    writer.u32(data.timeSigned % 2 ** 32);
    writer.u16(data.fudge);
    writer.u16(data.error);
    writer.u16(data.otherData.length);
    writer.bytes(data.otherData);
    return writer.finish().slice();
  } finally {
    writer.release();
  }
}

function macPrefix(requestMac: Uint8Array | undefined): Uint8Array[] {
  if (requestMac === undefined) return [];
  return [Uint8Array.of(requestMac.length >> 8, requestMac.length & 0xff), requestMac];
}

export interface SignOptions {
  /** Seconds since the epoch. */
  now: number;
  /** Allowed clock skew in seconds; 300 (RFC 8945 §10). */
  fudge?: number;
  /** Signing a response: the request's MAC (RFC 8945 §4.3.1). */
  requestMac?: Uint8Array;
  /** The TSIG error field (a BADTIME answer, say); 0. */
  error?: number;
  otherData?: Uint8Array;
}

/** Appends a TSIG record to an encoded message (ARCOUNT + 1), MAC over RFC 8945 §4.3. */
export function signMessage(bytes: Uint8Array, key: TsigKey, options: SignOptions): Uint8Array {
  if (bytes.length < 12) throw new TsigKeyError('a message is at least 12 bytes');
  const arcount = (bytes[10]! << 8) | bytes[11]!;
  if (arcount === 0xffff) throw new TsigKeyError('the message already has 65535 additional records');
  const unsigned: TsigRdata = {
    algorithm: Name.fromText(ALGORITHMS[key.algorithm].wireName),
    timeSigned: Math.floor(options.now),
    fudge: options.fudge ?? 300,
    mac: new Uint8Array(0),
    originalId: (bytes[0]! << 8) | bytes[1]!,
    error: options.error ?? 0,
    otherData: options.otherData ?? new Uint8Array(0),
  };
  const mac = hmac(key, [
    ...macPrefix(options.requestMac),
    bytes,
    tsigVariables(key.name, unsigned, RRCLASS.ANY, 0),
  ]);
  const writer = new WireWriter(false);
  try {
    writer.bytes(bytes);
    writer.patchU16(10, arcount + 1);
    writer.name(key.name, false);
    writer.u16(RRTYPE.TSIG);
    writer.u16(RRCLASS.ANY);
    writer.u32(0);
    const lengthAt = writer.reserveU16();
    const start = writer.length;
    tsigRdataCodec.encode(writer, { ...unsigned, mac });
    writer.patchU16(lengthAt, writer.length - start);
    return writer.finish().slice();
  } finally {
    writer.release();
  }
}

export type TsigError = 'BADSIG' | 'BADKEY' | 'BADTIME' | 'BADTRUNC' | 'FORMERR';

export type VerifyResult =
  | { ok: true; mac: Uint8Array; key: TsigKey; tsig: TsigRdata }
  | {
      ok: false;
      error: TsigError;
      /** Why, in words. */
      reason: string;
      /** The extended RCODE to answer with (FORMERR is 1). */
      rcode: number;
      keyName?: Name;
      tsig?: TsigRdata;
    };

export interface VerifyOptions {
  /** Seconds since the epoch. */
  now: number;
  /** Verifying a response: the MAC of the request we sent. */
  requestMac?: Uint8Array;
  /**
   * The shortest truncated MAC accepted (local policy, RFC 8945 §5.2.4): shorter is BADTRUNC.
   * By default the RFC's floor, the larger of 10 bytes and half the hash.
   */
  minMacLength?: number;
}

const RCODE_OF: Record<TsigError, number> = {
  FORMERR: 1,
  BADSIG: TSIG_ERROR.BADSIG,
  BADKEY: TSIG_ERROR.BADKEY,
  BADTIME: TSIG_ERROR.BADTIME,
  BADTRUNC: TSIG_ERROR.BADTRUNC,
};

function fail(error: TsigError, reason: string, keyName?: Name, tsig?: TsigRdata): VerifyResult {
  return {
    ok: false,
    error,
    reason,
    rcode: RCODE_OF[error],
    ...(keyName ? { keyName } : {}),
    ...(tsig ? { tsig } : {}),
  };
}

interface Located {
  start: number;
  name: Name;
  rrclass: number;
  ttl: number;
  data: TsigRdata;
}

/** Finds the TSIG record: it must be the last record, and the only TSIG. */
function locateTsig(bytes: Uint8Array): Located | string {
  const reader = new WireReader(bytes);
  reader.u16('the ID');
  reader.u16('the flags');
  const qdcount = reader.u16('QDCOUNT');
  const rrcount = reader.u16('ANCOUNT') + reader.u16('NSCOUNT') + reader.u16('ARCOUNT');
  for (let i = 0; i < qdcount; i++) {
    reader.name('a question name');
    reader.u16('a question type');
    reader.u16('a question class');
  }
  let found: Located | undefined;
  for (let i = 0; i < rrcount; i++) {
    const start = reader.offset;
    const name = reader.name('a record owner');
    const type = reader.u16('a record type');
    const rrclass = reader.u16('a record class');
    const ttl = reader.u32('a record TTL');
    const length = reader.u16('a record data length');
    const rdata = reader.restrict(length, 'record data');
    if (type === RRTYPE.TSIG) {
      if (i !== rrcount - 1) return 'a TSIG record that is not the last record';
      const data = tsigRdataCodec.decode(rdata);
      rdata.expectEnd('the TSIG data');
      found = { start, name, rrclass, ttl, data };
    }
    reader.offset = rdata.end;
  }
  if (!reader.atEnd()) return 'bytes after the last record';
  return found ?? 'no TSIG record';
}

/** Verifies a message's TSIG (RFC 8945 §5.2): key, then MAC, then time, then truncation. */
export function verifyMessage(
  bytes: Uint8Array,
  keys: (name: Name) => TsigKey | undefined,
  options: VerifyOptions,
): VerifyResult {
  let located: Located | string;
  try {
    located = locateTsig(bytes);
  } catch (error) {
    return fail('FORMERR', error instanceof Error ? error.message : String(error));
  }
  if (typeof located === 'string') return fail('FORMERR', located);
  const { start, name, data } = located;
  if (located.rrclass !== RRCLASS.ANY || located.ttl !== 0)
    return fail('FORMERR', 'a TSIG record must have class ANY and TTL 0', name, data);
  const key = keys(name);
  if (key === undefined) return fail('BADKEY', `no key named ${name.toText()}`, name, data);
  const algorithm = algorithmOfName(data.algorithm);
  if (algorithm !== key.algorithm)
    return fail(
      'BADKEY',
      `key ${name.toText()} is ${key.algorithm}, not ${data.algorithm.toText()}`,
      name,
      data,
    );
  const size = ALGORITHMS[algorithm].size;
  const floor = Math.max(10, Math.ceil(size / 2));
  // §5.2.2.1: a MAC longer than the hash, or shorter than the floor, is badly formed.
  if (data.mac.length > size || data.mac.length < floor)
    return fail('FORMERR', `a ${algorithm} MAC of ${data.mac.length} bytes`, name, data);
  const message = bytes.slice(0, start);
  message[0] = data.originalId >> 8;
  message[1] = data.originalId & 0xff;
  const arcount = ((message[10]! << 8) | message[11]!) - 1;
  message[10] = arcount >> 8;
  message[11] = arcount & 0xff;
  const expected = hmac(key, [
    ...macPrefix(options.requestMac),
    message,
    tsigVariables(name, data, located.rrclass, located.ttl),
  ]);
  let diff = 0;
  for (let i = 0; i < data.mac.length; i++) diff |= expected[i]! ^ data.mac[i]!;
  if (diff !== 0) return fail('BADSIG', 'the MAC does not match', name, data);
  if (Math.abs(options.now - data.timeSigned) > data.fudge)
    return fail(
      'BADTIME',
      `signed at ${data.timeSigned}, now is ${options.now}, fudge ${data.fudge}`,
      name,
      data,
    );
  if (data.mac.length < Math.max(options.minMacLength ?? floor, floor))
    return fail('BADTRUNC', `a MAC truncated to ${data.mac.length} bytes`, name, data);
  return { ok: true, mac: data.mac, key, tsig: data };
}

/** A key lookup over a list: `verifyMessage(bytes, keyring([key]), ...)`. */
export function keyring(keys: readonly TsigKey[]): (name: Name) => TsigKey | undefined {
  const byName = new Map(keys.map((key) => [key.name.key(), key]));
  return (name) => byName.get(name.key());
}
