/**
 * `netkit chat`, the chat client: against small fake servers written here (TCP, Unix, UDP,
 * WebSocket) that speak the chat protocol's lines and record what the client sends; on a
 * real terminal (tmux); and end to end against `netkit serve chat`.
 */
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket as DatagramSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runNetkit } from '../helpers/cli.js';
import { freePort, killNetkitProcesses, type NetkitProcess, startNetkit } from '../helpers/netkit-process.js';
import { describeWithPeers, findProgram, type Peer } from '../helpers/peers.js';

const TMUX: Peer = { program: 'tmux', debianPackage: 'tmux' };
/** 12:00 UTC, the time the fake servers put on every message. */
const NOON = Date.UTC(2024, 0, 1, 12, 0);

afterAll(killNetkitProcesses);

/** One client's state in a fake server, and the chat protocol's answers to its lines. */
class FakeSession {
  nick: string | undefined;
  constructor(private readonly taken: Set<string>) {}

  /** The reply lines for `line`, and whether to close the connection afterwards. */
  answer(line: string): { replies: string[]; close: boolean } {
    if (this.nick === undefined) {
      const nick = line.replace(/^\/nick\s+/, '');
      if (this.taken.has(nick.toLowerCase()))
        return {
          replies: [
            `error NK_CHAT_NICK_TAKEN: the nickname ${nick} is taken; choose another`,
            '-- choose a nickname:',
          ],
          close: false,
        };
      this.nick = nick;
      this.taken.add(nick.toLowerCase());
      return { replies: [`-- you are ${nick}`, `[12:00] #lobby -- ${nick} joined`], close: false };
    }
    if (line === '/quit') return { replies: ['-- bye'], close: true };
    if (line === 'boom') return { replies: ['error NK_CHAT_FLOOD: disconnected'], close: true };
    if (line === 'escape') return { replies: ['-- \x1b[31mred\x1b[0m'], close: false };
    if (line === `/nick ${this.nick}`) return { replies: [`-- you are already ${this.nick}`], close: false };
    return { replies: [`[12:00] #lobby <${this.nick}> ${line}`], close: false };
  }
}

const GREETING = ['-- welcome to netkit chat; type /help for the commands', '-- choose a nickname:'];

