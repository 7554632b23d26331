/**
 * The `dns` source of nsswitch.conf, emulated with plain DNS queries as glibc's nss_dns
 * does it (resolv/nss_dns/dns-host.c):
 * - by name: the search list decides which names to ask (res_search); the A (or AAAA)
 *   records give the addresses; following the CNAME chain gives the canonical name
 *   (h_name) and the aliases (every owner name of a CNAME on the way);
 * - by address: one PTR query (an IPv4-mapped or -compatible IPv6 address is asked under
 *   in-addr.arpa, as glibc does); the first PTR name is the host name, with no aliases.
 */
import type { SourceResult } from './host-sources.js';
import { formatAddress, parseAddress, reverseName } from './ip-text.js';
import { type ResolvConf, searchCandidates } from './resolver-config.js';
import type { DnsClient } from './system-resolver.js';

/** CNAME chains longer than this are loops or abuse; glibc stops much the same way. */
export const MAX_CNAME_HOPS = 16;

type Failure = Exclude<SourceResult, { status: 'success' }>;

/** How a failed c-ares query maps to an NSS status and h_errno. */
export function dnsFailure(error: unknown): Failure {
  switch ((error as { code?: string }).code) {
    case 'ENOTFOUND': // NXDOMAIN
    case 'EBADNAME':
      return { status: 'notfound', hErrno: 'HOST_NOT_FOUND' };
    case 'ENODATA': // the name exists, without records of this type
      return { status: 'notfound', hErrno: 'NO_DATA' };
    case 'ECONNREFUSED':
      return { status: 'unavail', hErrno: 'TRY_AGAIN' };
    case 'ETIMEOUT':
    case 'ESERVFAIL':
    case 'EREFUSED':
      return { status: 'tryagain', hErrno: 'TRY_AGAIN' };
    default:
      return { status: 'unavail', hErrno: 'NO_RECOVERY' };
  }
}

async function cnameChain(
  client: DnsClient,
  name: string,
): Promise<{ canonical: string; aliases: string[] }> {
  const aliases: string[] = [];
  let current = name;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    let target: string | undefined;
    try {
      [target] = await client.resolveCname(current);
    } catch {
      break; // no CNAME here: current is the canonical name
    }
    if (target === undefined) break;
    aliases.push(current);
    current = target;
  }
  return { canonical: current, aliases };
}

function normalize(addresses: readonly string[]): string[] {
  return addresses.map((address) => {
    const parsed = parseAddress(address);
    return parsed ? formatAddress(parsed.bytes) : address;
  });
}

export async function dnsByName(
  client: DnsClient,
  name: string,
  family: 4 | 6,
  conf: ResolvConf,
): Promise<SourceResult> {
  // res_search refuses an empty name before asking anything.
  if (name === '') return { status: 'unavail', hErrno: 'NO_RECOVERY' };
  let gotNoData = false;
  let gotTryAgain = false;
  let last: Failure = { status: 'notfound', hErrno: 'HOST_NOT_FOUND' };
  for (const candidate of searchCandidates(name, conf)) {
    try {
      const found = family === 4 ? await client.resolve4(candidate) : await client.resolve6(candidate);
      const { canonical, aliases } = await cnameChain(client, candidate);
      return { status: 'success', entry: { hostname: canonical, aliases, addresses: normalize(found) } };
    } catch (error) {
      last = dnsFailure(error);
      if (last.hErrno === 'NO_DATA') gotNoData = true;
      if (last.status === 'tryagain') gotTryAgain = true;
    }
  }
  // res_search: a name that exists without addresses beats a failure, which beats NXDOMAIN.
  if (gotNoData) return { status: 'notfound', hErrno: 'NO_DATA' };
  if (gotTryAgain) return { status: 'tryagain', hErrno: 'TRY_AGAIN' };
  return last;
}

/** The address a PTR query is made for: nss_dns unmaps ::ffff:a.b.c.d and ::a.b.c.d. */
function ptrAddress(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 16 || bytes.subarray(0, 10).some((byte) => byte !== 0)) return bytes;
  const tail = bytes.subarray(12);
  const mapped = bytes[10] === 0xff && bytes[11] === 0xff;
  const compatible = bytes[10] === 0 && bytes[11] === 0 && tail.some((byte) => byte !== 0);
  return mapped || compatible ? tail : bytes;
}

export async function dnsByAddress(client: DnsClient, bytes: Uint8Array): Promise<SourceResult> {
  try {
    const [hostname] = await client.resolvePtr(reverseName(ptrAddress(bytes)));
    if (hostname === undefined) return { status: 'notfound', hErrno: 'NO_DATA' };
    return { status: 'success', entry: { hostname, aliases: [], addresses: [formatAddress(bytes)] } };
  } catch (error) {
    return dnsFailure(error);
  }
}
