/**
 * The lecture's programs written with netkit/socket (examples/sockets/*.mjs), run as a
 * student runs them: each server with its client, each server with nc as the client, and
 * each client against an `nc -l` server. The examples import 'netkit/socket' through the
 * package's own exports, so dist/ must be built (npm test does it).
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWithPeers, NC } from '../helpers/peers.js';
import {
  freePort,
  run,
  type Started,
  start,
  stopAll,
  waitForListener,
  waitForOutput,
} from '../socket/helpers/processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (name: string) => fileURLToPath(new URL(`../../examples/sockets/${name}`, import.meta.url));

/** Starts an example server on a free port and returns the port it printed. */
async function startServer(name: string): Promise<number> {
  const server = start(process.execPath, [example(name), '127.0.0.1', '0'], { cwd: ROOT });
  const [, port] = await waitForOutput(server, /listening on 127\.0\.0\.1:(\d+)/);
  return Number(port);
}

function runClient(name: string, port: number, ...args: string[]) {
  return run(process.execPath, [example(name), '127.0.0.1', String(port), ...args], { cwd: ROOT });
}

afterEach(stopAll);

describe('socket examples, client against server', () => {
  it('tcp-client gets its message back in upper case from tcp-server, client after client', async () => {
    const port = await startServer('tcp-server.mjs');
    expect(await runClient('tcp-client.mjs', port, 'hello there')).toMatchObject({
      code: 0,
      stdout: 'received HELLO THERE\n',
    });
    expect((await runClient('tcp-client.mjs', port, 'again')).stdout).toBe('received AGAIN\n');
  });

  it('tcp-echo-client gets every byte back from tcp-echo-server, across many recv(1024) calls', async () => {
    const port = await startServer('tcp-echo-server.mjs');
    const long = `héllo wörld ${'0123456789'.repeat(2000)} end`;
    const result = await runClient('tcp-echo-client.mjs', port, long);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`received ${long}\n`);
    expect((await runClient('tcp-echo-client.mjs', port)).stdout).toBe('received Hello, world\n');
  });

  it('udp-client gets its datagram back in upper case from udp-server', async () => {
    const port = await startServer('udp-server.mjs');
    const result = await runClient('udp-client.mjs', port, 'ping');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^received PING from \[ '127\.0\.0\.1', \d+ \]\n$/);
  });

  it('udp-calc-client gets answers from udp-calc-server', async () => {
    const port = await startServer('udp-calc-server.mjs');
    const cases: [string[], string][] = [
      [[], '5 + 6 = 11'],
      [['5', '+', '6'], '5 + 6 = 11'],
      [['7', '*', '6'], '7 * 6 = 42'],
      [['10', '-', '20'], '10 - 20 = -10'],
      [['7', '/', '2'], '7 / 2 = 3.5'],
      [['1', '/', '0'], '1 / 0 = error: division by zero'],
      [['two', 'plus', 'two'], 'two plus two = error: unknown name: "two" (the constants are pi and e)'],
      [['(*,', '6,', '7)'], '(*, 6, 7) = 42'],
      [['2', '**', '100'], '2 ** 100 = 1267650600228229401496703205376'],
    ];
    for (const [words, expected] of cases) {
      expect((await runClient('udp-calc-client.mjs', port, ...words)).stdout).toBe(`${expected}\n`);
    }
  });

  it('udp-client reports a timeout and exits 1 when nobody answers', async () => {
    const port = await freePort('udp');
    const result = await runClient('udp-client.mjs', port, 'anyone?');
    // Either no answer at all, or ICMP port unreachable reported as a refused connection.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no answer within 2 seconds|NK_CONN_REFUSED|connection refused/);
  });
});

describeWithPeers('socket examples with nc', [NC], () => {
  it('nc -N is a client of tcp-server', async () => {
    const port = await startServer('tcp-server.mjs');
    const result = await run('nc', ['-N', '127.0.0.1', String(port)], { input: 'hi from nc' });
    expect(result).toMatchObject({ code: 0, stdout: 'HI FROM NC' });
  });

  it('nc -N is a client of tcp-echo-server, with 200 kB of lines', async () => {
    const port = await startServer('tcp-echo-server.mjs');
    const input = Array.from({ length: 4000 }, (_, i) => `line ${i} ${'x'.repeat(40)}\n`).join('');
    const result = await run('nc', ['-N', '127.0.0.1', String(port)], { input });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(input);
  });

  it('nc -u is a client of udp-server and udp-calc-server', async () => {
    const upper = await startServer('udp-server.mjs');
    const calc = await startServer('udp-calc-server.mjs');
    const a = await run('nc', ['-u', '-w1', '127.0.0.1', String(upper)], { input: 'hello\n' });
    expect(a.stdout).toBe('HELLO\n');
    const b = await run('nc', ['-u', '-w1', '127.0.0.1', String(calc)], { input: '5 + 6\n' });
    expect(b.stdout).toBe('11\n');
  });

  /** Starts `nc -l` (TCP or UDP) on a free port and waits until it listens. */
  async function startNcServer(transport: 'tcp' | 'udp'): Promise<[Started, number]> {
    const port = await freePort(transport);
    const flags = transport === 'udp' ? ['-u', '-l'] : ['-l'];
    const nc = start('nc', [...flags, '127.0.0.1', String(port)]);
    await waitForListener(port, transport);
    return [nc, port];
  }

  it('tcp-client talks to an nc -l server', async () => {
    const [nc, port] = await startNcServer('tcp');
    const client = runClient('tcp-client.mjs', port, 'ping');
    await waitForOutput(nc, /ping/);
    nc.child.stdin!.end('PONG');
    expect(await client).toMatchObject({ code: 0, stdout: 'received PONG\n' });
    expect(nc.stdout()).toBe('ping');
  });

  it('tcp-echo-client talks to an nc -l server that the test makes echo', async () => {
    const [nc, port] = await startNcServer('tcp');
    const message = 'echo me '.repeat(500);
    const client = runClient('tcp-echo-client.mjs', port, message);
    await waitForOutput(nc, new RegExp(`${message}$`));
    nc.child.stdin!.end(message);
    expect(await client).toMatchObject({ code: 0, stdout: `received ${message}\n` });
  });

  it('udp-client talks to an nc -u -l server', async () => {
    const [nc, port] = await startNcServer('udp');
    const client = runClient('udp-client.mjs', port, 'ping');
    await waitForOutput(nc, /ping/);
    nc.child.stdin!.write('PONG\n');
    const result = await client;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^received PONG\n from \[ '127\.0\.0\.1', \d+ \]\n$/);
  });

  it('udp-calc-client talks to an nc -u -l server that answers by hand', async () => {
    const [nc, port] = await startNcServer('udp');
    const client = runClient('udp-calc-client.mjs', port, '5', '+', '6');
    await waitForOutput(nc, /5 \+ 6/);
    nc.child.stdin!.write('11\n');
    expect(await client).toMatchObject({ code: 0, stdout: '5 + 6 = 11\n' });
  });
});
