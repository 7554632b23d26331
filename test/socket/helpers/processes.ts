/**
 * Child processes for interop and end-to-end tests: start one, wait for a line of its
 * output, wait for a peer such as `nc -l` to be listening, and stop everything a test
 * started (by the child objects we hold, never by name).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket as createDgram } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

export function start(command: string, args: string[], options: { cwd?: string } = {}): Started {
  const child = spawn(command, args, { cwd: options.cwd, stdio: 'pipe' });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      running.delete(child);
      resolve(code);
    });
    child.on('error', () => resolve(null));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs a command to its end, feeding `input` to its stdin. */
export async function run(
  command: string,
  args: string[],
  options: { input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const started = start(command, args, options);
  started.child.stdin!.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timer = setTimeout(() => started.child.kill('SIGKILL'), timeoutMs);
  const code = await started.exited;
  clearTimeout(timer);
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

/** Waits until the process's stdout matches `pattern`. */
export async function waitForOutput(
  started: Started,
  pattern: RegExp,
  timeoutMs = 5000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(started.stdout());
    if (match) return match;
    if (started.child.exitCode !== null) break;
    await sleep(20);
  }
  throw new Error(
    `no output matching ${pattern} from ${started.child.spawnfile}; stdout: ${started.stdout()}; stderr: ${started.stderr()}`,
  );
}

/** A port that was free a moment ago (for peers such as nc that cannot report the port they got). */
export async function freePort(transport: 'tcp' | 'udp'): Promise<number> {
  if (transport === 'udp') {
    const socket = createDgram('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * Waits until something listens on 127.0.0.1:`port` (Linux's /proc/net tables), without
 * connecting: a test connection would use up nc's single accept.
 */
export async function waitForListener(
  port: number,
  transport: 'tcp' | 'udp',
  timeoutMs = 5000,
): Promise<void> {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  // TCP state 0A is LISTEN; an unconnected UDP socket shows 07.
  const state = transport === 'tcp' ? ' 0A ' : ' 07 ';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const table = await readFile(`/proc/net/${transport}`, 'utf8').catch(() => '');
    if (table.split('\n').some((line) => line.includes(`0100007F${hexPort}`) && line.includes(state))) return;
    await sleep(20);
  }
  throw new Error(`nothing listening on ${transport} port ${port} after ${timeoutMs} ms`);
}

/** Kills every process started through this module and still running (afterEach). */
export async function stopAll(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) =>
          child.exitCode !== null ? resolve() : child.once('close', () => resolve()),
        ),
    ),
  );
}
