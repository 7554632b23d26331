import { describe, expect, it } from 'vitest';
import { ReplyCache } from '../../../src/services/dns/protocol/reply-cache.js';

const query = (id: number, name: string) =>
  Uint8Array.from([id >> 8, id & 0xff, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...Buffer.from(name), 0, 0, 1, 0, 1]);

describe('ReplyCache', () => {
  it("gives a cached reply back with the new query's ID, as a copy", () => {
    const cache = new ReplyCache();
    cache.useZones('zones-1');
    const reply = Uint8Array.from([0x12, 0x34, 0x81, 0x80, 9, 9, 9]);
    cache.set(query(0x1234, 'a'), reply);
    const hit = cache.get(query(0xbeef, 'a'))!;
    expect([...hit]).toEqual([0xbe, 0xef, 0x81, 0x80, 9, 9, 9]);
    hit[4] = 0;
    expect(cache.get(query(1, 'a'))![4]).toBe(9);
    expect(cache.hits).toBe(2);
  });

  it('keys on the exact bytes after the ID: another case or another flag is a miss', () => {
    const cache = new ReplyCache();
    cache.useZones('z');
    cache.set(query(1, 'a'), Uint8Array.of(0, 1, 2));
    expect(cache.get(query(2, 'A'))).toBeUndefined();
    const flags = query(2, 'a');
    flags[2] = 0;
    expect(cache.get(flags)).toBeUndefined();
  });

  it('forgets everything when the zones change, and the oldest past its size', () => {
    const cache = new ReplyCache(2);
    cache.useZones('z1');
    cache.set(query(1, 'a'), Uint8Array.of(0, 0, 1));
    cache.set(query(1, 'b'), Uint8Array.of(0, 0, 2));
    cache.set(query(1, 'c'), Uint8Array.of(0, 0, 3));
    expect(cache.get(query(1, 'a'))).toBeUndefined();
    expect(cache.get(query(1, 'c'))).toBeDefined();
    cache.useZones('z2');
    expect(cache.size).toBe(0);
  });

  it('does not cache queries that are too short or too long', () => {
    const cache = new ReplyCache(10, 40);
    cache.useZones('z');
    cache.set(Uint8Array.of(1, 2, 3), Uint8Array.of(0));
    cache.set(query(1, 'x'.repeat(60)), Uint8Array.of(0));
    expect(cache.size).toBe(0);
  });
});
