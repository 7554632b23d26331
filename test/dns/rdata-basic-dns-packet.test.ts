/**
 * Differential tests of the basic record types against the npm package dns-packet (5.6): a
 * record encoded by one is decoded by the other and compared field by field, both ways.
 * dns-packet has no SPF codec, so SPF is not here.
 *
 * dns-packet's model is narrower than ours, so the data is kept to what it represents
 * (arbitraries with `ascii: true`): names are dotted strings with no escapes (a `.` or a
 * non-UTF-8 byte inside a label cannot be told apart), and HINFO, NAPTR and CAA strings are
 * JavaScript strings written as UTF-8. Where the two differ:
 * - AAAA text: dns-packet compresses the first run of zero groups, not the longest
 *   (`1::1:0:0:0:1` where RFC 5952 §4.2.3 wants `1:0:0:1::1`), and prints IPv4-mapped
 *   addresses in hex (`::ffff:102:304`, where RFC 5952 §5, dig and dnspython print
 *   `::ffff:1.2.3.4`). Addresses are compared as bytes.
 * - Names: dns-packet drops the final dot (`example.com`; the root is `.`).
 * - CAA: dns-packet adds `issuerCritical` (flags bit 128) when decoding.
 */
import dnsPacket, { type Answer } from 'dns-packet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIPv6 } from '../../src/core/ip.js';
import { RRTYPE, typeToText } from '../../src/dns/constants.js';
import type { AddressRdata, Rdata } from '../../src/dns/rdata/types.js';
import { decodeRecord, encodeRecord } from '../../src/dns/record.js';
import { WireReader, WireWriter } from '../../src/dns/wire.js';
import { arbitraryName, arbitraryRdata, BASIC_TYPES, hex, plain } from './arbitraries.js';
import { fromPacketData, packetName, toPacketData } from './dns-packet-form.js';

const HEADER_BYTES = 12;
const TYPES = BASIC_TYPES.filter((type) => type !== RRTYPE.SPF);
/** Data as compared: AAAA as bytes (see the module comment). */
function comparable(type: number, data: Rdata): unknown {
  if (type === RRTYPE.AAAA) return { address: hex(parseIPv6((data as AddressRdata).address)!) };
  return plain(data);
}

const arbitraryCase = (type: number) =>
  fc.record({
    owner: arbitraryName({ ascii: true }),
    ttl: fc.integer({ min: 0, max: 0x7fffffff }),
    data: arbitraryRdata(type, { ascii: true }),
  });

describe('basic record types against dns-packet', () => {
  for (const type of TYPES) {
    const mnemonic = typeToText(type);

    it(`${mnemonic}: we decode what dns-packet encodes`, () => {
      fc.assert(
        fc.property(arbitraryCase(type), ({ owner, ttl, data }) => {
          const wire = dnsPacket.encode({
            type: 'response',
            answers: [
              {
                name: packetName(owner),
                type: mnemonic,
                class: 'IN',
                ttl,
                data: toPacketData(type, data),
              } as Answer,
            ],
          });
          // The record follows the 12-byte header (no question).
          const reader = new WireReader(new Uint8Array(wire), HEADER_BYTES);
          const record = decodeRecord(reader);
          expect(reader.atEnd()).toBe(true);
          expect(record.name.toText()).toBe(owner.toText());
          expect([record.type, record.class, record.ttl]).toEqual([type, 1, ttl]);
          expect(plain(record.data)).toEqual(plain(data));
        }),
        { numRuns: 200 },
      );
    });

    it(`${mnemonic}: dns-packet decodes what we encode`, () => {
      fc.assert(
        fc.property(arbitraryCase(type), ({ owner, ttl, data }) => {
          const writer = new WireWriter(true);
          // A response header with one answer (RFC 1035 §4.1.1), then the record.
          for (const field of [0, 0x8000, 0, 1, 0, 0]) writer.u16(field);
          encodeRecord(writer, { name: owner, type, class: 1, ttl, data });
          const packet = dnsPacket.decode(Buffer.from(writer.finish()));
          expect(packet.answers).toHaveLength(1);
          // biome-ignore lint/suspicious/noExplicitAny: dns-packet's answer types do not cover every field.
          const answer = packet.answers![0] as any;
          expect(answer.name).toBe(packetName(owner));
          expect([answer.type, answer.class, answer.ttl]).toEqual([mnemonic, 'IN', ttl]);
          if (type === RRTYPE.CAA) expect(answer.data.issuerCritical).toBe((answer.data.flags & 128) !== 0);
          expect(comparable(type, fromPacketData(type, answer.data))).toEqual(comparable(type, data));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('prints AAAA differently (first zero run, no mixed notation), on the same bytes', () => {
    const roundTrip = (address: string) =>
      (
        dnsPacket.decode(
          dnsPacket.encode({
            type: 'response',
            answers: [{ name: 'x', type: 'AAAA', ttl: 1, data: address }],
          }),
        ).answers![0] as { data: string }
      ).data;
    expect(roundTrip('1:0:0:1::1')).toBe('1::1:0:0:0:1');
    expect(roundTrip('::ffff:1.2.3.4')).toBe('::ffff:102:304');
  });
});
