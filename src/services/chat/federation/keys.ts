/**
 * What the hubs keep in Redis, under one prefix (default `netkit:chat`):
 * - `PREFIX:events`        the pub/sub channel every hub publishes to and listens on
 *                          (JSON FederationMessages, protocol/federation.ts);
 * - `PREFIX:hub:ID`        a hub's liveness key, refreshed every HEARTBEAT_MS with a TTL of
 *                          HUB_TTL_MS: a hub whose key is gone is dead;
 * - `PREFIX:nicks`         a hash, nickname key (lower case) → id of the hub holding it.
 * Claims and releases are Lua scripts, so that checking and taking a nickname is atomic
 * across hubs. A nickname held by a dead hub counts as free. The scripts touch the liveness
 * keys they compute (not declared in KEYS): fine for one Redis, not for Redis Cluster.
 */

export const FEDERATION_DEFAULTS = {
  /** Key and channel prefix. */
  prefix: 'netkit:chat',
  /** How often a hub refreshes its liveness key and checks the others'. */
  heartbeatMs: 3000,
  /** A hub not heard of for this long is gone (its liveness key expires). */
  hubTtlMs: 10_000,
  /** A Redis command not answered in this time fails (the hub then acts alone). */
  commandTimeoutMs: 2000,
  /** How long startFederation waits for Redis before resolving (it keeps trying after). */
  startWaitMs: 2000,
  /** Longest pause between reconnection attempts. */
  maxRetryDelayMs: 1000,
  /** A bus message longer than this (in UTF-16 units) is dropped unread. */
  maxMessageChars: 8 * 1024 * 1024,
} as const;

export interface FederationKeys {
  channel: string;
  nicks: string;
  /** Prefix of the liveness keys: append a hub id. */
  hubPrefix: string;
}

export function federationKeys(prefix: string): FederationKeys {
  return { channel: `${prefix}:events`, nicks: `${prefix}:nicks`, hubPrefix: `${prefix}:hub:` };
}

/**
 * KEYS[1] the nicks hash; ARGV[1] nickname key, ARGV[2] this hub's id, ARGV[3] the liveness
 * key prefix. Returns 1 (now held by this hub) or 0 (held by another live hub).
 */
export const CLAIM_SCRIPT = `
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if holder and holder ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. holder) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/** KEYS[1] the nicks hash; ARGV[1] nickname key, ARGV[2] this hub's id. Deletes only its own. */
export const RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
`;
