/**
 * `netkit serve chat`: one chat hub with three ways in, on the shared runtime.
 * - TCP and Unix streams, line based (nc works): the runtime frames lines; each connection
 *   is a client `c<id>`, and what the hub sends it goes out through the session's link.
 * - UDP, as in the lecture: a peer joins with its first datagram (its nickname), every
 *   datagram is one line, and a peer silent for `udpTimeoutMs` is forgotten.
 * - WebSocket and the web page on http:// endpoints (web/websocket.ts).
 * All three meet in one ChatRouter over one ChatHub, so their users see each other. The
 * hub and the router are pure; this file only adapts them to the runtime's transports.
 */
import { formatHostPort } from '../../core/endpoint.js';
import type { Limits } from '../../core/limits.js';
import { wallClockMs } from '../../runtime/clock.js';
import { TooManyConnectionsError } from '../../runtime/errors.js';
import type { Logger } from '../../runtime/logger.js';
import type {
  DatagramLink,
  DatagramPeer,
  DatagramProtocol,
  HttpHandler,
  ServiceDefinition,
  StreamProtocol,
} from '../../runtime/service.js';
import { type Federation, startFederation } from './federation/index.js';
import { DatagramPeers } from './protocol/datagram-peers.js';
import type { ChatOptions } from './protocol/defaults.js';
import { formatLine } from './protocol/events.js';
import type { FederationDelivery } from './protocol/federation.js';
import { ChatHub } from './protocol/hub.js';
import { ChatRouter } from './protocol/router.js';
import { type ChatWeb, createChatWeb } from './web/websocket.js';

/** The runtime limits the chat starts from (flags override them). */
export const CHAT_LIMITS: Partial<Limits> = {
  maxLineBytes: 2048,
  // A datagram is one line (with its line end).
  maxDatagramBytes: 2050,
  // 10,000 users with room to spare, TCP, UDP and WebSocket together.
  maxConnections: 20_000,
  maxConnectionsPerAddress: 1_000,
  maxQueueBytes: 262_144,
  // Chat users read for hours without typing; a silent connection is not a dead one.
  idleTimeoutMs: 0,
  // Per source address, over UDP: twice a user's flood rate, so the hub's flood control
  // (which warns first) is what a person meets.
  udpRatePerSecond: 20,
  udpRateBurst: 40,
};

export const CHAT_SERVICE_DEFAULTS = {
  /** A UDP peer silent this long is forgotten (clients send a keepalive every 30 s). */
  udpTimeoutMs: 120_000,
  /** How often forgotten UDP peers are swept. */
  udpSweepMs: 5_000,
  /** A WebSocket that answers no ping within this long is dropped. */
  webPingTimeoutMs: 60_000,
};

export interface ChatServiceOptions extends Omit<ChatOptions, 'maxLineBytes' | 'federated'> {
  udpTimeoutMs?: number;
  /** redis://HOST:PORT[/db]: share rooms with the other hubs on this Redis (federation/). */
  redis?: string;
}

interface Running {
  hub: ChatHub;
  router: ChatRouter;
  udpPeers: DatagramPeers<{ peer: DatagramPeer; link: DatagramLink }>;
  web: ChatWeb;
  sweep: NodeJS.Timeout;
  limits: Limits;
  logger: Logger;
  udpRefused: number;
  federation: Federation | undefined;
}

const LINE_END = '\n';

// A message to a room reaches every member with the same line: it is encoded once and the
// same bytes written to each connection (a one-entry memo; written buffers are never changed).
let lastLine: string | undefined;
let lastBytes: Buffer = Buffer.alloc(0);
function lineBytes(line: string): Buffer {
  if (line !== lastLine) {
    lastLine = line;
    lastBytes = Buffer.from(line + LINE_END);
  }
  return lastBytes;
}
const DECODER = new TextDecoder('utf-8');

