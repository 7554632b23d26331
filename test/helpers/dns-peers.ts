/**
 * Real authoritative DNS servers (NSD, Knot, BIND) on a free loopback port, for interop
 * tests, and dig/kdig answers to compare against. Each server runs in the foreground with a
 * run folder and a config of its own, serves the zones it is given, and is ready once every
 * zone's SOA answers. `stop()` ends it by the PID started here (never by name) and removes
 * its folder. Notes on running the three side by side: /work/shared/PEERS.md.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './netkit-process.js';

export interface Zone {
  /** Absolute name, with the final dot: `example.test.`. */
  origin: string;
  /** The zone file's text (RFC 1035 master-file format). */
  text: string;
}

export interface DnsServerOptions {
  /** Allow AXFR from 127.0.0.1 (NSD provide-xfr, Knot acl, BIND allow-transfer). */
  allowAxfr?: boolean;
  /**
   * NSD and BIND `minimal-responses yes`: no authority or additional records beyond what the
   * answer needs. Knot has no such setting (it never adds the apex NS to an answer).
   */
  minimalResponses?: boolean;
  /** How long to wait for every zone's SOA to answer. */
  readyTimeoutMs?: number;
}

export interface DnsServer {
  port: number;
  /** The server's process (stopped by this PID) and its run folder (removed by stop()). */
  pid: number;
  dir: string;
  /** What the server printed so far (its log goes to stdout/stderr in the foreground). */
  output(): string;
  stop(): Promise<void>;
}

export const DEFAULT_READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** A bound port can be taken between freePort() and the server's bind: try a new one. */
const START_ATTEMPTS = 3;

const FIXTURES = fileURLToPath(new URL('../fixtures/dns/', import.meta.url));

/** The fixture zones of test/fixtures/dns (example.test. and the two reverse zones). */
export function fixtureZones(): Zone[] {
  return ['example.test.', '2.0.192.in-addr.arpa.', '8.b.d.0.1.0.0.2.ip6.arpa.'].map((origin) => ({
    origin,
    text: readFileSync(join(FIXTURES, `${origin}zone`), 'utf8'),
  }));
}

/**
 * A query (name, type) for each record type in the fixtures, answered alike by NSD, Knot
 * and BIND. NSEC3 is missing on purpose: all three answer NXDOMAIN for the hashed owner
 * (NSEC3 records live in a tree of their own); only AXFR shows it.
 */
export const FIXTURE_QUERIES: readonly (readonly [string, string])[] = [
  ['example.test.', 'SOA'],
  ['example.test.', 'NS'],
  ['ns1.example.test.', 'A'],
  ['ns1.example.test.', 'AAAA'],
  ['sub.example.test.', 'DS'],
  ['www.example.test.', 'CNAME'],
  ['www.example.test.', 'A'],
  ['old.example.test.', 'DNAME'],
  ['x.old.example.test.', 'A'],
  ['ptr.example.test.', 'PTR'],
  ['example.test.', 'MX'],
  ['txt.example.test.', 'TXT'],
  ['long.example.test.', 'TXT'],
  ['spf.example.test.', 'SPF'],
  ['_sip._tcp.example.test.', 'SRV'],
  ['naptr.example.test.', 'NAPTR'],
  ['example.test.', 'CAA'],
  ['hinfo.example.test.', 'HINFO'],
  ['sshfp.example.test.', 'SSHFP'],
  ['_443._tcp.www.example.test.', 'TLSA'],
  ['_dns.svc.example.test.', 'SVCB'],
  ['alias.example.test.', 'SVCB'],
  ['example.test.', 'HTTPS'],
  ['www2.example.test.', 'HTTPS'],
  ['example.test.', 'DNSKEY'],
  ['dnssec.example.test.', 'RRSIG'],
  ['example.test.', 'NSEC'],
  ['example.test.', 'NSEC3PARAM'],
  ['a.b.wild.example.test.', 'A'],
  ['anything.wild.example.test.', 'TXT'],
  ['unknown.example.test.', 'TYPE65280'],
  ['xn--bcher-kva.example.test.', 'A'],
  ['77.2.0.192.in-addr.arpa.', 'PTR'],
  ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.', 'PTR'],
];

/** `nsd -d -c CONF`. NSD's rate limiting is on by default: off here, or it drops answers. */
export function startNsd(zones: Zone[], options: DnsServerOptions = {}): Promise<DnsServer> {
  return startServer('nsd', zones, options, (dir, port, files) => {
    const conf = writeConfig(dir, 'nsd.conf', [
      ...nsdServer(dir, port, [
        '  verbosity: 1',
        `  minimal-responses: ${options.minimalResponses ? 'yes' : 'no'}`,
      ]),
      'remote-control:',
      '  control-enable: no',
      ...zones.flatMap((zone, i) => [
        'zone:',
        `  name: "${zone.origin}"`,
        `  zonefile: "${files[i]}"`,
        ...(options.allowAxfr ? ['  provide-xfr: 127.0.0.1 NOKEY'] : []),
      ]),
    ]);
    return ['nsd', ['-d', '-c', conf]];
  });
}

