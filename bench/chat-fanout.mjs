#!/usr/bin/env node
/**
 * Chat fan-out: N concurrent TCP clients in one room, a fixed total send rate, every message
 * delivered to every member. Measures deliveries per second, delivery latency (p50/p99/max)
 * and server memory per client, for netkit's chat server and ngircd (Debian's IRC server,
 * one channel) in the same run, and prints them side by side with the ratio netkit / ngircd.
 *
 * The load generator is bench/lib/chatload.c (C, epoll, one process). Memory per client =
 * (server RSS once all clients have joined - RSS before the first connection) / N.
 *
 * Usage: npm run build && node bench/chat-fanout.mjs [--clients 1000,10000] [--rates 20,100]
 *          [--senders 20] [--duration 10] [--join-timeout 600] [--only netkit|ngircd] [--quick] [--profile]
 *   --join-timeout  seconds allowed for all clients to join; a server that takes longer gets a
 *              row saying how many joined (ngircd's joins cost O(N²) or worse: about 2.5 s for
 *              1,000 clients, 41 s for 3,000, and 7,155 of 10,000 after 10 minutes here)
 *   --quick    200 clients, 3 s per rate
 *   --profile  runs netkit under `node --cpu-prof` and writes the profile to .tmp/chat-prof/
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, machine, ms, NETKIT, ROOT, rssBytes, startServer, table } from './lib/harness.mjs';
import { NGIRCD, writeNgircdConf } from './lib/ngircd-conf.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000,10000' },
    rates: { type: 'string', default: '20,100' },
    senders: { type: 'string', default: '20' },
    duration: { type: 'string', default: '10' },
    only: { type: 'string' },
    'join-timeout': { type: 'string', default: '600' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const clientCounts = values.quick ? [200] : values.clients.split(',').map(Number);
const rates = values.rates;
const senders = Number(values.senders);
const durationMs = (values.quick ? 3 : Number(values.duration)) * 1000;

const CHATLOAD_SOURCE = fileURLToPath(new URL('./lib/chatload.c', import.meta.url));
const CHATLOAD = `${ROOT}.tmp/chatload`;

function buildChatload() {
  if (existsSync(CHATLOAD) && statSync(CHATLOAD).mtimeMs > statSync(CHATLOAD_SOURCE).mtimeMs) return;
  mkdirSync(`${ROOT}.tmp`, { recursive: true });
  execFileSync('cc', ['-O2', '-Wall', '-o', CHATLOAD, CHATLOAD_SOURCE], { stdio: 'inherit' });
}

const SERVERS = {
  netkit: {
    mode: 'netkit',
    // Node.js listens with a backlog of 511: many registrations in flight are fine.
    window: 64,
    async start(port) {
      const args = [
        NETKIT,
        'serve',
        'chat',
        '--listen',
        `tcp://127.0.0.1:${port}`,
        '--flood-rate',
        '0',
        '--max-connections',
        '20000',
        '--max-per-address',
        '20000',
        '--log-level',
        'warn',
      ];
      const node = values.profile ? ['--cpu-prof', '--cpu-prof-dir', `${ROOT}.tmp/chat-prof`, ...args] : args;
      const server = await startServer('netkit', process.execPath, node, port);
      // --notice-limit (default 500): rooms above it get no join/part notices, so joins are
      // not an O(N²) fan-out as they are in IRC.
      server.notes = 'no join notices above 500 members';
      if (values.profile) {
        // --cpu-prof writes its profile on a normal exit only: stop with SIGINT, then wait.
        server.stop = async () => {
          process.kill(server.pid, 'SIGINT');
          const deadline = Date.now() + 20_000;
          while (Date.now() < deadline && existsSync(`/proc/${server.pid}`))
            await new Promise((resolve) => setTimeout(resolve, 100));
          if (existsSync(`/proc/${server.pid}`)) process.kill(server.pid, 'SIGKILL');
        };
      }
      return server;
    },
  },
  ngircd: {
    mode: 'irc',
    // ngircd listens with a backlog of 10; more connects in flight only cause SYN retries.
    window: 10,
    async start(port) {
      const conf = writeNgircdConf(port);
      try {
        const server = await startServer('ngircd', NGIRCD, ['-n', '-f', conf.conf], port);
        const stop = server.stop;
        server.stop = async () => {
          try {
            await stop();
          } finally {
            conf.remove();
          }
        };
        server.notes = 'MaxPenaltyTime = 0';
        return server;
      } catch (error) {
        conf.remove();
        throw error;
      }
    },
  },
};

const joinTimeoutMs = Number(values['join-timeout']) * 1000;

/** Runs chatload against a running server; `onJoined` runs while it waits, before sending. */
function runChatload(server, mode, window, port, clients, onJoined) {
  buildChatload();
  const args = [
    mode,
    '127.0.0.1',
    port,
    clients,
    Math.min(senders, clients),
    rates,
    durationMs,
    joinTimeoutMs,
    window,
    5000,
  ].map(String);
  const child = spawn(CHATLOAD, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return (async () => {
    const lines = [];
    let joined;
    for await (const line of createInterface({ input: child.stdout })) {
      const message = JSON.parse(line);
      if (message.phase === 'joined') {
        joined = message;
        if (message.joined === clients) await onJoined();
        child.stdin.end('go\n');
      } else lines.push(message);
    }
    const { code, signal } = await exited;
    // 3: not every client joined in time; reported as such, not as a failure of the run.
    if (code === 3) return { joined, results: [] };
    if (code !== 0)
      throw new Error(
        `chatload against ${server.name} exited ${code ?? signal}: ${joined?.joined ?? 0}/${clients} joined`,
      );
    return { joined, results: lines };
  })();
}

async function measure(name, clients) {
  const { mode, window, start } = SERVERS[name];
  const port = await freePort();
  const server = await start(port);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idleRss = rssBytes(server.pid);
    let joinedRss = 0;
    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssBytes(server.pid));
    }, 250);
    try {
      const { joined, results } = await runChatload(server, mode, window, port, clients, async () => {
        // Let the last join notices drain before reading the memory held per client.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        joinedRss = rssBytes(server.pid);
      });
      return { name, notes: server.notes, clients, idleRss, joinedRss, peakRss, joined, results };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await server.stop();
  }
}

