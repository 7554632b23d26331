/**
 * The chat's WebSocket transport and page over real sockets: a hub and a router served by
 * createChatWeb on a node:http server on 127.0.0.1 port 0, with `ws` clients.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../../../src/runtime/logger.js';
import type { ChatEvent } from '../../../src/services/chat/protocol/events.js';
import { ChatHub } from '../../../src/services/chat/protocol/hub.js';
import { ChatRouter } from '../../../src/services/chat/protocol/router.js';
import {
  BAD_MESSAGE_BURST,
  type ChatWebOptions,
  createChatWeb,
} from '../../../src/services/chat/web/websocket.js';

interface Harness {
  url: string;
  port: number;
  router: ChatRouter;
  web: ReturnType<typeof createChatWeb>;
}

const servers: Server[] = [];
const webs: ReturnType<typeof createChatWeb>[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(webs.splice(0).map((web) => web.close()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))),
  );
});

async function serve(
  options: Partial<ChatWebOptions> = {},
  hubOptions: ConstructorParameters<typeof ChatHub>[0] = {},
  maxQueueBytes = 262_144,
): Promise<Harness> {
  const hub = new ChatHub(hubOptions);
  const router = new ChatRouter(hub, { maxQueueBytes });
  const web = createChatWeb({
    router,
    clock: () => Date.now(),
    logger: silentLogger(),
    maxConnections: 100,
    maxPerAddress: 0,
    maxLineBytes: 2048,
    idleTimeoutMs: 0,
    ...options,
  });
  const server = createServer((req, res) => web.http.request(req, res));
  server.on('upgrade', (req, socket, head) => web.http.upgrade!(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  webs.push(web);
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/ws`, port, router, web };
}

/** A WebSocket client that records the events it gets. */
class Client {
  readonly events: ChatEvent[] = [];
  closeCode: number | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    sockets.push(ws);
    ws.on('message', (data) => {
      this.events.push(JSON.parse(data.toString()) as ChatEvent);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => {});
  }

  static async open(url: string, nick?: string): Promise<Client> {
    const client = new Client(new WebSocket(url));
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', () => resolve());
      client.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      client.ws.once('error', reject);
    });
    if (nick) {
      client.line(nick);
      await client.waitFor((e) => e.type === 'join' && e.nick === nick);
    }
    return client;
  }

  line(text: string): void {
    this.ws.send(JSON.stringify({ type: 'line', text }));
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** The first event (from the start) matching `match`, waiting up to 3 s for it. */
  async waitFor(match: (event: ChatEvent) => boolean, timeoutMs = 3000): Promise<ChatEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such event in ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 3000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error('not closed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.closeCode;
  }
}

/** The HTTP status of a WebSocket handshake that is refused. */
function handshakeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the handshake was accepted'));
    });
    ws.on('error', () => {});
  });
}

function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const isError = (code: string) => (e: ChatEvent) => e.type === 'error' && e.code === code;

