#!/usr/bin/env node
/**
 * A request/reply load generator for line services, run as its own process so it has a
 * core of its own: `node bench/lib/loadgen.mjs '<json config>'` prints one JSON result.
 *
 * UDP: `connections` sockets, each keeping `window` requests in flight (a lost datagram
 * is written off after `lossTimeoutMs` and counted as lost). TCP: `connections`
 * connections, each pipelining `window` request lines; a reply is `replyLines` lines.
 * Bounded twice: by `durationMs` and by `maxRequests`.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';

const config = JSON.parse(process.argv[2]);
const {
  transport,
  host,
  port,
  requests,
  durationMs = 5000,
  maxRequests = 5_000_000,
  connections = 4,
  window = 16,
  replyLines = 1,
  lossTimeoutMs = 1000,
  warmupMs = 500,
} = config;

const payloads = requests.map((text) => Buffer.from(text));
const lines = requests.map((text) => Buffer.from(`${text}\n`));
const latencies = new Float64Array(Math.min(maxRequests, 4_000_000));
let latencyCount = 0;
let sent = 0;
let completed = 0;
let lost = 0;
let errors = 0;
let measuring = false;
let stopped = false;
let measuredStart = 0;
let measuredCompleted = 0;

const now = () => performance.now();
function record(startedAt) {
  completed++;
  if (!measuring) return;
  measuredCompleted++;
  if (latencyCount < latencies.length) latencies[latencyCount++] = now() - startedAt;
}

function udpWorker(index) {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  // Replies carry no id: they are matched to requests first in, first out.
  const queue = [];
  let next = index;
  const sendOne = () => {
    if (stopped || sent >= maxRequests) return;
    const payload = payloads[next++ % payloads.length];
    sent++;
    queue.push(now());
    socket.send(payload, port, host);
  };
  socket.on('message', () => {
    const startedAt = queue.shift();
    if (startedAt !== undefined) record(startedAt);
    sendOne();
  });
  socket.on('error', () => {
    errors++;
  });
  // Datagrams lost (dropped by a rate limit or a full buffer) would shrink the window
  // forever: write off the oldest request after lossTimeoutMs and send a new one.
  const sweeper = setInterval(() => {
    const cutoff = now() - lossTimeoutMs;
    while (queue.length > 0 && queue[0] < cutoff) {
      queue.shift();
      lost++;
      sendOne();
    }
  }, 100);
  for (let i = 0; i < window; i++) sendOne();
  return () => {
    clearInterval(sweeper);
    socket.close();
  };
}

function tcpWorker(index) {
  const socket = connect({ host, port });
  socket.setNoDelay(true);
  const queue = [];
  let next = index;
  let pendingLines = 0;
  const sendOne = () => {
    if (stopped || sent >= maxRequests) return;
    sent++;
    queue.push(now());
    socket.write(lines[next++ % lines.length]);
  };
  socket.on('data', (chunk) => {
    let at = chunk.indexOf(10);
    while (at >= 0) {
      pendingLines++;
      if (pendingLines === replyLines) {
        pendingLines = 0;
        const startedAt = queue.shift();
        if (startedAt !== undefined) record(startedAt);
        sendOne();
      }
      at = chunk.indexOf(10, at + 1);
    }
  });
  socket.on('error', () => {
    errors++;
  });
  socket.on('connect', () => {
    for (let i = 0; i < window; i++) sendOne();
  });
  return () => socket.destroy();
}

const stops = [];
for (let i = 0; i < connections; i++) stops.push(transport === 'udp' ? udpWorker(i) : tcpWorker(i));

setTimeout(() => {
  measuring = true;
  measuredStart = now();
}, warmupMs);

setTimeout(() => {
  const elapsed = (now() - measuredStart) / 1000;
  stopped = true;
  for (const stop of stops) stop();
  const sorted = latencies.subarray(0, latencyCount).sort();
  const pct = (p) =>
    sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  process.stdout.write(
    `${JSON.stringify({
      requestsPerSecond: Math.round(measuredCompleted / elapsed),
      completed,
      sent,
      lost,
      errors,
      latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), p999: pct(99.9) },
    })}\n`,
  );
  process.exit(0);
}, warmupMs + durationMs);