const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);
const KiB = (bytes) => (bytes / 1024).toFixed(1);
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : '-');

function printRun(clients, runs) {
  console.log(`\n## ${clients} clients in one room, ${senders} senders, ${durationMs / 1000} s per rate\n`);
  console.log(
    table(
      ['server', 'join s', 'RSS idle → joined MiB', 'KiB / client', 'peak MiB', 'notes'],
      runs.map((r) => [
        r.name,
        r.joined.joined === clients
          ? r.joined.joinSeconds.toFixed(1)
          : `${r.joined.joined} of ${clients} joined in ${r.joined.joinSeconds.toFixed(0)}`,
        r.joinedRss ? `${MiB(r.idleRss)} → ${MiB(r.joinedRss)}` : '-',
        r.joinedRss ? KiB((r.joinedRss - r.idleRss) / clients) : '-',
        MiB(r.peakRss),
        r.notes,
      ]),
    ),
  );
  console.log('');
  const rows = [];
  const longest = runs.reduce((a, b) => (b.results.length > a.results.length ? b : a));
  for (const [i, first] of longest.results.entries()) {
    for (const run of runs) {
      const r = run.results[i];
      if (!r) {
        rows.push([
          `${first.rate}/s`,
          run.name,
          '-',
          'not measured: not all clients joined',
          '',
          '',
          '',
          '',
          '',
        ]);
        continue;
      }
      rows.push([
        `${first.rate}/s`,
        run.name,
        (r.rate * (clients - 1)).toLocaleString('en-US'),
        Math.round(r.deliveriesPerSecond).toLocaleString('en-US'),
        `${r.delivered.toLocaleString('en-US')} / ${r.expected.toLocaleString('en-US')}`,
        ms(r.latencyMs.p50),
        ms(r.latencyMs.p99),
        ms(r.latencyMs.max),
        r.errors + r.closedDuringRun,
      ]);
    }
  }
  console.log(
    table(
      [
        'rate',
        'server',
        'offered deliveries/s',
        'delivered/s',
        'delivered / expected',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
      ],
      rows,
    ),
  );
  const netkit = runs.find((r) => r.name === 'netkit');
  const ngircd = runs.find((r) => r.name === 'ngircd');
  if (!netkit?.results.length || !ngircd?.results.length) return;
  console.log('\nnetkit / ngircd:');
  for (const [i, a] of netkit.results.entries()) {
    const b = ngircd.results[i];
    console.log(
      `  ${a.rate}/s: delivered/s ${ratio(a.deliveriesPerSecond, b.deliveriesPerSecond)}, p50 ${ratio(a.latencyMs.p50, b.latencyMs.p50)}, p99 ${ratio(a.latencyMs.p99, b.latencyMs.p99)}`,
    );
  }
  console.log(
    `  memory per client ${ratio(netkit.joinedRss - netkit.idleRss, ngircd.joinedRss - ngircd.idleRss)}; join time ${ratio(netkit.joined.joinSeconds, ngircd.joined.joinSeconds)}`,
  );
}

console.log(`# chat fan-out benchmark — ${machine()} — ${new Date().toISOString()}`);
for (const clients of clientCounts) {
  const runs = [];
  for (const name of Object.keys(SERVERS)) {
    if (values.only && values.only !== name) continue;
    process.stderr.write(`${name}, ${clients} clients:\n`);
    runs.push(await measure(name, clients));
  }
  printRun(clients, runs);
}
