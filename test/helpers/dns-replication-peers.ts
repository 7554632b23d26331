/**
 * NSD, Knot and BIND as primaries and secondaries on loopback, for zone-transfer interop tests
 * (issue 9): a primary serves zones, allows transfers from 127.0.0.1 (AXFR; IXFR too from
 * Knot and BIND) and sends NOTIFY to the addresses it is given; a secondary transfers one zone
 * from a primary and follows its NOTIFY; either end may require a TSIG key. Each server runs in
 * the foreground with a run folder and a config of its own, like the plain primaries of
 * dns-peers.ts, and `stop()` ends it by the PID started here (its process group), never by name.
 *
 * Quirks found on the versions here (NSD 4.6.1, Knot 3.2.6, BIND 9.18):
 * - BIND holds NOTIFY for 5 s after the last round (notify-delay), and sends one round on
 *   start: notify-delay 0 here, or an update in the first seconds is seen only on refresh.
 * - Knot will not go below refresh-min-interval 2; BIND raises SOA timers to min-refresh-time
 *   and min-retry-time (300 s, 500 s by default): 1 here. NSD takes the zone's SOA timers.
 * - NSD 4.6 can serve IXFR (create-ixfr, store-ixfr), but Knot failed to apply the difference
 *   it made ("such record already exists in zone") and fell back to AXFR: left off here, so an
 *   NSD primary answers IXFR queries with the whole zone.
 * - Which transfer a secondary made: Knot says so at info, BIND only in xfer-in's debug lines
 *   (so BIND secondaries run with -f -d 3 and a logging block, not -g), NSD never (see
 *   LAST_TRANSFER for how it is found out).
 * - Knot logs a request refused for a bad TSIG only at debug level (`TSIG, key 'K',
 *   verification failed 'BADSIG'`); NSD logs `bad tsig signature for key K from ADDR`, BIND
 *   `request has invalid signature: TSIG K: tsig verify failure (BADSIG)`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bindOptions,
  type DnsServer,
  knotServer,
  launchServer,
  nsdServer,
  run,
  writeConfig,
  writeZoneFiles,
  type Zone,
} from './dns-peers.js';
import { freePort } from './netkit-process.js';

export type PeerKind = 'nsd' | 'knot' | 'bind';

export interface TsigSpec {
  /** The key's name, as both ends spell it (`transfer-key.`). */
  name: string;
  algorithm: 'hmac-sha256' | 'hmac-sha512' | 'hmac-sha1';
  /** The shared secret, base64. */
  secret: string;
}

export interface Endpoint {
  host: string;
  port: number;
}

export interface ReplicationPeer {
  kind: PeerKind;
  port: number;
  pid: number;
  dir: string;
  /** What the server printed so far (stdout and stderr: all three log there in the foreground). */
  output(): string;
  stop(): Promise<void>;
  /** The serial the peer serves for `zone` (dig SOA +short over UDP), undefined when it answers without one (SERVFAIL, REFUSED). */
  serial(zone: string): Promise<number | undefined>;
  /** Polls serial() every 100 ms until it equals `serial`; rejects with the peer's output after timeoutMs. Returns the ms it took. */
  waitForSerial(zone: string, serial: number, timeoutMs?: number): Promise<number>;
}

export interface PrimaryPeer extends ReplicationPeer {
  /**
   * Writes a new zone text and makes the peer load it (NSD: nsd-control over a Unix socket in
   * its folder; Knot: knotc zone-reload over its control socket; BIND: rndc with a key made
   * here), so that it sends NOTIFY to its notify targets. Resolves once the peer serves the
   * new text's serial.
   */
  updateZone(zone: string, text: string): Promise<void>;
}

export interface PrimaryOptions {
  zones: Zone[];
  notify?: Endpoint[];
  tsig?: TsigSpec;
  /**
   * The port to listen on (default: a free one). Give one reserved with freePort() when the
   * other end must be configured with it first: a primary's NOTIFY targets and a secondary's
   * primary are both fixed at start.
   */
  port?: number;
}

export interface SecondaryOptions {
  zone: string;
  primary: Endpoint;
  tsig?: TsigSpec;
  /** As PrimaryOptions.port. */
  port?: number;
}

