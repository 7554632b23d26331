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

/** describe() that runs only when every peer is installed (see the module comment). */
export function describeWithPeers(name: string, peers: Peer[], body: () => void): void {
  const missing = peers.filter((peer) => findProgram(peer.program) === undefined);
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
