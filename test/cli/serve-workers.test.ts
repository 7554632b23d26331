/**
 * `netkit serve dns --workers 2` (src/cli/workers.ts): two cluster workers share one UDP
 * socket and one TCP listener, dig gets answers over both, the primary prints one `listening
 * on` line, SIGTERM ends everything with exit 0, and `--workers 0` is a usage error.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { runNetkit } from '../helpers/cli.js';
import { freePort, killNetkitProcesses, startNetkit } from '../helpers/netkit-process.js';
import { DIG, describeWithPeers } from '../helpers/peers.js';

const dig = (port: number, ...args: string[]) =>
  spawnSync('dig', ['+tries=1', '+time=3', '+short', '-p', String(port), '@127.0.0.1', ...args], {
    encoding: 'utf8',
    timeout: 15_000,
  });

/** The pids of the `listening` log lines (JSON, one per worker: each logs its own pid). */
function listeningPids(output: string): Set<number> {
  const pids = new Set<number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; pid?: number };
    if (entry.msg === 'listening' && entry.pid !== undefined) pids.add(entry.pid);
  }
  return pids;
}

describeWithPeers('netkit serve dns --workers 2', [DIG], () => {
  afterAll(killNetkitProcesses);

  it('answers over UDP and TCP from two worker processes and stops on SIGTERM', async () => {
    const port = await freePort();
    const server = await startNetkit(
      [
        'serve',
        'dns',
        '--workers',
        '2',
        '--listen',
        `udp://127.0.0.1:${port}`,
        '--listen',
        `tcp://127.0.0.1:${port}`,
        '--log-level',
        'info',
      ],
      /listening on .*\(2 workers\)\n/,
    );
    const output = server.output();
    expect(output.match(/netkit serve dns: listening on/g)).toHaveLength(1);
    expect(output).toContain(`listening on udp://127.0.0.1:${port}, tcp://127.0.0.1:${port}`);
    const pids = listeningPids(output);
    expect(pids.size).toBe(2);
    expect(pids.has(server.child.pid!)).toBe(false);

    // Several queries each way, so that both workers are likely to answer some.
    for (let i = 0; i < 4; i++) {
      const udp = dig(port, 'example.test', 'MX');
      expect(udp.status, udp.stderr).toBe(0);
      expect(udp.stdout).toContain('10 mail.example.test.');
      const tcp = dig(port, '+tcp', 'example.test', 'SOA');
      expect(tcp.status, tcp.stderr).toBe(0);
      expect(tcp.stdout).toContain('ns1.example.test. hostmaster.example.test.');
    }

    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The workers are gone too.
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(server.output()).toMatch(/"reason":"primary","msg":"shutting down"/);
  }, 30_000);

  it('rejects --workers 0 and --workers two as usage errors (exit 2)', async () => {
    for (const value of ['0', 'two', '1.5']) {
      const result = await runNetkit(['serve', 'dns', '--workers', value, '--listen', 'udp://127.0.0.1:0']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--workers expects a whole number of 1 or more');
    }
  });
});
