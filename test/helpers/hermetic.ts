/**
 * Lookups of names that are in no local file go to the DNS resolver of /etc/resolv.conf,
 * which is not on this machine: tests must never send it traffic. A hermetic run happens in
 * a private network and mount namespace (unshare -n -m, needs root): only loopback exists,
 * /etc/resolv.conf says `nameserver 127.0.0.1`, and nxdomain-dns.mjs answers there with
 * NXDOMAIN. Extra files (fixtures over /etc/hosts, ...) can be bound in the same namespace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { describeWithPeers, isCI, type Peer } from './peers.js';

export const UNSHARE: Peer = { program: 'unshare', debianPackage: 'util-linux' };
const RESPONDER = fileURLToPath(new URL('./nxdomain-dns.mjs', import.meta.url));

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

let available: boolean | undefined;
/** True when this process may create network and mount namespaces (root and unshare). */
export function hermeticAvailable(): boolean {
  available ??=
    spawnSync(
      'unshare',
      [
        '-n',
        '-m',
        'sh',
        '-c',
        'ip link set lo up && ip -6 addr add fd00::1/128 dev lo && mount --bind /etc/hosts /etc/hosts',
      ],
      {
        stdio: 'ignore',
      },
    ).status === 0;
  return available;
}

/**
 * A shell script that sets up the hermetic namespace (files in `binds` bound over their
 * targets), runs `script`, stops the responder and exits with the script's status.
 * Run it with hermeticSpawnArgs().
 */
export function hermeticScript(script: string, binds: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-hermetic-'));
  const resolv = join(dir, 'resolv.conf');
  writeFileSync(resolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  const ready = join(dir, 'dns-ready');
  const mounts = Object.entries({ '/etc/resolv.conf': resolv, ...binds }).map(
    ([target, file]) => `mount --bind ${quote(file)} ${quote(target)}`,
  );
  return [
    'ip link set lo up',
    // getaddrinfo's AI_ADDRCONFIG counts only addresses other than 127.0.0.1 and ::1: give the
    // namespace one of each family (on lo, so nothing can leave it) as a real host has.
    'ip addr add 127.0.0.2/8 dev lo',
    'ip -6 addr add fd00::1/128 dev lo',
    ...mounts,
    `${quote(process.execPath)} ${quote(RESPONDER)} ${quote(ready)} & dns=$!`,
    `for i in $(seq 100); do [ -e ${quote(ready)} ] && break; sleep 0.05; done`,
    `{ ${script}; }; status=$?; kill $dns; exit $status`,
  ].join('\n');
}

/** argv for spawn/spawnSync: `command` run hermetically (see the module comment). */
export function hermeticArgv(command: string[], binds: Record<string, string> = {}): string[] {
  return ['unshare', '-n', '-m', 'sh', '-c', hermeticScript(command.map(quote).join(' '), binds)];
}

/**
 * describeWithPeers for tests whose lookups must stay hermetic: also needs the namespaces
 * (root). Without them: skipped loudly, or failed under CI=true.
 */
export function describeHermetic(name: string, peers: Peer[], body: () => void): void {
  if (hermeticAvailable()) {
    describeWithPeers(name, [...peers, UNSHARE], body);
    return;
  }
  if (isCI) {
    describe(name, () => {
      it('can run lookups hermetically', () => {
        throw new Error('unshare -n -m failed: hermetic lookup tests need root and util-linux');
      });
    });
    return;
  }
  process.stderr.write(
    `\n*** SKIPPED "${name}": hermetic lookups need root (unshare -n -m); run as root to include them\n\n`,
  );
  describe.skipIf(true)(name, body);
}