interface FakeStreamServer {
  url: string;
  /** Every line received, from every connection, in order. */
  received: string[];
  sockets: Socket[];
  /** Sends a line to every connection. */
  broadcast(line: string): void;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A TCP (or Unix, with `path`) chat server speaking the protocol's lines. */
async function fakeStreamServer(
  options: { path?: string; taken?: string[] } = {},
): Promise<FakeStreamServer> {
  const received: string[] = [];
  const sockets: Socket[] = [];
  const taken = new Set(options.taken ?? ['taken']);
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    const session = new FakeSession(taken);
    socket.write(GREETING.map((line) => `${line}\n`).join(''));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end).replace(/\r$/, '');
        buffered = buffered.slice(end + 1);
        received.push(line);
        const { replies, close } = session.answer(line);
        if (!socket.writable) return;
        socket.write(replies.map((reply) => `${reply}\n`).join(''));
        if (close) socket.end();
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) =>
    options.path ? server.listen(options.path, resolve) : server.listen(0, '127.0.0.1', resolve),
  );
  const url = options.path
    ? `unix:${options.path}`
    : `tcp://127.0.0.1:${(server.address() as { port: number }).port}`;
  const fake: FakeStreamServer = {
    url,
    received,
    sockets,
    broadcast: (line) => {
      for (const socket of sockets) if (socket.writable) socket.write(`${line}\n`);
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  cleanups.push(fake.close);
  return fake;
}

interface FakeDatagramServer {
  url: string;
  /** Every datagram received, as text (the empty string for an empty datagram). */
  received: string[];
  close(): void;
}

/** A UDP chat server: one line per datagram; `ignoreFirst` drops that many datagrams (loss). */
async function fakeDatagramServer(options: { ignoreFirst?: number } = {}): Promise<FakeDatagramServer> {
  const received: string[] = [];
  const sessions = new Map<string, FakeSession>();
  const taken = new Set(['taken']);
  let ignore = options.ignoreFirst ?? 0;
  const socket: DatagramSocket = createSocket('udp4');
  socket.on('message', (datagram, from) => {
    const text = datagram.toString('utf8');
    received.push(text);
    const line = text.replace(/\r?\n$/, '');
    if (line === '') return; // keepalive
    if (ignore > 0) {
      ignore--;
      return;
    }
    const key = `${from.address}:${from.port}`;
    let session = sessions.get(key);
    if (!session) {
      session = new FakeSession(taken);
      sessions.set(key, session);
    }
    const { replies, close } = session.answer(line);
    for (const reply of replies) socket.send(`${reply}\n`, from.port, from.address);
    if (close) sessions.delete(key);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const fake = {
    url: `udp://127.0.0.1:${socket.address().port}`,
    received,
    close: () => {
      socket.close();
    },
  };
  cleanups.push(fake.close);
  return fake;
}

interface FakeWebSocketServer {
  port: number;
  /** The JSON messages received. */
  received: unknown[];
  close(): Promise<void>;
}

/** A WebSocket chat server on /ws: JSON `line` messages in, JSON chat events out. */
async function fakeWebSocketServer(): Promise<FakeWebSocketServer> {
  const received: unknown[] = [];
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (ws) => {
    let nick: string | undefined;
    const send = (event: unknown) => ws.send(JSON.stringify(event));
    send({ type: 'info', text: 'welcome to netkit chat; type /help for the commands' });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; text: string };
      received.push(message);
      const text = message.text;
      if (nick === undefined) {
        if (text === 'taken') {
          send({ type: 'error', code: 'NK_CHAT_NICK_TAKEN', message: 'the nickname taken is taken' });
          return;
        }
        nick = text;
        send({ type: 'you', nick });
        send({ type: 'join', time: NOON, room: '#lobby', nick });
      } else if (text === '/rooms') {
        send({ type: 'rooms', rooms: [{ name: '#lobby', members: 2 }] });
      } else if (text === '/who') {
        send({ type: 'who', room: '#lobby', nicks: ['bob', nick] });
      } else if (text === '/me waves') {
        send({ type: 'action', time: NOON, room: '#lobby', from: nick, text: 'waves' });
      } else if (text === '/msg bob psst') {
        send({ type: 'private', time: NOON, from: nick, to: 'bob', text: 'psst' });
      } else if (text === '/future') {
        send({ type: 'shiny-new-event', text: 'from a newer server' });
      } else if (text === '/quit') {
        send({ type: 'info', text: 'bye' });
        ws.close(1000);
      } else {
        send({ type: 'message', time: NOON, room: '#lobby', from: nick, text });
      }
    });
  });
  const fake = {
    port: (server.address() as { port: number }).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
  cleanups.push(fake.close);
  return fake;
}

