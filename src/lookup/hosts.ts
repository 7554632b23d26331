/**
 * The lecture's host lookups with Python's semantics (Modules/socketmodule.c), promise-based:
 *   gethostbyname(name)     first IPv4 address: getaddrinfo(AF_INET), literals returned as they are
 *   gethostbynameEx(name)   { hostname, aliases, addresses }: the getaddrinfo check above, then
 *                           gethostbyname_r through nsswitch.conf (files, dns, ...)
 *   gethostbyaddr(address)  { hostname, aliases, addresses }: gethostbyaddr_r; a name is
 *                           first resolved to its first address, as Python does
 *   getaddrinfo(name)       every address, IPv4 and IPv6, in getaddrinfo's order
 * Failures are AddressLookupError (Python's gaierror) or HostLookupError (herror).
 */
import { domainToASCII } from 'node:url';
import { AddressLookupError, BadNameError, HostLookupError } from './errors.js';
import { type HostLookupOptions, loadHostConfig } from './host-config.js';
import { type HostEntry, lookupByAddress, lookupByName } from './host-sources.js';
import { formatAddress, inetAton, parseAddress, unmapIPv4 } from './ip-text.js';
import { type AddressInfo, nodeSystemResolver } from './system-resolver.js';

export type { HostEntry } from './host-sources.js';

const BROADCAST = '255.255.255.255';

/**
 * The name as Python passes it to the C library: its idna codec turns non-ASCII names into
 * xn-- labels and refuses empty or over-long labels; a NUL byte is refused before that.
 */
export function checkHostName(name: string): string {
  if (name.includes('\0')) throw new BadNameError(name, 'it contains a NUL byte', 'TypeError');
  const ascii = /^[\x00-\x7f]*$/.test(name) ? name : domainToASCII(name);
  if (ascii === '') {
    if (name === '') return '';
    throw new BadNameError(name, 'it cannot be encoded as an international domain name', 'UnicodeError');
  }
  const labels = ascii.split('.');
  if (labels.length > 1 && labels[labels.length - 1] === '') labels.pop();
  if (labels.some((label) => label.length === 0 || label.length > 63)) {
    throw new BadNameError(name, 'a label is empty or longer than 63 characters', 'UnicodeError');
  }
  return ascii;
}

/** Python's gethostbyname: the first IPv4 address of `name`. */
export async function gethostbyname(name: string, options: HostLookupOptions = {}): Promise<string> {
  const host = checkHostName(name);
  // Python's own conventions for the empty name (INADDR_ANY) and <broadcast>.
  if (host === '') return '0.0.0.0';
  if (host === '<broadcast>' || host === BROADCAST) return BROADCAST;
  const [first] = await getaddrinfo(host, { ...options, family: 4 });
  if (!first) throw new AddressLookupError('EAI_NODATA', name);
  return first.address;
}

/** Every address of `name` as getaddrinfo gives them (family 0: IPv4 and IPv6). */
export async function getaddrinfo(
  name: string,
  options: HostLookupOptions & { family?: 0 | 4 | 6 } = {},
): Promise<AddressInfo[]> {
  const host = checkHostName(name);
  const family = options.family ?? 0;
  if (host === '') throw new AddressLookupError('EAI_NONAME', name);
  // node returns literals untouched; glibc normalizes them (a %zone goes to the scope id,
  // not the text), checks the family, and gives ::ffff:a.b.c.d as a.b.c.d to IPv4 callers.
  const zone = host.indexOf('%');
  const literal = parseAddress(zone >= 0 ? host.slice(0, zone) : host);
  if (literal && (zone < 0 || literal.family === 6)) {
    const mapped = family === 4 ? unmapIPv4(literal.bytes) : undefined;
    const found = mapped ? { family: 4 as const, bytes: mapped } : literal;
    if (family !== 0 && family !== found.family) throw new AddressLookupError('EAI_ADDRFAMILY', name);
    return [{ address: formatAddress(found.bytes), family: found.family }];
  }
  return (options.system ?? nodeSystemResolver).getaddrinfo(host, family);
}

/** The addresses alone, IPv4 and IPv6, in getaddrinfo's order. */
export async function getAllAddresses(name: string, options: HostLookupOptions = {}): Promise<string[]> {
  return (await getaddrinfo(name, options)).map((info) => info.address);
}

/**
 * glibc's __nss_hostname_digits_dots: a name of digits and dots is answered without any
 * lookup (through inet_aton, so "127.1" works), and so is an IPv6 literal asked as IPv6.
 * undefined: not such a name; null: such a name that does not parse (HOST_NOT_FOUND).
 */
function numericEntry(name: string, family: 4 | 6): HostEntry | null | undefined {
  if (name.endsWith('.')) return undefined;
  let bytes: Uint8Array | undefined;
  if (/^[0-9][0-9.]*$/.test(name)) {
    bytes = family === 4 ? inetAton(name) : undefined;
  } else if (/^[0-9a-fA-F:][0-9a-fA-F:.]*$/.test(name) && name.includes(':')) {
    // Only an IPv6 lookup can answer an IPv6 literal (an IPv4 one gets here for ::ffff:a.b.c.d).
    const parsed = family === 6 ? parseAddress(name) : undefined;
    bytes = parsed?.family === 6 ? parsed.bytes : undefined;
  } else {
    return undefined;
  }
  return bytes ? { hostname: name, aliases: [], addresses: [formatAddress(bytes)] } : null;
}

/**
 * Python's gethostbyname_ex: canonical name, aliases and IPv4 addresses. With family 6,
 * glibc's gethostbyname2(name, AF_INET6) instead (what `getent hosts` tries first).
 */
export async function gethostbynameEx(
  name: string,
  options: HostLookupOptions & { family?: 4 | 6 } = {},
): Promise<HostEntry> {
  const family = options.family ?? 4;
  const host = checkHostName(name);
  // Python calls getaddrinfo first, so an unknown name is a gaierror, not an herror.
  if (family === 4) await gethostbyname(name, options);
  const numeric = numericEntry(host, family);
  if (numeric) return numeric;
  if (numeric === null) throw new HostLookupError('HOST_NOT_FOUND', name);
  const result = await lookupByName(host, family, await loadHostConfig(options));
  if (result.status === 'success') return result.entry;
  throw new HostLookupError(result.hErrno, name);
}

/** The address gethostbyaddr looks up: literals as they are, a name through getaddrinfo. */
async function addressOf(host: string, name: string, options: HostLookupOptions): Promise<Uint8Array> {
  if (host === '') throw new BadNameError(name, 'an empty string is not an address', 'OSError');
  if (host === '<broadcast>') return Uint8Array.of(255, 255, 255, 255);
  const literal = host.includes('%') ? undefined : parseAddress(host);
  if (literal) return literal.bytes;
  const [first] = await getaddrinfo(host, options);
  const parsed = first && parseAddress(first.address.split('%', 1)[0]!);
  if (!parsed) throw new AddressLookupError('EAI_NONAME', name);
  return parsed.bytes;
}

/** Python's gethostbyaddr: the host name, aliases and address for an address (or a name). */
export async function gethostbyaddr(address: string, options: HostLookupOptions = {}): Promise<HostEntry> {
  const host = checkHostName(address);
  const bytes = await addressOf(host, address, options);
  // glibc answers the unspecified address :: without asking anyone.
  if (bytes.length === 16 && bytes.every((byte) => byte === 0))
    throw new HostLookupError('HOST_NOT_FOUND', address);
  const result = await lookupByAddress(bytes, await loadHostConfig(options));
  if (result.status === 'success') return result.entry;
  throw new HostLookupError(result.hErrno, address);
}
