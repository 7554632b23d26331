import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NETKIT_MAIN, runNetkit } from '../helpers/cli.js';
import { describeWithPeers, NC } from '../helpers/peers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts `netkit ARGS` in the background; resolves once `ready` appears on stdout or stderr. */
function startNetkit(
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [NETKIT_MAIN, ...args], { stdio: 'pipe' });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`netkit ${args.join(' ')} not ready: ${output}`)),
      10_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => reject(new Error(`netkit exited early: ${output}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function nc(args: string[], input: string): string {
  const result = spawnSync('nc', args, { input, encoding: 'utf8', timeout: 5000 });
  return result.stdout;
}

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
    expect(names).toEqual(new Set(['echo', 'discard']));
    const echoTcp = table.services.find((row) => row.service === 'echo' && row.transport === 'tcp')!;
    expect(echoTcp.try).toMatch(/^nc 127\.0\.0\.1 \d+$/);
    const [, host, port] = echoTcp.try.split(' ');
    expect(nc(['-N', host!, port!], 'from start\n')).toBe('from start\n');
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
