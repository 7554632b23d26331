import { describe, expect, it } from 'vitest';
import { SourceRateLimiter } from '../../src/core/rate-limiter.js';

describe('SourceRateLimiter', () => {
  it('allows a burst, then the rate', () => {
    const limiter = new SourceRateLimiter(10, 5, 100);
    const allowed = Array.from({ length: 20 }, () => limiter.allow('a', 0)).filter(Boolean).length;
    expect(allowed).toBe(5);
    // 100 ms later, one more token (10 per second).
    expect(limiter.allow('a', 100)).toBe(true);
    expect(limiter.allow('a', 100)).toBe(false);
    // Never more than the burst, however long the silence.
    const later = Array.from({ length: 20 }, () => limiter.allow('a', 1_000_000)).filter(Boolean).length;
    expect(later).toBe(5);
  });

  it('keeps sources apart', () => {
    const limiter = new SourceRateLimiter(1, 1, 100);
    expect(limiter.allow('a', 0)).toBe(true);
    expect(limiter.allow('a', 0)).toBe(false);
    expect(limiter.allow('b', 0)).toBe(true);
  });

  it('forgets the stalest source past the cap, so memory is bounded', () => {
    const limiter = new SourceRateLimiter(1, 1, 3);
    for (const source of ['a', 'b', 'c', 'd']) limiter.allow(source, 0);
    expect(limiter.trackedSources).toBe(3);
    // 'a' was forgotten: it starts again with a full bucket.
    expect(limiter.allow('a', 0)).toBe(true);
    // 'c' is still remembered and empty.
    expect(limiter.allow('c', 0)).toBe(false);
  });

  it('does nothing when the rate is 0', () => {
    const limiter = new SourceRateLimiter(0, 0, 1);
    expect(Array.from({ length: 100 }, () => limiter.allow('a', 0)).every(Boolean)).toBe(true);
  });
});