/** `knotd -c CONF` (Knot stays in the foreground unless told -d). */
export function startKnot(zones: Zone[], options: DnsServerOptions = {}): Promise<DnsServer> {
  return startServer('knot', zones, options, (dir, port, files) => {
    const acl = options.allowAxfr ? ['    acl: local-transfer'] : [];
    const conf = writeConfig(dir, 'knot.conf', [
      ...knotServer(dir, port, 'info'),
      ...(options.allowAxfr
        ? ['acl:', '  - id: local-transfer', '    address: 127.0.0.1', '    action: transfer']
        : []),
      'template:',
      '  - id: default',
      `    storage: "${dir}"`,
      // Never write the zone back to its file, nor keep a journal: the zones are fixtures.
      '    zonefile-sync: -1',
      '    zonefile-load: whole',
      '    journal-content: none',
      '    semantic-checks: on',
      'zone:',
      ...zones.flatMap((zone, i) => [`  - domain: "${zone.origin}"`, `    file: "${files[i]}"`, ...acl]),
    ]);
    return ['knotd', ['-c', conf]];
  });
}

/** `named -g -c CONF`: foreground, logs to stderr, no rndc, no user switch (-u). */
export function startBind(zones: Zone[], options: DnsServerOptions = {}): Promise<DnsServer> {
  return startServer('named', zones, options, (dir, port, files) => {
    const conf = writeConfig(dir, 'named.conf', [
      ...bindOptions(dir, port, [
        'notify no;',
        `allow-transfer { ${options.allowAxfr ? '127.0.0.1' : 'none'}; };`,
        `minimal-responses ${options.minimalResponses ? 'yes' : 'no'};`,
      ]),
      'controls { };',
      ...zones.map((zone, i) => `zone "${zone.origin}" {\n  type primary;\n  file "${files[i]}";\n};`),
    ]);
    // -n 1: one worker thread; the machine running the tests has two cores for everything.
    return ['named', ['-g', '-n', '1', '-c', conf]];
  });
}

// ---------------------------------------------------------------------------------------
// Config pieces, shared with dns-replication-peers.ts

/** Writes `lines` (and a final newline) to `dir`/`name`: its path. */
export function writeConfig(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, [...lines, ''].join('\n'));
  return path;
}

/**
 * NSD's `server:` block: 127.0.0.1@`port` only, everything in `dir`, then `settings` (lines
 * of the block, indented: verbosity, minimal-responses). Rate limiting off (Debian's NSD has
 * it on by default and would drop the tests' polling).
 */
export function nsdServer(dir: string, port: number, settings: string[]): string[] {
  return [
    'server:',
    `  ip-address: 127.0.0.1@${port}`,
    `  port: ${port}`,
    '  do-ip6: no',
    // Stay the user we are (root here): no privilege drop, no chroot, no database file.
    '  username: ""',
    '  chroot: ""',
    '  database: ""',
    `  zonesdir: "${dir}"`,
    `  pidfile: "${join(dir, 'nsd.pid')}"`,
    `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
    `  xfrdir: "${dir}"`,
    `  zonelistfile: "${join(dir, 'zone.list')}"`,
    '  server-count: 1',
    '  rrl-ratelimit: 0',
    ...settings,
  ];
}

/**
 * Knot's `server:`, `log:` (to stderr at `logLevel`) and `database:` sections: 127.0.0.1@`port`
 * only, one worker of each kind, its database in `dir`/db (made here).
 */
export function knotServer(dir: string, port: number, logLevel: 'info' | 'debug'): string[] {
  const storage = join(dir, 'db');
  mkdirSync(storage);
  return [
    'server:',
    `  listen: 127.0.0.1@${port}`,
    `  rundir: "${dir}"`,
    '  udp-workers: 1',
    '  tcp-workers: 1',
    '  background-workers: 1',
    'log:',
    '  - target: stderr',
    `    any: ${logLevel}`,
    'database:',
    `  storage: "${storage}"`,
  ];
}

/** BIND's `options` block: 127.0.0.1 port `port` only, no recursion, files in `dir`, then `settings`. */
export function bindOptions(dir: string, port: number, settings: string[]): string[] {
  return [
    'options {',
    `  directory "${dir}";`,
    `  pid-file "${join(dir, 'named.pid')}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  dnssec-validation no;',
    '  session-keyfile none;',
    ...settings.map((line) => `  ${line}`),
    '};',
  ];
}

type Configure = (dir: string, port: number, zoneFiles: string[]) => [string, string[]];

function startServer(
  name: string,
  zones: Zone[],
  options: DnsServerOptions,
  configure: Configure,
): Promise<DnsServer> {
  return launchServer({
    name,
    configure: (dir, port) => configure(dir, port, writeZoneFiles(dir, zones)),
    readyZones: zones.map((zone) => zone.origin),
    answers: answersSoa,
    readyTimeoutMs: options.readyTimeoutMs,
  });
}

/** Writes each zone's text to a file of its own in `dir` (`0-example.test.zone`, …): their paths, in order. */
export function writeZoneFiles(dir: string, zones: readonly Zone[]): string[] {
  return zones.map((zone, i) => {
    const file = join(dir, `${i}-${zone.origin.replace(/\.$/, '') || 'root'}.zone`);
    writeFileSync(file, zone.text);
    return file;
  });
}

