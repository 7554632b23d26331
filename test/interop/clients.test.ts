/**
 * netkit's clients against real servers started here: socat as an echo server (TCP and UDP)
 * and as a daytime server (date(1) over TCP) and a time server (Python's struct over TCP),
 * and chronyd serving NTP on a loopback port.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runNetkit } from '../helpers/cli.js';
import { freePort } from '../helpers/netkit-process.js';
import { CHRONYD, describeWithPeers, PYTHON3, SOCAT } from '../helpers/peers.js';
import { killPeers, startPeer, waitUntil } from './helpers.js';

afterEach(killPeers);

function tcpReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describeWithPeers('netkit echo and daytime against socat', [SOCAT], () => {
  it('netkit echo over TCP gets its text back from socat ... EXEC:cat', async () => {
    const port = await freePort();
    startPeer('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, 'EXEC:cat']);
    await waitUntil(() => tcpReady(port));
    const result = await runNetkit(['echo', `tcp://127.0.0.1:${port}`, 'hello', 'socat']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('hello socat\n');
    const piped = await runNetkit(['echo', `tcp://127.0.0.1:${port}`], { input: 'one\ntwo\n' });
    expect(piped.stdout).toBe('one\ntwo\n');
  });

  it('netkit echo over UDP gets each line back from socat UDP-LISTEN ... EXEC:cat', async () => {
    const port = await freePort();
    startPeer('socat', [`UDP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, 'EXEC:cat']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await runNetkit(['echo', `udp://127.0.0.1:${port}`, '--json'], { input: 'alpha\nbeta\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { sent: 'alpha', received: 'alpha' },
      { sent: 'beta', received: 'beta' },
    ]);
  });

  it("netkit daytime reads date(1)'s line from socat ... SYSTEM:date", async () => {
    const port = await freePort();
    startPeer('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, 'SYSTEM:TZ=UTC date']);
    await waitUntil(() => tcpReady(port));
    const result = await runNetkit(['daytime', `tcp://127.0.0.1:${port}`, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { text, time } = JSON.parse(result.stdout) as { text: string; time: string | null };
    expect(text).toMatch(/UTC \d{4}$/);
    expect(Math.abs(Date.parse(time!) - Date.now())).toBeLessThan(5000);
  });
});

describeWithPeers('netkit time against an RFC 868 server made of socat and Python', [SOCAT, PYTHON3], () => {
  it('reads the 4-byte time that Python packs, with a sane offset', async () => {
    const port = await freePort();
    // The peer computes RFC 868 with its own code: seconds since 1900 as a big-endian u32.
    // (In a file: socat would split an inline command at its commas.)
    const script = join(mkdtempSync(join(tmpdir(), 'netkit-rfc868-')), 'rfc868.py');
    writeFileSync(
      script,
      'import struct, sys, time\nsys.stdout.buffer.write(struct.pack(">I", (int(time.time()) + 2208988800) % 2**32))\n',
    );
    const rfc868 = `python3 ${script}`;
    startPeer('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `SYSTEM:${rfc868}`]);
    await waitUntil(() => tcpReady(port));
    const result = await runNetkit(['time', `tcp://127.0.0.1:${port}`, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { time, offsetSeconds } = JSON.parse(result.stdout) as { time: string; offsetSeconds: number };
    expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(5000);
    expect(Math.abs(offsetSeconds)).toBeLessThan(2);
  });
});

describeWithPeers('netkit sntp against chronyd', [CHRONYD], () => {
  it('measures a tiny offset and delay against chronyd serving NTP on loopback', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'netkit-chronyd-server-'));
    chmodSync(dir, 0o777); // chronyd may drop root for its own user
    const conf = join(dir, 'chrony.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bindaddress 127.0.0.1',
        'allow 127.0.0.1',
        'local stratum 8',
        'cmdport 0',
        `pidfile ${join(dir, 'chronyd.pid')}`,
        `driftfile ${join(dir, 'drift')}`,
        '',
      ].join('\n'),
    );
    // -x: never touch the system clock; -d: stay in the foreground (killed after the test).
    startPeer('chronyd', ['-x', '-d', '-f', conf]);
    let result = { code: 1 as number | null, stdout: '', stderr: '' };
    await waitUntil(async () => {
      result = await runNetkit([
        'sntp',
        `udp://127.0.0.1:${port}`,
        '--count',
        '3',
        '--json',
        '--timeout',
        '0.5',
      ]);
      return result.code === 0;
    }, 10_000);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ sample: 1, stratum: 8 });
    const { summary } = lines[3] as {
      summary: { samples: number; medianOffsetMs: number; minDelayMs: number };
    };
    expect(summary.samples).toBe(3);
    expect(Math.abs(summary.medianOffsetMs)).toBeLessThan(50);
    expect(summary.minDelayMs).toBeGreaterThanOrEqual(0);
    expect(summary.minDelayMs).toBeLessThan(50);
  }, 20_000);
});
