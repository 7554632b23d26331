/**
 * Address lists for who may transfer a zone (`--axfr-allow 127.0.0.0/8,::1`): CIDR prefixes
 * of IPv4 and IPv6, matched without I/O. An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what a
 * dual-stack socket reports) matches as the IPv4 address it carries.
 */
import { LocalError } from '../../../core/errors.js';
import { parseIPv4, parseIPv6 } from '../../../core/ip.js';
import { Name } from '../../../dns/name.js';

/** A prefix that does not parse (`--axfr-allow`). */
export class DnsAclError extends LocalError {
  constructor(message: string) {
    super('NK_DNS_ACL', message);
  }
}

interface Prefix {
  bytes: Uint8Array;
  bits: number;
  /** `CIDR@KEY`: only requests signed with this key. */
  key?: Name;
}

/** What an address list says of a transfer: allowed, or why not. */
export type TransferDecision = 'allowed' | 'address' | 'key';

/** The default: loopback only. */
export const LOOPBACK_ACL = '127.0.0.0/8,::1';

export class AddressList {
  private constructor(
    private readonly v4: Prefix[],
    private readonly v6: Prefix[],
    /** The list as given, for messages. */
    readonly text: string,
  ) {}

  /**
   * `CIDR,CIDR,...` (an address alone is a /32 or /128); `none` or an empty text: nobody. An
   * item may name a TSIG key, `CIDR@KEY` (as Knot's ACLs pair an address with a key): from
   * those addresses, only requests signed with that key.
   */
  static parse(text: string): AddressList {
    const v4: Prefix[] = [];
    const v6: Prefix[] = [];
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (items.length === 1 && items[0]!.toLowerCase() === 'none') return new AddressList([], [], 'none');
    for (const given of items) {
      const at = given.indexOf('@');
      const item = at < 0 ? given : given.slice(0, at);
      let key: Name | undefined;
      if (at >= 0) {
        const keyText = given.slice(at + 1);
        try {
          key = Name.fromText(keyText.endsWith('.') ? keyText : `${keyText}.`);
        } catch {
          throw new DnsAclError(`${JSON.stringify(given)}: ${JSON.stringify(keyText)} is not a key name`);
        }
      }
      const slash = item.indexOf('/');
      const address = slash < 0 ? item : item.slice(0, slash);
      const four = parseIPv4(address);
      const bytes = four ?? parseIPv6(address);
      if (!bytes) throw new DnsAclError(`${JSON.stringify(item)} is not an IPv4 or IPv6 address or prefix`);
      const max = bytes.length * 8;
      const bits = slash < 0 ? max : Number(item.slice(slash + 1));
      if (!/^\d{1,3}$/.test(item.slice(slash + 1)) && slash >= 0)
        throw new DnsAclError(`${JSON.stringify(item)}: the prefix length must be a number`);
      if (!Number.isInteger(bits) || bits < 0 || bits > max)
        throw new DnsAclError(`${JSON.stringify(item)}: the prefix length must be 0 to ${max}`);
      (four ? v4 : v6).push(key === undefined ? { bytes, bits } : { bytes, bits, key });
    }
    return new AddressList(v4, v6, items.join(','));
  }

  /** Whether `address` (IPv4 or IPv6 text, as a socket reports it) is in the list. */
  allows(address: string | undefined): boolean {
    if (address === undefined) return false;
    const four = parseIPv4(address);
    if (four) return this.v4.some((prefix) => matches(prefix, four));
    const six = parseIPv6(address);
    if (!six) return false;
    if (isMappedV4(six)) {
      const mapped = six.subarray(12);
      if (this.v4.some((prefix) => matches(prefix, mapped))) return true;
    }
    return this.v6.some((prefix) => matches(prefix, six));
  }

  /** The key names items ask for, to check they are configured. */
  keyNames(): Name[] {
    return [...this.v4, ...this.v6].flatMap((prefix) => (prefix.key === undefined ? [] : [prefix.key]));
  }

  /**
   * A transfer from `address`, signed with the key named `keyName` (if signed): allowed when an
   * item covers the address and its key, if it names one, signed the request; an item without a
   * key wants any configured key when `keyRequired`, else none.
   */
  decideTransfer(
    address: string | undefined,
    keyName: Name | undefined,
    keyRequired: boolean,
  ): TransferDecision {
    if (address === undefined) return 'address';
    const four = parseIPv4(address);
    let bytes = four;
    let prefixes = this.v4;
    if (!four) {
      const six = parseIPv6(address);
      if (!six) return 'address';
      if (isMappedV4(six)) bytes = six.subarray(12);
      else {
        bytes = six;
        prefixes = this.v6;
      }
    }
    let covered = false;
    for (const prefix of prefixes) {
      if (!matches(prefix, bytes!)) continue;
      covered = true;
      if (
        prefix.key !== undefined
          ? keyName?.equals(prefix.key) === true
          : !keyRequired || keyName !== undefined
      )
        return 'allowed';
    }
    return covered ? 'key' : 'address';
  }
}

function isMappedV4(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function matches(prefix: Prefix, address: Uint8Array): boolean {
  let bits = prefix.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((prefix.bytes[i]! & mask) !== (address[i]! & mask)) return false;
  }
  return true;
}

/**
 * An address as it compares with another: an IPv4-mapped IPv6 address (what a dual-stack socket
 * reports) as its IPv4 form, without a zone index, in lower case.
 */
export function plainAddress(address: string): string {
  return address
    .replace(/^::ffff:(?=\d+\.)/i, '')
    .replace(/%.*$/, '')
    .toLowerCase();
}
