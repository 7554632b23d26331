/**
 * The chat end to end, as people use it: one `netkit serve chat` process with TCP, UDP and
 * http endpoints; a TCP user (a node socket, as nc would be), a UDP user (a datagram per
 * line) and two browser users (headless Chromium from Debian's `chromium` package, driven by
 * playwright-core) in one room. Everyone sees everyone's messages, a private message reaches
 * its target only, markup and escape sequences arrive as text, and screenshots of the page
 * at desktop and phone sizes land in .tmp/screenshots/.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../src/runtime/logger.js';
import { ChatHub } from '../../src/services/chat/protocol/hub.js';
import { ChatRouter } from '../../src/services/chat/protocol/router.js';
import { createChatWeb } from '../../src/services/chat/web/websocket.js';
import { freePort, killNetkitProcesses, startNetkit } from '../helpers/netkit-process.js';
import { CHROMIUM, describeWithPeers, findProgram, NC } from '../helpers/peers.js';

const SCREENSHOTS = join(new URL('../../', import.meta.url).pathname, '.tmp', 'screenshots');
const WAIT_MS = 5000;

/** Lines from a TCP or UDP user, with a bounded wait for one that matches. */
class LineUser {
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];

  push(text: string): void {
    for (const line of text.split('\n')) if (line !== '') this.lines.push(line.replace(/\r$/, ''));
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  async waitFor(pattern: RegExp, timeoutMs = WAIT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((line) => pattern.test(line));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no line like ${pattern} in:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** A person typing into nc: lines to its stdin, what the server sends on its stdout. */
class NcUser extends LineUser {
  private buffered = '';
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    super();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const text = this.buffered + chunk;
      const end = text.lastIndexOf('\n');
      this.buffered = text.slice(end + 1);
      if (end >= 0) this.push(text.slice(0, end));
    });
    child.stdin.on('error', () => {});
  }
  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }
}

class UdpUser extends LineUser {
  constructor(
    readonly socket: UdpSocket,
    readonly port: number,
  ) {
    super();
    socket.on('message', (message) => this.push(message.toString('utf8')));
  }
  send(line: string): void {
    this.socket.send(line, this.port, '127.0.0.1');
  }
}

/** A browser user: opens the page, picks a nickname, waits to be in #lobby. */
async function browserUser(
  browser: Browser,
  url: string,
  nick: string,
  size: { width: number; height: number },
) {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url, { timeout: WAIT_MS });
  await page.locator('#nick-submit:not([disabled])').waitFor({ timeout: WAIT_MS });
  return { page, problems, nick, size };
}