export function createChatService(
  options: ChatServiceOptions = {},
): Pick<ServiceDefinition, 'stream' | 'datagram' | 'http' | 'start' | 'stop' | 'stats' | 'limits'> {
  let running: Running | undefined;
  const udpTimeoutMs = options.udpTimeoutMs ?? CHAT_SERVICE_DEFAULTS.udpTimeoutMs;
  const state = (): Running => {
    if (!running) throw new Error('chat service used before start()');
    return running;
  };

  const stream: StreamProtocol = {
    framing: 'line',
    session(info, link) {
      if (!link) throw new Error('the chat needs a session link (run it on the runtime)');
      const { router } = state();
      const id = `c${info.id}`;
      return {
        open(now) {
          router.connect(
            id,
            {
              queuedBytes: link.queuedBytes,
              write: (_event, line) => link.push([{ type: 'send', data: lineBytes(line) }]),
              end: () => link.push([{ type: 'close' }]),
              abort: link.abort,
            },
            now,
          );
          return [];
        },
        receive(frame, now) {
          router.receive(id, frame, now);
          return [];
        },
        lineTooLong(_limit, now) {
          router.lineTooLong(id, now);
          return [];
        },
        end(now) {
          router.finish(id, now);
          return [];
        },
        closed(now) {
          router.disconnect(id, now);
        },
      };
    },
  };

  const datagram: DatagramProtocol = {
    receive(bytes, peer, now, link) {
      if (!link) throw new Error('the chat needs a datagram link (run it on the runtime)');
      const run = state();
      const key = `u${formatHostPort(peer.address, peer.port)}`;
      const touched = run.udpPeers.touch(key, now, () => ({ peer, link }));
      if (touched === 'full' || (touched === 'new' && run.router.clientCount >= run.limits.maxConnections)) {
        run.udpPeers.remove(key);
        run.udpRefused++;
        const error = new TooManyConnectionsError(run.limits.maxConnections);
        return [`${formatLine({ type: 'error', code: error.code, message: error.message })}${LINE_END}`];
      }
      if (touched === 'new') {
        run.router.connect(
          key,
          {
            queuedBytes: () => 0,
            write: (_event, line) => link.sendTo(peer, lineBytes(line)),
            // /quit or a flood: forget the peer; its next datagram joins again.
            end: () => run.udpPeers.remove(key),
            abort: () => run.udpPeers.remove(key),
          },
          now,
          // Its first datagram is already its nickname: no greeting asking for one.
          false,
        );
      }
      // One datagram, one line; a datagram with several lines (a pasted block) is several.
      // An empty datagram is a keepalive.
      for (const line of DECODER.decode(bytes).split('\n')) {
        const text = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (text !== '') run.router.receive(key, text, now);
      }
      return [];
    },
    tooLarge(_size, _limit, peer, now) {
      const run = state();
      const key = `u${formatHostPort(peer.address, peer.port)}`;
      if (run.udpPeers.get(key)) run.router.lineTooLong(key, now);
      return [];
    },
  };

  const http: HttpHandler = {
    request: (request, response) => state().web.http.request(request, response),
    upgrade: (request, socket, head) => state().web.http.upgrade?.(request, socket, head),
  };

  return {
    limits: CHAT_LIMITS,
    stream,
    datagram,
    http,
    async start({ logger, limits }) {
      const { redis, udpTimeoutMs: _udpTimeout, ...hubOptions } = options;
      const hub = new ChatHub({
        ...hubOptions,
        maxLineBytes: limits.maxLineBytes,
        federated: redis !== undefined,
      });
      let federation: Federation | undefined;
      const router = new ChatRouter(hub, {
        maxQueueBytes: limits.maxQueueBytes,
        forward: (delivery) => federation?.handle(delivery as FederationDelivery),
        onSlowReader: (clientId, queuedBytes) =>
          logger.warn({ client: clientId, queuedBytes }, 'slow reader dropped: its outgoing queue is full'),
      });
      const udpPeers = new DatagramPeers<{ peer: DatagramPeer; link: DatagramLink }>({
        timeoutMs: udpTimeoutMs,
        maxPeers: limits.maxConnections,
      });
      const web = createChatWeb({
        router,
        clock: wallClockMs,
        logger,
        maxConnections: limits.maxConnections,
        maxPerAddress: limits.maxConnectionsPerAddress,
        maxLineBytes: limits.maxLineBytes,
        // Pings find browsers that vanished without closing; a live one answers, however idle.
        idleTimeoutMs: CHAT_SERVICE_DEFAULTS.webPingTimeoutMs,
      });
      const sweep = setInterval(
        () => {
          const now = wallClockMs();
          for (const key of udpPeers.expire(now)) {
            logger.debug({ client: key }, 'udp peer expired');
            router.disconnect(key, now);
          }
        },
        Math.min(CHAT_SERVICE_DEFAULTS.udpSweepMs, udpTimeoutMs),
      );
      sweep.unref();
      running = { hub, router, udpPeers, web, sweep, limits, logger, udpRefused: 0, federation: undefined };
      if (redis !== undefined) {
        federation = await startFederation({
          url: redis,
          hub,
          dispatch: (deliveries) => router.dispatch(deliveries, wallClockMs()),
          logger,
          clock: wallClockMs,
        });
        running.federation = federation;
      }
    },
    async stop() {
      if (!running) return;
      clearInterval(running.sweep);
      await running.web.close();
      await running.federation?.close();
    },
    stats() {
      if (!running) return {};
      return {
        clients: running.router.clientCount,
        delivered: running.router.stats.delivered,
        slowReadersDropped: running.router.stats.slowReadersDropped,
        udpPeers: running.udpPeers.size,
        udpRefused: running.udpRefused,
        ...running.web.stats(),
      };
    },
  };
}
