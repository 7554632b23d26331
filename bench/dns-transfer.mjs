#!/usr/bin/env node
/**
 * Zone transfer: time and memory for a secondary to get a zone of RECORDS records (default
 * 1,000,000: A, AAAA, TXT and MX at many names) by AXFR over loopback, in the same run:
 *   NSD → Knot    — the reference: two C servers (`nsd -d`, `knotd -c`)
 *   NSD → netkit  — `netkit serve dns --secondary ORIGIN@127.0.0.1:PORT --data-dir DIR`
 *   netkit → Knot — `netkit serve dns --zone ORIGIN=FILE --data-dir DIR` as the primary
 * For each pair the primary is up and serving first (not timed); then the secondary is
 * started, and timed from its start until it serves the primary's serial (SOA polled over
 * UDP every 50 ms). Its peak memory is VmHWM of /proc/PID/status, read during the transfer
 * and at the end. Each server on a free loopback port, stopped by its PID (process group).
 *
 *   npm run bench:dns-transfer
 *   node bench/dns-transfer.mjs --records 100000
 *   node bench/dns-transfer.mjs --only nsd-knot --records 1000000 --timeout 600
 *   NETKIT_NODE_ARGS=--max-old-space-size=4096 node bench/dns-transfer.mjs
 *
 * After each timed transfer (and outside the time), the secondary's copy is checked: an AXFR
 * from it with dig must hold every record (--skip-verify leaves that out). --verbose prints
 * what each secondary logged.
 *
 * Not a test: numbers depend on the machine. Needs `apt-get install nsd knot` and a built
 * dist/ (npm run build) for the netkit pairs. NSD → netkit is skipped, with a message, while
 * the built `netkit serve dns` has no --secondary; --data-dir is passed only once it has one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, machine, NETKIT, table } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    timeout: { type: 'string', default: '300' },
    only: { type: 'string' },
    'skip-verify': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const RECORDS = Number(values.records);
const TIMEOUT_MS = Number(values.timeout) * 1000;
const ORIGIN = 'bench.test.';
const SERIAL = 2024010101;
const POLL_MS = 50;

// ---------------------------------------------------------------------------------------
// The zone

/** RECORDS records after the SOA and NS: A, AAAA, TXT, MX in turn, two records a name. */
function makeZone(count) {
  const lines = [
    `$ORIGIN ${ORIGIN}`,
    '$TTL 3600',
    `@ IN SOA ns1 hostmaster ${SERIAL} 7200 3600 1209600 300`,
    '@ IN NS ns1',
    'ns1 IN A 192.0.2.1',
  ];
  for (let i = 0; i < count; i++) {
    const host = `h${i >> 1}`;
    switch (i % 4) {
      case 0:
        lines.push(`${host} IN A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
        break;
      case 1:
        lines.push(`${host} IN AAAA 2001:db8::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`);
        break;
      case 2:
        lines.push(`${host} IN TXT "v=spf1 -all" "record ${i}"`);
        break;
      default:
        lines.push(`${host} IN MX 10 mail.h${i >> 3}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// SOA over UDP

function encodeName(name) {
  const parts = name
    .replace(/\.$/, '')
    .split('.')
    .flatMap((label) => [label.length, ...Buffer.from(label)]);
  return [...parts, 0];
}

const SOA_QUERY = Buffer.from([0x4e, 0x4b, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...encodeName(ORIGIN), 0, 6, 0, 1]);

/** The offset after the (possibly compressed) name at `offset`. */
function skipName(message, offset) {
  for (;;) {
    const length = message[offset];
    if (length === undefined) throw new RangeError('name runs past the message');
    if ((length & 0xc0) === 0xc0) return offset + 2;
    if (length === 0) return offset + 1;
    offset += length + 1;
  }
}

/** The serial of the first SOA in the answer section, or undefined. */
function serialOf(reply) {
  try {
    if (reply.length < 12 || (reply[3] & 0x0f) !== 0 || reply.readUInt16BE(6) === 0) return undefined;
    let offset = skipName(reply, 12) + 4;
    offset = skipName(reply, offset);
    if (reply.readUInt16BE(offset) !== 6) return undefined;
    offset += 10;
    offset = skipName(reply, skipName(reply, offset));
    return reply.readUInt32BE(offset);
  } catch {
    return undefined;
  }
}

/** The serial `port` serves for ORIGIN, undefined when it does not answer one within 200 ms. */
function querySerial(port) {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, 200);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(serialOf(reply));
    });
    socket.on('error', () => {});
    socket.send(SOA_QUERY, port, '127.0.0.1');
  });
}