async function pickNick(page: Page, nick: string): Promise<void> {
  await page.fill('#nick', nick);
  await page.press('#nick', 'Enter');
  await page.locator('#chat-screen').waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.locator('#rooms li[aria-current="true"]', { hasText: 'lobby' }).waitFor({ timeout: WAIT_MS });
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

/** Waits until the page's current room shows a message containing `text`. */
async function sees(page: Page, text: string, selector = '.msg'): Promise<void> {
  await page.locator(`#messages .log:not([hidden]) ${selector}`, { hasText: text }).first().waitFor({
    timeout: WAIT_MS,
  });
}

async function count(page: Page, text: string): Promise<number> {
  return page.locator('#messages .msg', { hasText: text }).count();
}

describeWithPeers('the web chat with TCP, UDP and browser users', [CHROMIUM, NC], () => {
  let browser: Browser;
  let httpUrl = '';
  let port = 0;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    port = await freePort();
    const httpPort = await freePort();
    httpUrl = `http://127.0.0.1:${httpPort}/`;
    const [, launched] = await Promise.all([
      startNetkit(
        [
          'serve',
          'chat',
          '--listen',
          `tcp://127.0.0.1:${port}`,
          '--listen',
          `udp://127.0.0.1:${port}`,
          '--listen',
          `http://127.0.0.1:${httpPort}`,
        ],
        /listening on/,
      ),
      chromium.launch({
        executablePath: findProgram(CHROMIUM.program),
        headless: true,
        timeout: 15_000,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
    browser = launched;
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 25_000);

  afterAll(async () => {
    for (const close of closers) close();
    await browser?.close();
    killNetkitProcesses();
  });

  it('lets four users on three transports talk in one room, privately too', async () => {
    const alice = await browserUser(browser, httpUrl, 'alice', { width: 1280, height: 800 });
    const bob = await browserUser(browser, httpUrl, 'bob', { width: 390, height: 844 });
    await alice.page.screenshot({ path: join(SCREENSHOTS, 'chat-nickname-1280x800.png'), timeout: WAIT_MS });

    // A nickname that is taken is refused on the page, which lets you try again.
    await pickNick(alice.page, 'alice');
    await bob.page.fill('#nick', 'Alice');
    await bob.page.press('#nick', 'Enter');
    await bob.page.locator('#nick-error', { hasText: 'taken' }).waitFor({ timeout: WAIT_MS });
    await bob.page.screenshot({
      path: join(SCREENSHOTS, 'chat-nickname-taken-390x844.png'),
      timeout: WAIT_MS,
    });
    await pickNick(bob.page, 'bob');

    // carol types into nc over TCP, dave is on UDP (first datagram: the nickname).
    const nc = spawn('nc', ['127.0.0.1', String(port)], { stdio: 'pipe' });
    closers.push(() => nc.kill());
    const carol = new NcUser(nc);
    await carol.waitFor(/choose a nickname/);
    carol.send('carol');
    await carol.waitFor(/#lobby -- carol joined/);
    const udp = createSocket('udp4');
    closers.push(() => udp.close());
    const dave = new UdpUser(udp, port);
    dave.send('dave');
    await dave.waitFor(/#lobby -- dave joined/);
    await alice.page.locator('#members li[data-nick="dave"]').waitFor({ timeout: WAIT_MS });

    // Everyone sees everyone.
    await say(alice.page, 'hello from alice in the browser');
    await say(bob.page, 'hi from bob on a phone');
    await say(bob.page, 'anyone up for a game tonight?');
    carol.send('carol here, over TCP');
    dave.send('dave here, over UDP');
    for (const user of [alice, bob]) {
      await sees(user.page, 'hello from alice in the browser');
      await sees(user.page, 'hi from bob on a phone');
      await sees(user.page, 'anyone up for a game tonight?', '.msg.cont');
      await sees(user.page, 'carol here, over TCP');
      await sees(user.page, 'dave here, over UDP');
    }
    for (const user of [carol, dave]) {
      await user.waitFor(/#lobby <alice> hello from alice in the browser$/);
      await user.waitFor(/#lobby <bob> hi from bob on a phone$/);
      await user.waitFor(/#lobby <carol> carol here, over TCP$/);
      await user.waitFor(/#lobby <dave> dave here, over UDP$/);
    }
    await alice.page.locator('.msg.mine', { hasText: 'hello from alice' }).waitFor({ timeout: WAIT_MS });

    // Private messages reach their target (and their sender's echo) only.
    await say(alice.page, '/msg carol a secret for carol');
    await carol.waitFor(/\*private\* <alice> -> carol: a secret for carol$/);
    carol.send('/msg bob a secret for bob');
    await sees(bob.page, 'a secret for bob', '.msg.private');
    dave.send('/msg alice a secret for alice');
    await sees(alice.page, 'a secret for alice', '.msg.private');
    await sees(alice.page, 'a secret for carol', '.msg.private');
    // Then a room message after them all: by the time it is everywhere, so would a leak be.
    dave.send('/me waves to everyone');
    for (const user of [alice, bob]) await sees(user.page, 'waves to everyone', '.msg.action');
    await carol.waitFor(/#lobby \* dave waves to everyone$/);
    expect(await count(bob.page, 'a secret for carol')).toBe(0);
    expect(await count(bob.page, 'a secret for alice')).toBe(0);
    expect(await count(alice.page, 'a secret for bob')).toBe(0);
    expect(carol.lines.filter((line) => /secret for alice/.test(line))).toEqual([]);
    expect(dave.lines.filter((line) => /secret for (carol|bob)/.test(line))).toEqual([]);

    // Markup and escape sequences from a TCP user are shown as text, never run.
    carol.send('<img src=x onerror="document.title=\'pwned\'"> and \x1b[31mred\x1b[0m');
    await sees(alice.page, '<img src=x onerror=');
    await sees(alice.page, '^[[31mred^[[0m');
    expect(await alice.page.locator('#messages img').count()).toBe(0);
    expect(await alice.page.title()).not.toBe('pwned');

    // Rooms: alice joins #networks (a room of her own), carol follows; a click goes back.
    await alice.page.fill('#room', 'networks');
    await alice.page.press('#room', 'Enter');
    await alice.page
      .locator('#rooms li[aria-current="true"]', { hasText: 'networks' })
      .waitFor({ timeout: WAIT_MS });
    carol.send('/join #networks');
    carol.send('anyone in #networks?');
    await sees(alice.page, 'anyone in #networks?');
    await alice.page.locator('#members li[data-nick="carol"]').waitFor({ timeout: WAIT_MS });
    await say(alice.page, 'welcome to #networks, carol');
    await carol.waitFor(/#networks <alice> welcome to #networks, carol$/);
    expect(await count(bob.page, 'welcome to #networks')).toBe(0);
    await alice.page.click('#rooms li[data-room="#lobby"]');
    await alice.page
      .locator('#rooms li[aria-current="true"]', { hasText: 'lobby' })
      .waitFor({ timeout: WAIT_MS });
    await say(alice.page, 'back in the lobby');
    await dave.waitFor(/#lobby <alice> back in the lobby$/);
    await sees(bob.page, 'back in the lobby');
    expect(dave.lines.some((line) => line.includes('welcome to #networks'))).toBe(false);
    // A message in a room you are not looking at shows as unread.
    carol.send('ping in #networks');
    await alice.page
      .locator('#rooms li[data-room="#networks"] .badge', { hasText: '1' })
      .waitFor({ timeout: WAIT_MS });
    await bob.page.locator('#rooms li[data-room="#lobby"]').waitFor({ state: 'attached', timeout: WAIT_MS });

    // Clicking a member fills in a private message.
    await alice.page.click('#members li[data-nick="bob"]');
    expect(await alice.page.inputValue('#input')).toBe('/msg bob ');
    await alice.page.fill('#input', '');

    await alice.page.screenshot({ path: join(SCREENSHOTS, 'chat-desktop-1280x800.png'), timeout: WAIT_MS });
    await bob.page.screenshot({ path: join(SCREENSHOTS, 'chat-phone-390x844.png'), timeout: WAIT_MS });
    await bob.page.click('#open-rooms');
    await bob.page.waitForTimeout(300); // the drawer slides in
    await bob.page.screenshot({ path: join(SCREENSHOTS, 'chat-phone-rooms-390x844.png'), timeout: WAIT_MS });
    await bob.page.click('#backdrop', { position: { x: 370, y: 400 } });
    await bob.page.click('#open-members');
    await bob.page.waitForTimeout(300);
    await bob.page.screenshot({
      path: join(SCREENSHOTS, 'chat-phone-members-390x844.png'),
      timeout: WAIT_MS,
    });

    expect(alice.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
  }, 30_000);

  it('shows the connection state and reconnects with the same nickname and rooms', async () => {
    // In process, so that the test can cut the connection under the page.
    const hub = new ChatHub();
    const router = new ChatRouter(hub, { maxQueueBytes: 262_144 });
    const web = createChatWeb({
      router,
      clock: () => Date.now(),
      logger: silentLogger(),
      maxConnections: 10,
      maxPerAddress: 0,
      maxLineBytes: 2048,
      idleTimeoutMs: 0,
    });
    const upgraded = new Set<Duplex>();
    const server = createServer((req, res) => web.http.request(req, res));
    server.on('upgrade', (req, socket, head) => {
      upgraded.add(socket);
      web.http.upgrade!(req, socket, head);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const erin = await browserUser(browser, url, 'erin', { width: 1280, height: 800 });
      await pickNick(erin.page, 'erin');
      await say(erin.page, '/join #ops');
      await erin.page
        .locator('#rooms li[aria-current="true"]', { hasText: 'ops' })
        .waitFor({ timeout: WAIT_MS });
      await erin.page.locator('body[data-status="connected"]').waitFor({ timeout: WAIT_MS });

      for (const socket of upgraded) socket.destroy();
      upgraded.clear();
      await erin.page.locator('body[data-status="reconnecting"]').waitFor({ timeout: WAIT_MS });
      expect(await erin.page.textContent('#status-label')).toBe('reconnecting…');
      await erin.page.locator('body[data-status="connected"]').waitFor({ timeout: WAIT_MS });
      await sees(erin.page, 'reconnected', '.notice');
      await say(erin.page, 'still here after the cut');
      await sees(erin.page, 'still here after the cut');
      expect(hub.roomList()).toContainEqual({ name: '#ops', members: 1 });
      expect(await erin.page.textContent('#me')).toBe('erin');
      expect(erin.problems.filter((problem) => problem.startsWith('page error'))).toEqual([]);
    } finally {
      await web.close();
    }
  }, 20_000);
});
