/**
 * The DNS-over-TCP framer (RFC 1035 §4.2.2): split feeds (every input cut at every byte, and
 * into single bytes, gives the same frames), a length of 0, the limit, and the end of stream.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../src/core/line-framer.js';
import { LengthPrefixFramer, withLengthPrefix } from '../../../src/services/dns/protocol/framer.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const hex = (events: FrameEvent[]) =>
  events.map((event) =>
    event.type === 'line' ? Buffer.from(event.line).toString('hex') : `too-long ${event.limit}`,
  );

function feed(framer: LengthPrefixFramer, chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) out.push(...hex(framer.push(chunk)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Three messages, one of them empty, one two bytes long. */
const STREAM = concat([
  withLengthPrefix(bytes(1, 2, 3, 4, 5)),
  withLengthPrefix(bytes()),
  withLengthPrefix(bytes(0xaa, 0xbb)),
]);
const EXPECTED = ['0102030405', '', 'aabb'];

describe('LengthPrefixFramer', () => {
  it('splits a stream into its messages', () => {
    expect(feed(new LengthPrefixFramer(), [STREAM])).toEqual(EXPECTED);
  });

  it('gives the same frames for the input cut at every byte, at two places', () => {
    for (let a = 0; a <= STREAM.length; a++) {
      for (let b = a; b <= STREAM.length; b++) {
        const framer = new LengthPrefixFramer();
        const chunks = [STREAM.subarray(0, a), STREAM.subarray(a, b), STREAM.subarray(b)];
        expect(feed(framer, chunks), `cut at ${a} and ${b}`).toEqual(EXPECTED);
        expect(framer.hasPartial).toBe(false);
      }
    }
  });

  it('gives the same frames one byte at a time', () => {
    const framer = new LengthPrefixFramer();
    expect(
      feed(
        framer,
        [...STREAM].map((byte) => bytes(byte)),
      ),
    ).toEqual(EXPECTED);
  });

  it('gives the same frames for any messages cut anywhere (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (messages, cuts) => {
          const stream = concat(messages.map(withLengthPrefix));
          const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((x, y) => x - y);
          const chunks: Uint8Array[] = [];
          let at = 0;
          for (const point of points) {
            chunks.push(stream.slice(at, point));
            at = point;
          }
          chunks.push(stream.slice(at));
          const expected = messages.map((message) => Buffer.from(message).toString('hex'));
          expect(feed(new LengthPrefixFramer(), chunks)).toEqual(expected);
        },
      ),
    );
  });

  it('a length of 0 gives an empty frame and stays in step', () => {
    expect(feed(new LengthPrefixFramer(), [bytes(0, 0, 0, 0, 0, 1, 7)])).toEqual(['', '', '07']);
  });

  it('reports a message over the limit once, skips it whole, and goes on with the next', () => {
    const framer = new LengthPrefixFramer(4);
    const stream = concat([withLengthPrefix(bytes(1, 2, 3, 4, 5, 6)), withLengthPrefix(bytes(9, 9, 9, 9))]);
    expect(feed(framer, [stream])).toEqual(['too-long 4', '09090909']);
    // Cut inside the skipped message: the same.
    for (let cut = 0; cut <= stream.length; cut++) {
      const split = new LengthPrefixFramer(4);
      expect(feed(split, [stream.subarray(0, cut), stream.subarray(cut)])).toEqual([
        'too-long 4',
        '09090909',
      ]);
    }
  });

  it('the largest length a prefix can give is taken by default', () => {
    const message = new Uint8Array(65_535).fill(1);
    const events = new LengthPrefixFramer().push(withLengthPrefix(message));
    expect(events).toHaveLength(1);
    expect(events[0]!.type === 'line' && events[0]!.line.length).toBe(65_535);
  });

  it('has a partial frame while a message is cut, and drops it at the end of the stream', () => {
    const framer = new LengthPrefixFramer();
    expect(framer.push(bytes(0))).toEqual([]);
    expect(framer.hasPartial).toBe(true);
    expect(framer.push(bytes(3, 1))).toEqual([]);
    expect(framer.hasPartial).toBe(true);
    expect(framer.finish()).toEqual([]);
    expect(framer.hasPartial).toBe(false);
    // And the framer starts afresh.
    expect(feed(framer, [withLengthPrefix(bytes(5))])).toEqual(['05']);
  });

  it('a frame split across chunks does not change when the chunks are reused', () => {
    const framer = new LengthPrefixFramer();
    const chunk = bytes(0, 3, 1, 2);
    expect(framer.push(chunk)).toEqual([]);
    chunk.fill(0xff);
    expect(hex(framer.push(bytes(3)))).toEqual(['010203']);
  });
});
