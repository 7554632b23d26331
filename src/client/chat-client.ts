/**
 * A client for the chat server (`netkit serve chat`), one implementation per transport:
 * - TCP and Unix: lines ending in `\n` both ways (node:net and the core line framer);
 * - UDP: one line per datagram (node:dgram); an empty datagram every `keepaliveMs` while
 *   idle keeps the server from forgetting us (it forgets a peer silent for 120 s);
 * - WebSocket (`ws://HOST:PORT/ws`): `{"type":"line","text":...}` up, one JSON chat event
 *   per message down, shown with the server's own `formatLine`, so every transport prints
 *   the same text.
 *
 * Every incoming line is emitted as a `line` event with printable text (sanitised: no
 * escape sequence from a server reaches the terminal) and, over WebSocket, the event itself.
 * Lines that arrive before anyone listens are kept and delivered to the first listener.
 * `close` is emitted once, with undefined for a normal end (close() was called, or the server
 * closed after /quit) or the error that ended the session (NK_CONN_CLOSED when the server
 * closed on its own; a socket error such as NK_CONN_RESET or, over UDP, NK_CONN_REFUSED).
 *
 * The nickname: `join(nick)` sends it (TCP, Unix and WebSocket: as the first line; UDP:
 * `/nick NAME`, sent again when unanswered, since datagrams get lost) and resolves once the
 * server says `-- you are NICK`; an `error CODE: ...` answer rejects with a ChatRefusedError
 * (the connection stays open: the server asks again). openChatClient joins by itself when
 * given `nick`, and then closes the connection if the server refuses.
 */
