/**
 * `netkit serve chat` end to end over TCP and UDP, as users meet it: nc, a line client and
 * a UDP peer in one room; and the bad input the issue lists, each while others keep chatting.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineClient, tcpLineClient, udpLineClient } from '../helpers/line-client.js';
import { freePort, killNetkitProcesses, serveNetkit, startNetkit } from '../helpers/netkit-process.js';
import { describeWithPeers, NC } from '../helpers/peers.js';

afterAll(killNetkitProcesses);

type TcpClient = Awaited<ReturnType<typeof tcpLineClient>>;

async function login(port: number, nick: string): Promise<TcpClient> {
  const client = await tcpLineClient(port);
  await client.waitFor(/^-- choose a nickname/);
  client.send(nick);
  await client.waitFor(new RegExp(`^-- you are ${nick}$`));
  return client;
}

describe('serve chat: TCP and UDP users in one room', () => {
  let port: number;
  beforeAll(async () => {
    ({ port } = await serveNetkit('chat', { extra: ['--udp-timeout', '1', '--flood-rate', '0'] }));
  });

  it('greets, takes the first line as the nickname, refuses a taken one and asks again', async () => {
    const alice = await login(port, 'alice');
    const other = await tcpLineClient(port);
    await other.waitFor(/^-- welcome to netkit chat/);
    other.send('Alice');
    await other.waitFor(/^error NK_CHAT_NICK_TAKEN: /);
    other.send('9lives');
    await other.waitFor(/^error NK_CHAT_NICK_INVALID: /);
    other.send('alicia');
    await other.waitFor(/^-- you are alicia$/);
    await alice.waitFor(/^\[\d\d:\d\d\] #lobby -- alicia joined$/);
    alice.close();
    other.close();
  });

  it('relays between TCP and UDP users, and a private message reaches only its target', async () => {
    const tcp = await login(port, 'tina');
    const udp = await udpLineClient(port);
    udp.send('/nick ulla');
    await udp.waitFor(/^-- you are ulla$/);
    await tcp.waitFor(/#lobby -- ulla joined$/);
    const third = await login(port, 'theo');

    tcp.send('hello from tcp');
    await udp.waitFor(/^\[\d\d:\d\d\] #lobby <tina> hello from tcp$/);
    udp.send('hello from udp');
    await tcp.waitFor(/#lobby <ulla> hello from udp$/);
    await third.waitFor(/#lobby <ulla> hello from udp$/);

    udp.send('/msg tina only for you');
    await tcp.waitFor(/^\[\d\d:\d\d\] \*private\* <ulla> -> tina: only for you$/);
    await udp.waitFor(/\*private\* <ulla> -> tina: only for you$/);
    third.send('sync');
    await third.waitFor(/<theo> sync$/);
    expect(third.lines.some((line) => line.includes('only for you'))).toBe(false);
    tcp.close();
    udp.close();
    third.close();
  });

  it('forgets a UDP peer that stays silent past --udp-timeout, and keeps one that sends keepalives', async () => {
    const watcher = await login(port, 'walt');
    const silent = await udpLineClient(port);
    silent.send('sam');
    await silent.waitFor(/^-- you are sam$/);
    const alive = await udpLineClient(port);
    alive.send('kim');
    await alive.waitFor(/^-- you are kim$/);
    const keepalive = setInterval(() => alive.send(''), 300);
    try {
      await watcher.waitFor(/#lobby -- sam quit$/, 8000);
      watcher.send('/who');
      const who = await watcher.waitFor(/^-- #lobby \(\d+\):/);
      expect(who).toContain('kim');
      expect(who).not.toContain('sam');
    } finally {
      clearInterval(keepalive);
      watcher.close();
      silent.close();
      alive.close();
    }
  });
});

describeWithPeers('serve chat with nc', [NC], () => {
  it('a person typing into nc chats with a line client', async () => {
    const { port } = await serveNetkit('chat');
    const friend = await login(port, 'fred');
    const child = spawn('nc', ['127.0.0.1', String(port)], { stdio: 'pipe' });
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
    });
    try {
      child.stdin.write('nora\n');
      await friend.waitFor(/#lobby -- nora joined$/);
      child.stdin.write('hi fred, this is nc\n');
      await friend.waitFor(/<nora> hi fred, this is nc$/);
      friend.send('hi nora');
      await expect.poll(() => seen, { timeout: 5000 }).toMatch(/#lobby <fred> hi nora\n/);
      expect(seen).toMatch(/^-- welcome to netkit chat/);
    } finally {
      child.kill();
      friend.close();
    }
  });
});

describe('serve chat: bad input never hurts the others', () => {
  let port: number;
  let alice: LineClient;
  let bob: LineClient;
  beforeAll(async () => {
    ({ port } = await serveNetkit('chat', {
      extra: ['--flood-rate', '5', '--flood-burst', '5', '--max-queue', '65536', '--max-line-bytes', '1024'],
    }));
    alice = await login(port, 'alice');
    bob = await login(port, 'bob');
  });
  afterAll(() => {
    alice.close();
    bob.close();
  });

  it('binary garbage is delivered as visible text, never as raw control bytes', async () => {
    const mallory = await login(port, 'mallory');
    mallory.send(Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x07, 0x08, 0x41, 0x0a]));
    const line = await bob.waitFor(/<mallory> /);
    expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(line).toContain('A');
    mallory.close();
  });

  it('an escape-sequence injection is defused and the rest of the message delivered', async () => {
    const eve = await login(port, 'eve');
    eve.send('\x1b[2J\x1b]0;pwned\x07clear screen?');
    const line = await alice.waitFor(/<eve> /);
    expect(line).not.toContain('\x1b');
    expect(line).toContain('clear screen?');
    eve.close();
  });

  it('an over-long line gets an error to its sender only and is not relayed', async () => {
    const long = await login(port, 'longo');
    long.send('y'.repeat(3000));
    await long.waitFor(/^error NK_CHAT_LINE_TOO_LONG: /);
    long.send('short again');
    await alice.waitFor(/<longo> short again$/);
    expect(alice.lines.some((line) => line.includes('yyyy'))).toBe(false);
    expect(alice.lines.some((line) => line.startsWith('error'))).toBe(false);
    long.close();
  });

  it('a flooder is warned, then disconnected; the room hears it quit', async () => {
    const flood = await login(port, 'flo');
    for (let i = 0; i < 40; i++) flood.send(`spam ${i}`);
    await flood.waitFor(/^error NK_CHAT_FLOOD: /);
    await alice.waitFor(/#lobby -- flo quit$/);
    await new Promise<void>((resolve) => {
      if (flood.socket.destroyed || flood.socket.readableEnded) resolve();
      else flood.socket.once('close', () => resolve());
    });
    expect(alice.lines.filter((line) => line.includes('<flo> spam')).length).toBeLessThanOrEqual(6);
  });

  it('a client that never reads is dropped when its queue overflows; the others get everything', async () => {
    const { port: busy } = await serveNetkit('chat', {
      extra: ['--flood-rate', '0', '--max-queue', '65536'],
    });
    const reader = await login(busy, 'reader');
    const stalled = await login(busy, 'stalled');
    stalled.socket.pause();
    const sender = await login(busy, 'sender');
    // About 20 MB through the room, in steps the reader keeps up with: more than the
    // kernel's socket buffers hold for the stalled client, so the rest queues in the server
    // until the bound drops it. (A reader that falls that far behind is dropped too: the
    // bound is what keeps a burst from growing the server's memory, as IRC's SendQ does.)
    const payload = 'z'.repeat(1000);
    const count = 20_000;
    for (let i = 0; i < count; i++) {
      sender.send(`${i} ${payload}`);
      if (i % 500 === 499) await reader.waitFor(new RegExp(`<sender> ${i} z`), 10_000);
    }
    sender.send('last one');
    await reader.waitFor(/<sender> last one$/, 20_000);
    await reader.waitFor(/#lobby -- stalled quit$/, 5_000);
    // The reader got every message, in order.
    const received = reader.lines.filter((line) => line.includes('<sender> ') && line.endsWith(payload));
    expect(received).toHaveLength(count);
    expect(received[count - 1]).toContain(`<sender> ${count - 1} z`);
    for (const client of [reader, stalled, sender]) client.close();
  }, 40_000);
});

describe('serve chat over IPv6 and a Unix socket', () => {
  it('users on [::1], on a Unix socket and on IPv4 share the room', async () => {
    const port = await freePort();
    const path = join(mkdtempSync(join(tmpdir(), 'netkit-chat-')), 'chat.sock');
    await startNetkit(
      [
        'serve',
        'chat',
        '--listen',
        `tcp://127.0.0.1:${port}`,
        '--listen',
        `tcp://[::1]:${port}`,
        '--listen',
        `unix:${path}`,
      ],
      /listening on/,
    );
    const v4 = await login(port, 'four');
    const v6 = await tcpLineClient(port, '::1');
    v6.send('six');
    await v6.waitFor(/^-- you are six$/);
    const unix = connect({ path });
    let seen = '';
    unix.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
    });
    unix.write('unixer\n');
    await v4.waitFor(/#lobby -- unixer joined$/);
    unix.write('over a unix socket\n');
    await v6.waitFor(/<unixer> over a unix socket$/);
    v6.send('over ipv6');
    await v4.waitFor(/<six> over ipv6$/);
    await expect.poll(() => seen).toMatch(/<six> over ipv6\n/);
    for (const client of [v4, v6]) client.close();
    unix.destroy();
  });
});
