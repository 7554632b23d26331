/**
 * In-memory stand-ins for the system resolver (getaddrinfo/getnameinfo) and for DNS, so
 * the nsswitch walk, the dns source and Python's special cases can be tested without a
 * network: tables in, answers and the list of questions asked out.
 */
import { AddressLookupError } from '../../src/lookup/errors.js';
import type { HostLookupOptions } from '../../src/lookup/host-config.js';
import type { AddressInfo, DnsClient, SystemResolver } from '../../src/lookup/system-resolver.js';

export interface FakeSystem extends SystemResolver {
  asked: string[];
}

/** getaddrinfo answers from `names` (case-insensitive), getnameinfo from `addresses`. */
export function fakeSystem(
  names: Record<string, AddressInfo[]> = {},
  addresses: Record<string, string> = {},
): FakeSystem {
  const asked: string[] = [];
  return {
    asked,
    async getaddrinfo(name, family) {
      asked.push(`getaddrinfo ${name} ${family}`);
      const found = (names[name.toLowerCase()] ?? []).filter((a) => family === 0 || a.family === family);
      if (found.length === 0) throw new AddressLookupError('EAI_NONAME', name);
      return found;
    },
    async getnameinfo(address) {
      asked.push(`getnameinfo ${address}`);
      const name = addresses[address];
      if (name === undefined) throw new AddressLookupError('EAI_NONAME', address);
      return name;
    },
  };
}

export interface Zone {
  A?: Record<string, string[]>;
  AAAA?: Record<string, string[]>;
  CNAME?: Record<string, string>;
  PTR?: Record<string, string[]>;
  /** Names whose every query fails with this c-ares code (ETIMEOUT, ESERVFAIL, ...). */
  fail?: Record<string, string>;
}

export interface FakeDns extends DnsClient {
  asked: string[];
}

function dnsError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** A recursive resolver over one zone: A/AAAA queries follow CNAMEs, as a real one does. */
export function fakeDns(zone: Zone): FakeDns {
  const asked: string[] = [];
  const exists = (name: string) =>
    [zone.A, zone.AAAA, zone.CNAME, zone.PTR].some((table) => table !== undefined && name in table);
  const query = (type: 'A' | 'AAAA' | 'CNAME' | 'PTR', name: string): string[] => {
    asked.push(`${type} ${name}`);
    const failure = zone.fail?.[name];
    if (failure) throw dnsError(failure);
    let current = name;
    for (let hops = 0; type !== 'CNAME' && zone.CNAME?.[current] !== undefined && hops < 20; hops++) {
      current = zone.CNAME[current]!;
    }
    const table = type === 'CNAME' ? zone.CNAME : zone[type];
    const found = table?.[current];
    if (found !== undefined) return Array.isArray(found) ? found : [found];
    throw dnsError(exists(current) ? 'ENODATA' : 'ENOTFOUND');
  };
  return {
    asked,
    async resolve4(name) {
      return query('A', name);
    },
    async resolve6(name) {
      return query('AAAA', name);
    },
    async resolveCname(name) {
      return query('CNAME', name);
    },
    async resolvePtr(name) {
      return query('PTR', name);
    },
  };
}

/** Options with every file given as text, so no test reads the machine's configuration. */
export function fixtureOptions(
  overrides: Partial<HostLookupOptions> & { family?: 4 | 6 } = {},
): HostLookupOptions & { family?: 4 | 6 } {
  return {
    hostsText: '127.0.0.1 localhost\n',
    nsswitchText: 'hosts: files dns\n',
    hostConfText: 'multi on\n',
    resolvConfText: '',
    hostname: 'box',
    env: {},
    dns: fakeDns({}),
    system: fakeSystem(),
    ...overrides,
  };
}
