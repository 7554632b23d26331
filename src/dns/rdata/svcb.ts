/**
 * SVCB and HTTPS (RFC 9460): priority, target (never compressed, §2.2), then SvcParams sorted
 * by key, each key once (§2.2). Decoding refuses what RFC 9460 calls malformed: keys out of
 * order or repeated, a known key's value of the wrong shape (§7, §8), a `mandatory` list that
 * names itself or a key that is missing, `no-default-alpn` without `alpn` (§2.4.3, §7.1.1).
 * AliasMode (priority 0) with params is kept as it is: §2.4.2 says to ignore them, and BIND
 * takes them (dnspython refuses them).
 *
 * Text follows BIND 9.18, except that keys 7 and 8 are named (dohpath, RFC 9461; ohttp,
 * RFC 9540) where 9.18 prints key7/key8: `mandatory`, `port`, the hints and `ech` unquoted,
 * `alpn`, `dohpath` and unknown keys quoted, empty values as the bare key. Input values may
 * be quoted or not; list values follow RFC 9460 Appendix A.1 (`\,` and `\\` inside items).
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../../core/ip.js';
import { RRTYPE } from '../constants.js';
import { DnsEncodeError, DnsTextError } from '../errors.js';
import { fromBase64, type RdataTokens, toBase64, unescapeBytes } from '../text.js';
import { WireReader } from '../wire.js';
import { uncompressedName } from './binary-text.js';
import { type RdataCodec, registerRdata } from './registry.js';
import type { SvcbRdata, SvcParam } from './types.js';

export const SVC_KEY = {
  mandatory: 0,
  alpn: 1,
  'no-default-alpn': 2,
  port: 3,
  ipv4hint: 4,
  ech: 5,
  ipv6hint: 6,
  dohpath: 7,
  ohttp: 8,
} as const;

const KEY_NAMES = new Map<number, string>(Object.entries(SVC_KEY).map(([name, key]) => [key, name]));

export function svcKeyToText(key: number): string {
  return KEY_NAMES.get(key) ?? `key${key}`;
}

/** A key's name or `keyNNNNN` (no leading zeros, as BIND and dnspython require). */
export function svcKeyFromText(text: string): number {
  const lower = text.toLowerCase();
  if (Object.hasOwn(SVC_KEY, lower)) return SVC_KEY[lower as keyof typeof SVC_KEY];
  const match = /^key(0|[1-9]\d{0,4})$/.exec(lower);
  if (!match || Number(match[1]) > 0xffff)
    throw new DnsTextError(`unknown SvcParamKey ${JSON.stringify(text)}`);
  return Number(match[1]);
}

/** Why a known key's wire value is malformed, or undefined when it is fine. */
function valueProblem(key: number, value: Uint8Array): string | undefined {
  const name = svcKeyToText(key);
  switch (key) {
    case SVC_KEY.mandatory: {
      if (value.length === 0 || value.length % 2 !== 0)
        return `${name} needs a non-empty list of 2-byte keys`;
      let last = -1;
      for (let i = 0; i < value.length; i += 2) {
        const listed = (value[i]! << 8) | value[i + 1]!;
        if (listed === SVC_KEY.mandatory) return 'mandatory may not list itself';
        if (listed <= last) return 'the keys of mandatory must ascend, each once';
        last = listed;
      }
      return undefined;
    }
    case SVC_KEY.alpn: {
      if (value.length === 0) return 'alpn needs at least one protocol id';
      for (let i = 0; i < value.length; i += value[i]! + 1) {
        if (value[i] === 0) return 'an alpn id may not be empty';
        if (i + 1 + value[i]! > value.length) return 'an alpn id runs past the value';
      }
      return undefined;
    }
    case SVC_KEY['no-default-alpn']:
    case SVC_KEY.ohttp:
      return value.length === 0 ? undefined : `${name} takes no value`;
    case SVC_KEY.port:
      return value.length === 2 ? undefined : 'port is 2 bytes';
    case SVC_KEY.ipv4hint:
      return value.length > 0 && value.length % 4 === 0 ? undefined : 'ipv4hint needs addresses of 4 bytes';
    case SVC_KEY.ipv6hint:
      return value.length > 0 && value.length % 16 === 0 ? undefined : 'ipv6hint needs addresses of 16 bytes';
    case SVC_KEY.ech:
      return value.length > 0 ? undefined : 'ech may not be empty';
    default:
      return undefined;
  }
}

