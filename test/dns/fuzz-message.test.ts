/**
 * Fuzzing the message decoder and explainer (the style's rule, after h11: any exception other
 * than the codec's own decode error is a bug). Random bytes, and real messages mutated (bit
 * flips, cuts, splices, header counts changed), go into decodeMessage and explainMessage:
 * - decodeMessage returns or throws DnsDecodeError, nothing else, and never hangs;
 * - what it returns encodes again and decodes to the same message;
 * - explainMessage never throws, and reports an error exactly when decodeMessage does.
 * Tens of thousands of cases in a few seconds; NETKIT_FC_SEED replays a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DnsDecodeError } from '../../src/dns/errors.js';
import { explainMessage } from '../../src/dns/explain.js';
import { decodeMessage, encodeMessage } from '../../src/dns/message.js';
import { arbitraryMessage, bytesOf, plainMessage } from './message-helpers.js';

const SEED = Number(process.env.NETKIT_FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** `npm run fuzz:dns` runs many times more cases (NETKIT_FUZZ_SCALE) than the test run. */
const SCALE = Math.max(1, Number(process.env.NETKIT_FUZZ_SCALE ?? 1));

/** Captures (see message.test.ts): a dig query and a dnspython answer. */
const CAPTURES = [
  bytesOf(
    '3a3e0120000100000000000103777777076578616d706c6503636f6d000001000100002904d000008000001800030000000a0008010203040506070800090000000b0000',
  ),
  bytesOf(
    '3a3e81a0000100030002000403777777076578616d706c6503636f6d0000010001c00c0005000100000e10000603776562c010c02d000100010000012c00045db8d822c02d000100010000012c00045db8d823c0100002000100015180001401610c69616e612d73657276657273036e657400c010000200010001518000040162c061c05f001c000100000708001020010500008f00000000000000000053c02d001000010000003c001a0b763d73706631202d616c6c0d7365636f6e6420737472696e67c010000f00010000003c0009000a046d61696cc01000002904d00000800000440003000b6e73312e6578616d706c65000a00180102030405060708000102030405060708090a0b0c0d0e0f000900040002b115000b000204b0000f000700037374616c65',
  ),
];

/** Real messages to mutate: the captures and a few hundred random valid messages. */
const corpus: Uint8Array[] = [
  ...CAPTURES,
  ...fc.sample(arbitraryMessage(), { numRuns: 300, seed: SEED }).map((message) => encodeMessage(message)),
];

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'splice'; at: number; from: number; source: number; length: number }
  | { kind: 'count'; which: number; value: number };

const position = fc.nat({ max: 4096 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({
    kind: fc.constant('set' as const),
    at: position,
    value: fc.oneof(fc.constantFrom(0, 0xc0, 0xff, 0x3f, 0x40, 0x80), fc.nat({ max: 255 })),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: position }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: position,
    from: position,
    source: fc.nat({ max: corpus.length - 1 }),
    length: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({
    kind: fc.constant('count' as const),
    which: fc.nat({ max: 3 }),
    value: fc.oneof(fc.nat({ max: 8 }), fc.constant(0xffff), fc.nat({ max: 0xffff })),
  }),
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = Uint8Array.from(input);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.kind === 'count' ? 0 : ('at' in m ? m.at : 0) % (bytes.length + 1);
    switch (m.kind) {
      case 'flip':
        if (at < bytes.length) bytes[at]! ^= 1 << m.bit;
        break;
      case 'set':
        if (at < bytes.length) bytes[at] = m.value;
        break;
      case 'cut':
        bytes = bytes.slice(0, at);
        break;
      case 'delete':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
        break;
      case 'insert':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
        break;
      case 'splice': {
        const source = corpus[m.source]!;
        const from = m.from % (source.length + 1);
        bytes = Uint8Array.from([
          ...bytes.subarray(0, at),
          ...source.subarray(from, from + m.length),
          ...bytes.subarray(at + m.length),
        ]);
        break;
      }
      case 'count':
        if (bytes.length >= 12) {
          bytes[4 + 2 * m.which] = m.value >> 8;
          bytes[5 + 2 * m.which] = m.value & 0xff;
        }
        break;
    }
  }
  return bytes;
}

/** The properties every input must have. */
function check(bytes: Uint8Array): void {
  let decoded: ReturnType<typeof decodeMessage> | undefined;
  try {
    decoded = decodeMessage(bytes);
  } catch (error) {
    if (!(error instanceof DnsDecodeError)) throw error;
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(bytes.length);
  }
  if (decoded) {
    // Compression may change a name's case to that of the copy it points to.
    const again = decodeMessage(encodeMessage(decoded));
    expect(plainMessage(again, true)).toEqual(plainMessage(decoded, true));
  }
  const lines = explainMessage(bytes);
  const failed = lines.some((line) => line.startsWith('!! error'));
  expect(failed).toBe(decoded === undefined);
}

describe('fuzzing decodeMessage and explainMessage', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => check(bytes)),
      { numRuns: 10_000 * SCALE, seed: SEED },
    );
  });

  it('random bytes after a plausible header', () => {
    const header = fc
      .tuple(
        fc.nat({ max: 0xffff }),
        fc.nat({ max: 0xffff }),
        fc.array(fc.nat({ max: 4 }), { minLength: 4, maxLength: 4 }),
      )
      .map(([id, flags, counts]) => [
        id >> 8,
        id & 0xff,
        flags >> 8,
        flags & 0xff,
        ...counts.flatMap((c) => [0, c]),
      ]);
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 300 }), (head, body) =>
        check(Uint8Array.from([...head, ...body])),
      ),
      { numRuns: 10_000 * SCALE, seed: SEED },
    );
  });

  it('mutated real messages', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (index, mutations) => check(mutate(corpus[index]!, mutations)),
      ),
      { numRuns: 20_000 * SCALE, seed: SEED },
    );
  });

  it('every cut of the captures fails cleanly, the whole message decodes', () => {
    for (const capture of CAPTURES) {
      for (let length = 0; length < capture.length; length++) check(capture.subarray(0, length));
      check(capture);
    }
  });

  it('a message of maximum size with counts of 65535 fails fast', () => {
    const bytes = new Uint8Array(65535);
    bytes.fill(0xff, 4, 12);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) expect(() => decodeMessage(bytes)).toThrow(DnsDecodeError);
    // 65535 zero bytes hold 5,000 roots-with-nothing at most: the count check stops it first.
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
  });
});
