/**
 * Several chat hubs (processes or machines) sharing rooms through Redis (`--redis URL`).
 * The hub core does the chat (protocol/hub.ts with `federated: true`); this module only
 * carries its FederationDeliveries over Redis and hands back what the other hubs say.
 *
 * - One pub/sub channel (keys.ts); each process is a hub with a random id, which it puts in
 *   every message it publishes and uses to ignore its own.
 * - Liveness: every hub refreshes `PREFIX:hub:ID` (TTL HUB_TTL_MS) every HEARTBEAT_MS and
 *   checks the keys of the hubs it has users from; a missing key: `hub.remoteHubGone`.
 * - Nicknames: a claim runs an atomic Lua script on the `PREFIX:nicks` hash that treats
 *   nicknames of dead hubs as free; releases delete only this hub's entries.
 * - On (re)connecting: liveness key, then every local nickname is claimed again, then a
 *   presence snapshot with `ask`, which the other hubs answer with theirs.
 *
 * While Redis is away the hub serves its own users alone: what it would publish is dropped
 * (no queue: stale chat replayed later helps nobody), claims are granted if the hub itself
 * knows nobody by that name, one warning is logged, and ioredis keeps reconnecting. Cut off
 * for longer than HUB_TTL_MS, it drops the users of other hubs (they drop its users too).
 * Back again, it re-registers its nicknames: one given out on two hubs meanwhile stays with
 * the hub that holds it in Redis (the one that stayed connected, or re-registered first);
 * the other hub disconnects its client with NK_CHAT_NICK_LOST.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Logger } from '../../../runtime/logger.js';
import { ChatBadOptionError } from '../errors.js';
import type { FederationDelivery, FederationMessage } from '../protocol/federation.js';
import type { ChatDelivery, ChatHub } from '../protocol/hub.js';
import { nameKey } from '../protocol/names.js';
import {
  CLAIM_SCRIPT,
  FEDERATION_DEFAULTS,
  type FederationKeys,
  federationKeys,
  RELEASE_SCRIPT,
} from './keys.js';

export { FEDERATION_DEFAULTS } from './keys.js';

export interface Federation {
  handle(delivery: FederationDelivery): void;
  close(): Promise<void>;
  readonly hubId: string;
}

export interface FederationOptions {
  /** redis://HOST:PORT[/db] (or rediss:// for TLS). */
  url: string;
  hub: ChatHub;
  /** Carries out send/close for local clients (and hands publish/claim/release back to handle). */
  dispatch(deliveries: ChatDelivery[]): void;
  logger: Logger;
  /** ms since the epoch. */
  clock(): number;
  /** Key and channel prefix, default `netkit:chat`. */
  prefix?: string;
}

/**
 * Connects the hub to Redis. Resolves once connected and in step with the other hubs, or
 * after FEDERATION_DEFAULTS.startWaitMs if Redis cannot be reached (then it logs and keeps
 * trying): it never rejects for an unreachable Redis, only for a malformed URL.
 */
export async function startFederation(options: FederationOptions): Promise<Federation> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(options.url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['redis:', 'rediss:'].includes(parsed.protocol) || parsed.hostname === '')
    throw new ChatBadOptionError('redis', options.url, 'a URL such as redis://127.0.0.1:6379/0');
  const federation = new RedisFederation(options, parsed);
  await federation.started;
  return federation;
}

class RedisFederation implements Federation {
  readonly hubId = randomUUID();
  readonly started: Promise<void>;
  private readonly keys: FederationKeys;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly timer: NodeJS.Timeout;
  private readonly where: string;
  /** In step with Redis: subscribed, registered, presence published. */
  private up = false;
  private everUp = false;
  private syncing = false;
  private syncAgain = false;
  private closing = false;
  /** Whether the current outage was logged (one warning per outage). */
  private warned = false;
  private downSince: number | undefined;
  private markStarted: () => void = () => {};
  /** Counters, for logs. */
  private dropped = 0;

