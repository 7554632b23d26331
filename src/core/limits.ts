/**
 * Named defaults for every limit the runtime enforces, in one place. Each has a
 * command-line flag (see src/cli/server-options.ts) and a library option of the same name.
 */
export const DEFAULT_LIMITS = {
  /** Longest line a line-framed stream service accepts, in bytes, newline excluded. */
  maxLineBytes: 8192,
  /** Largest datagram a UDP service accepts, in bytes. */
  maxDatagramBytes: 8192,
  /** Concurrent stream connections per service, over all its endpoints. */
  maxConnections: 10_000,
  /** Concurrent stream connections from one address (0: no cap beyond maxConnections). */
  maxConnectionsPerAddress: 0,
  /**
   * Bytes a connection may hold queued for a peer that is not reading, for what the server
   * sends unasked (chat messages from others); past it the connection is dropped.
   */
  maxQueueBytes: 1_048_576,
  /** A stream connection with no traffic either way for this long is closed, in ms (0: never). */
  idleTimeoutMs: 300_000,
  /** Requests per second accepted from one source address over UDP (0: unlimited). */
  udpRatePerSecond: 1_000,
  /** Burst allowed above the UDP rate. */
  udpRateBurst: 2_000,
  /** Distinct source addresses the UDP rate limiter remembers before it forgets the stalest. */
  udpRateTrackedSources: 65_536,
  /** How long a graceful shutdown waits for requests in flight, in ms. */
  shutdownGraceMs: 5_000,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** DEFAULT_LIMITS with each layer of overrides applied in turn; undefined values are skipped. */
export function resolveLimits(...layers: (Partial<Limits> | undefined)[]): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const overrides of layers) {
    for (const [key, value] of Object.entries(overrides ?? {}) as [keyof Limits, number | undefined][]) {
      if (value !== undefined) limits[key] = value;
    }
  }
  return limits;
}
