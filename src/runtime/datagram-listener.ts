/**
 * One UDP endpoint of a service: size limit, per-source rate limit, and replies sent back
 * to each datagram's sender. A bad datagram is dropped or answered; it never stops the loop.
 */
import { createSocket, type Socket } from 'node:dgram';
import { formatHostPort } from '../core/endpoint.js';
import { RemoteError } from '../core/errors.js';
import { SourceRateLimiter } from '../core/rate-limiter.js';
import { wallClockMs } from './clock.js';
import { toListenError } from './listen-error.js';
import type { DatagramLink, DatagramPeer, DatagramProtocol, Payload } from './service.js';
import type { ServiceContext } from './service-context.js';

export class DatagramListener {
  private readonly socket: Socket;
  private readonly rateLimiter: SourceRateLimiter;
  private closed = false;
  private link: DatagramLink | undefined;

  constructor(
    private readonly protocol: DatagramProtocol,
    private readonly context: ServiceContext,
    private readonly address: { address: string; family: 4 | 6 },
  ) {
    const { limits } = context;
    this.socket = createSocket({
      type: address.family === 6 ? 'udp6' : 'udp4',
      ipv6Only: address.family === 6,
    });
    this.rateLimiter = new SourceRateLimiter(
      limits.udpRatePerSecond,
      limits.udpRateBurst,
      limits.udpRateTrackedSources,
    );
  }

  /** Binds; resolves to the endpoint URL actually bound. */
  listen(port: number, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(toListenError(error, text));
      this.socket.once('error', onError);
      // Not exclusive: in a cluster (`--workers N`) the workers share the primary's socket, as
      // Node.js 20's dgram has no SO_REUSEPORT; in one process it makes no difference.
      this.socket.bind({ address: this.address.address, port, exclusive: false }, () => {
        this.socket.off('error', onError);
        this.socket.on('error', (error) => this.context.logger.warn({ err: error }, 'udp socket error'));
        this.socket.on('message', (message, info) => this.onMessage(message, info));
        const local = `udp://${formatHostPort(this.address.address, this.socket.address().port)}`;
        this.link = {
          local,
          sendTo: (peer, payload) => {
            if (this.closed) return;
            const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
            this.context.stats.bytesOut += bytes.length;
            this.socket.send(bytes, peer.port, peer.address);
          },
        };
        resolve(local);
      });
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private onMessage(message: Buffer, info: { address: string; port: number; family: string }): void {
    const { stats, limits, logger } = this.context;
    const peer: DatagramPeer = {
      address: info.address,
      port: info.port,
      family: info.family === 'IPv6' ? 6 : 4,
    };
    const now = wallClockMs();
    stats.bytesIn += message.length;
    let replies: Payload[];
    let refused = false;
    try {
      if (message.length > limits.maxDatagramBytes) {
        stats.errors++;
        logger.info({ remote: info.address, size: message.length }, 'datagram too large');
        refused = true;
        replies = this.protocol.tooLarge?.(message.length, limits.maxDatagramBytes, peer, now) ?? [];
      } else if (!this.rateLimiter.allow(info.address, now)) {
        refused = true;
        replies = this.protocol.rateLimited?.(message, peer, now) ?? [];
      } else {
        stats.requests++;
        replies = this.protocol.receive(message, peer, now, this.link!);
      }
    } catch (error) {
      stats.errors++;
      if (error instanceof RemoteError) {
        logger.info({ remote: info.address, code: error.code, msg: error.message }, 'protocol error');
        replies = error.reply === undefined ? [] : [error.reply];
      } else {
        logger.error({ remote: info.address, err: error }, 'protocol core failed');
        replies = [];
      }
    }
    if (refused && replies.length === 0) stats.datagramsDropped++;
    for (const reply of replies) {
      let bytes = typeof reply === 'string' ? Buffer.from(reply) : reply;
      if (this.protocol.stampReply) bytes = this.protocol.stampReply(bytes, wallClockMs());
      stats.bytesOut += bytes.length;
      // No callback: a failed send is reported through the socket's 'error' event, and a
      // callback per datagram costs a closure on the hottest path.
      this.socket.send(bytes, info.port, info.address);
    }
  }
}
