/**
 * The chat's WebSocket transport and web page, as an `HttpHandler` for the runtime's
 * http:// endpoints: `GET /` is the one-page web chat (page.ts), `GET /healthz` answers
 * `ok`, and `/ws` upgrades to a WebSocket (RFC 6455, by the `ws` package) that is one chat
 * client of the router.
 *
 * Wire (docs/protocols/chat-websocket.md): the client sends text frames of JSON
 * `{"type":"line","text":"..."}`; each line of `text` is a line as a TCP client would send
 * it (a nickname, a /command or a message). The server sends each hub event as one text
 * frame, `JSON.stringify(event)` (protocol/events.ts). Anything else from the client gets
 * an NK_CHAT_BAD_MESSAGE error event; a client that keeps sending them is closed (1008).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../../runtime/logger.js';
import type { HttpHandler } from '../../../runtime/service.js';
import type { ChatEvent } from '../protocol/events.js';
import type { ChatRouter, ChatSink } from '../protocol/router.js';
import { ChatBadMessageError } from './errors.js';
import { CHAT_PAGE_HTML, CHAT_PAGE_SCRIPT_HASH, CHAT_PAGE_STYLE_HASH } from './page.js';

export interface ChatWebOptions {
  router: ChatRouter;
  /** ms since the epoch; passed to the router as `now`. */
  clock(): number;
  logger: Logger;
  /** A new WebSocket is refused (HTTP 503) while the router has this many clients. */
  maxConnections: number;
  /** WebSockets from one remote address; 0 = no cap. */
  maxPerAddress: number;
  /** A message whose text is over this (UTF-8 bytes) is not relayed: NK_CHAT_LINE_TOO_LONG. */
  maxLineBytes: number;
  /** ws maxPayload (default maxLineBytes * 2 + 1024): a bigger message closes the socket (1009). */
  maxMessageBytes?: number;
  /** 0 = never; otherwise a socket that answers no ping within this time is dropped. */
  idleTimeoutMs: number;
}

export interface ChatWeb {
  http: HttpHandler;
  /** Closes every WebSocket (1001, then dropped if it lingers) and stops the keepalive. */
  close(): Promise<void>;
  /** `webSockets`: accepted so far; `webRefused`: refused (limits, wrong origin). */
  stats(): { webSockets: number; webRefused: number };
}

/** Bad messages a client may send at once before it is closed (1008)... */
export const BAD_MESSAGE_BURST = 20;
/** ... and how many a second it may keep sending (a token bucket, like the hub's flood control). */
export const BAD_MESSAGE_RATE = 1;
/** How long close() waits for WebSockets to answer the close frame before dropping them. */
const CLOSE_GRACE_MS = 1000;

/** Only `'self'` scripts and styles, and the page's own inline ones (by hash). */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' '${CHAT_PAGE_SCRIPT_HASH}'`,
  `style-src 'self' '${CHAT_PAGE_STYLE_HASH}'`,
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = Buffer.from(CHAT_PAGE_HTML, 'utf8');

interface Client {
  readonly id: string;
  readonly address: string;
  readonly ws: WebSocket;
  /** Answered a ping (or sent anything) since the last one. */
  alive: boolean;
  badTokens: number;
  badRefilledMs: number;
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function normaliseAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * A browser's Origin must name the host it connected to, so that another site's page cannot
 * open chat sessions from its visitors' browsers. Clients that send no Origin (nc-like tools,
 * other programs) are not browsers and are let in.
 */
