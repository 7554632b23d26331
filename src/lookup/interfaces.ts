/**
 * The local host: its name (Python's socket.gethostname) and its network interfaces as
 * `ip addr` and ipconfig show them, one entry per interface with every address in CIDR
 * form. node's os.networkInterfaces() lists only interfaces that have an address, so an
 * interface that is down with no address (which `ip addr` shows) is not here.
 */
import { hostname, type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import { formatAddress, parseAddress } from './ip-text.js';

export type AddressScope = 'host' | 'link' | 'site' | 'global';

export interface InterfaceAddress {
  family: 4 | 6;
  address: string;
  netmask: string;
  prefixLength: number;
  /** address/prefixLength, as `ip addr` prints it. */
  cidr: string;
  /** The IPv4 broadcast address, when the prefix leaves room for one. */
  broadcast?: string;
  scope: AddressScope;
  /** The IPv6 zone (interface index) of a link-local address. */
  scopeId?: number;
}

export interface NetworkInterface {
  name: string;
  mac: string;
  /** True for loopback interfaces. */
  internal: boolean;
  addresses: InterfaceAddress[];
}

/** Python's socket.gethostname(): the kernel's host name (uname). */
export function gethostname(): string {
  return hostname();
}

function prefixLengthOf(netmask: Uint8Array): number {
  let bits = 0;
  for (const byte of netmask) bits += byte.toString(2).replace(/0/g, '').length;
  return bits;
}

/** The scope `ip addr` reports: loopback is host, 169.254/16 and fe80::/10 are link. */
export function scopeOf(bytes: Uint8Array): AddressScope {
  if (bytes.length === 4) {
    if (bytes[0] === 127) return 'host';
    return bytes[0] === 169 && bytes[1] === 254 ? 'link' : 'global';
  }
  if (bytes.every((byte, i) => byte === (i === 15 ? 1 : 0))) return 'host';
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'link';
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0xc0) return 'site';
  return 'global';
}

function broadcastOf(bytes: Uint8Array, mask: Uint8Array, prefixLength: number): string | undefined {
  // A /31 (RFC 3021) or /32 has no broadcast address, and loopback has none in use.
  if (bytes.length !== 4 || prefixLength >= 31 || bytes[0] === 127) return undefined;
  return formatAddress(bytes.map((byte, i) => byte | (~mask[i]! & 0xff)));
}

function toAddress(info: NetworkInterfaceInfo): InterfaceAddress | undefined {
  const family = info.family === 'IPv6' || (info.family as unknown) === 6 ? 6 : 4;
  const zone = info.address.indexOf('%');
  const parsed = parseAddress(zone >= 0 ? info.address.slice(0, zone) : info.address);
  const mask = parseAddress(info.netmask);
  if (!parsed || !mask || parsed.family !== family) return undefined;
  const prefixLength = prefixLengthOf(mask.bytes);
  const address = formatAddress(parsed.bytes);
  const entry: InterfaceAddress = {
    family,
    address,
    netmask: formatAddress(mask.bytes),
    prefixLength,
    cidr: `${address}/${prefixLength}`,
    scope: scopeOf(parsed.bytes),
  };
  const broadcast = broadcastOf(parsed.bytes, mask.bytes, prefixLength);
  if (broadcast !== undefined) entry.broadcast = broadcast;
  if (family === 6 && 'scopeid' in info && info.scopeid !== undefined && info.scopeid !== 0) {
    entry.scopeId = info.scopeid;
  }
  return entry;
}

/** Groups os.networkInterfaces() output by interface, in the order the system lists them. */
export function groupInterfaces(raw: NodeJS.Dict<NetworkInterfaceInfo[]>): NetworkInterface[] {
  const result: NetworkInterface[] = [];
  for (const [name, infos] of Object.entries(raw)) {
    if (!infos || infos.length === 0) continue;
    const addresses = infos.map(toAddress).filter((entry): entry is InterfaceAddress => entry !== undefined);
    result.push({
      name,
      mac: infos[0]!.mac,
      internal: infos.every((info) => info.internal),
      // IPv4 before IPv6, as ip addr and ipconfig list them; order kept within a family.
      addresses: [...addresses.filter((a) => a.family === 4), ...addresses.filter((a) => a.family === 6)],
    });
  }
  return result;
}

/** The local interfaces and their addresses. */
export function interfaces(): NetworkInterface[] {
  return groupInterfaces(networkInterfaces());
}
