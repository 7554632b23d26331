/**
 * Zone checks, as named-checkzone and nsd-checkzone make them, each problem with its line.
 * Errors (the zone must not be served): a syntax error (parsing stops there, as BIND's does),
 * no SOA at the apex or more than one, no NS at the apex, a CNAME beside other data (RFC 1034
 * §3.6.2; RRSIG and NSEC may sit beside it, RFC 4035 §2.5), records outside the zone, an
 * in-zone name server without an address.
 * Warnings (BIND's advice): NS, MX or SRV pointing at a CNAME (RFC 2181 §10.3), MX or SRV
 * targets in the zone without an address, data hidden below a delegation, TTLs that differ
 * inside one RRset (RFC 2181 §5.2), and what the parser changed (a TTL over 2^31-1).
 * Pure: the caller reads the files.
 */
import { RRTYPE, typeToText } from '../constants.js';
import type { Name } from '../name.js';
import { type ResourceRecord, rdataBytes } from '../record.js';
import { toHex } from '../text.js';
import { DnsZoneFileError, type ZoneWarning } from './errors.js';
import { parseZoneEntries, type ZoneEntry, type ZoneParseOptions } from './parse.js';

export interface ZoneProblem {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  /** 0 when the problem is not at one place in a line. */
  column: number;
  message: string;
}

export interface ZoneCheckResult {
  origin: Name | undefined;
  entries: ZoneEntry[];
  problems: ZoneProblem[];
}

/** Parses `text` and checks the zone; a syntax error is a problem, not an exception. */
export function checkZoneText(text: string, options: ZoneParseOptions = {}): ZoneCheckResult {
  const problems: ZoneProblem[] = [];
  const warn = (warning: ZoneWarning) => problems.push({ severity: 'warning', ...warning });
  const entries: ZoneEntry[] = [];
  let origin: Name | undefined;
  const onOrigin = (name: Name) => {
    origin = name;
  };
  const file = options.file ?? '<zone>';
  try {
    for (const entry of parseZoneEntries(text, { ...options, onWarning: warn, onOrigin }))
      entries.push(entry);
  } catch (error) {
    if (!(error instanceof DnsZoneFileError)) throw error;
    problems.push({
      severity: 'error',
      file: error.file,
      line: error.line,
      column: error.column,
      message: error.reason,
    });
    return { origin: undefined, entries, problems };
  }
  const zoneOrigin = origin ?? entries.find((entry) => entry.record.type === RRTYPE.SOA)?.record.name;
  if (!zoneOrigin) {
    problems.push({ severity: 'error', file, line: 1, column: 0, message: 'no origin and no SOA record' });
    return { origin: undefined, entries, problems };
  }
  problems.push(...checkZone(zoneOrigin, entries));
  return { origin: zoneOrigin, entries, problems };
}

interface Node {
  name: Name;
  /** Records by type. */
  types: Map<number, ZoneEntry[]>;
}