function originAllowed(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Answers a handshake with an HTTP error and drops the socket, without upgrading. */
function refuse(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The lines of a message's text (CR LF, LF or CR end a line), without the blank ones. */
function linesOf(text: string): string[] {
  return text.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
}

/** Why `data` is not `{"type":"line","text":string}`, or its text. */
function parseMessage(data: RawData, isBinary: boolean): { text: string } | { bad: string } {
  if (isBinary) return { bad: 'binary messages are not accepted' };
  let value: unknown;
  try {
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { bad: 'the message is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { bad: 'the message is not a JSON object' };
  const { type, text } = value as { type?: unknown; text?: unknown };
  if (type !== 'line') return { bad: 'unknown message type' };
  if (typeof text !== 'string') return { bad: 'the message has no text string' };
  return { text };
}

export function createChatWeb(options: ChatWebOptions): ChatWeb {
  const { router, clock, logger, maxConnections, maxPerAddress, maxLineBytes, idleTimeoutMs } = options;
  const maxPayload = options.maxMessageBytes ?? maxLineBytes * 2 + 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
  const clients = new Set<Client>();
  const perAddress = new Map<string, number>();
  const stats = { webSockets: 0, webRefused: 0 };
  let nextId = 1;
  let closing = false;

  const keepalive =
    idleTimeoutMs > 0
      ? setInterval(
          () => {
            for (const client of clients) {
              if (!client.alive) {
                logger.info({ client: client.id }, 'websocket did not answer a ping; dropped');
                client.ws.terminate();
                continue;
              }
              client.alive = false;
              try {
                client.ws.ping();
              } catch {
                // Not open any more: its close event does the rest.
              }
            }
          },
          Math.max(1, Math.floor(idleTimeoutMs / 2)),
        )
      : undefined;
  keepalive?.unref();

  function sendError(client: Client, error: ChatBadMessageError): void {
    const event: ChatEvent = { type: 'error', code: error.code, message: error.message };
    if (client.ws.readyState === WebSocket.OPEN) client.ws.send(JSON.stringify(event));
  }

  /** False once the client has sent too many bad messages (it is then being closed). */
  function takeBadToken(client: Client, now: number): boolean {
    const elapsed = Number.isFinite(now) ? Math.max(0, now - client.badRefilledMs) : 0;
    if (Number.isFinite(now)) client.badRefilledMs = Math.max(client.badRefilledMs, now);
    client.badTokens = Math.min(BAD_MESSAGE_BURST, client.badTokens + (elapsed * BAD_MESSAGE_RATE) / 1000);
    if (client.badTokens >= 1) {
      client.badTokens -= 1;
      return true;
    }
    return false;
  }

  function onMessage(client: Client, data: RawData, isBinary: boolean): void {
    client.alive = true;
    if (client.ws.readyState !== WebSocket.OPEN || !router.has(client.id)) return;
    const now = clock();
    const parsed = parseMessage(data, isBinary);
    if ('bad' in parsed) {
      if (!takeBadToken(client, now)) {
        logger.info({ client: client.id }, 'websocket sent too many bad messages; closed');
        client.ws.close(1008, 'too many bad messages');
        router.disconnect(client.id, now);
        return;
      }
      sendError(client, new ChatBadMessageError(parsed.bad));
      return;
    }
    if (Buffer.byteLength(parsed.text, 'utf8') > maxLineBytes) {
      router.lineTooLong(client.id, now);
      return;
    }
    const lines = linesOf(parsed.text);
    // A blank message still counts for flood control (the hub ignores the empty line).
    if (lines.length === 0) router.receive(client.id, '', now);
    for (const line of lines) {
      if (!router.has(client.id)) break;
      router.receive(client.id, line, now);
    }
  }

  function onClose(client: Client): void {
    if (!clients.delete(client)) return;
    const left = (perAddress.get(client.address) ?? 1) - 1;
    if (left > 0) perAddress.set(client.address, left);
    else perAddress.delete(client.address);
    router.disconnect(client.id, clock());
    logger.debug({ client: client.id }, 'websocket closed');
  }

  function accept(ws: WebSocket, address: string): void {
    const client: Client = {
      id: `w${nextId++}`,
      address,
      ws,
      alive: true,
      badTokens: BAD_MESSAGE_BURST,
      badRefilledMs: clock(),
    };
    clients.add(client);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    stats.webSockets++;
    const sink: ChatSink = {
      queuedBytes: () => ws.bufferedAmount,
      write: (event) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
      },
      // ws sends the close frame after what is queued.
      end: () => ws.close(1000),
      abort: () => ws.terminate(),
    };
    // Handlers must never throw: a bug in one client's handling is logged and drops that client.
    const guard =
      <A extends unknown[]>(what: string, handler: (...args: A) => void) =>
      (...args: A) => {
        try {
          handler(...args);
        } catch (error) {
          logger.error({ err: error, client: client.id }, `websocket ${what} failed`);
          ws.terminate();
        }
      };
    ws.on(
      'message',
      guard('message', (data: RawData, isBinary: boolean) => onMessage(client, data, isBinary)),
    );
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('error', (error) => logger.debug({ err: error, client: client.id }, 'websocket error'));
    ws.on(
      'close',
      guard('close', () => onClose(client)),
    );
    logger.debug({ client: client.id, address }, 'websocket open');
    guard('connect', () => router.connect(client.id, sink, clock()))();
  }

  const http: HttpHandler = {
    request(request: IncomingMessage, response: ServerResponse): void {
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Referrer-Policy', 'no-referrer');
      const path = pathOf(request.url);
      const known = path === '/' || path === '/healthz' || path === '/ws';
      if (!known) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('method not allowed\n');
        return;
      }
      if (path === '/healthz') {
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : 'ok\n');
        return;
      }
      if (path === '/ws') {
        response.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('this is the chat WebSocket: connect with a WebSocket client\n');
        return;
      }
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': PAGE.length,
        'Cache-Control': 'no-store',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      });
      response.end(request.method === 'HEAD' ? undefined : PAGE);
    },

    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', (error) => logger.debug({ err: error }, 'websocket handshake socket error'));
      try {
        if (pathOf(request.url) !== '/ws') {
          refuse(socket, 404, 'Not Found');
          return;
        }
        const address = normaliseAddress(request.socket.remoteAddress);
        let refusal: [number, string, string] | undefined;
        if (closing) refusal = [503, 'Service Unavailable', 'shutting down'];
        else if (!originAllowed(request)) refusal = [403, 'Forbidden', 'origin not allowed'];
        else if (router.clientCount >= maxConnections) refusal = [503, 'Service Unavailable', 'server full'];
        else if (maxPerAddress > 0 && (perAddress.get(address) ?? 0) >= maxPerAddress)
          refusal = [503, 'Service Unavailable', 'too many connections from this address'];
        if (refusal) {
          stats.webRefused++;
          logger.info({ address, why: refusal[2] }, 'websocket refused');
          refuse(socket, refusal[0], refusal[1]);
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => accept(ws, address));
      } catch (error) {
        logger.error({ err: error }, 'websocket upgrade failed');
        socket.destroy();
      }
    },
  };

  return {
    http,
    stats: () => ({ ...stats }),
    async close(): Promise<void> {
      closing = true;
      if (keepalive) clearInterval(keepalive);
      const open = [...clients];
      await new Promise<void>((resolve) => {
        if (open.length === 0) {
          resolve();
          return;
        }
        let left = open.length;
        const timer = setTimeout(() => {
          for (const client of open) client.ws.terminate();
        }, CLOSE_GRACE_MS);
        for (const client of open) {
          client.ws.once('close', () => {
            if (--left === 0) {
              clearTimeout(timer);
              resolve();
            }
          });
          client.ws.close(1001, 'server shutting down');
        }
      });
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
