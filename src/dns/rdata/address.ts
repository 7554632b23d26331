/**
 * A (RFC 1035 §3.4.1) and AAAA (RFC 3596 §2.2): an address of exactly 4 or 16 bytes. The
 * data holds the address in its canonical text: IPv4 dotted quad; IPv6 per RFC 5952, with the
 * mixed notation dig and dnspython print for the IPv4-mapped (`::ffff:192.0.2.1`, RFC 5952 §5)
 * and the deprecated IPv4-compatible (`::192.0.2.1`) forms.
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../../core/ip.js';
import { RRTYPE } from '../constants.js';
import { DnsEncodeError, DnsTextError } from '../errors.js';
import { type RdataCodec, registerRdata } from './registry.js';
import type { AddressRdata } from './types.js';

/**
 * RFC 5952 text, with an embedded IPv4 address in dotted form where inet_ntop (BIND, glibc)
 * and dnspython put it: the first 96 bits zero (but not `::` or `::1`), or `::ffff:0:0/96`.
 */
export function formatAaaa(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < 12 && bytes[zeros] === 0) zeros++;
  if (zeros === 12 && (bytes[12] !== 0 || bytes[13] !== 0)) return `::${formatIPv4(bytes.subarray(12))}`;
  if (zeros === 10 && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${formatIPv4(bytes.subarray(12))}`;
  return formatIPv6(bytes);
}

function addressCodec(
  type: number,
  label: string,
  size: number,
  parse: (text: string) => Uint8Array | undefined,
  format: (bytes: Uint8Array) => string,
): RdataCodec<AddressRdata> {
  const bytesOf = (address: string): Uint8Array => {
    const bytes = address.includes('%') ? undefined : parse(address);
    if (!bytes) throw new DnsEncodeError(`${label} address ${JSON.stringify(address)} is not valid`);
    return bytes;
  };
  return {
    type,
    compressNames: false,
    decode(reader) {
      if (reader.remaining !== size)
        reader.fail(`${label} data must be ${size} bytes, not ${reader.remaining}`);
      return { address: format(reader.bytes(size, `the ${label} address`)) };
    },
    encode(writer, data) {
      writer.bytes(bytesOf(data.address));
    },
    fromText(tokens) {
      const token = tokens.next(`the ${label} address`);
      // A zone (`%eth0`) means nothing in DNS data.
      const bytes = token.includes('%') ? undefined : parse(token);
      if (!bytes) throw new DnsTextError(`the ${label} address: ${JSON.stringify(token)} is not valid`);
      return { address: format(bytes) };
    },
    toText(data) {
      return format(bytesOf(data.address));
    },
  };
}

registerRdata(addressCodec(RRTYPE.A, 'A', 4, parseIPv4, formatIPv4));
registerRdata(addressCodec(RRTYPE.AAAA, 'AAAA', 16, parseIPv6, formatAaaa));
