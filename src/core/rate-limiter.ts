/**
 * Per-source token buckets, sans I/O: `now` (ms) is passed in. The number of tracked
 * sources is capped; past the cap the least recently seen source is forgotten, so a flood
 * from many spoofed addresses costs bounded memory (a forgotten source starts with a full bucket).
 */
interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * @param ratePerSecond tokens added per second; 0 disables limiting
   * @param burst bucket capacity
   * @param maxSources sources remembered at once
   */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    readonly maxSources: number,
  ) {}

  get trackedSources(): number {
    return this.buckets.size;
  }

  /** Takes one token for `source`; false when its bucket is empty (the request should be dropped). */
  allow(source: string, nowMs: number): boolean {
    if (this.ratePerSecond <= 0) return true;
    let bucket = this.buckets.get(source);
    if (bucket) {
      // Re-insert to keep Map order = least recently seen first.
      this.buckets.delete(source);
      const elapsed = Math.max(0, nowMs - bucket.updatedMs);
      bucket.tokens = Math.min(this.burst, bucket.tokens + (elapsed * this.ratePerSecond) / 1000);
      bucket.updatedMs = nowMs;
    } else {
      if (this.buckets.size >= this.maxSources) {
        const stalest = this.buckets.keys().next().value;
        if (stalest !== undefined) this.buckets.delete(stalest);
      }
      bucket = { tokens: Math.max(1, this.burst), updatedMs: nowMs };
    }
    this.buckets.set(source, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
