/**
 * Carries the hub's deliveries to the clients' transports, whatever they are (a TCP
 * connection, a UDP peer, a WebSocket), and enforces the slow-reader rule. Pure: a sink is
 * an interface the transport implements; the router does no I/O and reads no clock.
 *
 * The slow-reader rule: every client has a bounded outgoing queue (`maxQueueBytes`, what
 * its transport holds for it and its peer has not taken yet). A delivery that would take the
 * queue past the bound drops the client at once (its queue is discarded, its rooms are told
 * it quit), so one stalled client can neither grow the server's memory nor hold up the
 * others: a delivery never waits for a peer.
 */
import type { ChatEvent } from './events.js';
import type { ChatDelivery, ChatHub, ClientId } from './hub.js';

/** One client's transport, as the router sees it. */
export interface ChatSink {
  /** Bytes queued for this client that its peer has not taken yet. */
  queuedBytes(): number;
  /** Queues one event (the sink sends `line` or the event as JSON, as its transport speaks). */
  write(event: ChatEvent, line: string): void;
  /** Closes once what is queued has been sent (after /quit, or a flood). */
  end(): void;
  /** Closes now, discarding what is queued (a slow reader). */
  abort(): void;
}

export interface ChatRouterOptions {
  /** Outgoing queue bound per client, in bytes. */
  maxQueueBytes: number;
  /** Deliveries that are not for a local client (federation), in order. */
  forward?(delivery: ChatDelivery): void;
  /** Told when a client is dropped for reading too slowly (for the log). */
  onSlowReader?(clientId: ClientId, queuedBytes: number): void;
}

export interface ChatRouterStats {
  /** Events handed to sinks. */
  delivered: number;
  /** Clients dropped by the slow-reader rule. */
  slowReadersDropped: number;
}

export class ChatRouter {
  private readonly sinks = new Map<ClientId, ChatSink>();
  readonly stats: ChatRouterStats = { delivered: 0, slowReadersDropped: 0 };

  constructor(
    readonly hub: ChatHub,
    private readonly options: ChatRouterOptions,
  ) {}

  get clientCount(): number {
    return this.sinks.size;
  }

  /**
   * A new client. With `greet: false` the hub's greeting is not sent (a UDP peer joins with
   * its first datagram, which is already its nickname).
   */
  connect(clientId: ClientId, sink: ChatSink, now: number, greet = true): void {
    this.sinks.set(clientId, sink);
    const greeting = this.hub.connect(clientId, now);
    if (greet) this.dispatch(greeting, now);
  }

  has(clientId: ClientId): boolean {
    return this.sinks.has(clientId);
  }

  receive(clientId: ClientId, line: string | Uint8Array, now: number): void {
    if (this.sinks.has(clientId)) this.dispatch(this.hub.receive(clientId, line, now), now);
  }

  lineTooLong(clientId: ClientId, now: number): void {
    if (this.sinks.has(clientId)) this.dispatch(this.hub.lineTooLong(clientId, now), now);
  }

  /**
   * The client finished sending (a stream's FIN): it is closed once what it sent is handled,
   * which for a federated hub may be after its nickname claim is answered.
   */
  finish(clientId: ClientId, now: number): void {
    if (this.sinks.has(clientId)) this.dispatch(this.hub.finish(clientId, now), now);
  }

  /** The client's transport is gone (idempotent). */
  disconnect(clientId: ClientId, now: number): void {
    this.sinks.delete(clientId);
    this.dispatch(this.hub.disconnect(clientId, now), now);
  }

  /** Carries out deliveries in order; what dropping a slow reader causes is carried out after. */
  dispatch(deliveries: ChatDelivery[], now: number): void {
    let work = deliveries;
    while (work.length > 0) {
      const dropped: ClientId[] = [];
      for (const delivery of work) {
        if (delivery.type === 'send') {
          const sink = this.sinks.get(delivery.to);
          if (!sink) continue;
          const size = delivery.line.length + 1;
          const queued = sink.queuedBytes();
          if (queued + size > this.options.maxQueueBytes) {
            this.sinks.delete(delivery.to);
            this.stats.slowReadersDropped++;
            this.options.onSlowReader?.(delivery.to, queued);
            sink.abort();
            dropped.push(delivery.to);
            continue;
          }
          this.stats.delivered++;
          sink.write(delivery.event, delivery.line);
        } else if (delivery.type === 'close') {
          const sink = this.sinks.get(delivery.to);
          this.sinks.delete(delivery.to);
          sink?.end();
        } else {
          this.options.forward?.(delivery);
        }
      }
      work = dropped.flatMap((clientId) => this.hub.disconnect(clientId, now));
    }
  }
}