const DEFAULT_WAIT_MS = 10_000;
const POLL_MS = 100;
const KEY_BYTES: Record<TsigSpec['algorithm'], number> = {
  'hmac-sha1': 20,
  'hmac-sha256': 32,
  'hmac-sha512': 64,
};

/** A fresh random key, as `tsig-keygen -a ALGORITHM NAME` makes: as many bytes as the hash's output. */
export function makeTsigKey(
  name = 'transfer-key.',
  algorithm: TsigSpec['algorithm'] = 'hmac-sha256',
): TsigSpec {
  return { name, algorithm, secret: randomBytes(KEY_BYTES[algorithm]).toString('base64') };
}

/**
 * A primary of `zones` that allows transfers from 127.0.0.1 (only signed with `tsig` when
 * given) and sends NOTIFY to `notify` (signed with `tsig` when given). Knot and BIND also
 * serve IXFR (Knot: a journal with zonefile-load: difference; BIND: ixfr-from-differences);
 * NSD answers an IXFR query with the whole zone (see the module comment for why its own IXFR
 * is left off). NSD and BIND answer with minimal responses (Knot has no such setting).
 */
export async function startPrimaryPeer(kind: PeerKind, options: PrimaryOptions): Promise<PrimaryPeer> {
  const configure = { nsd: nsdPrimary, knot: knotPrimary, bind: bindPrimary }[kind];
  let files: Map<string, string> = new Map();
  let reload: (zone: string) => Promise<void> = async () => {};
  const peer = await launch(
    kind,
    options.port,
    async (dir, port) => {
      // BIND's rndc channel; the others use a Unix socket in `dir`.
      const controlPort = kind === 'bind' ? await freePort() : 0;
      const written = writeZoneFiles(dir, options.zones);
      files = new Map(options.zones.map((zone, i) => [canonical(zone.origin), written[i]!]));
      const made = configure({ dir, port, controlPort, options, files });
      reload = made.reload;
      return made.command;
    },
    options.zones.map((zone) => zone.origin),
    async (port, zone) => (await querySerial(port, zone)) !== undefined,
  );
  return {
    ...peer,
    async updateZone(zone, text) {
      const file = files.get(canonical(zone));
      if (file === undefined) throw new Error(`${kind} is not a primary of ${zone}`);
      const serial = serialOfZoneText(text);
      writeFileSync(file, text);
      await reload(zone);
      await peer.waitForSerial(zone, serial);
    },
  };
}

/**
 * A secondary of `zone` transferring from `primary` (IXFR when the primary offers it, else
 * AXFR; signed with `tsig` when given), accepting NOTIFY from primary.host (signed with `tsig`
 * when given), itself allowing unsigned AXFR from 127.0.0.1 (to check its copy), with minimal
 * responses. Resolves once the process answers queries at all: the zone may not be there yet
 * (use waitForSerial).
 */
export function startSecondaryPeer(kind: PeerKind, options: SecondaryOptions): Promise<ReplicationPeer> {
  const configure = { nsd: nsdSecondary, knot: knotSecondary, bind: bindSecondary }[kind];
  return launch(
    kind,
    options.port,
    (dir, port) => configure(dir, port, options),
    [options.zone],
    answersAtAll,
  );
}

/**
 * Which transfer the secondary's log says it made last for `zone`, or undefined when it
 * logged none finished. The lines each server logs are in LAST_TRANSFER (and the module comment).
 */
export function lastTransferKind(peer: ReplicationPeer, zone: string): TransferKind | undefined {
  return LAST_TRANSFER[peer.kind](peer.output().split('\n'), canonical(zone).replace(/\.$/, ''), peer.port);
}

type TransferKind = 'IXFR' | 'AXFR';

/** A server's log lines → the kind of the last incoming transfer of zone `name` (no final dot) that finished. */
const LAST_TRANSFER: Record<
  PeerKind,
  (lines: string[], name: string, port: number) => TransferKind | undefined