import { createSocket, type Socket as DatagramSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import WebSocket from 'ws';
import {
  type Endpoint,
  formatEndpoint,
  formatHostPort,
  type InetEndpoint,
  parseEndpoint,
} from '../core/endpoint.js';
import { EndpointError, NetkitError, RemoteError } from '../core/errors.js';
import { ipFamily } from '../core/ip.js';
import { LineFramer } from '../core/line-framer.js';
import { type ChatEvent, formatLine } from '../services/chat/protocol/events.js';
import { sanitizeText } from '../services/chat/protocol/sanitize.js';
import { SocketClosedError, SocketStateError, SocketTimeoutError, toSocketError } from '../socket/errors.js';
import { RequestTimeoutError } from './errors.js';

export const CHAT_CLIENT_DEFAULTS = {
  /** UDP: an empty datagram after this long without sending anything. */
  keepaliveMs: 30_000,
  /** Connecting, and waiting for the server to accept the nickname (each try, over UDP). */
  timeoutMs: 5_000,
  /** UDP: further tries of `/nick NAME` when the server does not answer. */
  joinRetries: 2,
  /** Longest line (or WebSocket message) accepted from the server, in bytes. */
  maxLineBytes: 1 << 16,
  /** The path of a `ws://HOST:PORT` URL that has none. */
  wsPath: '/ws',
} as const;

export interface ChatClientOptions {
  /** Join with this nickname once connected (openChatClient resolves once it is accepted). */
  nick?: string;
  /** UDP: send an empty datagram after this many ms without sending; 0: never. */
  keepaliveMs?: number;
  /** Connecting, and waiting for the nickname to be accepted (each try, over UDP). */
  timeoutMs?: number;
  /** UDP: further tries of `/nick NAME` when unanswered. */
  joinRetries?: number;
  /** Longest line (or WebSocket message) accepted from the server; longer ones are skipped. */
  maxLineBytes?: number;
  /** WebSocket: the path to connect to (default /ws). */
  path?: string;
}

type ResolvedOptions = Required<Omit<ChatClientOptions, 'nick'>>;

/** One line from the server. */
export interface ChatLine {
  /** The line as the TCP server prints it, safe to show on a terminal. */
  text: string;
  /** WebSocket: the chat event as received (a JSON object); TCP and UDP: undefined. */
  event?: Record<string, unknown>;
}

export interface ChatClientEvents {
  line: [ChatLine];
  close: [NetkitError | undefined];
}

export interface ChatClient extends EventEmitter<ChatClientEvents> {
  /** The endpoint as a URL (`tcp://127.0.0.1:6667`, `ws://127.0.0.1:8080/ws`). */
  readonly url: string;
  readonly transport: 'tcp' | 'unix' | 'udp' | 'ws';
  /** The nickname the server gave us (updated on /nick), or undefined before joining. */
  readonly nick: string | undefined;
  /** Resolves once, when the session has ended: undefined for a normal end, else its error. */
  readonly closed: Promise<NetkitError | undefined>;
  /** Sends the nickname; resolves with the nickname the server accepted. */
  join(nick: string): Promise<string>;
  /** Sends one line as typed (a `\n` inside starts another line). `/quit` marks a wanted end. */
  send(line: string): Promise<void>;
  /** Sends /quit and waits (up to the timeout) for the server to close; then closes. */
  quit(): Promise<void>;
  /** Closes our side now. */
  close(): Promise<void>;
}

/** The server closed the connection when nobody had asked to quit. */
export class ChatClosedError extends NetkitError {
  constructor(url: string, lastError?: string) {
    super(
      'NK_CONN_CLOSED',
      `connection closed by server ${url}${lastError === undefined ? '' : ` (last said: ${lastError})`}`,
      { details: { endpoint: url, lastError: lastError ?? null } },
    );
  }
}

const NETKIT_CODE = /^NK_[A-Z0-9_]{1,60}$/;

/**
 * The server answered the nickname with an error. The code is the server's own when it is a
 * netkit code (NK_CHAT_NICK_TAKEN, NK_CHAT_NICK_INVALID...), else NK_CHAT_REFUSED.
 */
export class ChatRefusedError extends RemoteError {
  constructor(url: string, nick: string, serverCode: string, message: string) {
    super(
      NETKIT_CODE.test(serverCode) ? serverCode : 'NK_CHAT_REFUSED',
      `${url} refused the nickname ${JSON.stringify(nick)}: ${message}`,
      { details: { endpoint: url, nick, serverCode, serverMessage: message } },
    );
  }
}

/**
 * Parses a chat URL: tcp://HOST:PORT, udp://HOST:PORT, unix:/path, or ws://HOST:PORT[/PATH]
 * (no path, or `/`: /ws). Throws EndpointError (NK_ENDPOINT_INVALID).
 */
export function parseChatUrl(text: string): { endpoint: Endpoint; path?: string } {
  const ws = /^ws:\/\/([^/]*)(\/.*)?$/i.exec(text);
  if (!ws) return { endpoint: parseEndpoint(text, { allow: ['tcp', 'udp', 'unix', 'ws'] }) };
  const endpoint = parseEndpoint(`ws://${ws[1]}`, { allow: ['tcp', 'udp', 'unix', 'ws'] });
  const path = ws[2] === undefined || ws[2] === '/' ? CHAT_CLIENT_DEFAULTS.wsPath : ws[2];
  if (!/^\/[\x21-\x7e]*$/.test(path)) {
    throw new EndpointError(`invalid endpoint ${JSON.stringify(text)}: the path must be printable ASCII`, {
      details: { endpoint: text, reason: 'bad path' },
    });
  }
  return { endpoint, path };
}

export async function openChatClient(
  endpoint: Endpoint,
  options: ChatClientOptions = {},
): Promise<ChatClient> {
  const resolved: ResolvedOptions = {
    keepaliveMs: options.keepaliveMs ?? CHAT_CLIENT_DEFAULTS.keepaliveMs,
    timeoutMs: options.timeoutMs ?? CHAT_CLIENT_DEFAULTS.timeoutMs,
    joinRetries: options.joinRetries ?? CHAT_CLIENT_DEFAULTS.joinRetries,
    maxLineBytes: options.maxLineBytes ?? CHAT_CLIENT_DEFAULTS.maxLineBytes,
    path: options.path ?? CHAT_CLIENT_DEFAULTS.wsPath,
  };
  let client: BaseChatClient;
  if (endpoint.transport === 'udp') client = await openDatagram(endpoint, resolved);
  else if (endpoint.transport === 'ws') client = await openWebSocket(endpoint, resolved);
  else if (endpoint.transport === 'tcp' || endpoint.transport === 'unix')
    client = await openStream(endpoint, resolved);
  else throw new EndpointError(`the chat client speaks tcp, udp, unix and ws, not ${endpoint.transport}`);
  if (options.nick !== undefined) {
    try {
      await client.join(options.nick);
    } catch (error) {
      await client.close();
      throw error;
    }
  }
  return client;
}

/** `/quit`, with or without a message after it. */
export function isQuitCommand(line: string): boolean {
  return /^\/quit(\s|$)/i.test(line.trim());
}

interface JoinWaiter {
  nick: string;
  resolve(nick: string): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

abstract class BaseChatClient extends EventEmitter<ChatClientEvents> implements ChatClient {
  abstract readonly transport: 'tcp' | 'unix' | 'udp' | 'ws';
  readonly closed: Promise<NetkitError | undefined>;
  private resolveClosed!: (error: NetkitError | undefined) => void;
  private currentNick: string | undefined;
  private joining: JoinWaiter | undefined;
  /** The user asked to quit: a close by the server is then the normal end. */
  protected quitting = false;
  /** close() was called. */
  protected closing = false;
  private ended = false;
  private endError: NetkitError | undefined;
  private lastError: string | undefined;
  private backlog: ChatLine[] | undefined = [];
  private quitTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly url: string,
    protected readonly options: ResolvedOptions,
  ) {
    super();
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    // Lines that came before the first listener are delivered to it (as soon as it is added).
    (this as unknown as EventEmitter).on('newListener', (name: string | symbol) => {
      if (name !== 'line' || this.backlog === undefined) return;
      const backlog = this.backlog;
      this.backlog = undefined;
      queueMicrotask(() => {
        for (const line of backlog) this.emit('line', line);
      });
    });
  }

  get nick(): string | undefined {
    return this.currentNick;
  }

  /** Writes one line (without its end) to the server. */
  protected abstract transmit(line: string): Promise<void>;
  /** Releases the socket; resolves once it is closed. */
  protected abstract shutdown(): Promise<void>;
  /** The text to send to claim a nickname. */
  protected nickLine(nick: string): string {
    return nick;
  }
  /** How many times the nickname is sent before giving up. */
  protected get joinTries(): number {
    return 1;
  }

  join(nick: string): Promise<string> {
    if (this.ended) return Promise.reject(this.endError ?? new SocketClosedError('join'));
    if (this.joining) return Promise.reject(new SocketStateError('join while another join is waiting'));
    return new Promise<string>((resolve, reject) => {
      let tries = 0;
      const attempt = () => {
        tries++;
        const timer = setTimeout(() => {
          if (tries < this.joinTries) attempt();
          else this.failJoin(new RequestTimeoutError(this.url, tries, this.options.timeoutMs));
        }, this.options.timeoutMs);
        this.joining = { nick, resolve, reject, timer };
        this.transmit(this.nickLine(nick)).catch((error: unknown) => this.failJoin(error));
      };
      attempt();
    });
  }

  async send(line: string): Promise<void> {
    if (this.ended) throw this.endError ?? new SocketClosedError('send');
    for (const part of line.split(/\r?\n/)) {
      if (isQuitCommand(part)) this.markQuitting();
      await this.transmit(part);
    }
  }

  async quit(): Promise<void> {
    if (this.ended) return;
    try {
      await this.send('/quit');
    } catch {
      // The connection went meanwhile: closing is all that is left.
    }
    await this.closed;
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.closing = true;
    try {
      await this.shutdown();
    } finally {
      this.finish(undefined);
    }
  }

  /** After /quit: the server closes (TCP, WebSocket) or says bye (UDP); we close if it does not. */
  private markQuitting(): void {
    if (this.quitting) return;
    this.quitting = true;
    this.quitTimer = setTimeout(() => void this.close(), this.quitWaitMs());
    this.quitTimer.unref();
  }

  protected quitWaitMs(): number {
    return this.options.timeoutMs;
  }

  /** One line from the server (without its end). */
  protected receive(raw: string, event?: Record<string, unknown>): void {
    if (this.ended) return;
    const text = sanitizeText(raw);
    const you = /^-- you are (\S+)$/.exec(text);
    const error = /^error (\S+): (.*)$/.exec(text);
    const renamed = /^\[\d\d:\d\d\] -- (\S+) is now known as (\S+)$/.exec(text);
    if (you) this.currentNick = you[1]!;
    if (renamed && renamed[1] === this.currentNick) this.currentNick = renamed[2]!;
    if (error) this.lastError = text;
    const line: ChatLine = event === undefined ? { text } : { text, event };
    if (this.backlog) this.backlog.push(line);
    else this.emit('line', line);
    const joining = this.joining;
    if (joining && you) {
      this.joining = undefined;
      clearTimeout(joining.timer);
      joining.resolve(you[1]!);
    } else if (joining && error) {
      this.failJoin(new ChatRefusedError(this.url, joining.nick, error[1]!, error[2]!));
    }
    if (this.quitting && this.transport === 'udp' && text === '-- bye') void this.close();
  }

  private failJoin(error: unknown): void {
    const joining = this.joining;
    if (!joining) return;
    this.joining = undefined;
    clearTimeout(joining.timer);
    joining.reject(error);
  }

  /**
   * The session is over. `error`: what ended it (a socket error), undefined for a plain
   * close; `byServer`: the server closed it.
   */
  protected finish(error: NetkitError | undefined, byServer = false): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.quitTimer);
    let result = error;
    if (this.quitting && (result === undefined || result.code === 'NK_CONN_RESET')) result = undefined;
    else if (result === undefined && byServer && !this.closing)
      result = new ChatClosedError(this.url, this.lastError);
    this.endError = result;
    this.failJoin(result ?? new ChatClosedError(this.url, this.lastError));
    this.resolveClosed(result);
    this.emit('close', result);
  }
}

