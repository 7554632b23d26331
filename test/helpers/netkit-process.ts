/** Background `netkit` processes for end-to-end tests, killed after each test. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { NETKIT_MAIN } from './cli.js';

export interface NetkitProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

/** Kills every process started by startNetkit (call from afterEach/afterAll). */
export function killNetkitProcesses(): void {
  for (const child of started.splice(0)) child.kill('SIGKILL');
}

/** Starts `netkit ARGS`; resolves once `ready` matches what it printed (stdout and stderr). */
export function startNetkit(args: string[], ready: RegExp, timeoutMs = 10_000): Promise<NetkitProcess> {
  const child = spawn(process.execPath, [NETKIT_MAIN, ...args], { stdio: 'pipe' });
  started.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`netkit ${args.join(' ')} not ready: ${output}`)),
      timeoutMs,
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

/**
 * A port that was free a moment ago on 127.0.0.1 for TCP and UDP alike (the services listen
 * on both with one number, so a port free for TCP but taken for UDP would not do).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** Runs nc with `input` on stdin; returns what it printed. */
export function nc(args: string[], input: string | Buffer, timeoutMs = 5000): string {
  return spawnSync('nc', args, { input, encoding: 'utf8', timeout: timeoutMs }).stdout;
}

/** `netkit serve NAME` on 127.0.0.1:PORT, TCP and UDP unless `udpOnly`; returns the port. */
export async function serveNetkit(name: string, options: { udpOnly?: boolean; extra?: string[] } = {}) {
  const port = await freePort();
  const listen = options.udpOnly
    ? ['--listen', `udp://127.0.0.1:${port}`]
    : ['--listen', `tcp://127.0.0.1:${port}`, '--listen', `udp://127.0.0.1:${port}`];
  const server = await startNetkit(['serve', name, ...listen, ...(options.extra ?? [])], /listening on/);
  return { port, server };
}