export interface LaunchOptions {
  /** Names the run folder, made under the system's temp folder: `netkit-NAME-XXXXXX`. */
  name: string;
  /**
   * The port to listen on. Default: a free one, and a new one tried (up to START_ATTEMPTS in
   * all) when the server fails to bind it; a port given is tried once (the caller has told
   * others about it).
   */
  port?: number;
  /** Writes the server's config (and zone files) in `dir`: the command to run, in `dir`. */
  configure(dir: string, port: number): [string, string[]] | Promise<[string, string[]]>;
  /** The server is ready once `answers(port, zone)` has been true for each of these. */
  readyZones: readonly string[];
  answers(port: number, zone: string): Promise<boolean>;
  readyTimeoutMs?: number;
}

/**
 * Runs a DNS server in the foreground, in a run folder of its own and a process group of its
 * own, collecting what it prints; resolves once it is ready (see LaunchOptions.readyZones).
 * Rejects with its output when it exits or is not ready in time, having stopped it and
 * removed its folder. `stop()` ends its process group by the PID started here, never by name.
 */
export async function launchServer(options: LaunchOptions): Promise<DnsServer> {
  let lastError: Error | undefined;
  const attempts = options.port === undefined ? START_ATTEMPTS : 1;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await launchOnce(options, options.port ?? (await freePort()));
    } catch (error) {
      lastError = error as Error;
      if (!/address (already )?in use|(could not|cannot|can't|failed to) bind/i.test(lastError.message))
        throw lastError;
    }
  }
  throw lastError;
}

const running = new Set<ChildProcess>();
// A test worker that dies mid-test must not leave servers behind.
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The server leads a process group of its own (detached): NSD forks workers.
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

async function launchOnce(options: LaunchOptions, port: number): Promise<DnsServer> {
  const dir = mkdtempSync(join(tmpdir(), `netkit-${options.name}-`));
  let program: string;
  let args: string[];
  try {
    [program, args] = await options.configure(dir, port);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const child = spawn(program, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | string | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      output += `\n${error.message}`;
      exitCode ??= null;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolve();
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exitCode === undefined) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };

  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(options.readyZones);
  while (pending.size > 0) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`${program} exited (code ${exitCode}) before answering; it printed:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${program} on 127.0.0.1:${port} did not answer SOA for ${[...pending].join(', ')} ` +
          `within ${timeoutMs} ms; it printed:\n${output}`,
      );
    }
    for (const zone of [...pending]) {
      if (await options.answers(port, zone)) pending.delete(zone);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, pid: child.pid!, dir, output: () => output, stop };
}

async function answersSoa(port: number, origin: string): Promise<boolean> {
  const result = await run('dig', [
    '-p',
    String(port),
    '@127.0.0.1',
    origin,
    'SOA',
    '+tries=1',
    '+time=1',
    '+short',
  ]);
  return result.code === 0 && result.stdout.trim() !== '';
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(program: string, args: string[], timeoutMs = 10_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(program, args, { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr: stderr || (error?.message ?? '') });
    });
  });
}

/** Whitespace runs (dig aligns columns with tabs) made one space; blank lines dropped. */
export function normaliseLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !line.startsWith(';'));
}

async function answerOf(program: string, args: string[]): Promise<string[]> {
  const result = await run(program, args);
  if (result.code !== 0) {
    throw new Error(
      `${program} ${args.join(' ')} failed (code ${result.code}): ${result.stderr}${result.stdout}`,
    );
  }
  return normaliseLines(result.stdout);
}

/**
 * The answer section of `dig +noall +answer +nocmd +norecurse -p PORT @127.0.0.1 NAME TYPE`,
 * one record a line, whitespace collapsed, TTL kept, in the order the server sent them.
 */
export function digAnswer(port: number, name: string, type: string, extra: string[] = []): Promise<string[]> {
  return answerOf('dig', [
    '+noall',
    '+answer',
    '+nocmd',
    '+norecurse',
    '+tries=1',
    '+time=2',
    '-p',
    String(port),
    '@127.0.0.1',
    name,
    type,
    ...extra,
  ]);
}

/** The same as digAnswer, with kdig (Knot's dig). */
export function kdigAnswer(
  port: number,
  name: string,
  type: string,
  extra: string[] = [],
): Promise<string[]> {
  return answerOf('kdig', [
    '+noall',
    '+answer',
    '+norecurse',
    '+retry=0',
    '+timeout=2',
    '-p',
    String(port),
    '@127.0.0.1',
    name,
    type,
    ...extra,
  ]);
}

/** `dig +short` lines for NAME TYPE, sorted (servers may order an RRset differently). */
export async function digShort(port: number, name: string, type: string): Promise<string[]> {
  const lines = await answerOf('dig', [
    '+short',
    '+norecurse',
    '+tries=1',
    '+time=2',
    '-p',
    String(port),
    '@127.0.0.1',
    name,
    type,
  ]);
  return lines.sort();
}