> = {
  knot(lines, name) {
    // Knot 3.2: `[Z.] IXFR, incoming, remote 127.0.0.1@P TSIG K, finished, 0.00 seconds, …` or
    // `[Z.] AXFR, incoming, …, finished`. An IXFR that it fails to apply is followed by
    // `… fallback to AXFR` and an AXFR, and an IXFR answered with the whole zone logs
    // `IXFR, incoming, …, receiving AXFR-style IXFR` and then `AXFR, incoming, …, finished`.
    let last: TransferKind | undefined;
    for (const line of lines) {
      if (!line.includes(`[${name}.] `)) continue;
      const match = /\] (IXFR|AXFR), incoming, .*finished/.exec(line);
      if (match !== null) last = match[1] as TransferKind;
      if (/IXFR, incoming, .*failed to apply/.test(line)) last = undefined;
    }
    return last;
  },
  bind(lines, name) {
    // BIND 9.18 (xfer-in at debug 3): `transfer of 'Z/IN' from ADDR: got incremental response`
    // (IXFR) or `… got nonincremental response` (AXFR), then `… Transfer completed: …`.
    let last: TransferKind | undefined;
    let pending: TransferKind | undefined;
    for (const line of lines) {
      if (!line.includes(`'${name}/IN'`)) continue;
      if (/got nonincremental response/.test(line)) pending = 'AXFR';
      else if (/got incremental response/.test(line)) pending = 'IXFR';
      else if (/Transfer completed/.test(line) && pending !== undefined) {
        last = pending;
        pending = undefined;
      }
    }
    return last;
  },
  nsd(lines, name, port) {
    // NSD 4.6.1 (verbosity 3) logs each transfer it applies the same way, AXFR or IXFR, before it serves it:
    //   `zone Z. received update to serial B at … from ADDR TSIG verified with key K. of N bytes in S seconds`.
    // It keeps what it received by IXFR (store-ixfr: yes) and serves it onwards, and keeps
    // nothing from an AXFR: so an IXFR query for the serial before (A) answered with a
    // difference (SOA B, SOA A, …) says the last transfer was an IXFR. The first is an AXFR.
    let from: number | undefined;
    let to: number | undefined;
    const applied = new RegExp(
      `zone ${escapeRegExp(name)}\\. received update to serial (\\d+) .* of \\d+ bytes`,
    );
    for (const line of lines) {
      const match = applied.exec(line);
      if (match === null) continue;
      from = to ?? 0;
      to = Number(match[1]);
    }
    if (from === undefined) return undefined;
    if (from === 0) return 'AXFR';
    const answer = spawnSync(
      'dig',
      [
        '+noall',
        '+answer',
        '+tries=1',
        '+time=2',
        '-p',
        String(port),
        '@127.0.0.1',
        `${name}.`,
        `IXFR=${from}`,
      ],
      { encoding: 'utf8', timeout: 5_000 },
    ).stdout;
    const second = (answer ?? '')
      .split('\n')
      .filter((line) => line.trim() !== '')[1]
      ?.split(/\s+/);
    return second?.[3] === 'SOA' && Number(second[6]) === from ? 'IXFR' : 'AXFR';
  },
};

// ---------------------------------------------------------------------------------------
// Configs

/** What a primary's config is made from. */
interface PrimarySetup {
  dir: string;
  port: number;
  /** BIND's rndc channel (0 for the others, which use a Unix socket in `dir`). */
  controlPort: number;
  options: PrimaryOptions;
  /** Each zone's file in `dir`, by origin (with the final dot). */
  files: Map<string, string>;
}

interface Made {
  command: [string, string[]];
  reload: (zone: string) => Promise<void>;
}

/** nsd.conf up to the zones: the server block, `remote-control:` with `control`, the key. */
function nsdHead(dir: string, port: number, tsig: TsigSpec | undefined, control: string[]): string[] {
  return [
    // verbosity 3: the transfers a secondary applies are logged (`received update to serial N`); 2 logs none.
    ...nsdServer(dir, port, ['  verbosity: 3', '  minimal-responses: yes']),
    'remote-control:',
    ...control,
    ...(tsig
      ? ['key:', `  name: "${tsig.name}"`, `  algorithm: ${tsig.algorithm}`, `  secret: "${tsig.secret}"`]
      : []),
  ];
}

