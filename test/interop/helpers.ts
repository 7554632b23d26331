/** Shared pieces of the interop tests: a netkit server on a free port, and spawned peers. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export { serveNetkit } from '../helpers/netkit-process.js';

/** Runs a program to its end (bounded), with `input` on stdin. */
export function runPeer(program: string, args: string[], input = '', timeoutMs = 10_000) {
  const result = spawnSync(program, args, {
    input,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, TZ: 'UTC' },
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

const peers: ChildProcess[] = [];

/** A background peer server, killed by killPeers(). */
export function startPeer(program: string, args: string[]): ChildProcess {
  // Its own process group, so that children it forks (socat ... fork) are killed with it.
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  peers.push(child);
  return child;
}

export function killPeers(): void {
  for (const child of peers.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
}

/** rdate -p prints `Tue Nov 24 21:48:14 UTC 2026` (ctime with the zone); the instant in ms. */
export function parseRdate(output: string): number {
  const line = output.trim().split('\n').at(-1) ?? '';
  const match = /([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) (\d{4})$/.exec(line);
  if (!match) return Number.NaN;
  const [, month, day, hh, mm, ss, zone, year] = match;
  if (zone !== 'UTC' && zone !== 'GMT') return Number.NaN;
  return Date.parse(`${day} ${month} ${year} ${hh}:${mm}:${ss} GMT`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a UDP/TCP server answers, by polling `probe` (true when ready). */
export async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(50);
  }
  throw new Error('peer server not ready');
}
