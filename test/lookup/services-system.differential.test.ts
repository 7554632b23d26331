/**
 * getservbyname and getservbyport against Python's socket module and getent on this
 * machine's /etc/services: every service name and alias for tcp, udp and no protocol,
 * ports 0 to 1100 and every port in the file for tcp, udp and no protocol, names in the
 * wrong case, protocols that do not match, unknown names and ports, ports out of range.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceEntry } from '../../src/lookup/services-file.js';
import { describeHermetic } from '../helpers/hermetic.js';
import { GETENT, PYTHON3 } from '../helpers/peers.js';
import { type Batch, differences, type Outcome, okValue, runBatch } from './differential.js';

/** Names, aliases and ports of /etc/services, read with a plain split (not with netkit's parser). */
function servicesFileKeys(): { names: string[]; ports: number[] } {
  const text = existsSync('/etc/services') ? readFileSync('/etc/services', 'utf8') : '';
  const names = new Set<string>();
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const [name, portProto, ...aliases] = line.split('#')[0]!.trim().split(/\s+/);
    if (!name || !portProto) continue;
    names.add(name);
    for (const alias of aliases) names.add(alias);
    ports.add(Number(portProto.split('/')[0]));
  }
  return { names: [...names], ports: [...ports] };
}

const { names: fileNames, ports: filePorts } = servicesFileKeys();
const PROTOS = [null, 'tcp', 'udp'];
const NAMES = [...fileNames, 'HTTP', 'Www', 'no-such-service', '', 'ssh ', 'http/tcp'];
const PORTS = [
  ...new Set([...Array.from({ length: 1101 }, (_, i) => i), ...filePorts, 8080, 49151, 65535]),
].sort((a, b) => a - b);

const byname: [string, string | null][] = [
  ...NAMES.flatMap((name) => PROTOS.map((proto) => [name, proto] as [string, string | null])),
  // Protocols that match nothing or only some entries: case matters, other protocols exist.
  ...['http', 'domain', 'echo', 'rtmp', 'ntp'].flatMap((name) =>
    ['TCP', 'ddp', 'sctp', '', 'xyz'].map((proto) => [name, proto] as [string, string]),
  ),
];
const byport: [number, string | null][] = [
  ...PORTS.flatMap((port) => PROTOS.map((proto) => [port, proto] as [number, string | null])),
  ...[1, 4, 7, 80].flatMap((port) => ['ddp', 'TCP', ''].map((proto) => [port, proto] as [number, string])),
  [-1, null],
  [65536, 'tcp'],
  [100000, null],
];

// getent services KEY: NAME, NAME/PROTO, PORT or PORT/PROTO. Only keys it reads back as
// the same query: no blanks, no '/' in the name, ports within 0..65535.
const nameKeys = byname.flatMap(([name, proto], i) =>
  /^[^\s/]+$/.test(name)
    ? [{ key: proto === null ? name : `${name}/${proto}`, by: 'byname' as const, i }]
    : [],
);
const portKeys = byport.flatMap(([port, proto], i) =>
  port >= 0 && port <= 65535
    ? [{ key: proto === null ? `${port}` : `${port}/${proto}`, by: 'byport' as const, i }]
    : [],
);
const getentKeys = [...nameKeys, ...portKeys];

describeHermetic('service lookups against Python and getent on this machine', [PYTHON3, GETENT], () => {
  let batch: Batch;
  beforeAll(() => {
    batch = runBatch({ byname, byport }, [['services', ...getentKeys.map(({ key }) => key)]]);
  }, 120_000);

  it('gives the port of every name and alias, per protocol, as Python getservbyname does', () => {
    const diffs = byname.flatMap(([name, proto], i) => {
      const ours = batch.netkit.byname[i]!;
      const port: Outcome = 'ok' in ours ? { ok: (ours.ok as ServiceEntry).port } : ours;
      return differences(`getservbyname(${JSON.stringify(name)}, ${proto})`, port, batch.python.byname[i]);
    });
    expect(diffs).toEqual([]);
    expect(fileNames.length).toBeGreaterThan(50);
    // tcp-only services asked for udp really are missing: the test sees both outcomes.
    expect(batch.python.byname.filter((o) => 'error' in o).length).toBeGreaterThan(50);
  });

  it('gives the service on every port, per protocol, as Python getservbyport does', () => {
    const diffs = byport.flatMap(([port, proto], i) => {
      const ours = batch.netkit.byport[i]!;
      const name: Outcome = 'ok' in ours ? { ok: (ours.ok as ServiceEntry).name } : ours;
      return differences(`getservbyport(${port}, ${proto})`, name, batch.python.byport[i]);
    });
    expect(diffs).toEqual([]);
    expect(batch.python.byport.filter((o) => 'ok' in o).length).toBeGreaterThan(200);
  });

  it('prints the whole entry (name, port, protocol, aliases) as getent services does', () => {
    const found = getentKeys.map(({ by, i }) => okValue<ServiceEntry>(batch.netkit[by][i]));
    const lines = found.filter((entry) => entry !== undefined);
    expect(batch.getent[0]).toEqual({
      status: found.every(Boolean) ? 0 : 2,
      lines: lines.map((entry) => [entry.name, `${entry.port}/${entry.proto}`, ...entry.aliases]),
    });
    expect(getentKeys.length).toBeGreaterThan(4000);
  });
});
