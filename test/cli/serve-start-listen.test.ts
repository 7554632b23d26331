import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICES } from '../../src/services/registry.js';
import { runNetkit } from '../helpers/cli.js';
import { freePort, killNetkitProcesses, nc, startNetkit } from '../helpers/netkit-process.js';
import { describeWithPeers, findProgram, NC } from '../helpers/peers.js';

afterEach(killNetkitProcesses);

describeWithPeers('netkit serve, start and listen with nc', [NC], () => {
  it('serve echo answers nc over TCP and UDP, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = await startNetkit(
      ['serve', 'echo', '--listen', `tcp://127.0.0.1:${port}`, '--listen', `udp://127.0.0.1:${port}`],
      /listening on/,
    );
    expect(nc(['-N', '127.0.0.1', String(port)], 'hello over tcp\n')).toBe('hello over tcp\n');
    expect(nc(['-u', '-w1', '127.0.0.1', String(port)], 'hello over udp\n')).toBe('hello over udp\n');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  });

  it('start runs every service and prints a command that works for each', async () => {
    const start = await startNetkit(['start', '--json'], /"services"[\s\S]*\]\s*\}\s*$/);
    const table = JSON.parse(start.output().slice(start.output().indexOf('{\n'))) as {
      services: { service: string; transport: string; address: string; try: string }[];
    };
    const names = new Set(table.services.map((row) => row.service));
    expect(names).toEqual(new Set(SERVICES.map((entry) => entry.name)));
    const echoTcp = table.services.find((row) => row.service === 'echo' && row.transport === 'tcp')!;
    expect(echoTcp.try).toBe(`echo 'hello' | nc -N 127.0.0.1 ${echoTcp.address.split(':').at(-1)}`);
    // Every suggested one-liner with a request gets an answer.
    for (const row of table.services.filter((r) => r.try.startsWith('echo '))) {
      const output = spawnSync('sh', ['-c', row.try], { encoding: 'utf8', timeout: 5000 }).stdout;
      expect(output.length, row.try).toBeGreaterThan(0);
    }
    // The time and SNTP one-liners use rdate: tried when it is installed.
    const rdateRows = table.services.filter((r) => r.try.startsWith('rdate '));
    expect(rdateRows.map((row) => `${row.service}/${row.transport}`).sort()).toEqual([
      'sntp/udp',
      'time/tcp',
      'time/udp',
    ]);
    if (findProgram('rdate') !== undefined) {
      for (const row of rdateRows) {
        const result = spawnSync('sh', ['-c', row.try], { encoding: 'utf8', timeout: 10_000 });
        expect(result.status, `${row.try}: ${result.stderr}`).toBe(0);
        expect(result.stdout, row.try).toMatch(/\d{2}:\d{2}:\d{2}/);
      }
    }
    start.child.kill('SIGINT');
    expect(await start.exited).toBe(0);
  });

  it('listen prints what a TCP client sends, and exits when it leaves', async () => {
    const port = await freePort();
    const listener = await startNetkit(['listen', '-v', `tcp://127.0.0.1:${port}`], /listening on/);
    let stdout = '';
    listener.child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    nc(['-N', '127.0.0.1', String(port)], 'line one\nline two\n');
    expect(await listener.exited).toBe(0);
    expect(stdout).toBe('line one\nline two\n');
  });

  it('listen --echo over UDP sends datagrams back', async () => {
    const port = await freePort();
    const listener = await startNetkit(['listen', '--echo', '-v', `udp://127.0.0.1:${port}`], /listening on/);
    expect(nc(['-u', '-w1', '127.0.0.1', String(port)], 'ping\n')).toBe('ping\n');
    listener.child.kill('SIGTERM');
    expect(await listener.exited).toBe(0);
  });
});

describe('server errors on the command line', () => {
  it('a port in use is one clear line and exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const result = await runNetkit(['serve', 'echo', '--listen', `tcp://127.0.0.1:${port}`]);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `netkit: tcp://127.0.0.1:${port}: address already in use [NK_ADDR_IN_USE]`,
    );
  });

  it('a malformed endpoint shows the accepted forms and exits 2', async () => {
    const result = await runNetkit(['serve', 'echo', '--listen', '127.0.0.1:7']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected one of tcp://HOST:PORT, udp://HOST:PORT, unix:/path/to/socket');
  });

  it('a bad limit value is a usage error', async () => {
    const result = await runNetkit(['serve', 'echo', '--max-connections', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-connections expects a number');
  });

  it('serve --help lists the services', async () => {
    const result = await runNetkit(['serve', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/echo .*RFC 862/);
    expect(result.stdout).toMatch(/discard .*RFC 863/);
  });
});
