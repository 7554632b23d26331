/**
 * The two doors to the operating system's resolver, behind small interfaces so tests can
 * replace them:
 * - SystemResolver: getaddrinfo and getnameinfo, through node's dns.lookup and
 *   dns.lookupService (which call the C library, so /etc/nsswitch.conf applies);
 * - DnsClient: plain DNS queries through node's dns.Resolver (c-ares, servers from
 *   /etc/resolv.conf), used to emulate the `dns` source with its CNAME aliases, which
 *   getaddrinfo does not report. Only resolveX/resolvePtr are used: Resolver.reverse would
 *   read /etc/hosts itself and answer differently from glibc.
 */
import { promises as dns } from 'node:dns';
import { getSystemErrorName } from 'node:util';
import { AddressLookupError, EAI, type EaiName } from './errors.js';

export interface AddressInfo {
  address: string;
  family: 4 | 6;
}

export interface SystemResolver {
  /** getaddrinfo(name) for one family (0: both), addresses in the order it gives them. */
  getaddrinfo(name: string, family: 0 | 4 | 6): Promise<AddressInfo[]>;
  /** getnameinfo(address) with NI_NAMEREQD: the host name, or an AddressLookupError. */
  getnameinfo(address: string): Promise<string>;
}

export interface DnsClient {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveCname(name: string): Promise<string[]>;
  resolvePtr(name: string): Promise<string[]>;
}

/** The EAI_* name of a failed dns.lookup or dns.lookupService (node keeps libuv's errno). */
export function eaiOf(error: unknown): EaiName {
  const { errno, code } = error as NodeJS.ErrnoException;
  const name = typeof errno === 'number' && errno < 0 ? getSystemErrorName(errno) : code;
  if (name !== undefined && name in EAI) return name as EaiName;
  // node reports both EAI_NONAME and EAI_NODATA as ENOTFOUND when errno is missing.
  return name === 'ENOTFOUND' ? 'EAI_NONAME' : 'EAI_SYSTEM';
}

export const nodeSystemResolver: SystemResolver = {
  async getaddrinfo(name, family) {
    try {
      const found = await dns.lookup(name, { family, all: true, verbatim: true });
      return found.map(({ address, family: f }) => ({ address, family: f === 6 ? 6 : 4 }));
    } catch (error) {
      throw new AddressLookupError(eaiOf(error), name, { cause: error });
    }
  },
  async getnameinfo(address) {
    try {
      return (await dns.lookupService(address, 0)).hostname;
    } catch (error) {
      throw new AddressLookupError(eaiOf(error), address, { cause: error });
    }
  },
};

/** A fresh c-ares resolver: it reads /etc/resolv.conf when created, as glibc's res_init does. */
export function nodeDnsClient(): DnsClient {
  return new dns.Resolver();
}