/** The checks on parsed records; `origin` is the apex. */
export function checkZone(origin: Name, entries: readonly ZoneEntry[]): ZoneProblem[] {
  const problems: ZoneProblem[] = [];
  const at = (entry: ZoneEntry, severity: ZoneProblem['severity'], message: string) =>
    problems.push({ severity, file: entry.file, line: entry.line, column: 0, message });
  const nodes = new Map<string, Node>();
  // Identical records count once, as BIND and NSD load them.
  const seen = new Set<string>();
  for (const entry of entries) {
    const { record } = entry;
    const identity = `${record.name.key()} ${record.type} ${toHex(rdataBytes(record.type, record.data))}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    if (!record.name.isSubdomainOf(origin)) {
      at(
        entry,
        'error',
        `${record.name.toText()} ${typeToText(record.type)} is outside the zone ${origin.toText()}`,
      );
      continue;
    }
    const key = record.name.key();
    let node = nodes.get(key);
    if (!node) {
      node = { name: record.name, types: new Map() };
      nodes.set(key, node);
    }
    const list = node.types.get(record.type);
    if (list) list.push(entry);
    else node.types.set(record.type, [entry]);
  }
  const first = entries[0];
  const top = first ?? { file: '<zone>', line: 1 };
  const apex = nodes.get(origin.key());
  const soa = apex?.types.get(RRTYPE.SOA);
  if (!soa)
    problems.push({
      ...position(top),
      severity: 'error',
      message: `no SOA record at the apex ${origin.toText()}`,
    });
  else if (soa.length > 1) at(soa[1]!, 'error', 'more than one SOA record at the apex');
  if (!apex?.types.get(RRTYPE.NS))
    problems.push({
      ...position(top),
      severity: 'error',
      message: `no NS records at the apex ${origin.toText()}`,
    });
  for (const [message, entry] of soaOutsideApex(nodes, origin)) at(entry, 'error', message);

  // Delegations: NS below the apex. Names under them are glue or hidden data.
  const cuts: Name[] = [];
  for (const node of nodes.values())
    if (node.types.has(RRTYPE.NS) && !node.name.equals(origin)) cuts.push(node.name);
  const belowCut = (name: Name) => cuts.some((cut) => !name.equals(cut) && name.isSubdomainOf(cut));

  const hasAddress = (name: Name) => {
    const node = nodes.get(name.key());
    return node !== undefined && (node.types.has(RRTYPE.A) || node.types.has(RRTYPE.AAAA));
  };
  const isCname = (name: Name) => nodes.get(name.key())?.types.has(RRTYPE.CNAME) ?? false;

  for (const node of nodes.values()) {
    const cname = node.types.get(RRTYPE.CNAME);
    if (cname) {
      if (cname.length > 1) at(cname[1]!, 'error', `more than one CNAME at ${node.name.toText()}`);
      const others = [...node.types.keys()].filter(
        (type) => type !== RRTYPE.CNAME && type !== RRTYPE.RRSIG && type !== RRTYPE.NSEC,
      );
      if (others.length > 0)
        at(
          cname[0]!,
          'error',
          `CNAME and other data at ${node.name.toText()} (${others.map(typeToText).join(', ')})`,
        );
    }
    const hidden = belowCut(node.name);
    for (const [type, list] of node.types) {
      // RFC 2181 §5.2: one TTL per RRset.
      const ttl = list[0]!.record.ttl;
      const odd = list.find((entry) => entry.record.ttl !== ttl);
      if (odd)
        at(
          odd,
          'warning',
          `${node.name.toText()} ${typeToText(type)}: TTL ${odd.record.ttl} differs from ${ttl} in the same RRset`,
        );
      if (hidden && type !== RRTYPE.A && type !== RRTYPE.AAAA)
        at(
          list[0]!,
          'warning',
          `${node.name.toText()} ${typeToText(type)} is below a delegation and will not be served`,
        );
      for (const entry of list) checkTarget(entry, origin, { hasAddress, isCname, belowCut }, at);
    }
  }
  return problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

function position(where: { file: string; line: number }): Pick<ZoneProblem, 'file' | 'line' | 'column'> {
  return { file: where.file, line: where.line, column: 0 };
}

function* soaOutsideApex(nodes: Map<string, Node>, origin: Name): Generator<[string, ZoneEntry]> {
  for (const node of nodes.values()) {
    const soa = node.types.get(RRTYPE.SOA);
    if (soa && !node.name.equals(origin))
      yield [`SOA record at ${node.name.toText()}, not at the apex`, soa[0]!];
  }
}

interface Lookups {
  hasAddress(name: Name): boolean;
  isCname(name: Name): boolean;
  belowCut(name: Name): boolean;
}

function targetOf(record: ResourceRecord): Name | undefined {
  const data = record.data as unknown as Record<string, unknown>;
  if (record.type === RRTYPE.NS) return data.target as Name | undefined;
  if (record.type === RRTYPE.MX) return data.exchange as Name | undefined;
  if (record.type === RRTYPE.SRV) return data.target as Name | undefined;
  return undefined;
}

function checkTarget(
  entry: ZoneEntry,
  origin: Name,
  lookups: Lookups,
  at: (entry: ZoneEntry, severity: ZoneProblem['severity'], message: string) => void,
): void {
  const { record } = entry;
  const target = targetOf(record);
  if (!target || target.isRoot() || !target.isSubdomainOf(origin)) return;
  const what = `${record.name.toText()} ${typeToText(record.type)} ${target.toText()}`;
  if (lookups.isCname(target)) {
    at(entry, 'warning', `${what}: the target is a CNAME (RFC 2181 §10.3)`);
    return;
  }
  if (lookups.hasAddress(target)) return;
  if (record.type === RRTYPE.NS)
    at(entry, 'error', `${what}: an in-zone name server without an address (A or AAAA)`);
  else at(entry, 'warning', `${what}: the target has no address (A or AAAA)`);
}
