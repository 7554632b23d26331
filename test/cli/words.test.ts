import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNetkit } from '../helpers/cli.js';
import { freePort, killNetkitProcesses, nc, serveNetkit } from '../helpers/netkit-process.js';
import { describeWithPeers, NC } from '../helpers/peers.js';

let port: number;
beforeAll(async () => {
  ({ port } = await serveNetkit('words', { extra: ['--max-line-bytes', '1000'] }));
});
afterAll(killNetkitProcesses);

describeWithPeers('word server with nc', [NC], () => {
  it('answers over TCP, line after line on one connection', () => {
    expect(nc(['-N', '127.0.0.1', String(port)], 'hello world\nnaïve 👍🏽\n')).toBe(
      'OK 2\nhello\t5\th\nworld\t5\tw\nOK 2\nnaïve\t5\tn\n👍🏽\t1\t👍🏽\n',
    );
  });

  it('answers each UDP datagram on its own', () => {
    expect(nc(['-u', '-w1', '127.0.0.1', String(port)], 'café\n')).toBe('OK 1\ncafé\t4\tc\n');
  });

  it('answers bad input with an error and keeps serving', () => {
    const out = nc(
      ['-N', '127.0.0.1', String(port)],
      Buffer.concat([
        Buffer.from([0xff, 0xfe, 0x0a]),
        Buffer.from('esc\x1b[31mred\n'),
        Buffer.from(`${'x'.repeat(5000)}\n`),
        Buffer.from('\n'),
        Buffer.from('still here\n'),
      ]),
    );
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^ERROR NK_WORDS_BAD_UTF8 /);
    expect(lines[1]).toMatch(/^ERROR NK_WORDS_BAD_INPUT /);
    expect(lines[2]).toMatch(/^ERROR NK_LINE_TOO_LONG /);
    expect(lines[3]).toMatch(/^ERROR NK_WORDS_EMPTY /);
    expect(lines.slice(4)).toEqual(['OK 2', 'still\t5\ts', 'here\t4\th']);
    // No terminal escape sequence ever comes back.
    expect(out).not.toContain('\x1b');
  });
});

describe('netkit words', () => {
  it('prints one line per word over TCP and UDP', async () => {
    for (const scheme of ['tcp', 'udp']) {
      const result = await runNetkit(['words', `${scheme}://127.0.0.1:${port}`, 'hello', 'naïve']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('hello  5  h\nnaïve  5  n\n');
    }
  });

  it('prints JSON with --json, and reads requests from stdin', async () => {
    const result = await runNetkit(['words', `tcp://127.0.0.1:${port}`, '--json'], { input: 'a bc\n\nd\n' });
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        ok: true,
        words: [
          { word: 'a', length: 1, first: 'a' },
          { word: 'bc', length: 2, first: 'b' },
        ],
      },
      { ok: true, words: [{ word: 'd', length: 1, first: 'd' }] },
    ]);
  });

  it("exits 1 with the server's error for an empty request", async () => {
    const result = await runNetkit(['words', `tcp://127.0.0.1:${port}`, '...']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/NK_WORDS_EMPTY/);
  });

  it('reports a UDP server that does not answer after its retries', async () => {
    const silent = await freePort();
    const result = await runNetkit([
      'words',
      `udp://127.0.0.1:${silent}`,
      'x',
      '--timeout',
      '0.2',
      '--retries',
      '1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/NK_CONN_REFUSED|NK_REQUEST_TIMEOUT/);
  });

  it('runs the four-client exercise, with all four served at once', async () => {
    for (const scheme of ['tcp', 'udp']) {
      const result = await runNetkit(['words', 'demo', `${scheme}://127.0.0.1:${port}`, '--delay', '100']);
      expect(result.code).toBe(0);
      const labels = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('[client'))
        .map((line) => line.slice(0, 10));
      expect(new Set(labels)).toEqual(new Set(['[client 1]', '[client 2]', '[client 3]', '[client 4]']));
      expect(labels).toHaveLength(24);
      // Served at once: the first four replies come from four different clients.
      expect(new Set(labels.slice(0, 4)).size).toBe(4);
      expect(result.stdout).toMatch(/interleaved \d+ times/);
    }
  });

  it('keeps serving others while one client floods and another never reads', async () => {
    const flooder = connect({ host: '127.0.0.1', port });
    flooder.on('error', () => {});
    const nonReader = connect({ host: '127.0.0.1', port });
    nonReader.on('error', () => {});
    nonReader.pause();
    const big = Buffer.from('flood '.repeat(150).concat('\n').repeat(200));
    for (let i = 0; i < 50; i++) {
      flooder.write(big);
      nonReader.write(big);
    }
    const started = Date.now();
    const result = await runNetkit(['words', `tcp://127.0.0.1:${port}`, 'responsive']);
    expect(result.stdout).toBe('responsive  10  r\n');
    expect(Date.now() - started).toBeLessThan(3000);
    flooder.destroy();
    nonReader.destroy();
  });
});
