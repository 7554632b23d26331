#!/usr/bin/env node
/**
 * DNS server over UDP: dnsperf (Debian package) against, in the same run and on the same
 * generated zone and query mix,
 *   ceiling — a bare Node.js dgram socket sending one fixed precomputed reply
 *             (bench/peers/fixed-reply-server.mjs)
 *   netkit  — `netkit serve dns --zone bench.test.=FILE`, one process, and with `--workers 2`
 *   NSD     — `nsd -d -c CONF`, one server process (`server-count: 1`), `rrl-ratelimit: 0`
 *   dns2    — the npm package dns2 (bench/peers/dns2-server.mjs), the JavaScript peer
 * Each server in turn on its own free loopback port: started, warmed up (1 s of dnsperf),
 * measured, stopped by its PID.
 *
 *   npm run bench:dns-serve                      # 10 s per server
 *   node bench/dns-serve.mjs --quick             # 3 s per server
 *   node bench/dns-serve.mjs --duration 20 --threads 1 --clients 10 --outstanding 100
 *   node bench/dns-serve.mjs --only netkit,nsd
 *   node bench/dns-serve.mjs --only ceiling,netkit,netkit-workers
 *   NETKIT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' node bench/dns-serve.mjs --only netkit
 *
 * Not a test: numbers depend on the machine. Needs `apt-get install dnsperf nsd`.
 */
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, machine, NETKIT, ROOT, table } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    threads: { type: 'string', default: '1' },
    clients: { type: 'string', default: '10' },
    outstanding: { type: 'string', default: '100' },
    only: { type: 'string' },
  },
});
const SECONDS = Number(values.duration ?? (values.quick ? 3 : 10));
const WARMUP_SECONDS = 1;
const ORIGIN = 'bench.test.';
const HOSTS = 3000;
const QUERIES = 10_000;
// One dnsperf thread (the other core is the server's), 10 clients (sockets), 100 queries in
// flight in all: enough to keep a one-process server busy without queueing whole seconds.
const DNSPERF_ARGS = ['-T', values.threads, '-c', values.clients, '-q', values.outstanding, '-t', '2'];

// ---------------------------------------------------------------------------------------
// The zone and the queries

function makeZone() {
  const lines = [
    `$ORIGIN ${ORIGIN}`,
    '$TTL 3600',
    '@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300',
    '@ IN NS ns1',
    '@ IN NS ns2',
    '@ IN MX 10 mail',
    'ns1 IN A 192.0.2.1',
    'ns2 IN A 192.0.2.2',
    'mail IN A 192.0.2.25',
    '*.wild IN A 192.0.2.80',
    '*.wild IN TXT "wildcard"',
    // A delegation with glue: names under sub. get a referral.
    'sub IN NS ns.sub',
    'ns.sub IN A 192.0.2.53',
  ];
  const records = { a: {}, cname: {}, wildcards: { [`wild.${ORIGIN.slice(0, -1)}`]: '192.0.2.80' } };
  const full = (label) => `${label}.${ORIGIN.slice(0, -1)}`;
  for (const [label, address] of [
    ['ns1', '192.0.2.1'],
    ['ns2', '192.0.2.2'],
    ['mail', '192.0.2.25'],
  ])
    records.a[full(label)] = address;
  for (let i = 0; i < HOSTS; i++) {
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    lines.push(`h${i} IN A ${address}`);
    records.a[full(`h${i}`)] = address;
    if (i % 2 === 0) lines.push(`h${i} IN AAAA 2001:db8::${i.toString(16)}`);
    if (i % 5 === 0) lines.push(`h${i} IN MX 10 mail`);
    if (i % 3 === 0) lines.push(`h${i} IN TXT "v=spf1 -all" "host ${i}"`);
  }
  for (let i = 0; i < 100; i++) {
    lines.push(`c${i} IN CNAME h${i}`);
    records.cname[full(`c${i}`)] = full(`h${i}`);
  }
  return { text: `${lines.join('\n')}\n`, records };
}

/**
 * dnsperf's query file, `name TYPE` a line, in a fixed pseudo-random order. Out of 20:
 * 8 existing names (4 A, 2 AAAA, 1 MX, 1 TXT), 4 NXDOMAIN, 3 CNAME, 3 wildcard, 2 referral.
 */
