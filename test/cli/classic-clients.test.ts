/**
 * End to end: netkit echo, daytime, time and sntp against netkit's own servers, with --json
 * and exit codes; bad server options; and hostile input to the SNTP server.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { sntpRequest } from '../../src/services/sntp/index.js';
import { runNetkit } from '../helpers/cli.js';
import { freePort, killNetkitProcesses, serveNetkit } from '../helpers/netkit-process.js';

afterEach(killNetkitProcesses);

describe('netkit echo, daytime and time against netkit', () => {
  it('echo over TCP and UDP, text and stdin', async () => {
    const { port } = await serveNetkit('echo');
    const tcp = await runNetkit(['echo', `tcp://127.0.0.1:${port}`, 'hello', 'there']);
    expect(tcp).toMatchObject({ code: 0, stdout: 'hello there\n' });
    const udp = await runNetkit(['echo', `udp://127.0.0.1:${port}`], { input: 'one\ntwo\n' });
    expect(udp).toMatchObject({ code: 0, stdout: 'one\ntwo\n' });
    const json = await runNetkit(['echo', `tcp://127.0.0.1:${port}`, '--json'], { input: 'a\nb\n' });
    expect(JSON.parse(json.stdout)).toEqual({ sent: 'a\nb\n', received: 'a\nb\n' });
  });

  it('echo over UDP to a discard server times out after its retries: exit 1', async () => {
    const { port } = await serveNetkit('discard');
    const result = await runNetkit([
      'echo',
      `udp://127.0.0.1:${port}`,
      'lost',
      '--timeout',
      '0.2',
      '--retries',
      '1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NK_REQUEST_TIMEOUT');
    expect(result.stderr).toContain('2 tries');
  });

  it('daytime over TCP and UDP, plain and --json', async () => {
    const { port } = await serveNetkit('daytime');
    for (const url of [`tcp://127.0.0.1:${port}`, `udp://127.0.0.1:${port}`]) {
      const plain = await runNetkit(['daytime', url]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}\n$/);
      const json = await runNetkit(['daytime', url, '--json']);
      const { text, time } = JSON.parse(json.stdout) as { text: string; time: string };
      expect(text).toMatch(/ \d{4}$/);
      expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(5000);
    }
  });

  it('daytime with --format rfc867 and a time zone', async () => {
    const { port } = await serveNetkit('daytime', {
      extra: ['--format', 'rfc867', '--time-zone', 'Europe/Paris', '--line-end', 'lf'],
    });
    const json = await runNetkit(['daytime', `tcp://127.0.0.1:${port}`, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { text } = JSON.parse(json.stdout) as { text: string };
    expect(text).toMatch(/^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4} \d{2}:\d{2}:\d{2}/);
  });

  it('time over TCP and UDP prints ISO-8601 UTC and a small offset', async () => {
    const { port } = await serveNetkit('time');
    for (const url of [`tcp://127.0.0.1:${port}`, `udp://127.0.0.1:${port}`]) {
      const plain = await runNetkit(['time', url]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z {2}offset [+-]\d+\.\d{3} s/);
      const json = await runNetkit(['time', url, '--json']);
      const parsed = JSON.parse(json.stdout) as { time: string; field: number; offsetSeconds: number };
      expect(Math.abs(Date.parse(parsed.time) - Date.now())).toBeLessThan(5000);
      expect(Math.abs(parsed.offsetSeconds)).toBeLessThanOrEqual(1);
      expect(parsed.field).toBeGreaterThan(3_900_000_000);
    }
  });

  it('time from a daytime server is a bad reply: exit 1', async () => {
    const { port } = await serveNetkit('daytime');
    const result = await runNetkit(['time', `tcp://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NK_TIME_BAD_REPLY');
  });

  it('refused and unanswered: exit 1; bad flags: exit 2', async () => {
    const port = await freePort();
    expect((await runNetkit(['daytime', `tcp://127.0.0.1:${port}`])).code).toBe(1);
    const udp = await runNetkit(['time', `udp://127.0.0.1:${port}`, '--timeout', '0.2', '--retries', '0']);
    expect(udp.code).toBe(1);
    expect((await runNetkit(['time', `udp://127.0.0.1:${port}`, '--timeout', 'soon'])).code).toBe(2);
    expect((await runNetkit(['sntp', `udp://127.0.0.1:${port}`, '--count', '0'])).code).toBe(2);
    expect((await runNetkit(['sntp', `tcp://127.0.0.1:${port}`])).code).toBe(2);
    expect((await runNetkit(['daytime', '127.0.0.1'])).code).toBe(2);
  });
});

describe('server options are checked: exit 2', () => {
  it.each([
    ['daytime', ['--format', 'iso']],
    ['daytime', ['--time-zone', 'Mars/Olympus']],
    ['daytime', ['--line-end', 'cr']],
    ['sntp', ['--stratum', '99']],
    ['sntp', ['--stratum', 'two']],
    ['sntp', ['--leap', '4']],
    ['sntp', ['--precision=-99']],
    ['sntp', ['--ref-id', 'not an address']],
  ])('serve %s %s', async (name, flags) => {
    const port = await freePort();
    const result = await runNetkit(['serve', name, '--listen', `udp://127.0.0.1:${port}`, ...flags]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('[NK_USAGE]');
  });
});

describe('netkit sntp against netkit', () => {
  it('prints samples and a summary; --json; the options show in the reply', async () => {
    const { port } = await serveNetkit('sntp', {
      udpOnly: true,
      extra: ['--stratum', '3', '--ref-id', '192.0.2.1', '--precision=-18'],
    });
    const plain = await runNetkit(['sntp', `udp://127.0.0.1:${port}`, '--count', '2']);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^sample 1: offset [+-]\d+\.\d{3} ms {2}delay \d+\.\d{3} ms {2}\(stratum 3, refid 192\.0\.2\.1/,
    );
    expect(lines[2]).toMatch(/^2 samples: median offset [+-]\d+\.\d{3} ms, min delay \d+\.\d{3} ms$/);
    const json = await runNetkit(['sntp', `udp://127.0.0.1:${port}`, '--count', '3', '--json']);
    const objects = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(objects).toHaveLength(4);
    expect(Math.abs(objects[3].summary.medianOffsetMs)).toBeLessThan(50);
  });

  it('an unsynchronised server (--leap 3) is exit 1', async () => {
    const { port } = await serveNetkit('sntp', { udpOnly: true, extra: ['--leap', '3'] });
    const result = await runNetkit(['sntp', `udp://127.0.0.1:${port}`, '--count', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NK_SNTP_UNSYNCHRONISED');
  });
});

describe('hostile input to the SNTP server', () => {
  it('drops short and server-mode packets, answers a flood with KoD RATE, and keeps running', async () => {
    const { port, server } = await serveNetkit('sntp', {
      udpOnly: true,
      extra: ['--udp-rate', '2', '--udp-burst', '4'],
    });
    const udp = createSocket('udp4');
    const replies: Buffer[] = [];
    udp.on('message', (message) => replies.push(message));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const send = (data: Uint8Array) =>
      new Promise<void>((resolve, reject) =>
        udp.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    const serverMode = sntpRequest(Date.now());
    serverMode[0] = (4 << 3) | 4; // version 4, mode 4 (server)
    await send(new Uint8Array(10));
    await send(new Uint8Array(0));
    await send(serverMode);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(replies).toHaveLength(0);
    // The three dropped packets spent 3 of the 4 tokens; a flood of 30 requests follows.
    for (let i = 0; i < 30; i++) await send(sntpRequest(Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    udp.close();
    const kisses = replies.filter((reply) => reply[1] === 0);
    expect(kisses.length).toBeGreaterThan(20);
    for (const kiss of kisses) {
      expect(kiss.subarray(12, 16).toString('latin1')).toBe('RATE');
      expect(kiss[0]! >> 6).toBe(3);
      expect(kiss.length).toBe(48);
    }
    expect(replies.length - kisses.length).toBeLessThanOrEqual(4);
    // Still rate limited: the client reports the kiss-o'-death.
    const kissed = await runNetkit(['sntp', `udp://127.0.0.1:${port}`, '--count', '10']);
    expect(kissed.code).toBe(1);
    expect(kissed.stderr).toContain('NK_SNTP_KISS_OF_DEATH');
    expect(server.child.exitCode).toBeNull();
    // Once the bucket refills, a polite client gets the time again.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const polite = await runNetkit(['sntp', `udp://127.0.0.1:${port}`, '--count', '1']);
    expect(polite.code, polite.stderr).toBe(0);
  });
});