/** Self-consistency (RFC 9460 §2.4.3): mandatory keys present, no-default-alpn with alpn. */
function consistencyProblem(params: readonly SvcParam[]): string | undefined {
  const keys = new Set(params.map((param) => param.key));
  const mandatory = params.find((param) => param.key === SVC_KEY.mandatory);
  if (mandatory) {
    for (let i = 0; i + 1 < mandatory.value.length; i += 2) {
      const listed = (mandatory.value[i]! << 8) | mandatory.value[i + 1]!;
      if (!keys.has(listed)) return `mandatory lists ${svcKeyToText(listed)}, which is missing`;
    }
  }
  if (keys.has(SVC_KEY['no-default-alpn']) && !keys.has(SVC_KEY.alpn)) return 'no-default-alpn needs alpn';
  return undefined;
}

function decodeSvcb(reader: WireReader): SvcbRdata {
  const priority = reader.u16('the priority');
  const target = uncompressedName(reader, 'the target name');
  const params: SvcParam[] = [];
  let last = -1;
  while (!reader.atEnd()) {
    const at = reader.offset;
    const key = reader.u16('a SvcParamKey');
    if (key <= last)
      reader.fail(
        `SvcParamKey ${svcKeyToText(key)} after ${svcKeyToText(last)}: keys must ascend, each once`,
        at,
      );
    last = key;
    const length = reader.u16('a SvcParamValue length');
    const value = reader.bytes(length, `the value of ${svcKeyToText(key)}`);
    const problem = valueProblem(key, value);
    if (problem) reader.fail(problem, at);
    params.push({ key, value });
  }
  const problem = consistencyProblem(params);
  if (problem) reader.fail(problem);
  return { priority, target, params };
}

// ---- text -------------------------------------------------------------------------------