describe('netkit chat over TCP (fake server)', () => {
  it('sends the nickname first, then each line, then /quit once stdin ends; prints every line', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url, '--nick', 'alice', '--linger', '0.2'], {
      input: 'hello there\n\n/join #x\n',
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(server.received).toEqual(['alice', 'hello there', '/join #x', '/quit']);
    expect(result.stdout).toBe(
      [
        ...GREETING,
        '-- you are alice',
        '[12:00] #lobby -- alice joined',
        '[12:00] #lobby <alice> hello there',
        '[12:00] #lobby <alice> /join #x',
        '-- bye',
        '',
      ].join('\n'),
    );
  });

  it('takes the first line of stdin as the nickname when there is no --nick', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url, '--linger', '0'], { input: 'bob\nhi\n' });
    expect(result.code).toBe(0);
    expect(server.received).toEqual(['bob', 'hi', '/quit']);
    expect(result.stdout).toContain('[12:00] #lobby <bob> hi\n');
  });

  it('exits 2 when stdin ends before giving a nickname', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url], { input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no nickname: give --nick NAME.*\[NK_USAGE\]/);
  });

  it('stops at a /quit in stdin and exits 0 once the server closes', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url, '--nick', 'carol', '--linger', '5'], {
      input: 'one\n/quit\nnever sent\n',
    });
    expect(result.code).toBe(0);
    expect(server.received).toEqual(['carol', 'one', '/quit']);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('-- bye');
  });

  it('exits 1 with the server’s code when the nickname is refused', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url, '--nick', 'taken'], { input: 'hello\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `netkit: ${server.url} refused the nickname "taken": the nickname taken is taken; choose another [NK_CHAT_NICK_TAKEN]\n`,
    );
    expect(server.received).toEqual(['taken']);
  });

  it('exits 1 with "connection closed by server" when the server closes on its own', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url, '--nick', 'dave', '--linger', '5'], {
      input: 'boom\nafter\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `netkit: connection closed by server ${server.url} (last said: error NK_CHAT_FLOOD: disconnected) [NK_CONN_CLOSED]\n`,
    );
    expect(result.stdout).toContain('error NK_CHAT_FLOOD: disconnected\n');
  });

  it('prints one JSON object per line with --json', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url, '--nick', 'erin', '--json', '--linger', '0.1'], {
      input: 'hi\n',
    });
    expect(result.code).toBe(0);
    const objects = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(objects).toContainEqual({ line: '-- you are erin' });
    expect(objects).toContainEqual({ line: '[12:00] #lobby <erin> hi' });
  });

  it('shows escape sequences from the server as visible text, never raw', async () => {
    const server = await fakeStreamServer();
    const result = await runNetkit(['chat', server.url, '--nick', 'fay', '--linger', '0.1'], {
      input: 'escape\n',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-- ^[[31mred^[[0m\n');
    expect(result.stdout).not.toContain('\x1b');
  });

  it('reports a refused connection in one line and exits 1', async () => {
    const port = await freePort();
    const result = await runNetkit(['chat', `tcp://127.0.0.1:${port}`, '--nick', 'gus'], { input: 'hi\n' });
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `netkit: connect to tcp://127.0.0.1:${port}: connection refused [NK_CONN_REFUSED]\n`,
    });
  });

  it('exits 2 for usage errors', async () => {
    for (const args of [
      ['chat', 'http://127.0.0.1:80', '--nick', 'a'],
      ['chat', 'tcp://127.0.0.1:1', '--nick', 'two words'],
      ['chat', 'tcp://127.0.0.1:1', '--nick', 'a', '--keepalive', 'often'],
      ['chat', 'tcp://127.0.0.1:1', '--nick', 'a', '--timeout', '0'],
      ['chat'],
    ]) {
      const result = await runNetkit(args);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });
});

describe('netkit chat over a Unix socket (fake server)', () => {
  it('speaks the same lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netkit-chat-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await fakeStreamServer({ path: join(dir, 'chat.sock') });
    const result = await runNetkit(['chat', server.url, '--nick', 'hal', '--linger', '0.1'], {
      input: 'hi\n',
    });
    expect(result.code).toBe(0);
    expect(server.received).toEqual(['hal', 'hi', '/quit']);
    expect(result.stdout).toContain('[12:00] #lobby <hal> hi\n');
  });
});

describe('netkit chat over UDP (fake server)', () => {
  it('joins with /nick, sends a datagram per line, keeps alive with empty datagrams, quits', async () => {
    const server = await fakeDatagramServer();
    const result = await runNetkit(
      ['chat', server.url, '--nick', 'ivy', '--keepalive', '0.15', '--linger', '0.7'],
      { input: 'hello\n' },
    );
    expect(result.code).toBe(0);
    const lines = server.received.filter((text) => text !== '');
    expect(lines).toEqual(['/nick ivy\n', 'hello\n', '/quit\n']);
    // Idle for 0.7 s with a 0.15 s keepalive: several empty datagrams, all between hello and /quit.
    const keepalives = server.received.filter((text) => text === '');
    expect(keepalives.length).toBeGreaterThanOrEqual(2);
    expect(server.received.indexOf('')).toBeGreaterThan(server.received.indexOf('hello\n'));
    expect(result.stdout).toContain('[12:00] #lobby <ivy> hello\n');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('-- bye');
  });

  it('sends no keepalive while it keeps talking, nor with --keepalive 0', async () => {
    const server = await fakeDatagramServer();
    const result = await runNetkit(
      ['chat', server.url, '--nick', 'jo', '--keepalive', '0', '--linger', '0.4'],
      {
        input: 'a\n',
      },
    );
    expect(result.code).toBe(0);
    expect(server.received).toEqual(['/nick jo\n', 'a\n', '/quit\n']);
  });

  it('sends the nickname again when the reply does not come (datagrams get lost)', async () => {
    const server = await fakeDatagramServer({ ignoreFirst: 1 });
    const result = await runNetkit(
      ['chat', server.url, '--nick', 'kim', '--timeout', '0.3', '--linger', '0.1'],
      {
        input: 'hi\n',
      },
    );
    expect(result.code).toBe(0);
    expect(server.received.filter((text) => text !== '')).toEqual([
      '/nick kim\n',
      '/nick kim\n',
      'hi\n',
      '/quit\n',
    ]);
  });

  it('gives up after its tries when nobody answers', async () => {
    const server = await fakeDatagramServer({ ignoreFirst: 100 });
    const result = await runNetkit(['chat', server.url, '--nick', 'lee', '--timeout', '0.2'], { input: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `netkit: no reply from ${server.url} after 3 tries of 0.2 s [NK_REQUEST_TIMEOUT]\n`,
    );
  });

  it('reports nothing listening (ICMP port unreachable) as a refused connection', async () => {
    const port = await freePort();
    const result = await runNetkit(['chat', `udp://127.0.0.1:${port}`, '--nick', 'max'], { input: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/connection refused \[NK_CONN_REFUSED\]\n$/);
  });
});

describe('netkit chat over WebSocket (fake server)', () => {
  it('sends JSON lines and prints each event as the TCP server would', async () => {
    const server = await fakeWebSocketServer();
    const result = await runNetkit(
      ['chat', `ws://127.0.0.1:${server.port}/ws`, '--nick', 'nia', '--linger', '0.2'],
      { input: 'hi all\n/me waves\n/msg bob psst\n/rooms\n/who\n/future\n' },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(server.received).toEqual(
      ['nia', 'hi all', '/me waves', '/msg bob psst', '/rooms', '/who', '/future', '/quit'].map((text) => ({
        type: 'line',
        text,
      })),
    );
    expect(result.stdout).toBe(
      [
        '-- welcome to netkit chat; type /help for the commands',
        '-- you are nia',
        '[12:00] #lobby -- nia joined',
        '[12:00] #lobby <nia> hi all',
        '[12:00] #lobby * nia waves',
        '[12:00] *private* <nia> -> bob: psst',
        '-- rooms: #lobby (2)',
        '-- #lobby (2): bob, nia',
        '-- from a newer server',
        '-- bye',
        '',
      ].join('\n'),
    );
  });

  it('takes ws://HOST:PORT as /ws, and prints the events themselves with --json', async () => {
    const server = await fakeWebSocketServer();
    const result = await runNetkit(['chat', `ws://127.0.0.1:${server.port}`, '--nick', 'oz', '--json'], {
      input: 'hey\n',
    });
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toContainEqual({ type: 'you', nick: 'oz' });
    expect(events).toContainEqual({ type: 'message', time: NOON, room: '#lobby', from: 'oz', text: 'hey' });
  });

  it('exits 1 when the nickname is refused', async () => {
    const server = await fakeWebSocketServer();
    const result = await runNetkit(['chat', `ws://127.0.0.1:${server.port}/ws`, '--nick', 'taken']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused the nickname "taken": .*\[NK_CHAT_NICK_TAKEN\]\n$/);
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    const result = await runNetkit(['chat', `ws://127.0.0.1:${port}/ws`, '--nick', 'pat']);
    expect(result).toMatchObject({
      code: 1,
      stderr: `netkit: connect to ws://127.0.0.1:${port}/ws: connection refused [NK_CONN_REFUSED]\n`,
    });
  });
});

// --- end to end, with netkit serve chat -----------------------------------------------------

/** `netkit serve chat` on TCP and UDP 127.0.0.1:PORT and WebSocket on 127.0.0.1:WEBPORT. */
async function serveChat(): Promise<{ tcp: string; udp: string; ws: string; server: NetkitProcess }> {
  const port = await freePort();
  const webPort = await freePort();
  const server = await startNetkit(
    [
      'serve',
      'chat',
      '--listen',
      `tcp://127.0.0.1:${port}`,
      '--listen',
      `udp://127.0.0.1:${port}`,
      '--listen',
      `http://127.0.0.1:${webPort}`,
      '--log-level',
      'warn',
    ],
    /listening on/,
  );
  return {
    tcp: `tcp://127.0.0.1:${port}`,
    udp: `udp://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${webPort}`,
    server,
  };
}

/** A `netkit chat` left running with its stdin open; resolves once the nickname is accepted. */
function chatter(url: string, nick: string): Promise<NetkitProcess> {
  return startNetkit(['chat', url, '--nick', nick, '--keepalive', '1'], new RegExp(`-- you are ${nick}\\n`));
}

describe('netkit chat with netkit serve chat', () => {
  afterEach(killNetkitProcesses);

  it('two TCP users, a UDP one and a WebSocket one see each other', async () => {
    const { tcp, udp, ws } = await serveChat();
    const users = {
      alice: await chatter(tcp, 'alice'),
      bob: await chatter(tcp, 'bob'),
      carol: await chatter(udp, 'carol'),
      dan: await chatter(ws, 'dan'),
    };
    for (const [nick, user] of Object.entries(users)) user.child.stdin!.write(`hello from ${nick}\n`);
    const said = /^\[\d\d:\d\d\] #lobby <(\w+)> hello from \1$/gm;
    for (const [nick, user] of Object.entries(users)) {
      await waitFor(`${nick} to see everyone`, () => [...user.output().matchAll(said)].length === 4, 10_000);
      expect([...user.output().matchAll(said)].map((m) => m[1]).sort(), nick).toEqual([
        'alice',
        'bob',
        'carol',
        'dan',
      ]);
    }
    users.alice.child.stdin!.write('/msg carol psst\n');
    await waitFor('the private message over UDP', () =>
      /\[\d\d:\d\d\] \*private\* <alice> -> carol: psst\n/.test(users.carol.output()),
    );
    expect(users.bob.output()).not.toContain('psst');
    // carol's stdin ends: she quits (/quit over UDP too), the others hear it; then everyone.
    users.carol.child.stdin!.end();
    expect(await users.carol.exited).toBe(0);
    await waitFor('alice to hear carol quit', () => /#lobby -- carol quit\n/.test(users.alice.output()));
    for (const user of Object.values(users)) user.child.stdin!.end();
    for (const [nick, user] of Object.entries(users)) expect(await user.exited, nick).toBe(0);
    expect(users.alice.output().trimEnd().split('\n').at(-1)).toBe('-- bye');
  });

  it("paces piped lines under the server's flood control, so none is lost", async () => {
    const { tcp } = await serveChat();
    const lines = Array.from({ length: 30 }, (_, i) => `note ${i}`);
    const result = await runNetkit(['chat', tcp, '--nick', 'reader', '--linger', '0.3'], {
      input: `${lines.join('\n')}\n`,
      timeoutMs: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('NK_CHAT_FLOOD');
    expect(result.stdout.match(/<reader> note \d+$/gm)).toHaveLength(30);
  }, 25_000);

  it('exits 1 when the nickname is taken, on every transport', async () => {
    const { tcp, udp, ws } = await serveChat();
    await chatter(tcp, 'alice');
    for (const [url, nick] of [
      [tcp, 'Alice'],
      [udp, 'ALICE'],
      [ws, 'alice'],
    ] as const) {
      const result = await runNetkit(['chat', url, '--nick', nick]);
      expect(result.code, url).toBe(1);
      expect(result.stderr, url).toMatch(
        /the nickname \w+ is taken; choose another \[NK_CHAT_NICK_TAKEN\]\n$/,
      );
    }
  });

  it('exits 1 with "connection closed by server" when the server shuts down', async () => {
    const { tcp, ws, server } = await serveChat();
    const overTcp = await chatter(tcp, 'erin');
    const overWs = await chatter(ws, 'finn');
    server.child.kill('SIGTERM');
    expect(await overTcp.exited).toBe(1);
    expect(await overWs.exited).toBe(1);
    expect(overTcp.output()).toMatch(
      /netkit: connection closed by server tcp:\/\/127\.0\.0\.1:\d+.*\[NK_CONN_CLOSED\]\n$/,
    );
    expect(overWs.output()).toMatch(
      /netkit: connection closed by server ws:\/\/127\.0\.0\.1:\d+\/ws.*\[NK_CONN_CLOSED\]\n$/,
    );
  });
});

// --- on a real terminal ---------------------------------------------------------------------

const TMUX_SOCKET = `netkit-chat-test-${process.pid}`;

function tmux(...args: string[]): string {
  // -f /dev/null: none of the user's tmux.conf; -L: a server of our own.
  const result = spawnSync('tmux', ['-f', '/dev/null', '-L', TMUX_SOCKET, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The visible rows of the pane, trailing blank rows dropped. */
function screen(target: string): string[] {
  // capture-pane drops trailing spaces: the prompt "alice> " shows as "alice>".
  const rows = tmux('capture-pane', '-p', '-t', target)
    .split('\n')
    .map((row) => row.trimEnd());
  while (rows.length > 0 && rows.at(-1)!.trim() === '') rows.pop();
  return rows;
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs = 5000,
  context?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${context ? `; the screen:\n${context()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `predicate` holds for the pane's rows; the error shows the screen. */
function untilScreen(pane: string, what: string, predicate: (rows: string[]) => boolean): Promise<true> {
  return waitFor(
    what,
    () => predicate(screen(pane)) || undefined,
    5000,
    () => screen(pane).join('\n'),
  );
}

/** Waits for netkit in the pane to exit; its exit status, as the shell printed it. */
async function exitStatus(pane: string): Promise<string> {
  // Not tmux's #{pane_dead_status}: it is not always filled in (the pty may close first).
  const exit = /^\[exit (\d+)\]$/;
  await untilScreen(pane, 'netkit to exit', (rows) => rows.some((row) => exit.test(row)));
  return screen(pane)
    .map((row) => exit.exec(row)?.[1])
    .find((code) => code !== undefined)!;
}

/** Runs `netkit chat ARGS` in a detached tmux session on a 100x20 terminal. */
function chatInTmux(name: string, args: string[]): string {
  const netkit = new URL('../../dist/cli/main.js', import.meta.url).pathname;
  const quoted = [process.execPath, netkit, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`);
  // The shell prints netkit's exit status; remain-on-exit keeps the pane (and its last
  // screen) afterwards. Both in one tmux call: the option is set before anything can exit.
  tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '100',
    '-y',
    '20',
    `${quoted.join(' ')}; echo "[exit $?]"`,
    ';',
    'set-option',
    '-t',
    name,
    'remain-on-exit',
    'on',
  );
  return name;
}

describeWithPeers('netkit chat on a terminal (tmux)', [TMUX], () => {
  afterAll(() => {
    if (!findProgram('tmux')) return;
    // kill-server leaves the socket file behind: remove it too.
    const socketPath = spawnSync('tmux', ['-L', TMUX_SOCKET, 'display-message', '-p', '#{socket_path}'], {
      encoding: 'utf8',
    }).stdout.trim();
    spawnSync('tmux', ['-L', TMUX_SOCKET, 'kill-server']);
    if (socketPath !== '') rmSync(socketPath, { force: true });
  });

  it('prints arriving messages above the prompt and keeps the half-typed line', async () => {
    const server = await fakeStreamServer();
    const pane = chatInTmux('keep-line', ['chat', server.url, '--nick', 'alice']);
    await untilScreen(pane, 'the prompt', (rows) => rows.at(-1) === 'alice>');
    tmux('send-keys', '-t', pane, '-l', 'half a li');
    await untilScreen(pane, 'the typing', (rows) => rows.at(-1) === 'alice> half a li');
    server.broadcast('[12:00] #lobby <bob> interrupting you');
    await untilScreen(pane, 'the message', (rows) => rows.includes('[12:00] #lobby <bob> interrupting you'));
    const rows = screen(pane);
    expect(rows.at(-2)).toBe('[12:00] #lobby <bob> interrupting you');
    expect(rows.at(-1)).toBe('alice> half a li');
    // The cursor is still at the end of the partial line: typing goes on where it was.
    tmux('send-keys', '-t', pane, '-l', 'ne');
    tmux('send-keys', '-t', pane, 'Enter');
    await waitFor('the line sent', () => server.received.includes('half a line'));
    await untilScreen(pane, 'the echo', (rows) => rows.includes('[12:00] #lobby <alice> half a line'));
    tmux('send-keys', '-t', pane, '-l', '/quit');
    tmux('send-keys', '-t', pane, 'Enter');
    expect(await exitStatus(pane)).toBe('0');
    expect(server.received).toEqual(['alice', 'half a line', '/quit']);
  });

  it('with netkit serve chat: a message from another user lands above the half-typed line', async () => {
    const { tcp, udp } = await serveChat();
    const pane = chatInTmux('real-server', ['chat', tcp, '--nick', 'alice']);
    await untilScreen(pane, 'the prompt', (rows) => rows.at(-1) === 'alice>');
    tmux('send-keys', '-t', pane, '-l', 'typing slowly');
    await untilScreen(pane, 'the typing', (rows) => rows.at(-1) === 'alice> typing slowly');
    const bob = await chatter(udp, 'bob');
    bob.child.stdin!.write('hi alice\n');
    await untilScreen(pane, 'bob’s message', (rows) =>
      rows.some((row) => / #lobby <bob> hi alice$/.test(row)),
    );
    const rows = screen(pane);
    expect(rows.at(-2)).toMatch(/^\[\d\d:\d\d\] #lobby <bob> hi alice$/);
    expect(rows.at(-1)).toBe('alice> typing slowly');
    tmux('send-keys', '-t', pane, 'Enter');
    await waitFor('alice’s message at bob', () => /#lobby <alice> typing slowly\n/.test(bob.output()));
    tmux('send-keys', '-t', pane, 'C-d');
    await waitFor('alice to quit', () => /#lobby -- alice quit\n/.test(bob.output()));
    bob.child.stdin!.end();
    expect(await bob.exited).toBe(0);
  });

  it('asks for the nickname, and again when it is refused; Ctrl-D quits', async () => {
    const server = await fakeStreamServer();
    const pane = chatInTmux('ask-nick', ['chat', server.url]);
    // The server's greeting, then our prompt under it.
    await untilScreen(
      pane,
      'the greeting and the nickname prompt',
      (rows) => rows.includes(GREETING[0]!) && rows.at(-1) === 'nickname:',
    );
    tmux('send-keys', '-t', pane, '-l', 'taken');
    tmux('send-keys', '-t', pane, 'Enter');
    await untilScreen(pane, 'the refusal', (rows) =>
      rows.includes('error NK_CHAT_NICK_TAKEN: the nickname taken is taken; choose another'),
    );
    await untilScreen(pane, 'the prompt again', (rows) => rows.at(-1) === 'nickname:');
    tmux('send-keys', '-t', pane, '-l', 'zoe');
    tmux('send-keys', '-t', pane, 'Enter');
    await untilScreen(pane, 'the chat prompt', (rows) => rows.at(-1) === 'zoe>');
    expect(screen(pane)).toContain('-- you are zoe');
    tmux('send-keys', '-t', pane, 'C-d');
    expect(await exitStatus(pane)).toBe('0');
    expect(server.received).toEqual(['taken', 'zoe', '/quit']);
  });
});
