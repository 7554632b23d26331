import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FrameEvent, LineFramer } from '../../src/core/line-framer.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function feed(framer: LineFramer, chunks: Uint8Array[]): string[] {
  const events: FrameEvent[] = [];
  for (const chunk of chunks) events.push(...framer.push(chunk));
  events.push(...framer.finish());
  return events.map((event) =>
    event.type === 'line' ? decoder.decode(event.line) : `<too-long ${event.limit}>`,
  );
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe('LineFramer', () => {
  it('splits on LF and CRLF, and delivers a last line without LF at the end', () => {
    expect(feed(new LineFramer(100), [encoder.encode('a\nb\r\n\nc')])).toEqual(['a', 'b', '', 'c']);
  });

  it('reports an over-long line once and resumes at the next line', () => {
    expect(feed(new LineFramer(3), [encoder.encode('abcdefgh\nxyz\n')])).toEqual(['<too-long 3>', 'xyz']);
    expect(
      feed(new LineFramer(3), [encoder.encode('ab'), encoder.encode('cdefgh'), encoder.encode('ij\nok\n')]),
    ).toEqual(['<too-long 3>', 'ok']);
  });

  it('does not count the CR of a CRLF against the limit', () => {
    expect(feed(new LineFramer(3), [encoder.encode('abc\r'), encoder.encode('\n')])).toEqual(['abc']);
    expect(feed(new LineFramer(3), [encoder.encode('abcd\r\n')])).toEqual(['<too-long 3>']);
  });

  it('keeps memory bounded by the limit while a line never ends', () => {
    const framer = new LineFramer(1024);
    const chunk = new Uint8Array(4096).fill(0x61);
    for (let i = 0; i < 1000; i++) framer.push(chunk);
    // Internal state is private; what matters is that it reports once and holds nothing.
    expect(framer.hasPartial).toBe(true);
    expect(framer.push(encoder.encode('\nnext\n')).map((e) => e.type)).toEqual(['line']);
  });

  it('gives the same lines however the stream is cut (property)', () => {
    const text = fc
      .array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 30 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        text,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 1, max: 20 }),
        (input, offsets, limit) => {
          const bytes = encoder.encode(input);
          const whole = feed(new LineFramer(limit), [bytes]);
          const pieces = feed(new LineFramer(limit), cut(bytes, offsets));
          const bytewise = feed(
            new LineFramer(limit),
            Array.from(bytes, (byte) => Uint8Array.of(byte)),
          );
          expect(pieces).toEqual(whole);
          expect(bytewise).toEqual(whole);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('matches a simple reference splitter when no line is over the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[^\n\r]{0,10}$/), { minLength: 1, maxLength: 20 }),
        (lines) => {
          const input = `${lines.join('\n')}\n`;
          expect(feed(new LineFramer(10), [encoder.encode(input)])).toEqual(
            lines.map((line) => decoder.decode(encoder.encode(line))),
          );
        },
      ),
    );
  });
});
