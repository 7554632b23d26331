/**
 * ReceiveBuffer and DatagramQueue are sans I/O, so their promises are checked with
 * properties: every byte comes out once, in order, however the input is cut and however
 * the reads are sized; the high-water mark and the queue bounds hold at every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatagramQueue } from '../../src/socket/datagram-queue.js';
import { ReceiveBuffer } from '../../src/socket/receive-buffer.js';

const chunks = fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { maxLength: 40 });
const reads = fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 40 });

describe('ReceiveBuffer', () => {
  it('returns every byte once and in order, whatever the chunk and read sizes', () => {
    fc.assert(
      fc.property(chunks, reads, fc.integer({ min: 1, max: 1000 }), (input, sizes, mark) => {
        const buffer = new ReceiveBuffer(mark);
        const out: Buffer[] = [];
        let i = 0;
        for (const chunk of input) {
          buffer.push(Buffer.from(chunk));
          // Interleave reads with arrivals, as recv() calls do.
          const taken = buffer.take(sizes[i++ % sizes.length]!);
          expect(taken.length).toBeLessThanOrEqual(sizes[(i - 1) % sizes.length]!);
          out.push(taken);
        }
        while (buffer.length > 0) out.push(buffer.take(sizes[i++ % sizes.length]!));
        expect(Buffer.concat(out)).toEqual(Buffer.concat(input.map((c) => Buffer.from(c))));
        expect(buffer.take(10).length).toBe(0);
      }),
    );
  });

  it('asks to pause at the high-water mark and to resume at half of it', () => {
    const buffer = new ReceiveBuffer(100);
    expect(buffer.push(Buffer.alloc(60))).toBe(false);
    expect(buffer.push(Buffer.alloc(60))).toBe(true);
    expect(buffer.length).toBe(120);
    expect(buffer.peakLength).toBe(120);
    buffer.take(60);
    expect(buffer.shouldResume()).toBe(false);
    buffer.take(10);
    expect(buffer.shouldResume()).toBe(true);
    expect(buffer.peakLength).toBe(120);
  });

  it('does not copy a read that fits in one chunk, and copies across chunks', () => {
    const buffer = new ReceiveBuffer(1000);
    const first = Buffer.from('hello ');
    buffer.push(first);
    buffer.push(Buffer.from('world'));
    const part = buffer.take(3);
    expect(part.buffer).toBe(first.buffer);
    expect(buffer.take(100).toString()).toBe('lo world');
  });

  it('forgets everything on clear()', () => {
    const buffer = new ReceiveBuffer(10);
    buffer.push(Buffer.from('abc'));
    buffer.take(1);
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.take(5).length).toBe(0);
  });
});

const datagram = (size: number, port = 1) => ({ data: Buffer.alloc(size, port), host: '127.0.0.1', port });

describe('DatagramQueue', () => {
  it('keeps datagrams in order and drops new ones past its bounds, counting them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 3000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 400 }),
        (ops, maxDatagrams, maxBytes) => {
          const queue = new DatagramQueue(maxDatagrams, maxBytes);
          const model: number[] = [];
          let dropped = 0;
          let next = 0;
          for (const op of ops) {
            if (op < 0) {
              expect(queue.shift()?.port).toBe(model.shift());
              continue;
            }
            const port = next++;
            const held = queue.byteLength;
            const fits = model.length < maxDatagrams && held + op <= maxBytes;
            expect(queue.push(datagram(op, port))).toBe(fits);
            if (fits) model.push(port);
            else dropped++;
            expect(queue.length).toBe(model.length);
            expect(queue.byteLength).toBeLessThanOrEqual(maxBytes);
          }
          expect(queue.dropped).toBe(dropped);
        },
      ),
    );
  });

  it('stays correct across its internal compaction', () => {
    const queue = new DatagramQueue(5000, 1e9);
    for (let i = 0; i < 3000; i++) queue.push(datagram(1, i));
    for (let i = 0; i < 2500; i++) expect(queue.shift()!.port).toBe(i);
    for (let i = 3000; i < 3100; i++) queue.push(datagram(1, i));
    const rest: number[] = [];
    for (let d = queue.shift(); d; d = queue.shift()) rest.push(d.port);
    expect(rest).toEqual(Array.from({ length: 600 }, (_, i) => 2500 + i));
    expect(queue.byteLength).toBe(0);
  });
});
