/**
 * /etc/hosts, read and searched as glibc's nss_files backend does (nss/nss_files/files-hosts.c),
 * so that gethostbyname_ex and gethostbyaddr give Python's answers. Pure: the file's text
 * is passed in.
 *
 * Reading: '#' ends a line wherever it appears; fields are separated by blanks (C isspace);
 * the first field is the address (inet_pton: no leading zeros, no %zone), the second the
 * canonical name, the rest aliases. A line whose address does not parse is ignored; a line
 * with an address and no name is kept with an empty name, as glibc keeps it.
 *
 * Searching: names match case-insensitively (ASCII, strcasecmp). An IPv4 query also sees
 * IPv6 lines holding ::ffff:a.b.c.d (as a.b.c.d) or ::1 (as 127.0.0.1); an IPv6 query sees
 * only IPv6 lines. The first matching line wins; with `multi on` in /etc/host.conf, later
 * lines matching the name add their addresses and aliases (duplicates kept, as glibc does).
 */
import { type ParsedAddress, parseAddress, sameBytes, unmapIPv4 } from './ip-text.js';

export interface HostsLine {
  /** 1-based line number in the file. */
  line: number;
  /** The address as written. */
  address: string;
  family: 4 | 6;
  bytes: Uint8Array;
  /** The canonical name; empty when the line has only an address. */
  name: string;
  aliases: string[];
}

/** A hostent: canonical name, aliases and addresses (raw bytes; the caller formats them). */
export interface HostsAnswer {
  hostname: string;
  aliases: string[];
  addresses: Uint8Array[];
}

// C isspace in the C locale; \s would also split on Unicode spaces, which glibc does not.
const BLANKS = /[ \t\n\v\f\r]+/;

export function parseHostsFile(text: string): HostsLine[] {
  const lines: HostsLine[] = [];
  text.split('\n').forEach((raw, index) => {
    // C strings end at NUL; '#' starts a comment anywhere in the line.
    const content = raw.split('\0', 1)[0]!.split('#', 1)[0]!;
    const fields = content.split(BLANKS).filter((field) => field.length > 0);
    const address = fields[0];
    if (address === undefined) return;
    const parsed: ParsedAddress | undefined = parseAddress(address);
    if (!parsed) return;
    lines.push({
      line: index + 1,
      address,
      family: parsed.family,
      bytes: parsed.bytes,
      name: fields[1] ?? '',
      aliases: fields.slice(2),
    });
  });
  return lines;
}

/** The file text for these lines; parseHostsFile(formatHostsFile(x)) gives x back. */
export function formatHostsFile(lines: readonly Omit<HostsLine, 'line' | 'bytes' | 'family'>[]): string {
  return lines.map((entry) => [entry.address, entry.name, ...entry.aliases].join('\t')).join('\n');
}

const LOOPBACK_V4 = Uint8Array.of(127, 0, 0, 1);

function isLoopbackV6(bytes: Uint8Array): boolean {
  return bytes.length === 16 && bytes.every((byte, i) => byte === (i === 15 ? 1 : 0));
}

/** The address this line has for a query of `family`, as glibc's parse_line converts it. */
export function addressForFamily(line: HostsLine, family: 4 | 6): Uint8Array | undefined {
  if (line.family === family) return line.bytes;
  if (family === 6) return undefined;
  return unmapIPv4(line.bytes) ?? (isLoopbackV6(line.bytes) ? LOOPBACK_V4 : undefined);
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function lineMatches(line: HostsLine, wanted: string): boolean {
  return asciiLower(line.name) === wanted || line.aliases.some((alias) => asciiLower(alias) === wanted);
}

/** gethostbyname2_r(name, family) over the files source; undefined when no line matches. */
export function hostsByName(
  lines: readonly HostsLine[],
  name: string,
  family: 4 | 6,
  multi: boolean,
): HostsAnswer | undefined {
  const wanted = asciiLower(name);
  let answer: HostsAnswer | undefined;
  for (const line of lines) {
    const bytes = addressForFamily(line, family);
    if (!bytes || !lineMatches(line, wanted)) continue;
    if (!answer) {
      answer = { hostname: line.name, aliases: [...line.aliases], addresses: [bytes] };
      if (!multi) break;
      continue;
    }
    // gethostbyname3_multi: the later line's aliases, then its own name if it differs
    // (case-sensitively) from the first line's.
    answer.addresses.push(bytes);
    answer.aliases.push(...line.aliases);
    if (line.name !== answer.hostname) answer.aliases.push(line.name);
  }
  return answer;
}

/** gethostbyaddr_r over the files source: the first line holding this address, never merged. */
export function hostsByAddress(lines: readonly HostsLine[], bytes: Uint8Array): HostsAnswer | undefined {
  const family = bytes.length === 4 ? 4 : 6;
  for (const line of lines) {
    const candidate = addressForFamily(line, family);
    if (candidate && sameBytes(candidate, bytes)) {
      return { hostname: line.name, aliases: [...line.aliases], addresses: [bytes] };
    }
  }
  return undefined;
}
