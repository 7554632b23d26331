/**
 * Host lookups against Python's socket module and getent on this machine, with its own
 * /etc/hosts, /etc/nsswitch.conf and DNS: every name, alias and address in /etc/hosts,
 * localhost, 127.0.0.1, ::1, this host's name and addresses, and names that do not exist
 * or cannot be looked up. Same answer, or the same Python exception with the same errno.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { beforeAll, expect, it } from 'vitest';
import { describeHermetic } from '../helpers/hermetic.js';
import { GETENT, PYTHON3 } from '../helpers/peers.js';
import { type Batch, runBatch } from './differential.js';
import { compareGetentHosts, compareHosts, getentArgsFor, HOST_FUNCTIONS } from './host-comparisons.js';

/** Names and addresses in /etc/hosts, read with a plain split (not with netkit's parser). */
function hostsFileKeys(): string[] {
  if (!existsSync('/etc/hosts')) return [];
  return readFileSync('/etc/hosts', 'utf8')
    .split('\n')
    .flatMap((line) => line.split('#')[0]!.trim().split(/\s+/))
    .filter((field) => field !== '');
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((infos) => infos ?? [])
    .map((info) => info.address.split('%')[0]!);
}

const fromFile = hostsFileKeys();
const NAMES = [
  ...new Set([
    ...fromFile,
    ...fromFile.map((key) => key.toUpperCase()),
    ...['localhost', 'LOCALHOST', 'localhost.', hostname(), hostname().toUpperCase()],
    ...['127.0.0.1', '::1', '::0001', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::', '0.0.0.0'],
    ...['127.1', '017.0.0.1', '4294967295', '1.2.3.4', '09.0.0.1', '255.255.255.255', '<broadcast>'],
    ...['no-such-host.invalid', 'NO-SUCH-HOST.INVALID', '', 'a..b', 'x'.repeat(64), '.', 'a\u0000b'],
    ...interfaceAddresses(),
  ]),
];

// getent takes no empty key, and C strings stop at NUL.
const GETENT_KEYS = NAMES.filter((key) => key !== '' && !key.includes('\u0000'));

describeHermetic('host lookups against Python and getent on this machine', [PYTHON3, GETENT], () => {
  let batch: Batch;
  beforeAll(() => {
    batch = runBatch({ hosts: NAMES }, getentArgsFor(GETENT_KEYS));
  }, 180_000);

  it('answers gethostbyname, gethostbyname_ex, gethostbyaddr and getaddrinfo as Python does', () => {
    // Python passes a name with a NUL byte to getaddrinfo cut at the NUL; netkit refuses it.
    const { count, diffs } = compareHosts(batch, NAMES, {
      skip: (name, fn) => name.includes('\u0000') && fn.startsWith('getaddrinfo'),
    });
    expect(diffs).toEqual([]);
    expect(count).toBe(NAMES.length * HOST_FUNCTIONS.length - 2);
    expect(fromFile.length).toBeGreaterThan(0);
  });

  it('finds every name and alias in /etc/hosts, as Python does', () => {
    const names = fromFile.filter((key) => !/^[0-9a-f.:]+$/i.test(key));
    for (const name of names) expect(batch.netkit.hosts[name]!.gethostbyname_ex).toHaveProperty('ok');
  });

  it('prints what getent hosts, ahosts and ahostsv4 print', () => {
    expect(compareGetentHosts(batch, GETENT_KEYS)).toEqual([]);
  });
});
