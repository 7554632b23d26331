/**
 * Real clients against netkit's servers: nc and socat against echo, discard and daytime over
 * TCP and UDP; rdate against time (RFC 868, TCP and UDP) and SNTP; chronyd -Q against SNTP.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { killNetkitProcesses, nc } from '../helpers/netkit-process.js';
import { CHRONYD, describeWithPeers, NC, RDATE, SOCAT } from '../helpers/peers.js';
import { parseRdate, runPeer, serveNetkit } from './helpers.js';

afterEach(killNetkitProcesses);

const CTIME_CRLF = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}\r\n$/;

function ctimeMs(line: string): number {
  const [, month, day, time, year] = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d+) (\S+) (\d{4})/.exec(line)!;
  return Date.parse(`${day} ${month} ${year} ${time} GMT`);
}

describeWithPeers('nc and socat against echo, discard and daytime', [NC, SOCAT], () => {
  it('echo answers nc and socat over TCP and UDP', async () => {
    const { port } = await serveNetkit('echo');
    expect(nc(['-N', '127.0.0.1', String(port)], 'hello tcp\n')).toBe('hello tcp\n');
    expect(nc(['-u', '-w1', '127.0.0.1', String(port)], 'hello udp\n')).toBe('hello udp\n');
    expect(runPeer('socat', ['-t1', '-', `TCP:127.0.0.1:${port}`], 'socat tcp\n').stdout).toBe('socat tcp\n');
    expect(runPeer('socat', ['-t1', '-', `UDP:127.0.0.1:${port}`], 'socat udp\n').stdout).toBe('socat udp\n');
  });

  it('discard sends nothing back to nc and socat, and stays up', async () => {
    const { port } = await serveNetkit('discard');
    expect(nc(['-N', '127.0.0.1', String(port)], 'into the void\n')).toBe('');
    expect(nc(['-u', '-w1', '127.0.0.1', String(port)], 'into the void\n')).toBe('');
    const tcp = runPeer('socat', ['-t1', '-', `TCP:127.0.0.1:${port}`], 'x'.repeat(100_000));
    expect(tcp.code).toBe(0);
    expect(tcp.stdout).toBe('');
    expect(runPeer('socat', ['-t1', '-', `UDP:127.0.0.1:${port}`], 'dropped\n').stdout).toBe('');
    expect(nc(['-N', '127.0.0.1', String(port)], 'still there\n')).toBe('');
  });

  it('daytime gives nc and socat one ctime line over TCP and UDP', async () => {
    const { port } = await serveNetkit('daytime');
    const replies = [
      nc(['-N', '127.0.0.1', String(port)], ''),
      nc(['-u', '-w1', '127.0.0.1', String(port)], '\n'),
      runPeer('socat', ['-t1', '-', `TCP:127.0.0.1:${port}`]).stdout,
      runPeer('socat', ['-t1', '-', `UDP:127.0.0.1:${port}`], '\n').stdout,
    ];
    for (const reply of replies) {
      expect(reply).toMatch(CTIME_CRLF);
      expect(Math.abs(ctimeMs(reply) - Date.now())).toBeLessThan(5000);
    }
  });

  it('daytime options: rfc3339 with LF', async () => {
    const { port } = await serveNetkit('daytime', { extra: ['--format', 'rfc3339', '--line-end', 'lf'] });
    const reply = nc(['-N', '127.0.0.1', String(port)], '');
    expect(reply).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n$/);
    expect(Math.abs(Date.parse(reply.trim()) - Date.now())).toBeLessThan(5000);
  });
});

describeWithPeers('rdate against time and SNTP', [RDATE], () => {
  it.each([
    ['RFC 868 over TCP', []],
    ['RFC 868 over UDP', ['-u']],
  ])('rdate -p (%s) prints the right time', async (_name, flags) => {
    const { port } = await serveNetkit('time');
    const result = runPeer('rdate', ['-p', ...flags, '-o', String(port), '127.0.0.1']);
    expect(result.code, result.stderr).toBe(0);
    expect(Math.abs(parseRdate(result.stdout) - Date.now())).toBeLessThan(5000);
  });

  it('rdate -p -n (SNTP) prints the right time', async () => {
    const { port } = await serveNetkit('sntp', { udpOnly: true });
    const result = runPeer('rdate', ['-p', '-n', '-o', String(port), '127.0.0.1']);
    expect(result.code, result.stderr).toBe(0);
    expect(Math.abs(parseRdate(result.stdout) - Date.now())).toBeLessThan(5000);
  });
});

describeWithPeers('chronyd against SNTP', [CHRONYD], () => {
  it('chronyd -Q measures an offset well under a second', async () => {
    const { port } = await serveNetkit('sntp', { udpOnly: true });
    const dir = mkdtempSync(join(tmpdir(), 'netkit-chronyd-'));
    chmodSync(dir, 0o777); // chronyd may drop root for its own user
    const conf = join(dir, 'chrony.conf');
    writeFileSync(
      conf,
      [
        `server 127.0.0.1 port ${port} iburst`,
        'port 0',
        'cmdport 0',
        `pidfile ${join(dir, 'chronyd.pid')}`,
        `driftfile ${join(dir, 'drift')}`,
        '',
      ].join('\n'),
    );
    const result = runPeer('chronyd', ['-Q', '-d', '-f', conf], '', 40_000);
    const output = result.stdout + result.stderr;
    const match = /System clock wrong by (-?\d+\.\d+) seconds/.exec(output);
    expect(match, output).not.toBeNull();
    expect(Math.abs(Number(match![1]))).toBeLessThan(0.1);
  }, 45_000);
});