function nsdPrimary({ dir, port, options, files }: PrimarySetup): Made {
  const key = options.tsig?.name ?? 'NOKEY';
  const conf = writeConfig(dir, 'nsd.conf', [
    ...nsdHead(dir, port, options.tsig, [
      '  control-enable: yes',
      // A Unix socket: no certificates to make (nsd-control-setup), access by file mode.
      `  control-interface: "${join(dir, 'nsd.ctl')}"`,
    ]),
    ...[...files].flatMap(([origin, file]) => [
      'zone:',
      `  name: "${origin}"`,
      `  zonefile: "${file}"`,
      `  provide-xfr: 127.0.0.1 ${key}`,
      ...(options.notify ?? []).map((target) => `  notify: ${target.host}@${target.port} ${key}`),
    ]),
  ]);
  return {
    command: ['nsd', ['-d', '-c', conf]],
    reload: async (zone) => {
      await mustRun('nsd-control', ['-c', conf, 'reload', canonical(zone)]);
    },
  };
}

function nsdSecondary(dir: string, port: number, options: SecondaryOptions): [string, string[]] {
  const key = options.tsig?.name ?? 'NOKEY';
  const conf = writeConfig(dir, 'nsd.conf', [
    ...nsdHead(dir, port, options.tsig, ['  control-enable: no']),
    'zone:',
    `  name: "${canonical(options.zone)}"`,
    `  zonefile: "${join(dir, zoneFileName(options.zone))}"`,
    `  request-xfr: ${options.primary.host}@${options.primary.port} ${key}`,
    `  allow-notify: ${options.primary.host} ${key}`,
    '  provide-xfr: 127.0.0.1 NOKEY',
    // Kept to serve IXFR onwards, and logged ("writing zone Z IXFR data"): the one sign in
    // NSD's log that a transfer was incremental.
    '  store-ixfr: yes',
  ]);
  return ['nsd', ['-d', '-c', conf]];
}

/** knot.conf up to the remotes: server, log (debug), control (a socket in `dir`), database, the key. */
function knotHead(dir: string, port: number, tsig: TsigSpec | undefined): string[] {
  return [
    // debug: info has the transfers; debug adds the requests refused for a bad TSIG.
    ...knotServer(dir, port, 'debug'),
    'control:',
    `  listen: "${join(dir, 'knot.sock')}"`,
    ...(tsig
      ? ['key:', `  - id: ${tsig.name}`, `    algorithm: ${tsig.algorithm}`, `    secret: ${tsig.secret}`]
      : []),
  ];
}

function knotPrimary({ dir, port, options, files }: PrimarySetup): Made {
  const key = options.tsig ? [`    key: ${options.tsig.name}`] : [];
  const notify = options.notify ?? [];
  const conf = writeConfig(dir, 'knot.conf', [
    ...knotHead(dir, port, options.tsig),
    ...(notify.length > 0
      ? [
          'remote:',
          ...notify.flatMap((target, i) => [
            `  - id: notify-${i}`,
            `    address: ${target.host}@${target.port}`,
            ...key,
          ]),
        ]
      : []),
    'acl:',
    '  - id: transfer',
    '    address: 127.0.0.1',
    '    action: transfer',
    ...key,
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    // The zone file is the source of truth: Knot diffs each reload against what it served
    // and keeps the difference in its journal, which is what it answers IXFR from.
    '    zonefile-load: difference',
    '    journal-content: changes',
    '    zonefile-sync: -1',
    '    semantic-checks: on',
    'zone:',
    ...[...files].flatMap(([origin, file]) => [
      `  - domain: "${origin}"`,
      `    file: "${file}"`,
      '    acl: [transfer]',
      ...(notify.length > 0 ? [`    notify: [${notify.map((_, i) => `notify-${i}`).join(', ')}]`] : []),
    ]),
  ]);
  return {
    command: ['knotd', ['-c', conf]],
    reload: async (zone) => {
      await mustRun('knotc', ['-s', join(dir, 'knot.sock'), 'zone-reload', canonical(zone)]);
    },
  };
}

