/**
 * The lookup commands, thin wrappers over netkit/lookup:
 *   netkit lookup host NAME       canonical name, aliases and every address (IPv4 and IPv6)
 *   netkit lookup addr IP         the host name and aliases of an address
 *   netkit lookup service NAME    port and protocol of a service (tcp and udp, or --proto)
 *   netkit lookup port N          the service on a port (tcp and udp, or --proto)
 *   netkit hostname               this host's name
 *   netkit ifaces                 the local interfaces, as ip addr / ipconfig show them
 * Each prints for people, or one JSON object with --json. Not found: exit 1; bad arguments: exit 2.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { parseIPv4, parseIPv6 } from '../../core/ip.js';
import {
  getaddrinfo,
  gethostbyaddr,
  gethostbynameEx,
  gethostname,
  getservbyname,
  getservbyport,
  type HostEntry,
  interfaces,
  type NetworkInterface,
  PortNotFoundError,
  type ServiceEntry,
  ServiceNotFoundError,
} from '../../lookup/index.js';
import { formatTable, printJson, printLine } from '../output.js';

interface JsonFlag {
  json?: boolean;
}

interface ProtoFlags extends JsonFlag {
  proto?: string;
}

const PROTOCOLS = ['tcp', 'udp'] as const;

function parseProto(proto: string | undefined): string | undefined {
  if (proto === undefined || (PROTOCOLS as readonly string[]).includes(proto)) return proto;
  throw new UsageError(`--proto expects tcp or udp, not "${proto}"`);
}

function parsePortArgument(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`port "${text}" is not a number from 0 to 65535`);
  }
  return Number(text);
}

/** "Label:  value" lines, later values of a label indented under the first. */
function printFields(fields: [label: string, values: string[]][]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 2;
  for (const [label, values] of fields) {
    const shown = values.length > 0 ? values : ['(none)'];
    shown.forEach((value, i) => {
      printLine(`${(i === 0 ? `${label}:` : '').padEnd(width)}${value}`);
    });
  }
}

async function hostCommand(name: string, flags: JsonFlag): Promise<void> {
  // Every address, as getaddrinfo gives them; an unknown name fails here (exit 1).
  const found = await getaddrinfo(name);
  const seen = new Set<string>();
  const addresses = found.filter(({ address }) => !seen.has(address) && seen.add(address));
  // The canonical name and aliases: gethostbyname_ex (IPv4), else its IPv6 twin, as getent tries both.
  let entry: HostEntry | undefined;
  for (const family of [4, 6] as const) {
    entry = await gethostbynameEx(name, { family }).catch(() => undefined);
    if (entry) break;
  }
  const result = { name, hostname: entry?.hostname ?? name, aliases: entry?.aliases ?? [], addresses };
  if (flags.json) {
    printJson(result);
    return;
  }
  printFields([
    ['Name', [result.hostname]],
    ['Aliases', result.aliases],
    ['Addresses', addresses.map(({ address, family }) => `${address} (IPv${family})`)],
  ]);
}

async function addrCommand(address: string, flags: JsonFlag): Promise<void> {
  if (!parseIPv4(address) && !parseIPv6(address)) {
    throw new UsageError(
      `"${address}" is not an IPv4 or IPv6 address (for names, use: netkit lookup host NAME)`,
    );
  }
  const entry = await gethostbyaddr(address);
  if (flags.json) {
    printJson({ address, ...entry });
    return;
  }
  printFields([
    ['Name', [entry.hostname]],
    ['Aliases', entry.aliases],
    ['Address', entry.addresses],
  ]);
}

/** With --proto, Python's single answer; without, the tcp and udp entries (any protocol if neither). */
async function findServices(
  lookup: (proto?: string) => Promise<ServiceEntry>,
  proto: string | undefined,
): Promise<ServiceEntry[]> {
  if (proto !== undefined) return [await lookup(proto)];
  const found: ServiceEntry[] = [];
  for (const each of PROTOCOLS) {
    try {
      found.push(await lookup(each));
    } catch (error) {
      if (!(error instanceof ServiceNotFoundError || error instanceof PortNotFoundError)) throw error;
    }
  }
  return found.length > 0 ? found : [await lookup(undefined)];
}

function printServices(query: Record<string, unknown>, services: ServiceEntry[], flags: ProtoFlags): void {
  if (flags.json) {
    printJson({ ...query, proto: flags.proto ?? null, services });
    return;
  }
  const rows = services.map((s) => [s.name, `${s.port}/${s.proto}`, s.aliases.join(' ')]);
  printLine(formatTable(['SERVICE', 'PORT', 'ALIASES'], rows));
}

function printInterfaces(list: NetworkInterface[]): void {
  for (const iface of list) {
    printLine(`${iface.name}${iface.internal ? ' (loopback)' : ''}`);
    printLine(`    ether ${iface.mac}`);
    for (const a of iface.addresses) {
      // ipconfig shows the IPv4 subnet mask; for IPv6 the prefix length says it all.
      const parts = a.family === 4 ? ['inet', a.cidr, 'netmask', a.netmask] : ['inet6', a.cidr];
      if (a.broadcast !== undefined) parts.push('brd', a.broadcast);
      parts.push('scope', a.scope);
      if (a.scopeId !== undefined) parts.push('scopeid', String(a.scopeId));
      printLine(`    ${parts.join(' ')}`);
    }
  }
}

export function registerLookup(program: Command): void {
  const lookup = program
    .command('lookup')
    .description("look up hosts, addresses, services and ports, as Python's socket module does");
  lookup
    .command('host')
    .description('canonical name, aliases and every address of a host (gethostbyname_ex + getaddrinfo)')
    .argument('<name>', 'host name or address')
    .option('--json', 'print one JSON object')
    .action(hostCommand);
  lookup
    .command('addr')
    .description('host name and aliases of an IPv4 or IPv6 address (gethostbyaddr)')
    .argument('<ip>', 'IPv4 or IPv6 address')
    .option('--json', 'print one JSON object')
    .action(addrCommand);
  lookup
    .command('service')
    .description('port of a service name or alias, from /etc/services (getservbyname)')
    .argument('<name>', 'service name or alias, e.g. http or www')
    .option('--proto <proto>', 'tcp or udp (default: both)')
    .option('--json', 'print one JSON object')
    .action(async (name: string, flags: ProtoFlags) => {
      const proto = parseProto(flags.proto);
      printServices({ name }, await findServices((p) => getservbyname(name, p), proto), flags);
    });
  lookup
    .command('port')
    .description('service name of a port, from /etc/services (getservbyport)')
    .argument('<port>', 'port number, 0 to 65535')
    .option('--proto <proto>', 'tcp or udp (default: both)')
    .option('--json', 'print one JSON object')
    .action(async (text: string, flags: ProtoFlags) => {
      const port = parsePortArgument(text);
      const proto = parseProto(flags.proto);
      printServices({ port }, await findServices((p) => getservbyport(port, p), proto), flags);
    });
  program
    .command('hostname')
    .description("this host's name (gethostname)")
    .option('--json', 'print one JSON object')
    .action((flags: JsonFlag) =>
      flags.json ? printJson({ hostname: gethostname() }) : printLine(gethostname()),
    );
  program
    .command('ifaces')
    .description('local network interfaces and their addresses, as ip addr / ipconfig show them')
    .option('--json', 'print one JSON object')
    .action((flags: JsonFlag) => {
      const list = interfaces();
      if (flags.json) printJson({ interfaces: list });
      else printInterfaces(list);
    });
}
