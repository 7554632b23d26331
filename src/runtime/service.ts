/**
 * What a service gives the runtime: pure protocol logic, with no sockets and no clock.
 * The runtime (stream-server.ts, datagram-server.ts) owns I/O, framing, limits and time,
 * and passes `now` (milliseconds since the Unix epoch, with a fractional part) in.
 */
import type { NetkitError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import type { FrameEvent } from '../core/line-framer.js';

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
  session(info: ConnectionInfo): StreamSession;
}

export interface DatagramPeer {
  address: string;
  port: number;
  family: 4 | 6;
}

export interface DatagramProtocol {
  /** The replies to one datagram (usually zero or one), each sent back to its sender. */
  receive(datagram: Uint8Array, peer: DatagramPeer, now: number): Payload[];
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
  /** A one-line command a person can run to try the service at `endpoint` (for `netkit start`). */
  tryCommand?(endpoint: string): string;
}
