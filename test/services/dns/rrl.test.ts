import { describe, expect, it } from 'vitest';
import { netblockOf, ResponseRateLimiter, slipReply } from '../../../src/services/dns/protocol/rrl.js';

describe('response rate limiting', () => {
  it('lets `rate` identical responses a second through, then drops, slipping every n-th', () => {
    const rrl = new ResponseRateLimiter({ ratePerSecond: 3, slip: 2 });
    const decisions = Array.from({ length: 9 }, () => rrl.decide('192.0.2.7', 'k', 1000));
    expect(decisions).toEqual(['send', 'send', 'send', 'drop', 'slip', 'drop', 'slip', 'drop', 'slip']);
    expect(rrl.dropped).toBe(3);
    expect(rrl.slipped).toBe(3);
  });

  it('refills with time, and keys by client network and response', () => {
    const rrl = new ResponseRateLimiter({ ratePerSecond: 2, slip: 0 });
    expect([1, 2, 3].map(() => rrl.decide('192.0.2.7', 'a', 0))).toEqual(['send', 'send', 'drop']);
    // Same /24, same response: the same bucket.
    expect(rrl.decide('192.0.2.200', 'a', 0)).toBe('drop');
    // Another response, or another network: another bucket.
    expect(rrl.decide('192.0.2.7', 'b', 0)).toBe('send');
    expect(rrl.decide('198.51.100.1', 'a', 0)).toBe('send');
    expect(rrl.decide('192.0.2.7', 'a', 500)).toBe('send');
    expect(rrl.decide('192.0.2.7', 'a', 500)).toBe('drop');
  });

  it('is off at rate 0 and keeps at most maxEntries buckets', () => {
    expect(new ResponseRateLimiter({ ratePerSecond: 0 }).decide('192.0.2.1', 'a', 0)).toBe('send');
    const rrl = new ResponseRateLimiter({ ratePerSecond: 1, slip: 0, maxEntries: 2 });
    rrl.decide('192.0.2.1', 'a', 0);
    rrl.decide('192.0.2.1', 'b', 0);
    rrl.decide('192.0.2.1', 'c', 0);
    // 'a' was forgotten: it starts full again.
    expect(rrl.decide('192.0.2.1', 'a', 0)).toBe('send');
  });

  it('groups IPv4 by /24 and IPv6 by /56', () => {
    expect(netblockOf('192.0.2.77')).toBe('192.0.2');
    expect(netblockOf('::ffff:192.0.2.77')).toBe('192.0.2');
    expect(netblockOf('2001:db8:aa:bbcc::1')).toBe('2001:0db8:00aa:bb');
    expect(netblockOf('2001:db8:aa:bbff:1:2:3:4')).toBe(netblockOf('2001:db8:aa:bb00::9'));
    expect(netblockOf('::1')).toBe('0000:0000:0000:00');
  });

  it('slips a reply as its header and question, TC set, no records', () => {
    const question = [3, 0x77, 0x77, 0x77, 0, 0, 1, 0, 1];
    const reply = Uint8Array.from([
      0x12,
      0x34,
      0x84,
      0x00,
      0,
      1,
      0,
      2,
      0,
      1,
      0,
      1,
      ...question,
      0xc0,
      0x0c,
      9,
      9,
      9,
    ]);
    expect([...slipReply(reply)]).toEqual([0x12, 0x34, 0x86, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...question]);
  });
});