// --- TCP and Unix ---------------------------------------------------------------------------

function openStream(endpoint: Endpoint, options: ResolvedOptions): Promise<BaseChatClient> {
  const url = formatEndpoint(endpoint);
  return new Promise((resolve, reject) => {
    const socket =
      endpoint.transport === 'unix'
        ? createConnection({ path: endpoint.path })
        : createConnection({ host: (endpoint as InetEndpoint).host, port: (endpoint as InetEndpoint).port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(SocketTimeoutError.after(`connect to ${url}`, options.timeoutMs));
    }, options.timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(toSocketError(error, { operation: `connect to ${url}` }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(new StreamChatClient(socket, url, endpoint.transport === 'unix' ? 'unix' : 'tcp', options));
    });
  });
}

class StreamChatClient extends BaseChatClient {
  constructor(
    private readonly socket: Socket,
    url: string,
    readonly transport: 'tcp' | 'unix',
    options: ResolvedOptions,
  ) {
    super(url, options);
    const framer = new LineFramer(options.maxLineBytes);
    const decoder = new TextDecoder();
    const deliver = (events: ReturnType<LineFramer['push']>) => {
      // Over-long lines are skipped (the framer reports them; there is nothing to show).
      for (const event of events) if (event.type === 'line') this.receive(decoder.decode(event.line));
    };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => deliver(framer.push(chunk)));
    socket.on('end', () => deliver(framer.finish()));
    socket.on('error', (error) => this.finish(toSocketError(error, { operation: `connection to ${url}` })));
    socket.on('close', () => this.finish(undefined, true));
  }

  protected transmit(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed || !this.socket.writable) {
        reject(new SocketClosedError('send'));
        return;
      }
      this.socket.write(`${line}\n`, (error) => {
        if (error) reject(toSocketError(error, { operation: `send to ${this.url}` }));
        else resolve();
      });
    });
  }

  protected shutdown(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        resolve();
        return;
      }
      // A graceful end first (what we sent is delivered); a server that does not close soon is cut off.
      const timer = setTimeout(() => this.socket.destroy(), 1000);
      timer.unref();
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end();
    });
  }
}

