/**
 * Runs the same batch of lookups through netkit (lookup-probe.mjs, on the built package),
 * Python's socket module (socket-probe.py) and getent, optionally inside a private mount
 * namespace where /etc/hosts, /etc/services or /etc/host.conf are replaced by fixtures,
 * so glibc itself answers from the fixture. One process per tool per batch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticAvailable, hermeticScript } from '../helpers/hermetic.js';
import type { Peer } from '../helpers/peers.js';

export { UNSHARE } from '../helpers/hermetic.js';
export const IP: Peer = { program: 'ip', debianPackage: 'iproute2' };

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const NETKIT_PROBE = here('./lookup-probe.mjs');
const PYTHON_PROBE = here('./socket-probe.py');
const BUILT = here('../../dist/lookup/index.js');

export type Outcome = { ok: unknown } | { error: string };

export interface ProbeQuery {
  hosts?: string[];
  byname?: [string, string | null][];
  byport?: [number, string | null][];
}

export interface ProbeResult {
  hosts: Record<string, Record<string, Outcome>>;
  byname: Outcome[];
  byport: Outcome[];
}

/** Mounts: target path (e.g. /etc/hosts) -> fixture text. */
export type Mounts = Record<string, string>;

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** True when this process may bind-mount files in private namespaces (root, unshare). */
export function canMountFixtures(): boolean {
  return hermeticAvailable();
}

/**
 * Runs a shell script hermetically (test/helpers/hermetic.ts: loopback only, DNS answered
 * NXDOMAIN on 127.0.0.1), with the fixtures bound over their targets.
 */
function runShell(script: string, mounts: Mounts, dir: string): void {
  const binds = Object.fromEntries(
    Object.entries(mounts).map(([target, text], i) => {
      const file = join(dir, `fixture-${i}`);
      writeFileSync(file, text);
      return [target, file];
    }),
  );
  const result = spawnSync('unshare', ['-n', '-m', 'sh', '-c', hermeticScript(script, binds)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}): ${result.stderr}`);
}

export interface Batch {
  netkit: ProbeResult;
  python: ProbeResult;
  /** getent output for each argument list, in order. */
  getent: { status: number; lines: string[][] }[];
}

/**
 * One run of both probes on `query` and of getent on each of `getentArgs`, all with the
 * same files. getent lines come back as whitespace-separated fields.
 */
export function runBatch(query: ProbeQuery, getentArgs: string[][] = [], mounts: Mounts = {}): Batch {
  if (!existsSync(BUILT)) throw new Error('dist/lookup is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'netkit-lookup-'));
  try {
    const input = join(dir, 'query.json');
    writeFileSync(input, JSON.stringify(query));
    const getentScript = getentArgs
      .map((args) => `{ getent ${args.map(quote).join(' ')}; echo "@@status $?"; }`)
      .join('; ');
    const script = [
      `${quote(process.execPath)} ${quote(NETKIT_PROBE)} < ${quote(input)} > ${quote(join(dir, 'netkit.json'))}`,
      `python3 ${quote(PYTHON_PROBE)} < ${quote(input)} > ${quote(join(dir, 'python.json'))}`,
      `{ ${getentScript || 'true'}; } > ${quote(join(dir, 'getent.txt'))}`,
    ].join(' && ');
    runShell(script, mounts, dir);
    const getent: Batch['getent'] = [];
    let lines: string[][] = [];
    for (const line of readFileSync(join(dir, 'getent.txt'), 'utf8').split('\n')) {
      const status = /^@@status (\d+)$/.exec(line);
      if (status) {
        getent.push({ status: Number(status[1]), lines });
        lines = [];
      } else if (line.trim() !== '') {
        lines.push(line.trim().split(/\s+/));
      }
    }
    return {
      netkit: JSON.parse(readFileSync(join(dir, 'netkit.json'), 'utf8')) as ProbeResult,
      python: JSON.parse(readFileSync(join(dir, 'python.json'), 'utf8')) as ProbeResult,
      getent,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every pair that differs, as readable lines (an empty list means all agree). */
export function differences(label: string, ours: unknown, theirs: unknown): string[] {
  const a = JSON.stringify(ours);
  const b = JSON.stringify(theirs);
  return a === b ? [] : [`${label}: netkit ${a} but peer ${b}`];
}

export function okValue<T>(outcome: Outcome | undefined): T | undefined {
  return outcome && 'ok' in outcome ? (outcome.ok as T) : undefined;
}

/** Host entries as getent prints them: one line per address, "address name alias...". */
export function getentHostLines(entry: [string, string[], string[]] | undefined): string[][] {
  if (!entry) return [];
  const [name, aliases, addresses] = entry;
  return addresses.map((address) => [address, name, ...aliases].filter((field) => field !== ''));
}