function knotSecondary(dir: string, port: number, options: SecondaryOptions): [string, string[]] {
  const key = options.tsig ? [`    key: ${options.tsig.name}`] : [];
  const conf = writeConfig(dir, 'knot.conf', [
    ...knotHead(dir, port, options.tsig),
    'remote:',
    '  - id: primary',
    `    address: ${options.primary.host}@${options.primary.port}`,
    ...key,
    'acl:',
    '  - id: notify-from-primary',
    `    address: ${options.primary.host}`,
    '    action: notify',
    ...key,
    '  - id: local-transfer',
    '    address: 127.0.0.1',
    '    action: transfer',
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    zonefile-sync: -1',
    '    journal-content: changes',
    // The SOA timers of test zones are small; these floors would otherwise be raised by Knot.
    '    refresh-min-interval: 2',
    '    retry-min-interval: 2',
    'zone:',
    `  - domain: "${canonical(options.zone)}"`,
    '    master: primary',
    '    acl: [notify-from-primary, local-transfer]',
  ]);
  return ['knotd', ['-c', conf]];
}

function bindKey(tsig: TsigSpec | undefined): string[] {
  if (tsig === undefined) return [];
  return [`key "${tsig.name}" {`, `  algorithm ${tsig.algorithm};`, `  secret "${tsig.secret}";`, '};'];
}

/** named.conf up to `controls`: the keys, then the options block with `settings`. */
function bindHead(dir: string, port: number, keys: (TsigSpec | undefined)[], settings: string[]): string[] {
  return [...keys.flatMap(bindKey), ...bindOptions(dir, port, ['minimal-responses yes;', ...settings])];
}

function bindPrimary({ dir, port, controlPort, options, files }: PrimarySetup): Made {
  const rndcKey = makeTsigKey('rndc-key', 'hmac-sha256');
  const tsig = options.tsig;
  const notify = options.notify ?? [];
  const alsoNotify = notify
    .map((target) => `${target.host} port ${target.port}${tsig ? ` key "${tsig.name}"` : ''};`)
    .join(' ');
  const conf = writeConfig(dir, 'named.conf', [
    ...bindHead(
      dir,
      port,
      [tsig, rndcKey],
      [
        // Only the listed targets, not the zone's NS names (which would be looked up).
        notify.length > 0 ? 'notify explicit;' : 'notify no;',
        `allow-transfer { ${tsig ? `key "${tsig.name}"` : '127.0.0.1'}; };`,
        // Each reload is diffed against the loaded zone into the journal: IXFR out.
        'ixfr-from-differences yes;',
        // BIND waits 5 s (notify-delay) between two NOTIFY rounds of a zone, and it sent one on
        // start: an update soon after would only be noticed at the next refresh.
        'notify-delay 0;',
      ],
    ),
    `controls { inet 127.0.0.1 port ${controlPort} allow { 127.0.0.1; } keys { "${rndcKey.name}"; }; };`,
    ...[...files].map(([origin, file]) =>
      [
        `zone "${origin}" {`,
        '  type primary;',
        `  file "${file}";`,
        ...(notify.length > 0 ? [`  also-notify { ${alsoNotify} };`] : []),
        '};',
      ].join('\n'),
    ),
  ]);
  const rndcConf = writeConfig(dir, 'rndc.conf', [
    ...bindKey(rndcKey),
    `options { default-key "${rndcKey.name}"; default-server 127.0.0.1; default-port ${controlPort}; };`,
  ]);
  return {
    // -n 1: one worker thread; two cores are shared by everything running the tests.
    command: ['named', ['-g', '-n', '1', '-c', conf]],
    reload: async (zone) => {
      await mustRun('rndc', ['-c', rndcConf, 'reload', canonical(zone)]);
    },
  };
}

