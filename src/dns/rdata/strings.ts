/**
 * The types made of free text: TXT and SPF (RFC 1035 §3.3.14, RFC 7208 §3.1: one or more
 * character-strings, one codec for both, as dnspython's txtbase) and CAA (RFC 8659 §4.1: a
 * flags byte, a tag of ASCII letters and digits, and a value running to the end of the data).
 *
 * TXT with no character-string at all is refused both ways: RFC 1035 §3.3.14 says "one or
 * more", and BIND refuses it too (dig reports a malformed message; named-checkzone a syntax
 * error). dnspython alone reads empty TXT data from the wire (and prints it as nothing).
 * A text token over 255 bytes is refused, not split: BIND (named-checkzone) and dnspython
 * both refuse it; write long text as several strings.
 */
import { RRTYPE } from '../constants.js';
import { DnsEncodeError, DnsTextError } from '../errors.js';
import { quoteString, unescapeBytes } from '../text.js';
import { readString, writeString } from './fields.js';
import { type RdataCodec, registerRdata } from './registry.js';
import type { CaaRdata, TxtRdata } from './types.js';

function txtCodec(type: number, label: string): RdataCodec<TxtRdata> {
  return {
    type,
    compressNames: false,
    decode(reader) {
      if (reader.atEnd()) reader.fail(`${label} data needs at least one character-string (RFC 1035 §3.3.14)`);
      const strings: Uint8Array[] = [];
      while (!reader.atEnd()) strings.push(readString(reader, `${label} string ${strings.length + 1}`));
      return { strings };
    },
    encode(writer, data) {
      if (data.strings.length === 0)
        throw new DnsEncodeError(`${label} data needs at least one character-string (RFC 1035 §3.3.14)`);
      data.strings.forEach((bytes, i) => {
        writeString(writer, bytes, `${label} string ${i + 1}`);
      });
    },
    fromText(tokens) {
      const strings = [tokens.string(`the ${label} text`)];
      while (!tokens.done) strings.push(tokens.string(`${label} string ${strings.length + 1}`));
      return { strings };
    },
    toText(data) {
      return data.strings.map(quoteString).join(' ');
    },
  };
}

registerRdata(txtCodec(RRTYPE.TXT, 'TXT'));
registerRdata(txtCodec(RRTYPE.SPF, 'SPF'));

/** RFC 8659 §4.1: a tag is 1 to 255 ASCII letters and digits. */
const TAG = /^[A-Za-z0-9]{1,255}$/;

function isTagByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

const caaCodec: RdataCodec<CaaRdata> = {
  type: RRTYPE.CAA,
  compressNames: false,
  decode(reader) {
    const flags = reader.u8('the CAA flags');
    const tagAt = reader.offset;
    const tagBytes = readString(reader, 'the CAA tag');
    if (tagBytes.length === 0) reader.fail('the CAA tag is empty (RFC 8659 §4.1)', tagAt);
    if (!tagBytes.every(isTagByte))
      reader.fail('the CAA tag must be ASCII letters and digits (RFC 8659 §4.1)', tagAt);
    return { flags, tag: String.fromCharCode(...tagBytes), value: reader.rest() };
  },
  encode(writer, data) {
    if (!Number.isInteger(data.flags) || data.flags < 0 || data.flags > 0xff)
      throw new DnsEncodeError(`the CAA flags: ${data.flags} is not an integer from 0 to 255`);
    if (!TAG.test(data.tag))
      throw new DnsEncodeError(
        `the CAA tag ${JSON.stringify(data.tag)} is not 1 to 255 ASCII letters and digits`,
      );
    writer.u8(data.flags);
    writer.u8(data.tag.length);
    for (let i = 0; i < data.tag.length; i++) writer.u8(data.tag.charCodeAt(i));
    writer.bytes(data.value);
  },
  fromText(tokens) {
    const flags = tokens.uint('the CAA flags', 8);
    const tag = tokens.next('the CAA tag');
    if (!TAG.test(tag))
      throw new DnsTextError(`the CAA tag ${JSON.stringify(tag)} is not 1 to 255 ASCII letters and digits`);
    // One token, quoted or not; unlike a character-string it may pass 255 bytes.
    const token = tokens.next('the CAA value');
    const quoted = token.length >= 2 && token.startsWith('"') && token.endsWith('"');
    return { flags, tag, value: unescapeBytes(quoted ? token.slice(1, -1) : token) };
  },
  toText(data) {
    return `${data.flags} ${data.tag} ${quoteString(data.value)}`;
  },
};

registerRdata(caaCodec);