const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** A value-list (RFC 9460 Appendix A.1): items split at commas, `\` escaping the next byte. */
function splitValueList(bytes: Uint8Array, what: string): Uint8Array[] {
  const items: number[][] = [[]];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === BACKSLASH) {
      if (i + 1 >= bytes.length) throw new DnsTextError(`${what} ends in a lone backslash`);
      items[items.length - 1]!.push(bytes[++i]!);
    } else if (byte === COMMA) items.push([]);
    else items[items.length - 1]!.push(byte);
  }
  if (items.some((item) => item.length === 0)) throw new DnsTextError(`${what} has an empty item`);
  return items.map((item) => Uint8Array.from(item));
}

/** A plain comma list (mandatory, the hints): RFC 9460 §7 and §8 forbid escapes in these. */
function splitPlain(bytes: Uint8Array, what: string): string[] {
  const text = latin1(bytes);
  if (text.includes('\\')) throw new DnsTextError(`${what} may not contain escapes`);
  const items = text.split(',');
  if (items.some((item) => item === '')) throw new DnsTextError(`${what} has an empty item`);
  return items;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A key's value in text (escapes already decoded) → its wire form. */
function valueFromText(key: number, value: Uint8Array | undefined): Uint8Array {
  const name = svcKeyToText(key);
  const empty = new Uint8Array(0);
  switch (key) {
    case SVC_KEY['no-default-alpn']:
    case SVC_KEY.ohttp:
      if (value && value.length > 0) throw new DnsTextError(`${name} takes no value`);
      return empty;
    case SVC_KEY.dohpath:
      return value ?? empty;
  }
  if (value === undefined || value.length === 0) throw new DnsTextError(`${name} needs a value`);
  switch (key) {
    case SVC_KEY.mandatory: {
      const keys = splitPlain(value, name).map(svcKeyFromText);
      if (keys.includes(SVC_KEY.mandatory)) throw new DnsTextError('mandatory may not list itself');
      if (new Set(keys).size !== keys.length) throw new DnsTextError('mandatory lists a key twice');
      keys.sort((a, b) => a - b);
      return Uint8Array.from(keys.flatMap((k) => [k >> 8, k & 0xff]));
    }
    case SVC_KEY.alpn:
      return concat(
        splitValueList(value, name).map((id) => {
          if (id.length > 255) throw new DnsTextError(`an alpn id is at most 255 bytes, not ${id.length}`);
          return concat([Uint8Array.of(id.length), id]);
        }),
      );
    case SVC_KEY.port: {
      const text = latin1(value);
      if (!/^\d{1,5}$/.test(text) || Number(text) > 0xffff)
        throw new DnsTextError(`port ${JSON.stringify(text)} is not a number 0 to 65535`);
      return Uint8Array.of(Number(text) >> 8, Number(text) & 0xff);
    }
    case SVC_KEY.ipv4hint:
    case SVC_KEY.ipv6hint: {
      const parse = key === SVC_KEY.ipv4hint ? parseIPv4 : parseIPv6;
      return concat(
        splitPlain(value, name).map((text) => {
          const address = parse(text);
          if (!address) throw new DnsTextError(`${name}: ${JSON.stringify(text)} is not an address`);
          return address;
        }),
      );
    }
    case SVC_KEY.ech:
      return fromBase64(latin1(value), 'ech');
    default:
      return value;
  }
}

/**
 * `key="a b"` reaches us as two tokens (tokenize() splits at blanks outside a token that
 * starts with a quote): glue a value's quoted part back together with the single space that
 * separated the pieces.
 */
function paramTokens(tokens: RdataTokens): string[] {
  const out: string[] = [];
  const raw = tokens.rest();
  for (let i = 0; i < raw.length; i++) {
    let token = raw[i]!;
    const equals = token.indexOf('=');
    if (equals >= 0 && token[equals + 1] === '"') {
      while (!closesQuote(token.slice(equals + 2)) && i + 1 < raw.length) token += ` ${raw[++i]}`;
      if (!closesQuote(token.slice(equals + 2)))
        throw new DnsTextError(`unterminated quoted value in ${JSON.stringify(token)}`);
    }
    out.push(token);
  }
  return out;
}

/** Whether `text` (after an opening quote) has its closing quote as its last character. */
function closesQuote(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') {
      if (i !== text.length - 1) throw new DnsTextError(`text after a quoted value: ${JSON.stringify(text)}`);
      return true;
    }
  }
  return false;
}

function svcbFromText(tokens: RdataTokens): SvcbRdata {
  const priority = tokens.uint('the priority', 16);
  const target = tokens.name('the target name');
  const byKey = new Map<number, Uint8Array>();
  for (const token of paramTokens(tokens)) {
    const equals = token.indexOf('=');
    if (equals === 0) throw new DnsTextError(`a SvcParam needs a key: ${JSON.stringify(token)}`);
    const keyText = equals < 0 ? token : token.slice(0, equals);
    const key = svcKeyFromText(keyText);
    if (byKey.has(key)) throw new DnsTextError(`SvcParamKey ${svcKeyToText(key)} appears twice`);
    let valueText = equals < 0 ? undefined : token.slice(equals + 1);
    if (
      valueText !== undefined &&
      valueText.length >= 2 &&
      valueText.startsWith('"') &&
      valueText.endsWith('"')
    )
      valueText = valueText.slice(1, -1);
    const value = valueText === undefined ? undefined : unescapeBytes(valueText);
    if (keyText.toLowerCase().startsWith('key')) {
      // The generic form carries the wire value, whatever the key (RFC 9460 §2.1).
      const wire = value ?? new Uint8Array(0);
      const problem = valueProblem(key, wire);
      if (problem) throw new DnsTextError(problem);
      byKey.set(key, wire);
    } else byKey.set(key, valueFromText(key, value));
  }
  const params = [...byKey].sort(([a], [b]) => a - b).map(([key, value]) => ({ key, value }));
  const problem = consistencyProblem(params);
  if (problem) throw new DnsTextError(problem);
  return { priority, target, params };
}

/**
 * A quoted character-string as BIND writes one. BIND writes a space in alpn as `\032`, and
 * literally elsewhere; we write `\032` also where a literal one would not come back through
 * tokenize() (a run of spaces, or one before the closing quote).
 */
function quoted(bytes: Uint8Array, escapeSpaces = false): string {
  let text = '"';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x22 || byte === BACKSLASH) text += `\\${String.fromCharCode(byte)}`;
    else if (
      byte === 0x20 &&
      (escapeSpaces || i === bytes.length - 1 || bytes[i + 1] === 0x20 || bytes[i - 1] === 0x20)
    )
      text += '\\032';
    else if (byte < 0x20 || byte > 0x7e) text += `\\${String(byte).padStart(3, '0')}`;
    else text += String.fromCharCode(byte);
  }
  return `${text}"`;
}

