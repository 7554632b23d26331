/**
 * A throwaway ngircd configuration for the chat benchmark: one loopback port, no limits on
 * connections, no DNS/IDENT/PAM (each would add a lookup or a subprocess per client), and
 * penalties off.
 *
 * ngircd throttles a client that sends more than 3 commands per loop or 256 bytes per
 * second by adding a 1 s "penalty" (conn.c, Throttle_Connection). `MaxPenaltyTime = 0`
 * (ngircd 26+) caps every penalty below 10 s at 0, which turns that throttling off; the
 * benchmark also spreads its send rate over many senders so each stays well under it anyway.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGIRCD = '/usr/sbin/ngircd';

/** Writes the configuration into a new temporary folder: `{ dir, conf, remove() }`. */
export function writeNgircdConf(port) {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-ngircd-'));
  // ngircd drops root privileges before it writes its PID file, so the folder must be
  // writable by ServerUID.
  chmodSync(dir, 0o777);
  // An empty folder of our own: the default IncludeDir is /etc/ngircd/ngircd.conf.d.
  mkdirSync(join(dir, 'conf.d'));
  const runningAsRoot = process.getuid?.() === 0;
  const conf = join(dir, 'ngircd.conf');
  writeFileSync(
    conf,
    `[Global]
  Name = bench.netkit.test
  Info = netkit chat benchmark peer
  AdminInfo1 = netkit benchmark
  AdminInfo2 = loopback
  AdminEMail = bench@localhost
  Listen = 127.0.0.1
  Ports = ${port}
  MotdPhrase = bench
  PidFile = ${join(dir, 'ngircd.pid')}
${runningAsRoot ? '  ServerUID = nobody\n  ServerGID = nogroup\n' : ''}
[Limits]
  MaxConnections = 0
  MaxConnectionsIP = 0
  MaxJoins = 0
  MaxNickLength = 16
  MaxPenaltyTime = 0
  PingTimeout = 600
  PongTimeout = 120

[Options]
  DNS = no
  Ident = no
  PAM = no
  IncludeDir = ${join(dir, 'conf.d')}
`,
  );
  return { dir, conf, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
