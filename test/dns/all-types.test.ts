/**
 * Every supported type at once: random messages mixing all of them (and unknown types)
 * survive encode then decode, and every record survives text then parse, unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RRCLASS, RRTYPE } from '../../src/dns/constants.js';
import { decodeMessage, encodeMessage, type Message } from '../../src/dns/message.js';
import { registeredTypes } from '../../src/dns/rdata/registry.js';
import { type ResourceRecord, rdataBytes, recordFromText, recordToText } from '../../src/dns/record.js';
import { arbitraryName, arbitraryRecord, BASIC_TYPES } from './arbitraries.js';
import { arbitrarySecurityTyped, arbitraryTsig, SECURITY_TYPES } from './arbitraries-security.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const securityRecord: fc.Arbitrary<ResourceRecord> = fc
  .record({
    name: arbitraryName(),
    typed: arbitrarySecurityTyped(
      {},
      SECURITY_TYPES.filter((type) => type !== RRTYPE.OPT),
    ),
    ttl: fc.integer({ min: 0, max: 0x7fffffff }),
  })
  .map(({ name, typed, ttl }) => ({ name, type: typed.type, class: RRCLASS.IN, ttl, data: typed.data }));

const unknownRecord: fc.Arbitrary<ResourceRecord> = fc.record({
  name: arbitraryName(),
  type: fc.integer({ min: 65280, max: 65534 }),
  class: fc.constant<number>(RRCLASS.IN),
  ttl: fc.integer({ min: 0, max: 0x7fffffff }),
  data: fc.uint8Array({ maxLength: 40 }).map((bytes) => ({ bytes })),
});

/** TSIG as it travels: class ANY, TTL 0 (RFC 8945 §4.2). */
const tsigRecord: fc.Arbitrary<ResourceRecord> = fc
  .record({ name: arbitraryName(), data: arbitraryTsig() })
  .map(({ name, data }) => ({ name, type: RRTYPE.TSIG, class: RRCLASS.ANY, ttl: 0, data }));

const anyRecord = fc.oneof(arbitraryRecord(), securityRecord, tsigRecord, unknownRecord);

/** A record as comparable text: owner (case kept), TTL, class, type and rdata bytes. */
const plain = (record: ResourceRecord) =>
  `${record.name.toText()} ${record.ttl} ${record.class} ${record.type} ${hex(rdataBytes(record.type, record.data))}`;

describe('every supported type', () => {
  it('the generators cover every registered type but OPT', () => {
    const covered = new Set([...BASIC_TYPES, ...SECURITY_TYPES, RRTYPE.TSIG]);
    expect(registeredTypes().filter((type) => !covered.has(type))).toEqual([]);
  });

  it('random messages of every type survive encode then decode', () => {
    fc.assert(
      fc.property(
        fc.array(anyRecord, { maxLength: 8 }),
        fc.array(anyRecord, { maxLength: 4 }),
        (answer, authority) => {
          const message: Message = {
            id: 7,
            opcode: 0,
            rcode: 0,
            flags: { qr: true, aa: true, tc: false, rd: false, ra: false, ad: false, cd: false, z: false },
            question: [],
            answer,
            authority,
            additional: [],
          };
          const decoded = decodeMessage(encodeMessage(message));
          expect(decoded.answer.map(plain)).toEqual(answer.map(plain));
          expect(decoded.authority.map(plain)).toEqual(authority.map(plain));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('every record survives text then parse', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        expect(plain(recordFromText(recordToText(record)))).toBe(plain(record));
      }),
      { numRuns: 3000 },
    );
  });
});
