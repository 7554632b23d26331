/**
 * Interop tests run real programs that nobody here wrote. When one is missing, its tests
 * are skipped with a loud message naming the Debian package, except under CI=true, where
 * a missing peer is a failure (CI installs them with scripts/install-peers.sh).
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

export interface Peer {
  /** Program name looked up on PATH, or an absolute path. */
  program: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /**
   * Extra test beyond finding `program`, for peers that are not a program of their own (a
   * Python module, say): true when the peer is usable.
   */
  check?: () => boolean;
}

const cache = new Map<string, string | undefined>();

/** The absolute path of `program` on PATH, or undefined. */
export function findProgram(program: string): string | undefined {
  if (!cache.has(program)) {
    const result = spawnSync('sh', ['-c', `command -v "$1"`, 'sh', program], { encoding: 'utf8' });
    cache.set(program, result.status === 0 ? result.stdout.trim() || undefined : undefined);
  }
  return cache.get(program);
}

export const isCI = process.env.CI === 'true' || process.env.CI === '1';

const checked = new Map<Peer, boolean>();

/** True when `peer`'s program is found and its check, if any, passes. */
export function hasPeer(peer: Peer): boolean {
  if (findProgram(peer.program) === undefined) return false;
  if (peer.check === undefined) return true;
  if (!checked.has(peer)) checked.set(peer, peer.check());
  return checked.get(peer)!;
}

/** describe() that runs only when every peer is installed (see the module comment). */
export function describeWithPeers(name: string, peers: Peer[], body: () => void): void {
  const missing = peers.filter((peer) => !hasPeer(peer));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const what = missing.map((peer) => `${peer.program} (Debian package ${peer.debianPackage})`).join(', ');
  if (isCI) {
    describe(name, () => {
      it('has its peer programs installed', () => {
        throw new Error(`missing peer program: ${what}; scripts/install-peers.sh installs it`);
      });
    });
    return;
  }
  process.stderr.write(
    `\n*** SKIPPED "${name}": missing ${what}. Install with: apt-get install ${missing.map((p) => p.debianPackage).join(' ')}\n\n`,
  );
  describe.skipIf(true)(name, body);
}

export const NC: Peer = { program: 'nc', debianPackage: 'netcat-openbsd' };
export const SOCAT: Peer = { program: 'socat', debianPackage: 'socat' };
export const PYTHON3: Peer = { program: 'python3', debianPackage: 'python3' };
export const GETENT: Peer = { program: 'getent', debianPackage: 'libc-bin' };
export const RDATE: Peer = { program: 'rdate', debianPackage: 'rdate' };
export const CHRONYD: Peer = { program: 'chronyd', debianPackage: 'chrony' };
export const REDIS_SERVER: Peer = { program: 'redis-server', debianPackage: 'redis-server' };
export const CHROMIUM: Peer = { program: 'chromium', debianPackage: 'chromium' };

// DNS (issue 7): clients, authoritative servers, and dnspython.
export const DIG: Peer = { program: 'dig', debianPackage: 'bind9-dnsutils' };
export const KDIG: Peer = { program: 'kdig', debianPackage: 'knot-dnsutils' };
export const DRILL: Peer = { program: 'drill', debianPackage: 'ldnsutils' };
export const NSD: Peer = { program: 'nsd', debianPackage: 'nsd' };
export const KNOTD: Peer = { program: 'knotd', debianPackage: 'knot' };
export const NAMED: Peer = { program: 'named', debianPackage: 'bind9' };
/** Zone checkers; named-checkzone comes with bind9 (bind9-utils), kzonecheck does not. */
export const NAMED_CHECKZONE: Peer = { program: 'named-checkzone', debianPackage: 'bind9-utils' };
export const KZONECHECK: Peer = { program: 'kzonecheck', debianPackage: 'knot-dnssecutils' };
export const NSD_CHECKZONE: Peer = { program: 'nsd-checkzone', debianPackage: 'nsd' };
/**
 * Debian's dnspython is a module of Debian's own /usr/bin/python3, not of the pyenv python3
 * that may come first on PATH: always run it as /usr/bin/python3.
 */
export const DNSPYTHON: Peer = {
  program: '/usr/bin/python3',
  debianPackage: 'python3-dnspython',
  check: () => spawnSync('/usr/bin/python3', ['-c', 'import dns.message'], { timeout: 10_000 }).status === 0,
};
