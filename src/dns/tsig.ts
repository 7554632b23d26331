/**
 * TSIG (RFC 8945): signing and verifying encoded messages with a shared secret, one message or
 * a transfer's stream of them, and the answers to requests that fail. Pure: the clock is the
 * caller's (`now`, in seconds), and node:crypto only computes HMACs. Keys: tsig-keys.ts.
 */
import { createHmac } from 'node:crypto';
import { RRCLASS, RRTYPE } from './constants.js';
import { Name } from './name.js';
import { TSIG_ERROR, type TsigRdata, tsigRdataCodec } from './rdata/tsig.js';
import { ALGORITHMS, algorithmOfName, keyring, type TsigKey, TsigKeyError } from './tsig-keys.js';
import { WireReader, WireWriter } from './wire.js';

export { TSIG_ERROR, type TsigRdata, tsigErrorToText, tsigRdataCodec } from './rdata/tsig.js';
export {
  keyring,
  makeTsigKey,
  parseTsigAlgorithm,
  parseTsigKeyFile,
  parseTsigSpec,
  type TsigAlgorithm,
  type TsigKey,
  TsigKeyError,
} from './tsig-keys.js';

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

/** The timers alone (RFC 8945 §5.3.1): what later messages of a stream sign instead of all variables. */
function tsigTimers(data: TsigRdata): Uint8Array {
  const writer = new WireWriter(false);
  try {
    writer.u16(Math.floor(data.timeSigned / 2 ** 32));
    writer.u32(data.timeSigned % 2 ** 32);
    writer.u16(data.fudge);
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

/** RFC 8945 §10: five minutes. */
const DEFAULT_FUDGE = 300;

/** A TSIG record for `bytes`, MAC still empty: the original ID is the message's ID. */
function unsignedTsig(bytes: Uint8Array, key: TsigKey, options: SignOptions): TsigRdata {
  if (bytes.length < 12) throw new TsigKeyError('a message is at least 12 bytes');
  return {
    algorithm: Name.fromText(ALGORITHMS[key.algorithm].wireName),
    timeSigned: Math.floor(options.now),
    fudge: options.fudge ?? DEFAULT_FUDGE,
    mac: new Uint8Array(0),
    originalId: (bytes[0]! << 8) | bytes[1]!,
    error: options.error ?? 0,
    otherData: options.otherData ?? new Uint8Array(0),
  };
}

/** The message with a TSIG record appended as its last additional record (ARCOUNT + 1). */
function appendTsigRecord(bytes: Uint8Array, keyName: Name, data: TsigRdata): Uint8Array {
  if (bytes.length < 12) throw new TsigKeyError('a message is at least 12 bytes');
  const arcount = (bytes[10]! << 8) | bytes[11]!;
  if (arcount === 0xffff) throw new TsigKeyError('the message already has 65535 additional records');
  const writer = new WireWriter(false);
  try {
    writer.bytes(bytes);
    writer.patchU16(10, arcount + 1);
    writer.name(keyName, false);
    writer.u16(RRTYPE.TSIG);
    writer.u16(RRCLASS.ANY);
    writer.u32(0);
    const lengthAt = writer.reserveU16();
    const start = writer.length;
    tsigRdataCodec.encode(writer, data);
    writer.patchU16(lengthAt, writer.length - start);
    return writer.finish().slice();
  } finally {
    writer.release();
  }
}

/** Appends a TSIG record to an encoded message (ARCOUNT + 1), MAC over RFC 8945 §4.3. */
export function signMessage(bytes: Uint8Array, key: TsigKey, options: SignOptions): Uint8Array {
  return signMessageWithMac(bytes, key, options).bytes;
}

/**
 * signMessage, with the MAC it made: a request's MAC is what its answer's signature covers
 * (§4.3.1), so a client keeps it to verify the answer.
 */
export function signMessageWithMac(
  bytes: Uint8Array,
  key: TsigKey,
  options: SignOptions,
): { bytes: Uint8Array; mac: Uint8Array } {
  const unsigned = unsignedTsig(bytes, key, options);
  const mac = hmac(key, [
    ...macPrefix(options.requestMac),
    bytes,
    tsigVariables(key.name, unsigned, RRCLASS.ANY, 0),
  ]);
  return { bytes: appendTsigRecord(bytes, key.name, { ...unsigned, mac }), mac };
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
      /** The key, when the MAC matched (BADTIME, BADTRUNC): an error answer is signed with it. */
      key?: TsigKey;
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

type VerifyFailure = Extract<VerifyResult, { ok: false }>;

function fail(
  error: TsigError,
  reason: string,
  keyName?: Name,
  tsig?: TsigRdata,
  key?: TsigKey,
): VerifyFailure {
  return {
    ok: false,
    error,
    reason,
    rcode: RCODE_OF[error],
    ...(keyName ? { keyName } : {}),
    ...(tsig ? { tsig } : {}),
    ...(key ? { key } : {}),
  };
}

interface Located {
  start: number;
  name: Name;
  rrclass: number;
  ttl: number;
  data: TsigRdata;
}

const NO_TSIG = 'no TSIG record';

/** Finds the TSIG record: it must be the last record, and the only TSIG. A string says why not. */
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
  return found ?? NO_TSIG;
}

/** Verifies a message's TSIG (RFC 8945 §5.2): key, then MAC, then time, then truncation. */
export function verifyMessage(
  bytes: Uint8Array,
  keys: (name: Name) => TsigKey | undefined,
  options: VerifyOptions,
): VerifyResult {
  const located = locate(bytes);
  if ('ok' in located) return located;
  return verifyLocated(bytes, located, keys, options, {
    prefix: macPrefix(options.requestMac),
    timersOnly: false,
  });
}

function locate(bytes: Uint8Array): Located | VerifyFailure {
  try {
    const located = locateTsig(bytes);
    return typeof located === 'string' ? fail('FORMERR', located) : located;
  } catch (error) {
    return fail('FORMERR', error instanceof Error ? error.message : String(error));
  }
}

/** What the MAC covers besides the message: a prior MAC and unsigned messages, then variables. */
interface DigestScope {
  prefix: Uint8Array[];
  /** Later messages of a stream sign only the timers (RFC 8945 §5.3.1). */
  timersOnly: boolean;
}

function verifyLocated(
  bytes: Uint8Array,
  located: Located,
  keys: (name: Name) => TsigKey | undefined,
  options: VerifyOptions,
  scope: DigestScope,
): VerifyResult {
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
    ...scope.prefix,
    message,
    scope.timersOnly ? tsigTimers(data) : tsigVariables(name, data, located.rrclass, located.ttl),
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
      key,
    );
  if (data.mac.length < Math.max(options.minMacLength ?? floor, floor))
    return fail('BADTRUNC', `a MAC truncated to ${data.mac.length} bytes`, name, data, key);
  return { ok: true, mac: data.mac, key, tsig: data };
}

/**
 * RFC 8945 §5.3.1: a client accepts up to 99 unsigned messages in a row between signed ones.
 * NSD before 4.3 signed only the first, every 96th and the last; NSD 4.6, Knot 3.2 and BIND
 * 9.18 sign every message (tested in test/dns/tsig-stream.test.ts).
 */
export const MAX_UNSIGNED_IN_A_ROW = 99;

/**
 * Signs the messages of one response stream (a zone transfer), in order (RFC 8945 §5.3.1):
 * the first over the request's MAC and all TSIG variables, as signMessage does; each next one
 * over the previous MAC, the messages left unsigned since, itself, and the timers only.
 */
export class TsigStreamSigner {
  readonly #key: TsigKey;
  readonly #now: number;
  readonly #fudge: number;
  #previousMac: Uint8Array;
  #first = true;
  /** Messages passed on unsigned since the last signed one: the next MAC covers them. */
  #unsigned: Uint8Array[] = [];

  constructor(key: TsigKey, options: { now: number; requestMac: Uint8Array; fudge?: number }) {
    this.#key = key;
    this.#now = options.now;
    this.#fudge = options.fudge ?? DEFAULT_FUDGE;
    this.#previousMac = options.requestMac;
  }

  /** The message with its TSIG; `now` for a long stream (the constructor's by default). */
  sign(message: Uint8Array, now = this.#now): Uint8Array {
    const unsigned = unsignedTsig(message, this.#key, { now, fudge: this.#fudge });
    const mac = this.#first
      ? hmac(this.#key, [
          ...macPrefix(this.#previousMac),
          message,
          tsigVariables(this.#key.name, unsigned, RRCLASS.ANY, 0),
        ])
      : hmac(this.#key, [...macPrefix(this.#previousMac), ...this.#unsigned, message, tsigTimers(unsigned)]);
    this.#first = false;
    this.#previousMac = mac;
    this.#unsigned = [];
    return appendTsigRecord(message, this.#key.name, { ...unsigned, mac });
  }

  /**
   * Passes a message on unsigned, as older NSD did between its signed ones; but the first message,
   * and one after 99 unsigned in a row, must be signed, and are. The last one the caller signs.
   */
  skipSigning(message: Uint8Array, now = this.#now): Uint8Array {
    if (this.#first || this.#unsigned.length >= MAX_UNSIGNED_IN_A_ROW) return this.sign(message, now);
    this.#unsigned.push(message.slice());
    return message;
  }
}

export type StreamVerifyResult =
  | (Extract<VerifyResult, { ok: true }> & { signed: true })
  | {
      ok: true;
      signed: false;
      /** Unsigned messages since the last signed one, this one included (at most 99). */
      unsignedInARow: number;
    }
  | VerifyFailure;

/**
 * Verifies the messages of a response stream as a client (RFC 8945 §5.3.1): the first must be
 * signed, over the request MAC, itself and all variables; later ones may be unsigned, up to 99
 * in a row, and a signed one's MAC covers the previous MAC, every unsigned message since,
 * itself, and the timers. The last message must be signed: call finish() after it. A failure
 * ends the stream: every later call returns it again.
 */
export class TsigStreamVerifier {
  readonly #keys: (name: Name) => TsigKey | undefined;
  readonly #minMacLength: number | undefined;
  #previousMac: Uint8Array;
  #lastSigned: Extract<VerifyResult, { ok: true }> | undefined;
  #unsigned: Uint8Array[] = [];
  #failure: VerifyFailure | undefined;

  constructor(key: TsigKey, options: { requestMac: Uint8Array; minMacLength?: number }) {
    this.#keys = keyring([key]);
    this.#minMacLength = options.minMacLength;
    this.#previousMac = options.requestMac;
  }

  /** One message (wire bytes, as received), `now` in seconds since the epoch. */
  verify(message: Uint8Array, now: number): StreamVerifyResult {
    if (this.#failure) return this.#failure;
    const located = locate(message);
    if ('ok' in located) {
      if (located.reason !== NO_TSIG) return this.#fail(located);
      if (this.#lastSigned === undefined) return this.#fail(fail('FORMERR', 'the first message is unsigned'));
      if (this.#unsigned.length >= MAX_UNSIGNED_IN_A_ROW)
        return this.#fail(fail('FORMERR', `more than ${MAX_UNSIGNED_IN_A_ROW} unsigned messages`));
      this.#unsigned.push(message.slice());
      return { ok: true, signed: false, unsignedInARow: this.#unsigned.length };
    }
    const first = this.#lastSigned === undefined;
    const options = {
      now,
      ...(this.#minMacLength === undefined ? {} : { minMacLength: this.#minMacLength }),
    };
    const result = verifyLocated(message, located, this.#keys, options, {
      prefix: [...macPrefix(this.#previousMac), ...this.#unsigned],
      timersOnly: !first,
    });
    if (!result.ok) return this.#fail(result);
    this.#previousMac = result.mac;
    this.#unsigned = [];
    this.#lastSigned = result;
    return { ...result, signed: true };
  }

  /** After the last message: fails if it was unsigned (or there was none). */
  finish(): StreamVerifyResult {
    if (this.#failure) return this.#failure;
    if (this.#lastSigned === undefined) return this.#fail(fail('FORMERR', 'no signed message'));
    if (this.#unsigned.length > 0) return this.#fail(fail('FORMERR', 'the last message is unsigned'));
    return { ...this.#lastSigned, signed: true };
  }

  #fail(failure: VerifyFailure): VerifyFailure {
    this.#failure = failure;
    return failure;
  }
}

/** The 48-bit time of a BADTIME answer's other data (RFC 8945 §5.2.3). */
function u48(seconds: number): Uint8Array {
  const value = Math.floor(seconds);
  const high = Math.floor(value / 2 ** 32);
  const low = value % 2 ** 32;
  return Uint8Array.of(high >> 8, high & 0xff, low >>> 24, (low >> 16) & 0xff, (low >> 8) & 0xff, low & 0xff);
}

/**
 * The answer to a request whose TSIG failed (RFC 8945 §5.2): `response` is the encoded answer,
 * RCODE NOTAUTH already set; this appends the TSIG that tells the client why. BADKEY and
 * BADSIG carry an unsigned TSIG (empty MAC: §5.2.2, the server cannot or must not sign);
 * BADTIME is signed, time signed the client's, the server's time in other data (§5.2.3), so
 * the client can check it despite the skew; BADTRUNC is signed. The key name and algorithm
 * are the request's, as received. FORMERR gets no TSIG: the bytes come back unchanged.
 */
export function appendTsigError(
  response: Uint8Array,
  failure: VerifyFailure,
  options: { now: number; key?: TsigKey; requestMac?: Uint8Array },
): Uint8Array {
  const received = failure.tsig;
  if (failure.error === 'FORMERR' || received === undefined || failure.keyName === undefined) return response;
  if (response.length < 12) throw new TsigKeyError('a message is at least 12 bytes');
  const data: TsigRdata = {
    algorithm: received.algorithm,
    timeSigned: Math.floor(options.now),
    fudge: DEFAULT_FUDGE,
    mac: new Uint8Array(0),
    originalId: (response[0]! << 8) | response[1]!,
    error: failure.rcode,
    otherData: new Uint8Array(0),
  };
  if (failure.error === 'BADKEY' || failure.error === 'BADSIG')
    return appendTsigRecord(response, failure.keyName, data);
  const key = options.key ?? failure.key;
  if (key === undefined) throw new TsigKeyError(`a ${failure.error} answer is signed: it needs the key`);
  if (failure.error === 'BADTIME') {
    data.timeSigned = received.timeSigned;
    data.otherData = u48(options.now);
  }
  const mac = hmac(key, [
    ...macPrefix(options.requestMac ?? received.mac),
    response,
    tsigVariables(failure.keyName, data, RRCLASS.ANY, 0),
  ]);
  return appendTsigRecord(response, failure.keyName, { ...data, mac });
}
