/**
 * TSIG (RFC 8945 §4.2): a meta-record, appended to a message by tsig.ts. Its names are never
 * compressed (§4.2: the algorithm name is uncompressed). Text as dig prints it:
 * `hmac-sha256. TIME FUDGE MACSIZE MAC ORIGID ERROR OTHERLEN [OTHER]`, MAC and other data in
 * base64, the error as a mnemonic (16 is BADSIG here, not BADVERS).
 */
import { RRTYPE, rcodeToText } from '../constants.js';
import { DnsTextError } from '../errors.js';
import type { Name } from '../name.js';
import { fromBase64, type RdataTokens, toBase64 } from '../text.js';
import type { WireReader, WireWriter } from '../wire.js';
import { uncompressedName } from './binary-text.js';
import { type RdataCodec, registerRdata } from './registry.js';

export interface TsigRdata {
  algorithm: Name;
  /** Seconds since the epoch, 48 bits. */
  timeSigned: number;
  fudge: number;
  mac: Uint8Array;
  originalId: number;
  /** An extended RCODE (RFC 8945 §3: BADSIG 16, BADKEY 17, BADTIME 18, BADTRUNC 22). */
  error: number;
  otherData: Uint8Array;
}

/** The TSIG error mnemonics (RFC 8945 §3, IANA "DNS RCODEs"). */
export const TSIG_ERROR = {
  BADSIG: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADMODE: 19,
  BADNAME: 20,
  BADALG: 21,
  BADTRUNC: 22,
  BADCOOKIE: 23,
} as const;

const ERROR_NAMES = new Map<number, string>(Object.entries(TSIG_ERROR).map(([k, v]) => [v, k]));

export function tsigErrorToText(error: number): string {
  return ERROR_NAMES.get(error) ?? (error < 16 ? rcodeToText(error) : String(error));
}

function tsigErrorFromText(token: string): number {
  const upper = token.toUpperCase();
  if (Object.hasOwn(TSIG_ERROR, upper)) return TSIG_ERROR[upper as keyof typeof TSIG_ERROR];
  for (let code = 0; code < 16; code++) if (rcodeToText(code) === upper) return code;
  if (/^\d+$/.test(token) && Number(token) <= 0xffff) return Number(token);
  throw new DnsTextError(`${JSON.stringify(token)} is not a TSIG error`);
}

const MAX_TIME = 2 ** 48 - 1;

/**
 * The TSIG codec, registered: decodeMessage gives TsigRdata for a TSIG record and
 * recordToText prints it as dig does. src/dns/tsig.ts signs and verifies with it.
 */
export const tsigRdataCodec: RdataCodec<TsigRdata> = {
  type: RRTYPE.TSIG,
  compressNames: false,
  decode(reader: WireReader): TsigRdata {
    const algorithm = uncompressedName(reader, 'the TSIG algorithm');
    const high = reader.u16('the time signed');
    const timeSigned = high * 2 ** 32 + reader.u32('the time signed');
    const fudge = reader.u16('the fudge');
    const mac = reader.bytes(reader.u16('the MAC size'), 'the MAC');
    const originalId = reader.u16('the original ID');
    const error = reader.u16('the error');
    const otherData = reader.bytes(reader.u16('the other length'), 'the other data');
    return { algorithm, timeSigned, fudge, mac, originalId, error, otherData };
  },
  encode(writer: WireWriter, data: TsigRdata): void {
    writer.name(data.algorithm, false);
    writer.u16(Math.floor(data.timeSigned / 2 ** 32));
    writer.u32(data.timeSigned % 2 ** 32);
    writer.u16(data.fudge);
    writer.u16(data.mac.length);
    writer.bytes(data.mac);
    writer.u16(data.originalId);
    writer.u16(data.error);
    writer.u16(data.otherData.length);
    writer.bytes(data.otherData);
  },
  fromText(tokens: RdataTokens): TsigRdata {
    const algorithm = tokens.name('the TSIG algorithm');
    const timeText = tokens.next('the time signed');
    if (!/^\d+$/.test(timeText) || Number(timeText) > MAX_TIME)
      throw new DnsTextError(`${JSON.stringify(timeText)} is not a 48-bit time`);
    const fudge = tokens.uint('the fudge', 16);
    const macSize = tokens.uint('the MAC size', 16);
    const mac = macSize === 0 ? new Uint8Array(0) : fromBase64(tokens.next('the MAC'), 'the MAC');
    if (mac.length !== macSize) throw new DnsTextError(`the MAC has ${mac.length} bytes, not ${macSize}`);
    const originalId = tokens.uint('the original ID', 16);
    const error = tsigErrorFromText(tokens.next('the error'));
    const otherSize = tokens.uint('the other length', 16);
    const otherData =
      otherSize === 0 ? new Uint8Array(0) : fromBase64(tokens.next('the other data'), 'the other data');
    if (otherData.length !== otherSize)
      throw new DnsTextError(`the other data has ${otherData.length} bytes, not ${otherSize}`);
    tokens.end('the TSIG data');
    return { algorithm, timeSigned: Number(timeText), fudge, mac, originalId, error, otherData };
  },
  toText(data: TsigRdata): string {
    const mac = data.mac.length === 0 ? '0' : `${data.mac.length} ${toBase64(data.mac)}`;
    const other = data.otherData.length === 0 ? '0' : `${data.otherData.length} ${toBase64(data.otherData)}`;
    return `${data.algorithm.toText()} ${data.timeSigned} ${data.fudge} ${mac} ${data.originalId} ${tsigErrorToText(data.error)} ${other}`;
  },
};

registerRdata(tsigRdataCodec);