function bindSecondary(dir: string, port: number, options: SecondaryOptions): [string, string[]] {
  const tsig = options.tsig;
  const keyRef = tsig ? ` key "${tsig.name}"` : '';
  const conf = writeConfig(dir, 'named.conf', [
    ...bindHead(
      dir,
      port,
      [tsig],
      [
        'notify no;',
        // BIND raises small SOA timers to these floors (300 s and 500 s by default).
        'min-refresh-time 1;',
        'min-retry-time 1;',
        'allow-transfer { 127.0.0.1; };',
      ],
    ),
    'controls { };',
    // -g would log at info only, where BIND does not say which transfer it made: -f and
    // these channels add xfer-in's debug lines ("requesting IXFR", "got incremental response").
    'logging {',
    '  channel info-to-stderr { stderr; severity info; print-time yes; };',
    '  channel xfer-to-stderr { stderr; severity debug 3; print-time yes; };',
    '  category default { info-to-stderr; };',
    '  category xfer-in { xfer-to-stderr; };',
    '};',
    `zone "${canonical(options.zone)}" {`,
    '  type secondary;',
    `  file "${join(dir, zoneFileName(options.zone))}";`,
    '  masterfile-format text;',
    `  primaries { ${options.primary.host} port ${options.primary.port}${keyRef}; };`,
    `  allow-notify { ${tsig ? `key "${tsig.name}"` : options.primary.host}; };`,
    '};',
  ]);
  return ['named', ['-f', '-d', '3', '-n', '1', '-c', conf]];
}

// ---------------------------------------------------------------------------------------
// Processes

/** A server started by launchServer (dns-peers.ts), with the run folder `netkit-xfr-KIND-…`. */
async function launch(
  kind: PeerKind,
  port: number | undefined,
  configure: (dir: string, port: number) => [string, string[]] | Promise<[string, string[]]>,
  readyZones: string[],
  answers: (port: number, zone: string) => Promise<boolean>,
): Promise<ReplicationPeer> {
  return peerOf(kind, await launchServer({ name: `xfr-${kind}`, port, configure, readyZones, answers }));
}

function peerOf(kind: PeerKind, server: DnsServer): ReplicationPeer {
  const { port, output } = server;
  const serial = (zone: string) => querySerial(port, zone);
  return {
    ...server,
    kind,
    serial,
    async waitForSerial(zone, wanted, timeoutMs = DEFAULT_WAIT_MS) {
      const started = Date.now();
      let seen: number | undefined;
      for (;;) {
        seen = await serial(zone);
        if (seen === wanted) return Date.now() - started;
        if (Date.now() - started > timeoutMs) {
          throw new Error(
            `${kind} on 127.0.0.1:${port} serves ${zone} with serial ${seen} after ${timeoutMs} ms, ` +
              `not ${wanted}; it printed:\n${output()}`,
          );
        }
        await sleep(POLL_MS);
      }
    },
  };
}

/** `dig +short SOA`: the serial, or undefined when the answer has no SOA (or nothing answers). */
async function querySerial(port: number, zone: string): Promise<number | undefined> {
  const result = await run('dig', [
    '+short',
    '+norecurse',
    '+tries=1',
    '+time=1',
    '-p',
    String(port),
    '@127.0.0.1',
    zone,
    'SOA',
  ]);
  if (result.code !== 0) return undefined;
  const fields = result.stdout.trim().split(/\s+/);
  const serial = Number(fields[2]);
  return fields.length >= 7 && Number.isInteger(serial) ? serial : undefined;
}

/** True once the server answers a query for `zone` with any response code (SERVFAIL before the transfer). */
async function answersAtAll(port: number, zone: string): Promise<boolean> {
  const result = await run('dig', [
    '+tries=1',
    '+time=1',
    '+norecurse',
    '-p',
    String(port),
    '@127.0.0.1',
    zone,
    'SOA',
  ]);
  return result.code === 0 && /status: [A-Z]+/.test(result.stdout);
}

async function mustRun(program: string, args: string[]): Promise<void> {
  const result = await run(program, args);
  if (result.code !== 0) {
    throw new Error(
      `${program} ${args.join(' ')} failed (code ${result.code}): ${result.stderr}${result.stdout}`,
    );
  }
}

/** The SOA serial of a zone file's text (the first SOA record, parentheses allowed). */
export function serialOfZoneText(text: string): number {
  const withoutComments = text.replace(/;[^\n]*/g, '');
  const match = /\bSOA\s+\S+\s+\S+\s*\(?\s*(\d+)/i.exec(withoutComments);
  if (match === null) throw new Error('no SOA record with a serial in the zone text');
  return Number(match[1]);
}

function canonical(zone: string): string {
  return zone.endsWith('.') ? zone : `${zone}.`;
}

function zoneFileName(origin: string): string {
  return `${canonical(origin).replace(/\.$/, '') || 'root'}.zone`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
