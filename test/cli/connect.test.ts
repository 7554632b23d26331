/**
 * `netkit connect` end to end, as a user runs it (dist/ must be built): against a TCP echo
 * server, a UDP server and a Unix socket server started here, plus the failures a user
 * meets (refused, unknown host, bad URL), the exit when the peer closes first, and
 * backpressure when stdout is slow.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Socket as NetSocket, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { AF_INET, AF_UNIX, SOCK_DGRAM, type StreamSocket, socket } from '../../src/socket/index.js';
import { NETKIT_MAIN, runNetkit } from '../helpers/cli.js';
import { hermeticAvailable } from '../helpers/hermetic.js';
import { isCI } from '../helpers/peers.js';
import { freePort } from '../socket/helpers/processes.js';
import { HAS_IPV6, listening, track, unixPath } from '../socket/helpers/sockets.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A node:net server on 127.0.0.1 (or ::1); returns its port. */
async function netServer(onConnection: (peer: NetSocket) => void, host = '127.0.0.1'): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

/** Echoes until the client half-closes, then closes: what nc -N expects of an echo service. */
const echo = (peer: NetSocket) => peer.pipe(peer);

describe('netkit connect over TCP', () => {
  it('copies stdin to an echo server and its answer to stdout, then exits 0', async () => {
    const port = await netServer(echo);
    const input = 'hello\nwörld\n';
    expect(await runNetkit(['connect', `tcp://127.0.0.1:${port}`], { input })).toEqual({
      code: 0,
      stdout: input,
      stderr: '',
    });
  });

  it('carries 2 MB through the echo server intact', async () => {
    const port = await netServer(echo);
    const input = Array.from({ length: 40_000 }, (_, i) => `${i} ${'y'.repeat(45)}\n`).join('');
    const result = await runNetkit(['connect', `tcp://127.0.0.1:${port}`], { input });
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(input.length);
    expect(result.stdout === input).toBe(true);
  });

  it('resolves names and says where it connected with -v', async () => {
    const port = await netServer(echo);
    const result = await runNetkit(['connect', '-v', `tcp://localhost:${port}`], { input: 'x' });
    expect(result).toMatchObject({ code: 0, stdout: 'x' });
    expect(result.stderr).toBe(`netkit: connected to tcp://localhost:${port} (127.0.0.1:${port})\n`);
  });

  it.skipIf(!HAS_IPV6)('connects to an IPv6 literal in brackets', async () => {
    const port = await netServer(echo, '::1');
    expect(await runNetkit(['connect', `tcp://[::1]:${port}`], { input: 'six\n' })).toMatchObject({
      code: 0,
      stdout: 'six\n',
    });
  });

  it('exits when the peer closes, even though stdin is still open', async () => {
    const port = await netServer((peer) => peer.end('greeting, then goodbye\n'));
    const child = spawn(process.execPath, [NETKIT_MAIN, 'connect', `tcp://127.0.0.1:${port}`], {
      stdio: 'pipe',
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toBe('greeting, then goodbye\n');
  });

  it('exits 1 with one line on stderr when the connection is refused', async () => {
    const port = await freePort('tcp');
    const result = await runNetkit(['connect', `tcp://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `netkit: connect to 127.0.0.1:${port}: connection refused [NK_CONN_REFUSED]\n`,
    );
  });

  // Hermetic: the name is asked of a DNS server on loopback in a private namespace, never of
  // the machine's resolver.
  it.skipIf(!hermeticAvailable() && !isCI)('exits 1 when the host is not found', async () => {
    const result = await runNetkit(['connect', 'tcp://no-such-host.invalid:7'], { hermetic: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^netkit: .*no-such-host\.invalid.* \[NK_HOST_NOT_FOUND\]\n$/);
  });

  it('exits 2 for a bad URL or a bad option', async () => {
    for (const url of ['tcp://127.0.0.1', 'http://127.0.0.1:80', 'localhost:80', 'tcp://[::1:80']) {
      const result = await runNetkit(['connect', url]);
      expect(result.code, url).toBe(2);
      expect(result.stderr).toMatch(/^netkit: invalid endpoint .*\[NK_ENDPOINT_INVALID\]\n$/);
    }
    expect((await runNetkit(['connect', '--wait', 'soon', 'udp://127.0.0.1:9'])).code).toBe(2);
  });
});

describe('netkit connect over UDP', () => {
  /** A UDP server on the socket API that answers each datagram in upper case, after `delayMs`. */
  async function udpServer(delayMs = 0): Promise<[number, string[]]> {
    const s = track(socket(AF_INET, SOCK_DGRAM));
    await s.bind(['127.0.0.1', 0]);
    const seen: string[] = [];
    void (async () => {
      for await (const [data, from] of s) {
        seen.push(data.toString());
        setTimeout(() => void s.sendto(data.toString().toUpperCase(), from).catch(() => undefined), delayMs);
      }
    })();
    return [(s.getsockname() as [string, number])[1], seen];
  }

  it('sends each line as one datagram and prints the replies', async () => {
    const [port, seen] = await udpServer();
    const result = await runNetkit(['connect', '--wait', '0.5', `udp://127.0.0.1:${port}`], {
      input: 'one\ntwo\nthree',
    });
    expect(result).toEqual({ code: 0, stdout: 'ONE\nTWO\nTHREE', stderr: '' });
    // The newline is part of each datagram; a last line without one is sent as it is.
    expect(seen).toEqual(['one\n', 'two\n', 'three']);
  });

  it('waits --wait seconds after stdin ends for late replies, then exits', async () => {
    const [port] = await udpServer(300);
    const started = Date.now();
    const result = await runNetkit(['connect', '--wait', '1', `udp://127.0.0.1:${port}`], {
      input: 'late\n',
    });
    expect(result).toMatchObject({ code: 0, stdout: 'LATE\n' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const quick = await runNetkit(['connect', '--wait', '0', `udp://127.0.0.1:${port}`], { input: 'gone\n' });
    expect(quick).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('netkit connect over a Unix socket', () => {
  it('talks to a server written with the socket API', async () => {
    const path = unixPath();
    const server = await listening(AF_UNIX, path);
    void (async () => {
      const [conn] = await server.accept();
      for await (const chunk of conn) await conn.sendall(chunk.toString().toUpperCase());
      await conn.close();
    })();
    expect(await runNetkit(['connect', `unix:${path}`], { input: 'quiet please\n' })).toEqual({
      code: 0,
      stdout: 'QUIET PLEASE\n',
      stderr: '',
    });
  });
});

describe('netkit connect with a slow stdout', () => {
  it('holds the sender back instead of buffering, and delivers everything', async () => {
    const total = 48 * 1024 * 1024;
    const payload = Buffer.alloc(total);
    for (let i = 0; i < total; i += 4) payload.writeUInt32BE(i, i);
    const server = await listening(AF_INET, ['127.0.0.1', 0]);
    let sent = false;
    let conn: StreamSocket | undefined;
    void server.accept().then(async ([accepted]) => {
      conn = track(accepted);
      await accepted.sendall(payload);
      sent = true;
      await accepted.close();
    });
    const port = (server.getsockname() as [string, number])[1];
    const child = spawn(process.execPath, [NETKIT_MAIN, 'connect', `tcp://127.0.0.1:${port}`], {
      stdio: 'pipe',
    });
    child.stdin.end();
    child.stdout.pause(); // nobody reads netkit's stdout for now
    await sleep(1500);
    expect(sent).toBe(false);
    expect(conn!.stats().bytesSent).toBeLessThan(total / 2);

    const hash = createHash('sha256');
    let received = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
    });
    child.stdout.resume();
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    expect(received).toBe(total);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(sent).toBe(true);
  });
});
