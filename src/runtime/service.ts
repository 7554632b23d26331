/**
 * What a service gives the runtime: pure protocol logic, with no sockets and no clock.
 * The runtime (stream-server.ts, datagram-server.ts) owns I/O, framing, limits and time,
 * and passes `now` (milliseconds since the Unix epoch, with a fractional part) in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NetkitError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import type { FrameEvent } from '../core/line-framer.js';
import type { Logger } from './logger.js';

/** Requests on an http:// endpoint; `upgrade` takes WebSocket handshakes. */
export interface HttpHandler {
  request(request: IncomingMessage, response: ServerResponse): void;
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export type Payload = Uint8Array | string;

/** What a stream session asks the runtime to do, in order. */
export type StreamAction =
  | { type: 'send'; data: Payload }
  /** Close once everything sent so far has been flushed. */
  | { type: 'close' };

export interface ConnectionInfo {
  /** Unique per runtime process. */
  id: number;
  transport: 'tcp' | 'unix';
  /** host:port of the peer, or the socket path for Unix sockets. */
  remote: string;
  /** The endpoint URL the connection came in on. */
  local: string;
  /** The peer's IP address (TCP only). */
  address?: string;
}

/**
 * What a session may do outside of its own `receive`: send to its connection when something
 * happens elsewhere (a chat message from another client). Given to `StreamProtocol.session`.
 */
export interface SessionLink {
  /** Carries out actions on this connection now; writes in one event-loop phase leave together. */
  push(actions: StreamAction[]): void;
  /** Bytes written to this connection that its peer has not taken yet. */
  queuedBytes(): number;
  /** Closes the connection now, discarding what is queued. */
  abort(): void;
}

/** The protocol state of one stream connection. Methods return what to do; none may block. */
export interface StreamSession {
  /** When the connection opens (a greeting, or a whole reply for daytime/time). */
  open?(now: number): StreamAction[];
  /** One frame: a line without its end (framing 'line'), or a chunk as it came (framing 'raw'). */
  receive(frame: Uint8Array, now: number): StreamAction[];
  /** The peer sent a line over the limit. Default: an error reply, and the connection stays open. */
  lineTooLong?(limit: number, now: number): StreamAction[];
  /** The peer finished sending. Default: close once replies are flushed. */
  end?(now: number): StreamAction[];
  /** The connection is gone, for whatever reason (cleanup). */
  closed?(now: number): void;
}

/** A framer other than the built-in ones (DNS over TCP uses 2-byte length prefixes). */
export interface Framer {
  readonly hasPartial: boolean;
  push(chunk: Uint8Array): FrameEvent[];
  finish(): FrameEvent[];
}

export interface StreamProtocol {
  framing: 'line' | 'raw' | ((limits: Limits) => Framer);
  /** `link` is always given by the runtime; tests of request/reply cores may leave it out. */
  session(info: ConnectionInfo, link?: SessionLink): StreamSession;
}

export interface DatagramPeer {
  address: string;
  port: number;
  family: 4 | 6;
}

/** Sends datagrams from the socket a datagram came in on, to any peer (chat relays). */
export interface DatagramLink {
  /** The endpoint URL of the socket. */
  readonly local: string;
  sendTo(peer: DatagramPeer, payload: Payload): void;
}

export interface DatagramProtocol {
  /**
   * The replies to one datagram (usually zero or one), each sent back to its sender. `link`
   * sends to other peers from the same socket.
   */
  receive(datagram: Uint8Array, peer: DatagramPeer, now: number, link?: DatagramLink): Payload[];
  /** A datagram over the size limit. Default: dropped, counted and logged. */
  tooLarge?(size: number, limit: number, peer: DatagramPeer, now: number): Payload[];
  /** A datagram from a source over its rate. Default: dropped (SNTP answers a Kiss-o'-Death). */
  rateLimited?(datagram: Uint8Array, peer: DatagramPeer, now: number): Payload[];
  /**
   * Called with each reply just before it is sent, with the clock read at that moment: for
   * protocols that stamp the time a reply leaves (SNTP's transmit timestamp). Pure: it returns
   * the bytes to send (it may change them in place).
   */
  stampReply?(reply: Uint8Array, now: number): Uint8Array;
}

export interface ServiceDefinition {
  /** As typed after `netkit serve`. */
  name: string;
  /** One line for `netkit serve --help` and `netkit start`. */
  summary: string;
  /** Endpoints `netkit serve NAME` listens on when none is given. */
  defaultListen: string[];
  stream?: StreamProtocol;
  datagram?: DatagramProtocol;
  /** Service-specific defaults over DEFAULT_LIMITS. */
  limits?: Partial<Limits>;
  /**
   * How the runtime words an error to a stream peer (line too long, server full, idle,
   * a RemoteError thrown by the session). Default: `error CODE: message\n`.
   */
  formatError?(error: NetkitError): Payload;
  /** Serves `http://` endpoints (the chat's web page and WebSocket). */
  http?: HttpHandler;
  /** Called once before the service listens (start timers, connect to a backend). */
  start?(context: { logger: Logger; limits: Limits }): Promise<void> | void;
  /** Called once after the last connection closed on shutdown. */
  stop?(): Promise<void> | void;
  /** Counters of its own, logged at shutdown and returned by RunningService.serviceStats(). */
  stats?(): Record<string, number>;
  /** A one-line command a person can run to try the service at `endpoint` (for `netkit start`). */
  tryCommand?(endpoint: string): string;
}
