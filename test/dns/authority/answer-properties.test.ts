/**
 * Properties of answerQuery over random queries (names mostly built from the test zones'
 * labels, so that every path is taken): it never throws, the reply carries the query's ID and
 * (unless FORMERR for a bad question count) its question, case kept; the reply encodes within
 * the size given, and decodes again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerQuery } from '../../../src/dns/authority/answer.js';
import { RCODE } from '../../../src/dns/constants.js';
import { decodeMessage, encodeMessage, type Message } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import { arbitraryName } from '../arbitraries.js';
import { arbitraryFlags } from '../message-helpers.js';
import { testZoneSet } from './helpers.js';

const LABELS = [
  'auth',
  'test',
  'example',
  'wild',
  '*',
  'sub',
  'ns',
  'ns1',
  'dname',
  'cname1',
  'loop1',
  'tosub',
  'x',
  'ent',
  'b',
  'a',
  'host',
  'target',
  'longdname',
  'cwild',
  'exists',
  'MiXeD',
  'AUTH',
  'nods',
  'org',
];
const zoneName = fc
  .tuple(
    fc.array(fc.constantFrom(...LABELS), { minLength: 0, maxLength: 6 }),
    fc.constantFrom(['auth', 'test'], ['auth', 'test'], ['example'], ['test']),
  )
  .map(([labels, zone]) => Name.fromLabels([...labels, ...zone]));
const qname = fc.oneof({ weight: 4, arbitrary: zoneName }, { weight: 1, arbitrary: arbitraryName() });
const qtype = fc.oneof(
  fc.constantFrom(
    1,
    2,
    5,
    6,
    12,
    15,
    16,
    28,
    33,
    39,
    41,
    43,
    46,
    47,
    50,
    64,
    65,
    250,
    251,
    252,
    253,
    254,
    255,
  ),
  fc.integer({ min: 0, max: 0xffff }),
);
const question = fc.record({
  name: qname,
  type: qtype,
  class: fc.constantFrom(1, 1, 1, 3, 4, 254, 255, 0, 0xffff),
});
const edns = fc.option(
  fc.record({
    udpPayloadSize: fc.integer({ min: 0, max: 0xffff }),
    version: fc.constantFrom(0, 0, 0, 1, 255),
    dnssecOk: fc.boolean(),
    flags: fc.constant(0),
    options: fc.array(
      fc.record({ code: fc.constantFrom(3, 8, 10, 12, 15, 65001), data: fc.uint8Array({ maxLength: 12 }) }),
      { maxLength: 3 },
    ),
  }),
  { nil: undefined },
);
const query: fc.Arbitrary<Message> = fc
  .record({
    id: fc.integer({ min: 0, max: 0xffff }),
    opcode: fc.constantFrom(0, 0, 0, 0, 1, 2, 4, 5, 6, 15),
    flags: arbitraryFlags(fc.constantFrom(false, false, false, false, true)),
    question: fc.oneof(
      { weight: 8, arbitrary: question.map((q) => [q]) },
      { weight: 1, arbitrary: fc.array(question, { maxLength: 3 }) },
    ),
    edns,
  })
  .map(({ edns: e, ...rest }) => {
    const message: Message = { ...rest, rcode: 0, answer: [], authority: [], additional: [] };
    if (e) message.edns = e;
    return message;
  });

const zones = testZoneSet();

describe('answerQuery properties', () => {
  it('answers every decodable query, with its ID and question, within the size given', () => {
    fc.assert(
      fc.property(
        query,
        fc.constantFrom<'udp' | 'tcp'>('udp', 'tcp'),
        fc.boolean(),
        fc.option(fc.integer({ min: 512, max: 4096 }), { nil: undefined }),
        (message, transport, minimalResponses, maxUdpPayload) => {
          // Only what survives the wire: the query as a server would decode it.
          const decoded = decodeMessage(encodeMessage(message));
          const { response, action, maxSize } = answerQuery(zones, decoded, {
            transport,
            minimalResponses,
            ...(maxUdpPayload ? { maxUdpPayload } : {}),
            nsid: Uint8Array.of(110, 107),
          });
          expect(response.id).toBe(decoded.id);
          expect(response.flags.qr).toBe(true);
          if (decoded.flags.qr) expect(action).toBe('drop');
          if (response.rcode !== RCODE.FORMERR) {
            expect(response.question.map((q) => [q.name.toText(), q.type, q.class])).toEqual(
              decoded.question.map((q) => [q.name.toText(), q.type, q.class]),
            );
          }
          if (!decoded.edns) expect(response.edns).toBeUndefined();
          const bytes = encodeMessage(response, { maxSize });
          expect(bytes.length).toBeLessThanOrEqual(maxSize);
          const back = decodeMessage(bytes);
          expect(back.id).toBe(decoded.id);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