function makeQueries() {
  let seed = 12345;
  const random = (n) => {
    // A 32-bit LCG; its low bits repeat with short periods, so the high ones are used.
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed >>> 8) % n;
  };
  const o = ORIGIN;
  const kinds = [
    () => `h${random(HOSTS)}.${o} A`,
    () => `h${random(HOSTS)}.${o} A`,
    () => `h${random(HOSTS)}.${o} A`,
    () => `h${random(HOSTS)}.${o} A`,
    () => `h${2 * random(HOSTS / 2)}.${o} AAAA`,
    () => `h${2 * random(HOSTS / 2)}.${o} AAAA`,
    () => `h${5 * random(HOSTS / 5)}.${o} MX`,
    () => `h${3 * random(HOSTS / 3)}.${o} TXT`,
    () => `nx${random(100_000)}.${o} A`,
    () => `nx${random(100_000)}.${o} A`,
    () => `nx${random(100_000)}.${o} A`,
    () => `nope${random(100_000)}.h${random(HOSTS)}.${o} A`,
    () => `c${random(100)}.${o} A`,
    () => `c${random(100)}.${o} A`,
    () => `c${random(100)}.${o} A`,
    () => `w${random(100_000)}.wild.${o} A`,
    () => `w${random(100_000)}.wild.${o} A`,
    () => `a.w${random(100_000)}.wild.${o} A`,
    () => `host${random(1000)}.sub.${o} A`,
    () => `www.sub.${o} AAAA`,
  ];
  const lines = [];
  for (let i = 0; i < QUERIES; i++) lines.push(kinds[random(kinds.length)]());
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// Servers

/** A query for h1.bench.test. A; true once the server on `port` answers it with NOERROR. */
function answersQuery(port) {
  const query = Buffer.from([
    0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 104, 49, 5, 98, 101, 110, 99, 104, 4, 116, 101, 115, 116, 0,
    0, 1, 0, 1,
  ]);
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(false);
    }, 200);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply.length >= 12 && (reply[3] & 0x0f) === 0);
    });
    socket.on('error', () => {});
    socket.send(query, port, '127.0.0.1');
  });
}