describe('the chat over WebSockets', () => {
  it('greets, takes a nickname and carries messages between two clients', async () => {
    const { url, web } = await serve();
    const alice = await Client.open(url);
    expect(alice.events[0]).toEqual({ type: 'info', text: expect.stringContaining('welcome') });
    alice.line('alice');
    expect(await alice.waitFor((e) => e.type === 'you')).toEqual({ type: 'you', nick: 'alice' });
    const bob = await Client.open(url, 'bob');
    await alice.waitFor((e) => e.type === 'join' && e.nick === 'bob');

    alice.line('hello bob');
    const got = await bob.waitFor((e) => e.type === 'message');
    expect(got).toMatchObject({ type: 'message', room: '#lobby', from: 'alice', text: 'hello bob' });
    await alice.waitFor((e) => e.type === 'message' && e.from === 'alice');

    // A text with several lines is several lines; blank ones are skipped.
    bob.line('one\r\n\ntwo\n/me waves');
    await alice.waitFor((e) => e.type === 'action' && e.from === 'bob' && e.text === 'waves');
    const texts = alice.events.flatMap((e) => (e.type === 'message' && e.from === 'bob' ? [e.text] : []));
    expect(texts).toEqual(['one', 'two']);

    bob.line('/who');
    expect(await bob.waitFor((e) => e.type === 'who')).toEqual({
      type: 'who',
      room: '#lobby',
      nicks: ['alice', 'bob'],
    });
    expect(web.stats()).toEqual({ webSockets: 2, webRefused: 0 });
  });

  it('delivers a private message to its target only, with an echo to its sender', async () => {
    const { url } = await serve();
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    const carol = await Client.open(url, 'carol');
    alice.line('/msg bob psst');
    expect(await bob.waitFor((e) => e.type === 'private')).toMatchObject({
      from: 'alice',
      to: 'bob',
      text: 'psst',
    });
    await alice.waitFor((e) => e.type === 'private');
    carol.line('/who');
    await carol.waitFor((e) => e.type === 'who');
    expect(carol.events.some((e) => e.type === 'private')).toBe(false);
  });

  it('tells the others when a client goes', async () => {
    const { url, router } = await serve();
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    bob.ws.close();
    expect(await alice.waitFor((e) => e.type === 'part')).toMatchObject({ nick: 'bob', quit: true });
    expect(router.clientCount).toBe(1);
  });

  it('closes after /quit once the goodbye is sent (1000)', async () => {
    const { url } = await serve();
    const alice = await Client.open(url, 'alice');
    alice.line('/quit');
    expect(await alice.waitClosed()).toBe(1000);
    expect(alice.events.at(-1)).toEqual({ type: 'info', text: 'bye' });
  });
});

describe('bad input', () => {
  it('answers binary, non-JSON and wrongly shaped messages with NK_CHAT_BAD_MESSAGE and keeps serving', async () => {
    const { url } = await serve();
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    alice.ws.send(Buffer.from([0xff, 0x00, 0xfe, 0x1b]));
    alice.ws.send('not json {');
    alice.ws.send('[1,2]');
    alice.ws.send('null');
    alice.ws.send(JSON.stringify({ type: 'say', text: 'x' }));
    alice.ws.send(JSON.stringify({ type: 'line', text: 42 }));
    alice.line('still here');
    await bob.waitFor((e) => e.type === 'message' && e.text === 'still here');
    const errors = alice.events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(6);
    for (const error of errors) expect(error).toMatchObject({ code: 'NK_CHAT_BAD_MESSAGE' });
    expect(bob.events.some((e) => e.type === 'error')).toBe(false);
  });

  it('closes a client that keeps sending bad messages (1008); the others are unaffected', async () => {
    const { url } = await serve();
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    for (let i = 0; i < BAD_MESSAGE_BURST + 5; i++) alice.ws.send('garbage');
    expect(await alice.waitClosed()).toBe(1008);
    expect(alice.events.filter(isError('NK_CHAT_BAD_MESSAGE'))).toHaveLength(BAD_MESSAGE_BURST);
    await bob.waitFor((e) => e.type === 'part' && e.nick === 'alice');
    const carol = await Client.open(url, 'carol');
    carol.line('hi');
    await bob.waitFor((e) => e.type === 'message' && e.from === 'carol');
  });

  it('refuses a text over maxLineBytes with NK_CHAT_LINE_TOO_LONG, and closes on a frame over maxPayload (1009)', async () => {
    const { url } = await serve({ maxLineBytes: 100 });
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    alice.line('x'.repeat(101));
    await alice.waitFor(isError('NK_CHAT_LINE_TOO_LONG'));
    alice.line('é'.repeat(51)); // 102 bytes of UTF-8
    await alice.waitFor(
      (e) => e.type === 'error' && alice.events.filter(isError('NK_CHAT_LINE_TOO_LONG')).length === 2,
    );
    alice.line('ok');
    await bob.waitFor((e) => e.type === 'message' && e.text === 'ok');
    expect(bob.events.some((e) => e.type === 'message' && e.text !== 'ok')).toBe(false);

    alice.line('y'.repeat(2000)); // over the default maxPayload, 100 * 2 + 1024
    expect(await alice.waitClosed()).toBe(1009);
    await bob.waitFor((e) => e.type === 'part' && e.nick === 'alice');
  });

  it('relays an escape-sequence injection as visible text only', async () => {
    const { url } = await serve();
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    alice.line('\x1b[2J\x1b]0;pwned\x07hi\u202e');
    const got = await bob.waitFor((e) => e.type === 'message');
    expect(got).toMatchObject({ text: '^[[2J^[]0;pwned^Ghi\uFFFD' });
  });

  it('drops a flooding client after the warning; the others keep talking', async () => {
    const { url } = await serve({}, { floodRate: 5, floodBurst: 5 });
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    for (let i = 0; i < 30; i++) alice.line(`spam ${i}`);
    await alice.waitFor(isError('NK_CHAT_FLOOD'));
    expect(await alice.waitClosed()).toBe(1000);
    bob.line('/who');
    expect(await bob.waitFor((e) => e.type === 'who')).toMatchObject({ nicks: ['bob'] });
  });

  it('drops a client that never reads (slow reader) and keeps delivering to the others', async () => {
    const { url, router } = await serve({}, { floodRate: 0 }, 16_384);
    const alice = await Client.open(url, 'alice');
    const bob = await Client.open(url, 'bob');
    const slow = await Client.open(url, 'slow');
    // The slow client stops reading: the kernel buffers fill, then the server's queue.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = 'z'.repeat(1800);
    const deadline = Date.now() + 10_000;
    let sent = 0;
    while (router.stats.slowReadersDropped === 0) {
      if (Date.now() > deadline) throw new Error('the slow reader was not dropped');
      for (let i = 0; i < 200; i++) alice.line(`${sent++} ${text}`);
      await bob.waitFor((e) => e.type === 'message' && e.text.startsWith(`${sent - 1} `), 5000);
    }
    await bob.waitFor((e) => e.type === 'part' && e.nick === 'slow');
    expect(router.has('w3')).toBe(false);
    alice.line('after');
    await bob.waitFor((e) => e.type === 'message' && e.text === 'after');
  });
});