  constructor(
    private readonly options: FederationOptions,
    url: URL,
  ) {
    this.keys = federationKeys(options.prefix ?? FEDERATION_DEFAULTS.prefix);
    this.where = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    this.downSince = options.clock();
    const redisOptions = {
      connectionName: `netkit-chat-${this.hubId.slice(0, 8)}`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: FEDERATION_DEFAULTS.commandTimeoutMs,
      connectTimeout: FEDERATION_DEFAULTS.commandTimeoutMs,
      // ioredis waits this long for an already-closed socket to close on disconnect(),
      // keeping the process alive meanwhile (default 2 s).
      disconnectTimeout: 100,
      retryStrategy: (times: number) => Math.min(100 * times, FEDERATION_DEFAULTS.maxRetryDelayMs),
    };
    this.pub = new Redis(options.url, redisOptions);
    this.sub = new Redis(options.url, redisOptions);
    for (const connection of [this.pub, this.sub]) {
      connection.on('error', (error: Error) => this.lost(error));
      connection.on('close', () => this.lost(undefined));
      connection.on('ready', () => void this.sync());
    }
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === this.keys.channel) this.receive(message);
    });
    this.timer = setInterval(() => void this.beat(), FEDERATION_DEFAULTS.heartbeatMs);
    this.timer.unref();
    this.started = new Promise<void>((resolve) => {
      const wait = setTimeout(resolve, FEDERATION_DEFAULTS.startWaitMs);
      wait.unref();
      this.markStarted = () => {
        clearTimeout(wait);
        resolve();
      };
    });
  }

  handle(delivery: FederationDelivery): void {
    const { hub, dispatch, clock } = this.options;
    switch (delivery.type) {
      case 'publish':
        this.publish(delivery.message);
        return;
      case 'claim': {
        const { to, nick } = delivery;
        // Cut off from Redis: granted, the hub having checked the names it knows.
        const answer = (granted: boolean) => dispatch(hub.claimResult(to, nick, granted, clock()));
        if (!this.up) {
          queueMicrotask(() => answer(true));
          return;
        }
        this.claim(nick).then(
          (granted) => answer(granted),
          (error: unknown) => {
            this.lost(error);
            answer(true);
          },
        );
        return;
      }
      case 'release':
        if (this.up) this.release(delivery.nick).catch((error: unknown) => this.lost(error));
        return;
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.timer);
    this.markStarted();
    if (this.up) {
      const goodbye = this.pub
        .multi()
        .publish(
          this.keys.channel,
          JSON.stringify({ type: 'bye', hub: this.hubId, time: this.options.clock() }),
        )
        .del(this.keys.hubPrefix + this.hubId);
      for (const nick of this.options.hub.localNicks())
        goodbye.eval(RELEASE_SCRIPT, 1, this.keys.nicks, nameKey(nick), this.hubId);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        goodbye.exec().catch(() => undefined),
        new Promise((resolve) => {
          timer = setTimeout(resolve, FEDERATION_DEFAULTS.commandTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.up = false;
    this.pub.disconnect();
    this.sub.disconnect();
  }

  // --- Redis ------------------------------------------------------------------------------

  private publish(message: FederationMessage): void {
    if (!this.up) {
      this.dropped++;
      return;
    }
    const stamped = { ...message, hub: this.hubId };
    this.pub.publish(this.keys.channel, JSON.stringify(stamped)).catch((error: unknown) => this.lost(error));
  }

  private async claim(nick: string): Promise<boolean> {
    const { nicks, hubPrefix } = this.keys;
    const result = await this.pub.eval(CLAIM_SCRIPT, 1, nicks, nameKey(nick), this.hubId, hubPrefix);
    return result === 1;
  }

  private async release(nick: string): Promise<void> {
    await this.pub.eval(RELEASE_SCRIPT, 1, this.keys.nicks, nameKey(nick), this.hubId);
  }

  private async heartbeat(): Promise<void> {
    const value = JSON.stringify({ host: hostname(), pid: process.pid });
    await this.pub.set(this.keys.hubPrefix + this.hubId, value, 'PX', FEDERATION_DEFAULTS.hubTtlMs);
  }

  /** Gets in step once both connections are ready; again if they reconnect meanwhile. */
  private async sync(): Promise<void> {
    if (this.closing || this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    const { hub, dispatch, clock, logger } = this.options;
    try {
      await this.sub.subscribe(this.keys.channel);
      await this.heartbeat();
      // From here claims go to Redis; the nicknames given out so far are registered below.
      this.up = true;
      this.everUp = true;
      for (const nick of hub.localNicks()) {
        if (!(await this.claim(nick))) {
          logger.warn(
            { nick },
            'chat federation: nickname held by another hub since the outage; client disconnected',
          );
          dispatch(hub.nickLost(nick, clock()));
        }
      }
      this.publish(hub.presence(clock(), true));
      if (this.warned)
        logger.info(
          { redis: this.where, droppedWhileAway: this.dropped },
          'chat federation: Redis is back; nicknames re-registered, presence published',
        );
      else logger.info({ redis: this.where, hub: this.hubId }, 'chat federation: connected to Redis');
      this.warned = false;
      this.downSince = undefined;
      this.dropped = 0;
      this.markStarted();
    } catch (error) {
      this.lost(error);
    } finally {
      this.syncing = false;
    }
    if (this.syncAgain) {
      this.syncAgain = false;
      await this.sync();
    }
  }

  /** A connection failed or closed: the hub goes on alone; one warning per outage. */
  private lost(error: unknown): void {
    if (this.closing) return;
    const reason = error instanceof Error ? error.message : 'connection closed';
    if (!this.warned) {
      this.warned = true;
      this.options.logger.warn(
        { redis: this.where, reason },
        this.everUp
          ? 'chat federation: lost Redis; serving local users only, reconnecting'
          : 'chat federation: cannot reach Redis; serving local users only, retrying',
      );
    } else this.options.logger.debug({ redis: this.where, reason }, 'chat federation: Redis still away');
    if (this.up) this.downSince = this.options.clock();
    this.up = false;
  }

  /** Every HEARTBEAT_MS: refresh this hub's key, and notice the hubs that are gone. */
  private async beat(): Promise<void> {
    const { hub, dispatch, clock } = this.options;
    if (this.closing) return;
    if (!this.up) {
      // Cut off for longer than a hub lives: the others have dropped our users; we drop theirs.
      if (this.downSince !== undefined && clock() - this.downSince > FEDERATION_DEFAULTS.hubTtlMs)
        for (const id of hub.remoteHubs()) dispatch(hub.remoteHubGone(id, clock()));
      return;
    }
    try {
      await this.heartbeat();
      for (const id of hub.remoteHubs()) {
        if ((await this.pub.exists(this.keys.hubPrefix + id)) === 0) dispatch(hub.remoteHubGone(id, clock()));
      }
    } catch (error) {
      this.lost(error);
    }
  }

  /** A message from the channel: parsed, then re-validated by the hub. */
  private receive(raw: string): void {
    if (raw.length > FEDERATION_DEFAULTS.maxMessageChars) {
      this.options.hub.remote(undefined as unknown as FederationMessage, this.options.clock());
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (typeof value === 'object' && value !== null && (value as { hub?: unknown }).hub === this.hubId)
      return;
    this.options.dispatch(this.options.hub.remote(value as FederationMessage, this.options.clock()));
  }
}