/** Starts `command args` in a process group of its own; resolves once it answers on `port`. */
async function start(name, command, args, port, cwd) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let exited = false;
  const exit = new Promise((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      // The group: NSD forks its server process.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 3000);
      await exit;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + 15_000;
  while (!(await answersQuery(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { name, pid: child.pid, stop, stderr: () => stderr };
}

function nsdConfig(dir, port, zoneFile) {
  const conf = join(dir, 'nsd.conf');
  writeFileSync(
    conf,
    [
      'server:',
      `  ip-address: 127.0.0.1@${port}`,
      `  port: ${port}`,
      '  do-ip6: no',
      '  username: ""',
      '  chroot: ""',
      '  database: ""',
      `  zonesdir: "${dir}"`,
      `  pidfile: "${join(dir, 'nsd.pid')}"`,
      `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
      `  xfrdir: "${dir}"`,
      `  zonelistfile: "${join(dir, 'zone.list')}"`,
      '  server-count: 1',
      '  verbosity: 1',
      // Debian's NSD limits responses to about 200/s per /24 by default: off, or it drops.
      '  rrl-ratelimit: 0',
      '  minimal-responses: no',
      'remote-control:',
      '  control-enable: no',
      'zone:',
      `  name: "${ORIGIN}"`,
      `  zonefile: "${zoneFile}"`,
      '',
    ].join('\n'),
  );
  return conf;
}

// ---------------------------------------------------------------------------------------
// dnsperf

function dnsperf(port, queryFile, seconds) {
  const args = [
    '-s',
    '127.0.0.1',
    '-p',
    String(port),
    '-d',
    queryFile,
    '-l',
    String(seconds),
    ...DNSPERF_ARGS,
  ];
  return new Promise((resolve, reject) => {
    execFile('dnsperf', args, { timeout: (seconds + 15) * 1000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`dnsperf failed: ${error.message}\n${stderr}${stdout}`));
      const number = (pattern) => {
        const match = pattern.exec(stdout);
        if (!match) throw new Error(`dnsperf output without ${pattern}:\n${stdout}`);
        return Number(match[1]);
      };
      const codes = /Response codes:\s+(.*)/.exec(stdout)?.[1] ?? '';
      resolve({
        sent: number(/Queries sent:\s+(\d+)/),
        completed: number(/Queries completed:\s+(\d+)/),
        lost: number(/Queries lost:\s+(\d+)/),
        qps: number(/Queries per second:\s+([\d.]+)/),
        latencyMs: number(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
        maxLatencyMs: number(/Average Latency \(s\):.*max ([\d.]+)/) * 1000,
        replyBytes: number(/Average packet size:.*response (\d+)/),
        stddevMs: number(/Latency StdDev \(s\):\s+([\d.]+)/) * 1000,
        codes,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'netkit-bench-dns-'));
const zone = makeZone();
const zoneFile = join(dir, 'bench.test.zone');
const queryFile = join(dir, 'queries.txt');
const recordsFile = join(dir, 'records.json');
writeFileSync(zoneFile, zone.text);
writeFileSync(queryFile, makeQueries());
writeFileSync(recordsFile, JSON.stringify(zone.records));

/** `netkit serve dns` on the bench zone (NETKIT_NODE_ARGS: extra Node flags, e.g. --cpu-prof). */
function netkitCommand(port, extra) {
  const nodeArgs = process.env.NETKIT_NODE_ARGS ? process.env.NETKIT_NODE_ARGS.split(' ') : [];
  const args = ['serve', 'dns', '--zone', `${ORIGIN}=${zoneFile}`, '--listen', `udp://127.0.0.1:${port}`];
  return [process.execPath, [...nodeArgs, NETKIT, ...args, ...extra, '--log-level', 'warn']];
}

const SERVERS = [
  {
    name: 'ceiling',
    label: 'ceiling (bare Node.js dgram, fixed reply)',
    command: (port) => [process.execPath, [`${ROOT}bench/peers/fixed-reply-server.mjs`, String(port)]],
  },
  {
    name: 'netkit',
    label: 'netkit serve dns (1 process, reply cache)',
    command: (port) => netkitCommand(port, []),
  },
  {
    name: 'netkit-workers',
    label: 'netkit serve dns --workers 2 (reply cache)',
    command: (port) => netkitCommand(port, ['--workers', '2']),
  },
  {
    name: 'netkit-nocache',
    label: 'netkit serve dns, --reply-cache 0',
    command: (port) => netkitCommand(port, ['--reply-cache', '0']),
  },
  {
    name: 'nsd',
    label: 'NSD (server-count 1)',
    command: (port) => ['nsd', ['-d', '-c', nsdConfig(dir, port, zoneFile)]],
  },
  {
    name: 'dns2',
    label: 'dns2 (npm, UDP server)',
    command: (port) => [process.execPath, [`${ROOT}bench/peers/dns2-server.mjs`, String(port), recordsFile]],
  },
].filter((s) => !values.only || values.only.split(',').includes(s.name));

const zoneLines = zone.text.split('\n').length - 1;
console.log(`# DNS server benchmark (dnsperf) — ${machine()} — ${new Date().toISOString()}`);
console.log(
  `zone ${ORIGIN} (${zoneLines} lines), ${QUERIES} queries in the mix; ` +
    `dnsperf ${DNSPERF_ARGS.join(' ')} -l ${SECONDS} (after a ${WARMUP_SECONDS} s warm-up)\n`,
);

const results = [];
try {
  for (const spec of SERVERS) {
    const port = await freePort();
    const [command, args] = spec.command(port);
    const server = await start(spec.name, command, args, port, dir);
    try {
      await dnsperf(port, queryFile, WARMUP_SECONDS);
      const result = await dnsperf(port, queryFile, SECONDS);
      results.push({ ...spec, ...result });
      console.log(
        `${spec.name}: ${Math.round(result.qps)} q/s, lost ${result.lost}, ` +
          `avg ${result.latencyMs.toFixed(3)} ms; ${result.codes}`,
      );
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const by = Object.fromEntries(results.map((r) => [r.name, r]));
const ratio = (a, b) => (by[a] && by[b] ? (by[a].qps / by[b].qps).toFixed(2) : '-');
console.log(
  `\n${table(
    ['server', 'queries/s', 'avg ms', 'stddev ms', 'max ms', 'lost', 'sent', 'reply bytes'],
    results.map((r) => [
      r.label,
      Math.round(r.qps).toLocaleString('en-US'),
      r.latencyMs.toFixed(3),
      r.stddevMs.toFixed(3),
      r.maxLatencyMs.toFixed(1),
      r.lost,
      r.sent.toLocaleString('en-US'),
      r.replyBytes,
    ]),
  )}\n`,
);
console.log(
  table(
    ['ratio', 'value', 'goal'],
    [
      ['netkit / ceiling', ratio('netkit', 'ceiling'), '>= 0.8'],
      ['netkit / NSD', ratio('netkit', 'nsd'), '~0.6'],
      ['netkit / dns2', ratio('netkit', 'dns2'), 'many times'],
      ['netkit, 2 workers / netkit', ratio('netkit-workers', 'netkit'), '(dnsperf takes one of the cores)'],
      [
        'netkit, no reply cache / ceiling',
        ratio('netkit-nocache', 'ceiling'),
        '(every query decoded and answered)',
      ],
    ],
  ),
);
console.log(
  '\nnetkit runs one process, or two with --workers 2 (node:cluster, one shared UDP socket); ' +
    'NSD runs one server process (server-count 1).',
);