describe('limits', () => {
  it('refuses a WebSocket with 503 while the chat has maxConnections clients', async () => {
    const { url, web } = await serve({ maxConnections: 2 });
    await Client.open(url);
    await Client.open(url);
    expect(await handshakeStatus(url)).toBe(503);
    expect(web.stats()).toEqual({ webSockets: 2, webRefused: 1 });
  });

  it('refuses more than maxPerAddress WebSockets from one address, and frees the slot on close', async () => {
    const { url } = await serve({ maxPerAddress: 1 });
    const first = await Client.open(url);
    expect(await handshakeStatus(url)).toBe(503);
    first.ws.close();
    await first.waitClosed();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Client.open(url);
  });

  it('takes WebSockets only on /ws, and refuses another site’s page (403)', async () => {
    const { port } = await serve();
    expect(await handshakeStatus(`ws://127.0.0.1:${port}/chat`)).toBe(404);
    expect(await handshakeStatus(`ws://127.0.0.1:${port}/ws`, { Origin: 'https://evil.example' })).toBe(403);
    const ok = await Client.open(`ws://127.0.0.1:${port}/ws?x=1`);
    expect(ok.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a WebSocket that answers no ping', async () => {
    const { url, router } = await serve({ idleTimeoutMs: 200 });
    const alive = await Client.open(url, 'alive');
    const dead = await Client.open(url, 'dead');
    // A client that stops reading answers no ping (ws answers pings as it reads them).
    (dead.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await alive.waitFor((e) => e.type === 'part' && e.nick === 'dead', 3000);
    expect(router.clientCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('the web page and HTTP', () => {
  it('serves the page with a strict policy', async () => {
    const { port } = await serve();
    const page = await get(port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe');
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.body).not.toMatch(/(src|href)="https?:/);
    expect(page.body).not.toContain('innerHTML');
  });

  it('answers /healthz, 404 elsewhere, 405 for other methods', async () => {
    const { port } = await serve();
    expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await get(port, '/nope')).status).toBe(404);
    expect((await get(port, '/index.html')).status).toBe(404);
    const post = await get(port, '/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await get(port, '/ws')).status).toBe(426);
  });
});

describe('closing', () => {
  it('closes every WebSocket with 1001 and refuses new ones', async () => {
    const { url, web } = await serve();
    const alice = await Client.open(url, 'alice');
    await web.close();
    expect(await alice.waitClosed()).toBe(1001);
    expect(await handshakeStatus(url)).toBe(503);
  });
});
