#!/usr/bin/env node
/**
 * Holds 10,000 concurrent TCP connections to the word server, each sending a word a
 * second, and reports the server's memory per connection and the reply latency.
 * Usage: npm run build && node bench/words-10k.mjs [--connections 10000] [--duration 20]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, machine, ms, NETKIT, rssBytes, startServer } from './lib/harness.mjs';

const { values } = parseArgs({
  options: { connections: { type: 'string', default: '10000' }, duration: { type: 'string', default: '20' } },
});
const connections = Number(values.connections);
const port = await freePort();
const server = await startServer(
  'netkit words',
  process.execPath,
  [
    NETKIT,
    'serve',
    'words',
    '--listen',
    `tcp://127.0.0.1:${port}`,
    '--log-level',
    'warn',
    '--max-connections',
    String(connections + 100),
  ],
  port,
);
await new Promise((resolve) => setTimeout(resolve, 500));
const idleRss = rssBytes(server.pid);

const holder = spawn(
  process.execPath,
  [
    fileURLToPath(new URL('./lib/hold-connections.mjs', import.meta.url)),
    JSON.stringify({
      port,
      connections,
      durationMs: Number(values.duration) * 1000,
      request: 'hello',
      replyLines: 2,
    }),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let connectedRss = 0;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, rssBytes(server.pid));
}, 250);
let result;
for await (const line of createInterface({ input: holder.stdout })) {
  const message = JSON.parse(line);
  if (message.phase === 'connected') {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    connectedRss = rssBytes(server.pid);
  } else result = message;
}
clearInterval(sampler);
await server.stop();

const perConnection = (connectedRss - idleRss) / result.connected;
console.log(
  `# words: ${result.connected} concurrent TCP connections, one word per second each — ${machine()}`,
);
console.log(
  `server RSS idle ${(idleRss / 2 ** 20).toFixed(1)} MiB, with connections ${(connectedRss / 2 ** 20).toFixed(1)} MiB, peak under load ${(peakRss / 2 ** 20).toFixed(1)} MiB`,
);
console.log(
  `memory per connection: ${(perConnection / 1024).toFixed(1)} KiB (idle connections); ${((peakRss - idleRss) / result.connected / 1024).toFixed(1)} KiB at peak`,
);
console.log(
  `replies per second: ${result.repliesPerSecond} (expected ~${result.connected}); errors ${result.errors}; closed ${result.closed}`,
);
console.log(
  `reply latency: p50 ${ms(result.latencyMs.p50)} ms, p99 ${ms(result.latencyMs.p99)} ms, max ${ms(result.latencyMs.max)} ms`,
);
