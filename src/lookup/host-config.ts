/**
 * Reads the files that decide how host names are looked up (/etc/nsswitch.conf,
 * /etc/hosts, /etc/host.conf, /etc/resolv.conf) once per lookup, as glibc rereads them,
 * with every file's path or contents replaceable through options for tests.
 */
import { readFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { type HostsLine, parseHostsFile } from './hosts-file.js';
import { hostsSources, type NssSource, parseNsswitch } from './nsswitch.js';
import { parseHostConf, parseResolvConf, type ResolvConf } from './resolver-config.js';
import { type DnsClient, nodeDnsClient, nodeSystemResolver, type SystemResolver } from './system-resolver.js';

export interface HostLookupOptions {
  /** /etc/hosts contents; when given, hostsPath is not read. */
  hostsText?: string;
  hostsPath?: string;
  /** /etc/nsswitch.conf contents (only its `hosts:` line matters). */
  nsswitchText?: string;
  nsswitchPath?: string;
  /** /etc/host.conf contents (only `multi on|off` matters). */
  hostConfText?: string;
  hostConfPath?: string;
  /** /etc/resolv.conf contents (search list and ndots for the dns source). */
  resolvConfText?: string;
  resolvConfPath?: string;
  /** DNS queries for the dns source; default: node's dns.Resolver. */
  dns?: DnsClient;
  /** getaddrinfo/getnameinfo; default: node's dns.lookup and dns.lookupService. */
  system?: SystemResolver;
  /** The local host name (for the search list and the myhostname source); default os.hostname(). */
  hostname?: string;
  /** RESOLV_MULTI, LOCALDOMAIN and RES_OPTIONS are read from here; default process.env. */
  env?: Record<string, string | undefined>;
}

export const DEFAULT_PATHS = {
  hosts: '/etc/hosts',
  nsswitch: '/etc/nsswitch.conf',
  hostConf: '/etc/host.conf',
  resolvConf: '/etc/resolv.conf',
} as const;

export interface HostConfig {
  sources: NssSource[];
  /** undefined when there is no hosts file: the files source is then unavailable. */
  hostsLines: HostsLine[] | undefined;
  multi: boolean;
  resolvConf: ResolvConf;
  hostname: string;
  dns: () => DnsClient;
  system: SystemResolver;
}

/** A file's text, or undefined when it does not exist or cannot be read (glibc skips it too). */
async function readOptional(text: string | undefined, path: string): Promise<string | undefined> {
  if (text !== undefined) return text;
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function loadHostConfig(options: HostLookupOptions = {}): Promise<HostConfig> {
  const env = options.env ?? process.env;
  const hostname = options.hostname ?? osHostname();
  const [nsswitch, hosts, hostConf, resolvConf] = await Promise.all([
    readOptional(options.nsswitchText, options.nsswitchPath ?? DEFAULT_PATHS.nsswitch),
    readOptional(options.hostsText, options.hostsPath ?? DEFAULT_PATHS.hosts),
    readOptional(options.hostConfText, options.hostConfPath ?? DEFAULT_PATHS.hostConf),
    readOptional(options.resolvConfText, options.resolvConfPath ?? DEFAULT_PATHS.resolvConf),
  ]);
  let client: DnsClient | undefined = options.dns;
  return {
    sources: hostsSources(nsswitch === undefined ? undefined : parseNsswitch(nsswitch)),
    hostsLines: hosts === undefined ? undefined : parseHostsFile(hosts),
    multi: parseHostConf(hostConf ?? '', { RESOLV_MULTI: env.RESOLV_MULTI }).multi,
    resolvConf: parseResolvConf(resolvConf ?? '', hostname, {
      LOCALDOMAIN: env.LOCALDOMAIN,
      RES_OPTIONS: env.RES_OPTIONS,
    }),
    hostname,
    // Created only when the dns source is reached: most lookups end in /etc/hosts.
    dns: () => {
      client ??= nodeDnsClient();
      return client;
    },
    system: options.system ?? nodeSystemResolver,
  };
}
