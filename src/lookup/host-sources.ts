/**
 * The `hosts:` line of /etc/nsswitch.conf, walked as glibc walks it for gethostbyname2_r
 * and gethostbyaddr_r: each source answers success, notfound, unavail or tryagain, and
 * the source's actions decide whether to go on. Two sources are emulated here because
 * node has no call that reports canonical names and aliases:
 *   files  /etc/hosts through hosts-file.ts;
 *   dns    DNS queries (A/AAAA, the CNAME chain for the canonical name and aliases, PTR).
 * Other sources are delegated to getaddrinfo or getnameinfo, which run the system's own
 * chain: the answer is right, with no aliases. myhostname and the minimal mDNS modules are
 * delegated only for the names they answer (else their own status is used), and resolve
 * (systemd-resolved) tries plain DNS first so that CNAME aliases survive.
 */
import { dnsByAddress, dnsByName } from './dns-source.js';
import type { HErrnoName } from './errors.js';
import type { HostConfig } from './host-config.js';
import { type HostsAnswer, hostsByAddress, hostsByName } from './hosts-file.js';
import { formatAddress } from './ip-text.js';
import type { NssSource, NssStatus } from './nsswitch.js';

/** What Python's gethostbyname_ex and gethostbyaddr return. */
export interface HostEntry {
  hostname: string;
  aliases: string[];
  addresses: string[];
}

export type SourceResult =
  | { status: 'success'; entry: HostEntry }
  | { status: Exclude<NssStatus, 'success'>; hErrno: HErrnoName };

const NOT_FOUND: SourceResult = { status: 'notfound', hErrno: 'HOST_NOT_FOUND' };

function fromHosts(answer: HostsAnswer | undefined): SourceResult {
  if (!answer) return NOT_FOUND;
  const { hostname, aliases, addresses } = answer;
  return { status: 'success', entry: { hostname, aliases, addresses: addresses.map(formatAddress) } };
}

function filesUnavailable(): SourceResult {
  return { status: 'unavail', hErrno: 'NO_RECOVERY' };
}

/** Names systemd's nss-myhostname answers for; it says notfound for everything else. */
function isMyHostname(name: string, config: HostConfig): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return (
    lower === config.hostname.toLowerCase() ||
    lower === 'localhost' ||
    lower.endsWith('.localhost') ||
    ['_gateway', '_outbound', '_localdnsstub', '_localdnsproxy'].includes(lower)
  );
}

async function delegateByName(name: string, family: 4 | 6, config: HostConfig): Promise<SourceResult> {
  try {
    const found = await config.system.getaddrinfo(name, family);
    return {
      status: 'success',
      entry: { hostname: name, aliases: [], addresses: found.map((a) => a.address) },
    };
  } catch (error) {
    const eai = (error as { eai?: string }).eai;
    if (eai === 'EAI_AGAIN') return { status: 'tryagain', hErrno: 'TRY_AGAIN' };
    if (eai === 'EAI_NODATA' || eai === 'EAI_ADDRFAMILY') return { status: 'notfound', hErrno: 'NO_DATA' };
    return NOT_FOUND;
  }
}

async function delegateByAddress(bytes: Uint8Array, config: HostConfig): Promise<SourceResult> {
  const address = formatAddress(bytes);
  try {
    const hostname = await config.system.getnameinfo(address);
    return { status: 'success', entry: { hostname, aliases: [], addresses: [address] } };
  } catch (error) {
    return (error as { eai?: string }).eai === 'EAI_AGAIN'
      ? { status: 'tryagain', hErrno: 'TRY_AGAIN' }
      : NOT_FOUND;
  }
}

async function byName(
  source: NssSource,
  name: string,
  family: 4 | 6,
  config: HostConfig,
): Promise<SourceResult> {
  switch (source.name) {
    case 'files':
      return config.hostsLines
        ? fromHosts(hostsByName(config.hostsLines, name, family, config.multi))
        : filesUnavailable();
    case 'dns':
      return dnsByName(config.dns(), name, family, config.resolvConf);
    case 'resolve': {
      // systemd-resolved: plain DNS gives the aliases; what it synthesizes besides comes from the system.
      const answer = await dnsByName(config.dns(), name, family, config.resolvConf);
      return answer.status === 'success' ? answer : delegateByName(name, family, config);
    }
    case 'myhostname':
      return isMyHostname(name, config) ? delegateByName(name, family, config) : NOT_FOUND;
    case 'mdns4_minimal':
    case 'mdns6_minimal':
    case 'mdns_minimal':
      // The minimal mDNS modules only handle .local and say unavail for other names.
      return /\.local\.?$/i.test(name)
        ? delegateByName(name, family, config)
        : { status: 'unavail', hErrno: 'NO_RECOVERY' };
    default:
      return delegateByName(name, family, config);
  }
}

async function byAddress(source: NssSource, bytes: Uint8Array, config: HostConfig): Promise<SourceResult> {
  switch (source.name) {
    case 'files':
      return config.hostsLines ? fromHosts(hostsByAddress(config.hostsLines, bytes)) : filesUnavailable();
    case 'dns':
      return dnsByAddress(config.dns(), bytes);
    default:
      return delegateByAddress(bytes, config);
  }
}

/** Walks the sources; the first success wins, else the last source's h_errno is the answer. */
async function walk(
  config: HostConfig,
  ask: (source: NssSource) => Promise<SourceResult>,
): Promise<SourceResult> {
  let last: SourceResult = { status: 'unavail', hErrno: 'NO_RECOVERY' };
  for (const source of config.sources) {
    last = await ask(source);
    if (last.status === 'success' || source.actions[last.status] === 'return') break;
  }
  return last;
}

export function lookupByName(name: string, family: 4 | 6, config: HostConfig): Promise<SourceResult> {
  return walk(config, (source) => byName(source, name, family, config));
}

export function lookupByAddress(bytes: Uint8Array, config: HostConfig): Promise<SourceResult> {
  return walk(config, (source) => byAddress(source, bytes, config));
}
