/**
 * Encoded UDP replies kept by query, so a repeated question costs a lookup and a copy instead
 * of decode, answer and encode (pure). Sound because an answer depends on nothing but the
 * query's bytes after its ID (flags, question, EDNS options included) and the zones: the
 * cache is emptied whenever the zones change. Keyed on the exact bytes, so a query in another
 * letter case (DNS 0x20) is answered afresh and gets its own case back.
 */

export const REPLY_CACHE_DEFAULTS = {
  /** Replies kept; past this the oldest is forgotten. */
  maxEntries: 10_000,
  /** Longer queries (several options, say) are not cached. */
  maxQueryBytes: 512,
} as const;

export class ReplyCache {
  private readonly entries = new Map<string, Uint8Array>();
  private zones: unknown;
  hits = 0;

  constructor(
    private readonly maxEntries: number = REPLY_CACHE_DEFAULTS.maxEntries,
    private readonly maxQueryBytes: number = REPLY_CACHE_DEFAULTS.maxQueryBytes,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Forgets everything when `zones` is not the set the cached replies came from. */
  useZones(zones: unknown): void {
    if (zones !== this.zones) {
      this.entries.clear();
      this.zones = zones;
    }
  }

  /** The cached reply to `query` with the query's ID in it (a new array), or undefined. */
  get(query: Uint8Array): Uint8Array | undefined {
    if (this.maxEntries === 0) return undefined;
    const key = this.key(query);
    if (key === undefined) return undefined;
    const cached = this.entries.get(key);
    if (!cached) return undefined;
    this.hits++;
    const reply = new Uint8Array(cached);
    reply[0] = query[0]!;
    reply[1] = query[1]!;
    return reply;
  }

  set(query: Uint8Array, reply: Uint8Array): void {
    if (this.maxEntries === 0) return;
    const key = this.key(query);
    if (key === undefined) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    // A copy: `reply` may be a view into a pooled slab that keeping it would pin.
    this.entries.set(key, reply.slice());
  }

  private key(query: Uint8Array): string | undefined {
    if (query.length < 12 || query.length > this.maxQueryBytes) return undefined;
    return Buffer.from(query.buffer, query.byteOffset + 2, query.length - 2).toString('latin1');
  }
}
