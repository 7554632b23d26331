/**
 * Shared benchmark plumbing: start a server process and wait until it answers, run the
 * load generator in its own process, read a process's memory, print tables.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NETKIT = `${ROOT}dist/cli/main.js`;
const LOADGEN_SOURCE = fileURLToPath(new URL('./loadgen.c', import.meta.url));
const LOADGEN = `${ROOT}.tmp/loadgen`;

/** Compiles bench/lib/loadgen.c (C, so the load generator is not the bottleneck) when needed. */
function buildLoadgen() {
  if (existsSync(LOADGEN) && statSync(LOADGEN).mtimeMs > statSync(LOADGEN_SOURCE).mtimeMs) return;
  mkdirSync(`${ROOT}.tmp`, { recursive: true });
  execFileSync('cc', ['-O2', '-Wall', '-o', LOADGEN, LOADGEN_SOURCE], { stdio: 'inherit' });
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `command args` and resolves once `ready()` says so (default: its TCP port accepts
 * connections; UDP-only servers pass their own probe).
 */
export async function startServer(name, command, args, port, ready = () => canConnect(port)) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const deadline = Date.now() + 10_000;
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    name,
    pid: child.pid,
    async stop() {
      // The whole process group: socat forks a child per peer.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

/**
 * Runs the load generator (bench/lib/loadgen.c) in its own process; resolves to its JSON
 * result: { requestsPerSecond, completed, sent, lost, latencyMs: { p50, p90, p99, p999 } }.
 */
export function runLoad({
  transport,
  host,
  port,
  requests,
  binaryRequest,
  durationMs,
  connections,
  window,
  replyLines = 1,
  warmupMs = 500,
}) {
  buildLoadgen();
  // Text requests go one per line; a binary request (an SNTP packet) goes alone in a .bin file.
  const requestFile = `${ROOT}.tmp/requests-${process.pid}.${binaryRequest ? 'bin' : 'txt'}`;
  writeFileSync(requestFile, binaryRequest ?? `${requests.join('\n')}\n`);
  const args = [
    transport,
    host,
    port,
    durationMs,
    connections,
    window,
    replyLines,
    warmupMs,
    requestFile,
  ].map(String);
  return new Promise((resolve, reject) => {
    const child = spawn(LOADGEN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`loadgen exited ${code}`)),
    );
  });
}

/** Resident memory of a process, in bytes (Linux). */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

export function machine() {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const ms = (value) => (value === null ? '-' : value.toFixed(2));

/** True once a UDP server on 127.0.0.1:`port` answers `payload` within 200 ms. */
export function udpAnswers(port, payload) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(false);
    }, 200);
    socket.on('message', () => {
      clearTimeout(timer);
      socket.close();
      resolve(true);
    });
    socket.on('error', () => {});
    socket.send(payload, port, '127.0.0.1');
  });
}

/** Starts a server with `start()`, runs the load `load` against it, stops it: `{ name, ...result }`. */
export async function measureServer(name, start, load) {
  const server = await start();
  try {
    return { name, ...(await runLoad(load)) };
  } finally {
    await server.stop();
  }
}

/** The results table of one benchmark, each server against the first (the ceiling). */
export function resultsTable(results) {
  const ceiling = results[0];
  return table(
    ['server', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'lost', 'vs ceiling'],
    results.map((r) => [
      r.name,
      r.requestsPerSecond,
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p90),
      ms(r.latencyMs.p99),
      r.lost,
      (r.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2),
    ]),
  );
}
