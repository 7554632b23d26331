/**
 * gethostname and the interface list: grouping and CIDR on fixed input, then the real
 * machine against `ip -j addr` (iproute2), Python's socket.gethostname and `hostname`.
 */
import { spawnSync } from 'node:child_process';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { gethostname, groupInterfaces, interfaces, scopeOf } from '../../src/lookup/interfaces.js';
import { parseAddress } from '../../src/lookup/ip-text.js';
import { describeWithPeers, PYTHON3 } from '../helpers/peers.js';
import { IP } from './differential.js';

function v4(address: string, netmask: string, mac: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask, family: 'IPv4', mac, internal, cidr: null };
}

function v6(
  address: string,
  netmask: string,
  mac: string,
  scopeid: number,
  internal = false,
): NetworkInterfaceInfo {
  return { address, netmask, family: 'IPv6', mac, internal, cidr: null, scopeid };
}

describe('groupInterfaces', () => {
  const mac = '02:fc:00:00:00:01';
  const list = groupInterfaces({
    lo: [
      v6('::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '00:00:00:00:00:00', 0, true),
      v4('127.0.0.1', '255.0.0.0', '00:00:00:00:00:00', true),
    ],
    eth0: [
      v4('192.0.2.2', '255.255.255.0', mac),
      v6('fe80::fc:ff:fe00:1', 'ffff:ffff:ffff:ffff::', mac, 4),
      v4('198.51.100.1', '255.255.255.254', mac),
      v6('2001:DB8:0:0::5', 'ffff:ffff:ffff:ffff::', mac, 0),
    ],
    down: [],
  });

  it('lists one entry per interface with an address, IPv4 first, in CIDR form', () => {
    expect(list.map((i) => [i.name, i.mac, i.internal])).toEqual([
      ['lo', '00:00:00:00:00:00', true],
      ['eth0', mac, false],
    ]);
    expect(list[1]!.addresses.map((a) => a.cidr)).toEqual([
      '192.0.2.2/24',
      '198.51.100.1/31',
      'fe80::fc:ff:fe00:1/64',
      '2001:db8::5/64',
    ]);
  });

  it('adds the broadcast address, scope and IPv6 zone where they apply', () => {
    const [lo, eth0] = list;
    expect(lo!.addresses[0]).toEqual({
      family: 4,
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      prefixLength: 8,
      cidr: '127.0.0.1/8',
      scope: 'host',
    });
    expect(eth0!.addresses[0]).toMatchObject({ broadcast: '192.0.2.255', scope: 'global' });
    expect(eth0!.addresses[1]).not.toHaveProperty('broadcast'); // a /31 has none
    expect(eth0!.addresses[2]).toMatchObject({ scope: 'link', scopeId: 4 });
    expect(eth0!.addresses[3]).not.toHaveProperty('scopeId');
  });

  it.each([
    ['127.0.0.53', 'host'],
    ['169.254.1.1', 'link'],
    ['10.1.2.3', 'global'],
    ['::1', 'host'],
    ['fe80::1', 'link'],
    ['febf::1', 'link'],
    ['fec0::1', 'site'],
    ['fd00::1', 'global'],
  ])('the scope of %s is %s', (address, scope) => {
    expect(scopeOf(parseAddress(address)!.bytes)).toBe(scope);
  });
});

interface IpAddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope: string;
}

describeWithPeers('the local host against ip addr', [IP], () => {
  it('has the same interfaces, MACs, addresses, prefixes and scopes as `ip -j addr`', () => {
    const run = spawnSync('ip', ['-j', 'addr'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const links = JSON.parse(run.stdout) as {
      ifindex: number;
      ifname: string;
      address?: string;
      flags: string[];
      addr_info: IpAddrInfo[];
    }[];
    const ours = interfaces();
    expect(ours.length).toBeGreaterThan(0);
    for (const iface of ours) {
      const link = links.find((l) => l.ifname === iface.name);
      expect(link, iface.name).toBeDefined();
      expect(iface.mac).toBe(link!.address ?? '00:00:00:00:00:00');
      expect(iface.internal).toBe(link!.flags.includes('LOOPBACK'));
      const theirs = link!.addr_info.map((a) => `${a.local}/${a.prefixlen} ${a.scope}`).sort();
      expect(iface.addresses.map((a) => `${a.cidr} ${a.scope}`).sort()).toEqual(theirs);
      for (const address of iface.addresses) {
        const info = link!.addr_info.find((a) => a.local === address.address)!;
        if (info.broadcast) expect(address.broadcast).toBe(info.broadcast);
        if (address.scope === 'link' && address.family === 6) expect(address.scopeId).toBe(link!.ifindex);
      }
    }
  });
});

describeWithPeers('gethostname against Python and hostname(1)', [PYTHON3], () => {
  it('is the name Python and the hostname command print', () => {
    const python = spawnSync('python3', ['-c', 'import socket; print(socket.gethostname())'], {
      encoding: 'utf8',
    });
    expect(gethostname()).toBe(python.stdout.trim());
    const command = spawnSync('hostname', [], { encoding: 'utf8' });
    if (command.status === 0) expect(gethostname()).toBe(command.stdout.trim());
  });
});