// ---------------------------------------------------------------------------------------
// Processes

/** VmHWM (peak resident memory) of `pid`, in bytes; undefined once it is gone. */
function peakRss(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `command args` in a process group of its own, its output kept for errors. */
function launch(name, command, args, cwd) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  let exited = false;
  const exit = new Promise((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += `\n${error.message}`;
      exited = true;
      resolve();
    });
  });
  return {
    name,
    pid: child.pid,
    output: () => output,
    exited: () => exited,
    async stop() {
      if (exited) return;
      try {
        // The group: NSD forks its server and xfrd processes.
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `port` every POLL_MS until it serves SERIAL; meanwhile samples the secondary's VmHWM.
 * Resolves { seconds, peak } from `startedAt` (hrtime), or throws on exit or timeout.
 */
async function waitForSerial(server, port, startedAt, timeoutMs) {
  let peak = 0;
  for (;;) {
    peak = Math.max(peak, peakRss(server.pid) ?? 0);
    if ((await querySerial(port)) === SERIAL) {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      return { seconds, peak: Math.max(peak, peakRss(server.pid) ?? 0) };
    }
    if (server.exited()) throw new Error(`${server.name} exited:\n${server.output().slice(-2000)}`);
    if (Number(process.hrtime.bigint() - startedAt) / 1e6 > timeoutMs) {
      throw new Error(`${server.name} did not serve serial ${SERIAL} within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** How many records dig's AXFR of ORIGIN from `port` holds (the SOA, sent first and last, counted once). */
function axfrRecordCount(port) {
  return new Promise((resolve, reject) => {
    const dig = spawn('dig', [
      '+noall',
      '+answer',
      '+tries=1',
      '+time=30',
      '-p',
      String(port),
      '@127.0.0.1',
      ORIGIN,
      'AXFR',
    ]);
    let lines = 0;
    dig.stdout.on('data', (chunk) => {
      for (const byte of chunk) if (byte === 10) lines++;
    });
    dig.on('error', reject);
    dig.on('exit', (code) =>
      code === 0 ? resolve(lines - 1) : reject(new Error(`dig AXFR exited ${code}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------
// Servers

function nsdPrimary(dir, port, zoneFile) {
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
      // Debian's NSD limits responses to about 200/s per /24 by default.
      '  rrl-ratelimit: 0',
      'remote-control:',
      '  control-enable: no',
      'zone:',
      `  name: "${ORIGIN}"`,
      `  zonefile: "${zoneFile}"`,
      '  provide-xfr: 127.0.0.1 NOKEY',
      '',
    ].join('\n'),
  );
  return ['nsd', ['-d', '-c', conf]];
}

/** A Knot secondary that keeps the zone in memory only (no zone file written, no journal); AXFR allowed from 127.0.0.1. */
function knotSecondary(dir, port, primaryPort) {
  mkdirSync(join(dir, 'db'), { recursive: true });
  const conf = join(dir, 'knot.conf');
  writeFileSync(
    conf,
    [
      'server:',
      `  listen: 127.0.0.1@${port}`,
      `  rundir: "${dir}"`,
      '  udp-workers: 1',
      '  tcp-workers: 1',
      '  background-workers: 1',
      'log:',
      '  - target: stderr',
      '    any: info',
      'database:',
      `  storage: "${join(dir, 'db')}"`,
      'remote:',
      '  - id: primary',
      `    address: 127.0.0.1@${primaryPort}`,
      // For the check of its copy after the timed part.
      'acl:',
      '  - id: local-transfer',
      '    address: 127.0.0.1',
      '    action: transfer',
      'template:',
      '  - id: default',
      `    storage: "${dir}"`,
      '    zonefile-sync: -1',
      '    journal-content: none',
      'zone:',
      `  - domain: "${ORIGIN}"`,
      '    master: primary',
      '    acl: [local-transfer]',
      '',
    ].join('\n'),
  );
  return ['knotd', ['-c', conf]];
}

/** `netkit serve dns` (NETKIT_NODE_ARGS: extra Node flags, e.g. --max-old-space-size=4096). */
function netkitArgs(port, dataDir, extra) {
  const nodeArgs = process.env.NETKIT_NODE_ARGS ? process.env.NETKIT_NODE_ARGS.split(' ') : [];
  return [
    process.execPath,
    [
      ...nodeArgs,
      NETKIT,
      'serve',
      'dns',
      ...extra,
      '--listen',
      `udp://127.0.0.1:${port}`,
      '--listen',
      `tcp://127.0.0.1:${port}`,
      ...(netkit.dataDir ? ['--data-dir', dataDir] : []),
      '--log-level',
      'warn',
    ],
  ];
}

/** The options of the built `netkit serve dns` (from its --help), or why it cannot run. */
function netkitOptions() {
  if (!existsSync(NETKIT)) return { error: `${NETKIT} is missing (npm run build)` };
  try {
    const help = execFileSync(process.execPath, [NETKIT, 'serve', 'dns', '--help'], { encoding: 'utf8' });
    return { secondary: help.includes('--secondary'), dataDir: help.includes('--data-dir') };
  } catch (error) {
    return { error: `netkit serve dns --help failed: ${error.message}` };
  }
}

// ---------------------------------------------------------------------------------------

const PAIRS = [
  { name: 'nsd-knot', label: 'NSD → Knot', primary: 'nsd', secondary: 'knot' },
  { name: 'nsd-netkit', label: 'NSD → netkit', primary: 'nsd', secondary: 'netkit' },
  { name: 'netkit-knot', label: 'netkit → Knot', primary: 'netkit', secondary: 'knot' },
].filter((pair) => !values.only || values.only.split(',').includes(pair.name));

const dir = mkdtempSync(join(tmpdir(), 'netkit-bench-xfr-'));
const zoneFile = join(dir, 'bench.test.zone');
const text = makeZone(RECORDS);
writeFileSync(zoneFile, text);
const zoneRecords = RECORDS + 3;

console.log(`# Zone transfer benchmark — ${machine()} — ${new Date().toISOString()}`);
console.log(
  `zone ${ORIGIN}: ${zoneRecords.toLocaleString('en-US')} records (A, AAAA, TXT, MX), ` +
    `${(text.length / 2 ** 20).toFixed(0)} MiB of text; AXFR over TCP on 127.0.0.1; ` +
    `timeout ${TIMEOUT_MS / 1000} s a pair\n`,
);

const netkit = netkitOptions();
/** Why `pair` cannot run with the built netkit, or undefined when it can. */
function whyNot(pair) {
  if (pair.primary !== 'netkit' && pair.secondary !== 'netkit') return undefined;
  if (netkit.error) return netkit.error;
  if (pair.secondary === 'netkit' && !netkit.secondary) return 'the built netkit has no --secondary yet';
  return undefined;
}
for (const pair of PAIRS) {
  const why = whyNot(pair);
  if (why) console.log(`SKIPPING ${pair.label}: ${why}`);
}
if (!netkit.error && !netkit.dataDir) {
  console.log('the built netkit has no --data-dir yet: its primary runs without one (AXFR only)');
}
console.log('');

const primaries = new Map();
/** The primary of `kind`, started once (and timed to its first answer) for all pairs. */
async function primaryOf(kind) {
  if (primaries.has(kind)) return primaries.get(kind);
  const port = await freePort();
  const home = join(dir, `primary-${kind}`);
  mkdirSync(home);
  const [command, args] =
    kind === 'nsd'
      ? nsdPrimary(home, port, zoneFile)
      : netkitArgs(port, join(home, 'data'), ['--zone', `${ORIGIN}=${zoneFile}`]);
  const startedAt = process.hrtime.bigint();
  const server = launch(`${kind} primary`, command, args, home);
  const { seconds, peak } = await waitForSerial(server, port, startedAt, TIMEOUT_MS);
  // NSD's zone lives in the server process it forks, not in the one started here.
  const memory = kind === 'nsd' ? '' : `, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`;
  console.log(`${kind} primary loaded the zone in ${seconds.toFixed(2)} s${memory}`);
  const primary = { server, port };
  primaries.set(kind, primary);
  return primary;
}

const results = [];
try {
  for (const pair of PAIRS) {
    const why = whyNot(pair);
    if (why) {
      results.push({ ...pair, note: `skipped: ${why}` });
      continue;
    }
    const primary = await primaryOf(pair.primary);
    const port = await freePort();
    const home = join(dir, `${pair.name}-secondary`);
    mkdirSync(home);
    const [command, args] =
      pair.secondary === 'knot'
        ? knotSecondary(home, port, primary.port)
        : netkitArgs(port, join(home, 'data'), ['--secondary', `${ORIGIN}@127.0.0.1:${primary.port}`]);
    const startedAt = process.hrtime.bigint();
    const secondary = launch(`${pair.secondary} secondary`, command, args, home);
    try {
      const { seconds, peak } = await waitForSerial(secondary, port, startedAt, TIMEOUT_MS);
      let note = '';
      if (!values['skip-verify']) {
        const count = await axfrRecordCount(port);
        note = count === zoneRecords ? 'copy checked' : `copy has ${count} records, not ${zoneRecords}`;
      }
      // Knot says how long the AXFR itself took, and whether an attempt failed before it.
      const log = secondary.output();
      const axfrSeconds = [...log.matchAll(/AXFR, incoming, .*finished, ([\d.]+) seconds/g)].pop()?.[1];
      // One `refresh, failed (no usable master)` per failed attempt (Knot gives up on a primary
      // that sends nothing for 5 s, then retries).
      const failed = (log.match(/refresh, failed/g) ?? []).length;
      if (failed > 0)
        note += `${note && '; '}${failed} failed attempt${failed > 1 ? 's' : ''} first (see --verbose)`;
      results.push({ ...pair, seconds, peak, axfrSeconds, note });
      console.log(
        `${pair.label}: ${seconds.toFixed(2)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB ${note && `(${note})`}`,
      );
    } catch (error) {
      results.push({ ...pair, note: error.message.split('\n')[0] });
      console.log(`${pair.label}: ${error.message}`);
    } finally {
      await secondary.stop();
      if (values.verbose) console.log(`--- ${pair.label}, the secondary's log:\n${secondary.output()}`);
    }
  }
} finally {
  for (const { server } of primaries.values()) await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const reference = results.find((r) => r.name === 'nsd-knot' && r.seconds !== undefined);
console.log(
  `\n${table(
    ['pair', 'seconds', 'AXFR s (Knot log)', 'peak RSS MiB', 'records/s', 'time / NSD → Knot', 'note'],
    results.map((r) => [
      r.label,
      r.seconds === undefined ? '-' : r.seconds.toFixed(2),
      r.axfrSeconds ?? '-',
      r.peak === undefined ? '-' : (r.peak / 2 ** 20).toFixed(0),
      r.seconds === undefined ? '-' : Math.round(zoneRecords / r.seconds).toLocaleString('en-US'),
      r.seconds === undefined || reference === undefined ? '-' : (r.seconds / reference.seconds).toFixed(2),
      r.note,
    ]),
  )}`,
);
console.log(
  '\nseconds: from starting the secondary until it answers the new serial (process start, ' +
    'SOA query, AXFR, load); AXFR s: the transfer alone, as a Knot secondary logs it; ' +
    'peak RSS: the secondary process’s VmHWM.',
);
