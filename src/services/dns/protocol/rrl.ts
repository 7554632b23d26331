/**
 * Response rate limiting (RRL), as authoritative servers do it against reflection attacks
 * (BIND's rate-limit, NSD's rrl-*): a UDP client network may get at most `ratePerSecond`
 * identical responses a second; past that, responses are dropped, except every `slip`-th,
 * which goes out truncated (TC, no records) so that a real client behind a spoofed flood can
 * still get its answer over TCP. Pure: `now` is passed in, state is bounded.
 *
 * "Identical" is keyed here by the client's network (IPv4 /24, IPv6 /56), the question (name
 * lower-cased, type) and the response code. BIND keys NXDOMAIN by the zone instead of the
 * name (so a random-subdomain flood shares one bucket); netkit keys it by the name: simpler,
 * and a flood of distinct names is then bounded by `maxEntries` and the runtime's limits.
 */

export const RRL_DEFAULTS = {
  /** Off unless set: responses per second per client network and response. */
  ratePerSecond: 0,
  /** Every `slip`-th limited response is sent truncated; 0 drops them all. */
  slip: 2,
  /** Buckets kept; past this the oldest is forgotten. */
  maxEntries: 100_000,
} as const;

export interface RrlOptions {
  ratePerSecond: number;
  slip?: number;
  maxEntries?: number;
}

export type RrlDecision = 'send' | 'drop' | 'slip';

interface Bucket {
  tokens: number;
  refilledMs: number;
  limited: number;
}

export class ResponseRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly slip: number;
  private readonly maxEntries: number;
  /** Responses dropped and slipped so far. */
  dropped = 0;
  slipped = 0;

  constructor(private readonly options: RrlOptions) {
    this.slip = options.slip ?? RRL_DEFAULTS.slip;
    this.maxEntries = options.maxEntries ?? RRL_DEFAULTS.maxEntries;
  }

  get enabled(): boolean {
    return this.options.ratePerSecond > 0;
  }

  /** What to do with a response to `address` identified by `responseKey`, at `now` (ms). */
  decide(address: string, responseKey: string, now: number): RrlDecision {
    const rate = this.options.ratePerSecond;
    if (rate <= 0) return 'send';
    const key = `${netblockOf(address)}|${responseKey}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxEntries) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: rate, refilledMs: now, limited: 0 };
      this.buckets.set(key, bucket);
    } else {
      const elapsed = Math.max(0, now - bucket.refilledMs);
      bucket.tokens = Math.min(rate, bucket.tokens + (elapsed * rate) / 1000);
      bucket.refilledMs = Math.max(bucket.refilledMs, now);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'send';
    }
    bucket.limited++;
    if (this.slip > 0 && bucket.limited % this.slip === 0) {
      this.slipped++;
      return 'slip';
    }
    this.dropped++;
    return 'drop';
  }
}

/** The client's network: the first 3 bytes of an IPv4 address, the first 56 bits of an IPv6 one. */
export function netblockOf(address: string): string {
  const v4 = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (v4.includes('.')) return v4.slice(0, v4.lastIndexOf('.'));
  // Expand just enough to take the first 56 bits (3.5 groups) of the address.
  const [head = '', tail = ''] = v4.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = [
    ...headGroups,
    ...Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'),
    ...tailGroups,
  ];
  const g = groups.map((group) => group.padStart(4, '0').toLowerCase());
  return `${g[0]}:${g[1]}:${g[2]}:${g[3]!.slice(0, 2)}`;
}

/**
 * The truncated form of a reply sent in place of a limited one: its header (TC set, counts
 * of answer, authority and additional zero) and its question, nothing else.
 */
export function slipReply(reply: Uint8Array): Uint8Array {
  let end = 12;
  const questions = (reply[4]! << 8) | reply[5]!;
  if (questions > 0) {
    // The question's name is never compressed (it is the first name in the message).
    while (end < reply.length && reply[end] !== 0) end += reply[end]! + 1;
    end = Math.min(reply.length, end + 1 + 4);
  }
  const out = reply.slice(0, end);
  out[2]! |= 0x02;
  out[4] = 0;
  out[5] = questions > 0 ? 1 : 0;
  out.fill(0, 6, 12);
  return out;
}
