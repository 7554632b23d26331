#!/usr/bin/env node
/**
 * Holds many TCP connections to a line service, each sending one request per `intervalMs`
 * (staggered evenly), and measures reply latency. Prints progress on stderr and one JSON
 * result on stdout. Bounded by `durationMs` after all connections are up.
 * `node bench/lib/hold-connections.mjs '<json config>'`
 */
import { connect } from 'node:net';

const {
  host = '127.0.0.1',
  port,
  connections = 10_000,
  intervalMs = 1000,
  durationMs = 20_000,
  request = 'hello',
  replyLines = 2,
} = JSON.parse(process.argv[2]);
const line = Buffer.from(`${request}\n`);
const latencies = [];
let replies = 0;
let errors = 0;
let closed = 0;
const sockets = [];

function open(index) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const sentAt = [];
    let pending = 0;
    socket.on('connect', () => resolve(socket));
    socket.on('data', (chunk) => {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) {
        if (++pending === replyLines) {
          pending = 0;
          replies++;
          const started = sentAt.shift();
          if (started !== undefined) latencies.push(performance.now() - started);
        }
      }
    });
    socket.on('error', () => {
      errors++;
      resolve(undefined);
    });
    socket.on('close', () => closed++);
    socket.send = () => {
      sentAt.push(performance.now());
      socket.write(line);
    };
    socket.index = index;
  });
}

const openStart = performance.now();
// Open in batches so the listen backlog is never overrun.
for (let i = 0; i < connections; i += 200) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(200, connections - i) }, (_, j) => open(i + j)),
  );
  sockets.push(...batch.filter(Boolean));
  if ((i / 200) % 10 === 0) process.stderr.write(`\rconnected ${sockets.length}/${connections}`);
}
process.stderr.write(
  `\rconnected ${sockets.length}/${connections} in ${((performance.now() - openStart) / 1000).toFixed(1)} s\n`,
);
process.stdout.write(`${JSON.stringify({ phase: 'connected', connected: sockets.length })}\n`);

// Each socket sends once per interval, offset so the load is spread evenly.
const timers = sockets.map((socket, i) =>
  setTimeout(
    () => {
      socket.send();
      timers[i] = setInterval(() => socket.send(), intervalMs);
    },
    (i * intervalMs) / sockets.length,
  ),
);
const sendStart = performance.now();
const progress = setInterval(
  () => process.stderr.write(`\r${replies} replies, ${errors} errors, ${closed} closed`),
  1000,
);

setTimeout(() => {
  clearInterval(progress);
  for (const timer of timers) clearInterval(timer);
  const elapsed = (performance.now() - sendStart) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
  process.stderr.write('\n');
  process.stdout.write(
    `${JSON.stringify({
      phase: 'done',
      connected: sockets.length,
      repliesPerSecond: Math.round(replies / elapsed),
      errors,
      closed,
      latencyMs: { p50: pct(50), p99: pct(99), max: latencies.at(-1) ?? null },
    })}\n`,
  );
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}, durationMs);
