/**
 * Keys, DNSSEC and service binding: SSHFP, TLSA, SMIMEA and OPT here; DS, CDS, DNSKEY,
 * CDNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM in dnssec.ts; SVCB and HTTPS in svcb.ts. Names in
 * these types are never compressed on write (RFC 3597 §4), nor read through a pointer.
 */
import './dnssec.js';
import './svcb.js';
import { RRTYPE } from '../constants.js';
import { DnsEncodeError, DnsTextError } from '../errors.js';
import { fromHex, toHex } from '../text.js';
import { hexRest, hexText, withTail } from './binary-text.js';
import { type RdataCodec, registerRdata } from './registry.js';
import type { OptRdata, SshfpRdata, TlsaRdata } from './types.js';

// RFC 4255 §3.1 (text §3.2: the fingerprint in hex).
registerRdata<SshfpRdata>({
  type: RRTYPE.SSHFP,
  compressNames: false,
  decode: (reader) => ({
    algorithm: reader.u8('the algorithm'),
    fpType: reader.u8('the fingerprint type'),
    fingerprint: reader.rest(),
  }),
  encode(writer, data) {
    writer.u8(data.algorithm);
    writer.u8(data.fpType);
    writer.bytes(data.fingerprint);
  },
  fromText: (tokens) => ({
    algorithm: tokens.uint('the algorithm', 8),
    fpType: tokens.uint('the fingerprint type', 8),
    fingerprint: hexRest(tokens, 'the fingerprint'),
  }),
  toText: (data) => withTail(`${data.algorithm} ${data.fpType}`, hexText(data.fingerprint)),
});

// RFC 6698 §2.1 (text §2.2); SMIMEA has the same data (RFC 8162 §2).
function tlsaCodec(type: number): RdataCodec<TlsaRdata> {
  return {
    type,
    compressNames: false,
    decode: (reader) => ({
      usage: reader.u8('the certificate usage'),
      selector: reader.u8('the selector'),
      mtype: reader.u8('the matching type'),
      data: reader.rest(),
    }),
    encode(writer, data) {
      writer.u8(data.usage);
      writer.u8(data.selector);
      writer.u8(data.mtype);
      writer.bytes(data.data);
    },
    fromText: (tokens) => ({
      usage: tokens.uint('the certificate usage', 8),
      selector: tokens.uint('the selector', 8),
      mtype: tokens.uint('the matching type', 8),
      data: hexRest(tokens, 'the certificate association data'),
    }),
    toText: (data) => withTail(`${data.usage} ${data.selector} ${data.mtype}`, hexText(data.data)),
  };
}
registerRdata(tlsaCodec(RRTYPE.TLSA));
registerRdata(tlsaCodec(RRTYPE.SMIMEA));

/**
 * OPT (RFC 6891 §6.1.2): options as {code, length, data}, kept raw and in order. It has no
 * presentation format (dig shows an EDNS pseudo-section instead, message.ts's business); ours
 * is `CODE:HEX` per option (`10:0102030405060708 12:`), so it still goes both ways.
 */
registerRdata<OptRdata>({
  type: RRTYPE.OPT,
  compressNames: false,
  decode(reader) {
    const options: OptRdata['options'] = [];
    while (!reader.atEnd()) {
      const code = reader.u16('an option code');
      const length = reader.u16('an option length');
      options.push({ code, data: reader.bytes(length, `option ${code}'s data`) });
    }
    return { options };
  },
  encode(writer, data) {
    for (const { code, data: bytes } of data.options) {
      if (bytes.length > 0xffff) throw new DnsEncodeError(`option ${code}'s data is ${bytes.length} bytes`);
      writer.u16(code);
      writer.u16(bytes.length);
      writer.bytes(bytes);
    }
  },
  fromText(tokens) {
    const options = tokens.rest().map((token) => {
      const match = /^(\d{1,5}):([0-9A-Fa-f]*)$/.exec(token);
      if (!match || Number(match[1]) > 0xffff)
        throw new DnsTextError(`an OPT option is CODE:HEX, not ${JSON.stringify(token)}`);
      return { code: Number(match[1]), data: fromHex(match[2]!, `option ${match[1]}`) };
    });
    return { options };
  },
  toText: (data) => data.options.map(({ code, data: bytes }) => `${code}:${toHex(bytes)}`).join(' '),
});