// --- UDP ------------------------------------------------------------------------------------

async function openDatagram(endpoint: InetEndpoint, options: ResolvedOptions): Promise<BaseChatClient> {
  const url = formatEndpoint(endpoint);
  let address = endpoint.host;
  let family = ipFamily(endpoint.host.split('%')[0]!);
  if (family === 0) {
    try {
      const found = await lookup(endpoint.host);
      address = found.address;
      family = found.family === 6 ? 6 : 4;
    } catch (error) {
      throw toSocketError(error, { operation: `look up ${endpoint.host}` });
    }
  }
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      socket.close();
      reject(toSocketError(error, { operation: `connect to ${url}` }));
    };
    socket.once('error', onError);
    // connect(): datagrams from anyone but the server are dropped, and ICMP port
    // unreachable comes back as ECONNREFUSED.
    socket.connect(endpoint.port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
  return new DatagramChatClient(socket, url, options);
}

class DatagramChatClient extends BaseChatClient {
  readonly transport = 'udp' as const;
  private keepalive: NodeJS.Timeout | undefined;
  private open = true;

  constructor(
    private readonly socket: DatagramSocket,
    url: string,
    options: ResolvedOptions,
  ) {
    super(url, options);
    const decoder = new TextDecoder();
    socket.on('message', (datagram: Buffer) => {
      if (datagram.length === 0 || datagram.length > options.maxLineBytes) return;
      // One line per datagram, normally ending in \n; more than one line is taken line by line.
      const text = decoder.decode(datagram).replace(/\r?\n$/, '');
      for (const line of text.split(/\r?\n/)) this.receive(line);
    });
    socket.on('error', (error) => {
      this.stop();
      this.finish(toSocketError(error, { operation: `chat with ${url}` }));
    });
  }

