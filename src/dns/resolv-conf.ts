/**
 * The system resolver's settings as glibc reads them from /etc/resolv.conf (resolv.conf(5),
 * glibc 2.36 as in Debian 12), plus the LOCALDOMAIN and RES_OPTIONS environment variables.
 * Pure: the file's text, the host name and the environment are passed in.
 *
 * - `nameserver ADDRESS`: up to 3 (MAXNS); more are ignored. IPv6 may carry `%scope`.
 * - `domain NAME` and `search NAME...`: the last of the two in the file wins; without either,
 *   the search list is the host name's domain (what follows its first dot), if it has one.
 * - `options`: ndots:N (at most 15), timeout:N seconds (at most 30), attempts:N (at most 5),
 *   numbers read as atoi reads them (`ndots:x` is 0),
 *   rotate, edns0, use-vc, single-request, single-request-reopen, no-tld-query, trust-ad,
 *   no-aaaa; unknown options are ignored, as glibc does.
 * - Lines starting with `;` or `#` are comments; a keyword must start its line.
 * - No nameserver: the local one (127.0.0.1, glibc's default).
 */
import { parseIPv4, parseIPv6 } from '../core/ip.js';

export interface ResolverConfig {
  nameservers: string[];
  search: string[];
  ndots: number;
  timeoutMs: number;
  attempts: number;
  rotate: boolean;
  edns0: boolean;
  /** `use-vc`: queries over TCP. */
  useVc: boolean;
  singleRequest: boolean;
  singleRequestReopen: boolean;
  noTldQuery: boolean;
  trustAd: boolean;
  noAaaa: boolean;
  /** Every boolean option set, in glibc's order (those above and debug, inet6, no-check-names, no-reload). */
  flags: string[];
}

/** glibc's boolean resolver options, in the order of its option table. */
const FLAG_ORDER = [
  'debug',
  'rotate',
  'no-check-names',
  'inet6',
  'edns0',
  'single-request',
  'single-request-reopen',
  'no-tld-query',
  'use-vc',
  'no-reload',
  'trust-ad',
  'no-aaaa',
] as const;

export const RESOLVER_DEFAULTS = {
  ndots: 1,
  timeoutMs: 5000,
  attempts: 2,
  maxNameservers: 3,
  maxNdots: 15,
  maxTimeoutSeconds: 30,
  maxAttempts: 5,
  localNameserver: '127.0.0.1',
} as const;

export interface ResolvConfInput {
  /** The host's name (gethostname()), for the default search domain. */
  hostname?: string;
  /** LOCALDOMAIN and RES_OPTIONS, if set. */
  env?: { LOCALDOMAIN?: string; RES_OPTIONS?: string };
}

export function parseResolvConf(text: string, input: ResolvConfInput = {}): ResolverConfig {
  const config: ResolverConfig = {
    nameservers: [],
    search: [],
    ndots: RESOLVER_DEFAULTS.ndots,
    timeoutMs: RESOLVER_DEFAULTS.timeoutMs,
    attempts: RESOLVER_DEFAULTS.attempts,
    rotate: false,
    edns0: false,
    useVc: false,
    singleRequest: false,
    singleRequestReopen: false,
    noTldQuery: false,
    trustAd: false,
    noAaaa: false,
    flags: [],
  };
  let searchSet = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.startsWith(';') || line.startsWith('#')) continue;
    const words = line.split(/[ \t]+/).filter((word) => word !== '');
    const [keyword, ...values] = words;
    if (keyword === undefined || /^\s/.test(line)) continue;
    switch (keyword) {
      case 'nameserver': {
        const address = values[0];
        if (
          address !== undefined &&
          config.nameservers.length < RESOLVER_DEFAULTS.maxNameservers &&
          isAddress(address)
        )
          config.nameservers.push(address);
        break;
      }
      case 'domain':
        if (values[0] !== undefined) {
          config.search = [values[0]];
          searchSet = true;
        }
        break;
      case 'search':
        config.search = values;
        searchSet = true;
        break;
      case 'options':
        applyOptions(config, values);
        break;
      default:
        break;
    }
  }
  const localDomain = input.env?.LOCALDOMAIN;
  if (localDomain !== undefined) {
    config.search = localDomain.split(/[ \t]+/).filter((word) => word !== '');
    searchSet = true;
  }
  if (input.env?.RES_OPTIONS !== undefined) applyOptions(config, input.env.RES_OPTIONS.split(/[ \t]+/));
  if (!searchSet && input.hostname?.includes('.')) {
    const domain = input.hostname.slice(input.hostname.indexOf('.') + 1);
    if (domain !== '') config.search = [domain];
  }
  config.search = config.search.map((domain) =>
    domain.endsWith('.') && domain !== '.' ? domain.slice(0, -1) : domain,
  );
  if (config.nameservers.length === 0) config.nameservers = [RESOLVER_DEFAULTS.localNameserver];
  config.flags = FLAG_ORDER.filter((flag) => flagSet(config, flag));
  return config;
}

function isAddress(text: string): boolean {
  return parseIPv4(text) !== undefined || parseIPv6(text.replace(/%[^%]+$/, '')) !== undefined;
}

const EXTRA_FLAGS = new WeakMap<ResolverConfig, Set<string>>();

function flagSet(config: ResolverConfig, flag: (typeof FLAG_ORDER)[number]): boolean {
  switch (flag) {
    case 'rotate':
      return config.rotate;
    case 'edns0':
      return config.edns0;
    case 'single-request':
      return config.singleRequest;
    case 'single-request-reopen':
      return config.singleRequestReopen;
    case 'no-tld-query':
      return config.noTldQuery;
    case 'use-vc':
      return config.useVc;
    case 'trust-ad':
      return config.trustAd;
    case 'no-aaaa':
      return config.noAaaa;
    default:
      return EXTRA_FLAGS.get(config)?.has(flag) ?? false;
  }
}

function applyOptions(config: ResolverConfig, options: string[]): void {
  for (const option of options) {
    const [name, value] = option.split(':', 2) as [string, string | undefined];
    // glibc reads the number with atoi: leading digits, and 0 when there are none.
    const number = value === undefined ? undefined : Number(/^\d*/.exec(value)![0] || '0');
    switch (name) {
      case 'ndots':
        if (number !== undefined) config.ndots = Math.min(number, RESOLVER_DEFAULTS.maxNdots);
        break;
      case 'timeout':
        // 0 is kept as glibc keeps it; a resolver waits at least a second anyway.
        if (number !== undefined)
          config.timeoutMs = Math.min(number, RESOLVER_DEFAULTS.maxTimeoutSeconds) * 1000;
        break;
      case 'attempts':
        if (number !== undefined) config.attempts = Math.min(number, RESOLVER_DEFAULTS.maxAttempts);
        break;
      case 'rotate':
        config.rotate = true;
        break;
      case 'edns0':
        config.edns0 = true;
        break;
      case 'use-vc':
        config.useVc = true;
        break;
      case 'single-request':
        config.singleRequest = true;
        break;
      case 'single-request-reopen':
        config.singleRequestReopen = true;
        break;
      case 'no-tld-query':
        config.noTldQuery = true;
        break;
      case 'trust-ad':
        config.trustAd = true;
        break;
      case 'no-aaaa':
        config.noAaaa = true;
        break;
      case 'debug':
      case 'inet6':
      case 'no-check-names':
      case 'no-reload': {
        const extra = EXTRA_FLAGS.get(config) ?? new Set<string>();
        extra.add(name);
        EXTRA_FLAGS.set(config, extra);
        break;
      }
      default:
        break;
    }
  }
}