/**
 * IPv6 as BIND's and dnspython's inet_ntop write it: RFC 5952, but `::ffff:a.b.c.d` and
 * `::a.b.c.d` for the IPv4-mapped and -compatible forms (RFC 5952 §5 suggests the first).
 */
export function formatHintIPv6(bytes: Uint8Array): string {
  const zeros = bytes.subarray(0, 12).findIndex((byte) => byte !== 0);
  const dotted = formatIPv4(bytes.subarray(12));
  if (zeros === -1 && (bytes[12] !== 0 || bytes[13] !== 0)) return `::${dotted}`;
  if (zeros === 10 && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${dotted}`;
  return formatIPv6(bytes);
}

function valueToText(key: number, value: Uint8Array): string | undefined {
  if (value.length === 0) return undefined;
  const reader = new WireReader(value);
  switch (key) {
    case SVC_KEY.mandatory: {
      const names: string[] = [];
      while (!reader.atEnd()) names.push(svcKeyToText(reader.u16()));
      return names.join(',');
    }
    case SVC_KEY.alpn: {
      const items: Uint8Array[] = [];
      while (!reader.atEnd()) items.push(reader.bytes(reader.u8()));
      // Item level first (`,` and `\` escaped), then the character-string level.
      const escaped = items.map((item) =>
        [...item].flatMap((b) => (b === COMMA || b === BACKSLASH ? [BACKSLASH, b] : [b])),
      );
      return quoted(Uint8Array.from(escaped.flatMap((item, i) => (i === 0 ? item : [COMMA, ...item]))), true);
    }
    case SVC_KEY.port:
      return String(reader.u16());
    case SVC_KEY.ipv4hint:
    case SVC_KEY.ipv6hint: {
      const size = key === SVC_KEY.ipv4hint ? 4 : 16;
      const format = key === SVC_KEY.ipv4hint ? formatIPv4 : formatHintIPv6;
      const addresses: string[] = [];
      while (!reader.atEnd()) addresses.push(format(reader.bytes(size)));
      return addresses.join(',');
    }
    case SVC_KEY.ech:
      return toBase64(value);
    default:
      return quoted(value);
  }
}

function svcbToText(data: SvcbRdata): string {
  const parts = [String(data.priority), data.target.toText()];
  for (const { key, value } of data.params) {
    const text = valueToText(key, value);
    parts.push(text === undefined ? svcKeyToText(key) : `${svcKeyToText(key)}=${text}`);
  }
  return parts.join(' ');
}

function svcbCodec(type: number): RdataCodec<SvcbRdata> {
  return {
    type,
    compressNames: false,
    decode: decodeSvcb,
    encode(writer, data) {
      writer.u16(data.priority);
      writer.name(data.target, false);
      let last = -1;
      for (const { key, value } of data.params) {
        if (key <= last)
          throw new DnsEncodeError('SvcParams must be sorted by key, each key once (RFC 9460 §2.2)');
        last = key;
        if (value.length > 0xffff) throw new DnsEncodeError(`SvcParamValue of ${value.length} bytes`);
        writer.u16(key);
        writer.u16(value.length);
        writer.bytes(value);
      }
    },
    fromText: svcbFromText,
    toText: svcbToText,
  };
}

registerRdata(svcbCodec(RRTYPE.SVCB));
registerRdata(svcbCodec(RRTYPE.HTTPS));