  protected override nickLine(nick: string): string {
    // Sending it again after a lost reply must not turn it into a message: /nick is idempotent.
    return `/nick ${nick}`;
  }

  protected override get joinTries(): number {
    return 1 + this.options.joinRetries;
  }

  protected override quitWaitMs(): number {
    // No connection to see closed: the server's "-- bye" ends it, or this.
    return Math.min(this.options.timeoutMs, 2000);
  }

  protected transmit(line: string): Promise<void> {
    return this.sendDatagram(Buffer.from(`${line}\n`));
  }

  private sendDatagram(datagram: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.open) {
        reject(new SocketClosedError('send'));
        return;
      }
      this.scheduleKeepalive();
      this.socket.send(datagram, (error) => {
        if (error) reject(toSocketError(error, { operation: `send to ${this.url}` }));
        else resolve();
      });
    });
  }

  /** An empty datagram once `keepaliveMs` have passed since we last sent anything. */
  private scheduleKeepalive(): void {
    clearTimeout(this.keepalive);
    if (this.options.keepaliveMs <= 0) return;
    this.keepalive = setTimeout(() => {
      this.sendDatagram(Buffer.alloc(0)).catch(() => {
        // A failure shows as the socket's error event.
      });
    }, this.options.keepaliveMs);
  }

  private stop(): void {
    clearTimeout(this.keepalive);
    if (!this.open) return;
    this.open = false;
    this.socket.close();
  }

  protected async shutdown(): Promise<void> {
    this.stop();
  }
}

