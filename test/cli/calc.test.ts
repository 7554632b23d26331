import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNetkit } from '../helpers/cli.js';
import { killNetkitProcesses, nc, serveNetkit } from '../helpers/netkit-process.js';
import { describeWithPeers, NC } from '../helpers/peers.js';

let port: number;
beforeAll(async () => {
  ({ port } = await serveNetkit('calc', { extra: ['--udp-rate', '50', '--udp-burst', '50'] }));
});
afterAll(killNetkitProcesses);

describeWithPeers('calculator with nc', [NC], () => {
  it('answers one line per request over TCP, in order', () => {
    expect(nc(['-N', '127.0.0.1', String(port)], '5 + 6\n4 * 5\n(+, 5, 6)\n-3 ** 2\n2**100\n1 / 0\n')).toBe(
      'OK 11\nOK 20\nOK 11\nOK -9\nOK 1267650600228229401496703205376\nERROR NK_CALC_DIV_ZERO 3 division by zero\n',
    );
  });

  it('answers one datagram per request over UDP', () => {
    expect(nc(['-u', '-w1', '127.0.0.1', String(port)], '0.1 + 0.2\n')).toBe('OK 0.3\n');
  });

  it('answers binary garbage, invalid UTF-8 and over-long lines with errors, and keeps the connection', () => {
    const out = nc(
      ['-N', '127.0.0.1', String(port)],
      Buffer.concat([
        Buffer.from([0x00, 0x01, 0xff, 0x0a]),
        Buffer.from(`${'1+'.repeat(6000)}1\n`),
        Buffer.from('2 3\n'),
        Buffer.from('7 // 2\n'),
      ]),
    );
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^ERROR NK_CALC_BAD_INPUT /);
    expect(lines[1]).toMatch(/^ERROR NK_CALC_TOO_LONG /);
    expect(lines[2]).toMatch(/^ERROR NK_CALC_SYNTAX 3 /);
    expect(lines[3]).toBe('OK 3');
  });
});

describe('netkit calc', () => {
  it("prints the lecture's form over TCP and UDP", async () => {
    for (const scheme of ['tcp', 'udp']) {
      const result = await runNetkit(['calc', `${scheme}://127.0.0.1:${port}`, '5', '+', '6']);
      expect(result).toMatchObject({ code: 0, stdout: '5 + 6 = 11\n' });
    }
  });

  it('marks a rounded result with ≈', async () => {
    const result = await runNetkit(['calc', `tcp://127.0.0.1:${port}`, '2 / 3']);
    expect(result.stdout).toBe('2 / 3 ≈ 0.666666666666666666666666666667\n');
  });

  it('shows a syntax error with a caret under its column, and exits 1', async () => {
    const result = await runNetkit(['calc', `tcp://127.0.0.1:${port}`, '5 + * 6']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      '5 + * 6\n    ^ syntax error at column 5: expected a number, "(", a name or a function, found "*" [NK_CALC_SYNTAX]\n',
    );
  });

  it('reads expressions from stdin and prints JSON with --json', async () => {
    const result = await runNetkit(['calc', `udp://127.0.0.1:${port}`, '--json'], {
      input: '4 * 5\nsqrt(-4)\n',
    });
    expect(result.code).toBe(1);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { expr: '4 * 5', ok: true, result: '20', exact: true },
      {
        expr: 'sqrt(-4)',
        ok: false,
        error: { code: 'NK_CALC_DOMAIN', message: expect.any(String), column: 1 },
      },
    ]);
  });

  it('reports a server that does not answer with a clear error after retrying', async () => {
    // A bound UDP socket that never answers: the client must retry, then time out.
    const silent = createSocket('udp4');
    let received = 0;
    silent.on('message', () => received++);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const result = await runNetkit([
      'calc',
      `udp://127.0.0.1:${silent.address().port}`,
      '1+1',
      '--timeout',
      '0.2',
      '--retries',
      '2',
    ]);
    silent.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /no reply from udp:\/\/127\.0\.0\.1:\d+ after 3 tries of 0\.2 s \[NK_REQUEST_TIMEOUT\]/,
    );
    expect(received).toBe(3);
  });

  it('keeps answering others while one source floods over UDP', async () => {
    const flooder = createSocket('udp4');
    const payload = Buffer.from('2 ** 1000');
    for (let i = 0; i < 2000; i++) flooder.send(payload, port, '127.0.0.1');
    const result = await runNetkit(['calc', `tcp://127.0.0.1:${port}`, '6 * 7']);
    flooder.close();
    expect(result).toMatchObject({ code: 0, stdout: '6 * 7 = 42\n' });
  });
});