// --- WebSocket ------------------------------------------------------------------------------

function openWebSocket(endpoint: InetEndpoint, options: ResolvedOptions): Promise<BaseChatClient> {
  const url = `ws://${formatHostPort(endpoint.host, endpoint.port)}${options.path}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      handshakeTimeout: options.timeoutMs,
      maxPayload: options.maxLineBytes,
      perMessageDeflate: false,
    });
    const onError = (error: Error) => {
      ws.terminate();
      reject(toSocketError(error, { operation: `connect to ${url}` }));
    };
    ws.once('error', onError);
    ws.once('open', () => {
      ws.off('error', onError);
      resolve(new WebSocketChatClient(ws, url, options));
    });
  });
}

type FieldKind = 'string' | 'number' | 'boolean' | 'array';

/** The fields each chat event needs for formatLine (protocol/events.ts). */
const EVENT_FIELDS: Partial<Record<ChatEvent['type'], Record<string, FieldKind>>> = {
  info: { text: 'string' },
  you: { nick: 'string' },
  rooms: { rooms: 'array' },
  who: { room: 'string', nicks: 'array' },
  error: { code: 'string', message: 'string' },
  message: { time: 'number', room: 'string', from: 'string', text: 'string' },
  action: { time: 'number', room: 'string', from: 'string', text: 'string' },
  private: { time: 'number', from: 'string', to: 'string', text: 'string' },
  join: { time: 'number', room: 'string', nick: 'string' },
  part: { time: 'number', room: 'string', nick: 'string', quit: 'boolean' },
  nick: { time: 'number', from: 'string', to: 'string' },
};

function isChatEvent(value: Record<string, unknown>): value is ChatEvent {
  const fields = Object.hasOwn(EVENT_FIELDS, String(value.type))
    ? EVENT_FIELDS[value.type as ChatEvent['type']]
    : undefined;
  if (!fields) return false;
  for (const [name, kind] of Object.entries(fields)) {
    const field = value[name];
    if (kind === 'array' ? !Array.isArray(field) : typeof field !== kind) return false;
  }
  if (value.type === 'rooms')
    return (value.rooms as unknown[]).every(
      (room) =>
        typeof room === 'object' &&
        room !== null &&
        typeof (room as Record<string, unknown>).name === 'string' &&
        typeof (room as Record<string, unknown>).members === 'number',
    );
  if (value.type === 'who') return (value.nicks as unknown[]).every((nick) => typeof nick === 'string');
  return true;
}

/** The text line for one WebSocket message: the TCP server's line for a chat event. */
export function chatEventLine(event: Record<string, unknown>): string {
  if (isChatEvent(event)) return formatLine(event);
  // An event this client does not know (a newer server): its text, or the JSON itself.
  return `-- ${typeof event.text === 'string' ? event.text : JSON.stringify(event)}`;
}

class WebSocketChatClient extends BaseChatClient {
  readonly transport = 'ws' as const;

  constructor(
    private readonly ws: WebSocket,
    url: string,
    options: ResolvedOptions,
  ) {
    super(url, options);
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const text = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data).toString('utf8');
      if (isBinary) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const event = parsed as Record<string, unknown>;
        this.receive(chatEventLine(event), event);
      } else {
        for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) this.receive(line);
      }
    });
    ws.on('error', (error) => this.finish(toSocketError(error, { operation: `connection to ${url}` })));
    ws.on('close', () => this.finish(undefined, true));
  }

  protected transmit(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) {
        reject(new SocketClosedError('send'));
        return;
      }
      this.ws.send(JSON.stringify({ type: 'line', text: line }), (error) => {
        if (error) reject(toSocketError(error, { operation: `send to ${this.url}` }));
        else resolve();
      });
    });
  }

  protected shutdown(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      const timer = setTimeout(() => this.ws.terminate(), 1000);
      timer.unref();
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000);
    });
  }
}
