/**
 * The zone data model of an authoritative server: a zone's records, checked and indexed once,
 * so that answering a query is a few Map lookups (one per label below the apex).
 *
 * - `Zone.fromRecords(origin, records)` checks the zone (one SOA, at the apex; nothing outside
 *   the zone; no CNAME beside other data but RRSIG and NSEC; one record at most for SOA, CNAME
 *   and DNAME) and throws DnsZoneError (`NK_DNS_ZONE_INVALID`) naming the first problem.
 * - Records become RRsets (owner, type; class is the zone's), duplicates dropped (RFC 2181 §5);
 *   each name is spelt as it was first written (names compare ignoring case, RFC 4343).
 * - TTLs of an RRset are made equal (RFC 2181 §5.2) as BIND does when it loads a zone file: the
 *   first record's TTL wins ("TTL set to prior TTL"), and a warning is kept in `warnings`.
 *   (NSD 4.6 warns and serves each record with its own TTL; Knot 3.2 takes the last one.)
 * - Every name between an owner and the apex exists (empty non-terminals, RFC 4592 §2.2.2).
 * - NS below the apex makes a delegation point; names below it are glue or occluded data.
 * - Nodes are keyed by `Name.key()`: the key of a name's ancestor is a suffix of its key, so a
 *   lookup slices the query name's key instead of building names.
 */
import { LocalError, type NetkitErrorOptions } from '../../core/errors.js';
import { RRTYPE, typeToText } from '../constants.js';
import type { Name } from '../name.js';
import type { SoaRdata } from '../rdata/types.js';
import { type ResourceRecord, rdataBytes } from '../record.js';

const { SOA, NS, CNAME, DNAME, RRSIG, NSEC, NSEC3 } = RRTYPE;

/** Types of which an RRset holds one record at most. */
const SINGLETON_TYPES: ReadonlySet<number> = new Set([SOA, CNAME, DNAME]);

/** A zone that cannot be served as given (a record outside it, CNAME beside other data...). */
export class DnsZoneError extends LocalError {
  constructor(message: string, options: NetkitErrorOptions = {}) {
    super('NK_DNS_ZONE_INVALID', message, options);
  }
}

/** The records of one owner and type, with one TTL (RFC 2181 §5). */
export interface RRset {
  name: Name;
  type: number;
  class: number;
  ttl: number;
  records: ResourceRecord[];
  /**
   * Addresses for the additional section (A and AAAA of the targets of NS, MX, SRV inside the
   * zone): computed on first use by the answer engine and kept.
   */
  additional?: ResourceRecord[];
}

/** One name of the zone: its RRsets by type, in the order they were first given. */
export interface ZoneNode {
  name: Name;
  rrsets: Map<number, RRset>;
  /** NS below the apex: a zone cut. */
  delegation: boolean;
  /** Below a zone cut: glue (or occluded data), not authoritative. */
  glue: boolean;
  /** The CNAME and DNAME RRsets, if any, for a quick check. */
  cname: RRset | undefined;
  dname: RRset | undefined;
}

export class Zone {
  /** Warnings found while loading (TTLs made equal...). */
  readonly warnings: string[] = [];
  /** The SOA record to put in the authority section of negative answers (RFC 2308 §3: TTL min(SOA TTL, minimum)). */
  readonly negativeSoa: ResourceRecord<SoaRdata>;
  private readonly nodes: Map<string, ZoneNode>;
  private readonly recordCount: number;
  /** NSEC3 records by owner, apart from the names of the zone. */
  private nsec3Nodes = new Map<string, ZoneNode>();

  private constructor(
    readonly origin: Name,
    readonly soa: ResourceRecord<SoaRdata>,
    nodes: Map<string, ZoneNode>,
    recordCount: number,
  ) {
    this.nodes = nodes;
    this.recordCount = recordCount;
    const ttl = Math.min(soa.ttl, soa.data.minimum);
    this.negativeSoa = ttl === soa.ttl ? soa : { ...soa, ttl };
  }

  /** Checks and indexes `records` as the zone `origin`; throws DnsZoneError. */
  static fromRecords(origin: Name, records: readonly ResourceRecord[]): Zone {
    if (!origin.absolute) throw new DnsZoneError(`the zone origin ${origin.toText()} is not absolute`);
    const soas = records.filter((record) => record.type === SOA);
    const apexSoa = soas.find((record) => record.name.equals(origin));
    if (!apexSoa) throw new DnsZoneError(`zone ${origin.toText()} has no SOA record at its apex`);
    const zoneClass = apexSoa.class;
    const nodes = new Map<string, ZoneNode>();
    const nsec3Nodes = new Map<string, ZoneNode>();
    const warnings: string[] = [];
    const seen = new Map<RRset, Set<string>>();
    let count = 0;
    for (const record of records) {
      if (!record.name.isSubdomainOf(origin))
        throw new DnsZoneError(
          `${record.name.toText()} ${typeToText(record.type)} is outside the zone ${origin.toText()}`,
          { details: { owner: record.name.toText(), zone: origin.toText() } },
        );
      if (record.class !== zoneClass)
        throw new DnsZoneError(
          `${record.name.toText()} ${typeToText(record.type)} is of class ${record.class}, the zone's SOA of class ${zoneClass}`,
        );
      if (record.type === SOA && !record.name.equals(origin))
        throw new DnsZoneError(`an SOA record at ${record.name.toText()}, not the apex ${origin.toText()}`);
      // NSEC3 records live in a tree of their own (RFC 5155 §7.2): their hashed owners are no
      // names of the zone, and a query for one is NXDOMAIN (as NSD, Knot and BIND answer).
      const node =
        record.type === NSEC3 ? nodeFor(nsec3Nodes, record.name, false) : nodeFor(nodes, record.name, true);
      let rrset = node.rrsets.get(record.type);
      if (!rrset) {
        rrset = { name: node.name, type: record.type, class: record.class, ttl: record.ttl, records: [] };
        node.rrsets.set(record.type, rrset);
        seen.set(rrset, new Set());
        if (record.type === CNAME) node.cname = rrset;
        if (record.type === DNAME) node.dname = rrset;
      }
      const dataKey = bytesKey(rdataBytes(record.type, record.data));
      const keys = seen.get(rrset)!;
      if (keys.has(dataKey)) continue; // the same record twice: one (RFC 2181 §5)
      keys.add(dataKey);
      if (SINGLETON_TYPES.has(record.type) && rrset.records.length > 0)
        throw new DnsZoneError(
          `${record.name.toText()} has ${rrset.records.length + 1} ${typeToText(record.type)} records; one at most`,
        );
      let kept = record;
      if (record.ttl !== rrset.ttl) {
        warnings.push(
          `${record.name.toText()} ${typeToText(record.type)}: TTL ${record.ttl} set to the RRset's TTL ${rrset.ttl} (RFC 2181 §5.2)`,
        );
        kept = { ...kept, ttl: rrset.ttl };
      }
      // One spelling per name: the case it was first written in (as NSD keeps one node a name).
      if (record.name !== node.name && record.name.toText() !== node.name.toText())
        kept = { ...kept, name: node.name };
      rrset.records.push(kept);
      count++;
    }
    const apexKey = origin.key();
    for (const node of nodes.values()) {
      if (node.cname) {
        for (const type of node.rrsets.keys()) {
          if (type !== CNAME && type !== RRSIG && type !== NSEC)
            throw new DnsZoneError(
              `${node.name.toText()} has a CNAME and ${typeToText(type)} data; a CNAME owner holds nothing else but RRSIG and NSEC (RFC 1034 §3.6.2)`,
            );
        }
      }
      if (node.rrsets.has(NS) && node.name.key() !== apexKey) node.delegation = true;
    }
    // Glue: every node strictly below a delegation point.
    for (const [key, node] of nodes) {
      for (let at = key.charCodeAt(0) + 1; at < key.length - apexKey.length; at += key.charCodeAt(at) + 1) {
        if (nodes.get(key.slice(at))?.delegation) {
          node.glue = true;
          break;
        }
      }
    }
    const soa = nodes.get(apexKey)!.rrsets.get(SOA)!.records[0] as ResourceRecord<SoaRdata>;
    const zone = new Zone(origin, soa, nodes, count);
    zone.nsec3Nodes = nsec3Nodes;
    zone.warnings.push(...warnings);
    return zone;
  }

  /** How many records the zone holds. */
  get size(): number {
    return this.recordCount;
  }

  /** The node of `name` (an empty non-terminal has one, with no RRsets), if the name exists. */
  node(name: Name): ZoneNode | undefined {
    return this.nodes.get(name.key());
  }

  /** The node whose `Name.key()` is `key`. */
  nodeByKey(key: string): ZoneNode | undefined {
    return this.nodes.get(key);
  }

  /** The RRset of `name` and `type`, if any. */
  rrset(name: Name, type: number): RRset | undefined {
    return this.nodes.get(name.key())?.rrsets.get(type);
  }

  /** The apex node. */
  get apex(): ZoneNode {
    return this.nodes.get(this.origin.key())!;
  }

  /** Every node, in no particular order. */
  allNodes(): IterableIterator<ZoneNode> {
    return this.nodes.values();
  }

  /**
   * Every record in canonical order (RFC 4034 §6): by owner, then type, then data; the SOA is
   * the first record (its owner, the apex, sorts first, and SOA is put before the apex's other
   * types), as a zone transfer starts.
   */
  records(): ResourceRecord[] {
    const nodes = [...this.nodes.values(), ...this.nsec3Nodes.values()].sort((a, b) =>
      a.name.compare(b.name),
    );
    const out: ResourceRecord[] = [];
    for (const node of nodes) {
      const types = [...node.rrsets.keys()].sort((a, b) => (a === SOA ? -1 : b === SOA ? 1 : a - b));
      for (const type of types) {
        const records = node.rrsets.get(type)!.records;
        const sorted = records
          .map((record) => ({ record, bytes: rdataBytes(record.type, record.data) }))
          .sort((a, b) => compareBytes(a.bytes, b.bytes));
        for (const { record } of sorted) out.push(record);
      }
    }
    return out;
  }
}

function nodeFor(nodes: Map<string, ZoneNode>, name: Name, withAncestors: boolean): ZoneNode {
  const key = name.key();
  let node = nodes.get(key);
  if (node) return node;
  node = newNode(name);
  nodes.set(key, node);
  if (!withAncestors) return node;
  // Empty non-terminals: every ancestor down to the apex exists.
  let child = name;
  while (child.labelCount > 0) {
    const parent = child.parent();
    const parentKey = parent.key();
    if (nodes.has(parentKey)) break;
    nodes.set(parentKey, newNode(parent));
    child = parent;
  }
  return node;
}

function newNode(name: Name): ZoneNode {
  return { name, rrsets: new Map(), delegation: false, glue: false, cname: undefined, dname: undefined };
}

function bytesKey(bytes: Uint8Array): string {
  let key = '';
  for (const byte of bytes) key += String.fromCharCode(byte);
  return key;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Several zones, and the one to answer a name from: the longest zone the name is in. */
export class ZoneSet {
  private readonly zones = new Map<string, Zone>();

  constructor(zones: Iterable<Zone> = []) {
    for (const zone of zones) this.add(zone);
  }

  /** Adds (or replaces) a zone. */
  add(zone: Zone): void {
    this.zones.set(zone.origin.key(), zone);
  }

  remove(origin: Name): boolean {
    return this.zones.delete(origin.key());
  }

  get(origin: Name): Zone | undefined {
    return this.zones.get(origin.key());
  }

  get size(): number {
    return this.zones.size;
  }

  [Symbol.iterator](): IterableIterator<Zone> {
    return this.zones.values();
  }

  /** The deepest zone `name` is in (O(labels) lookups), or undefined. */
  find(name: Name): Zone | undefined {
    if (!name.absolute) return undefined;
    const key = name.key();
    const wire = name.wire;
    for (let at = 0; at < wire.length; at += wire[at]! + 1) {
      const zone = this.zones.get(at === 0 ? key : key.slice(at));
      if (zone) return zone;
      if (wire[at] === 0) break;
    }
    return undefined;
  }

  /** The deepest zone strictly above `origin` (the parent side of a cut), or undefined. */
  findAbove(origin: Name): Zone | undefined {
    if (origin.isRoot() || !origin.absolute) return undefined;
    const key = origin.key();
    const wire = origin.wire;
    for (let at = wire[0]! + 1; at < wire.length; at += wire[at]! + 1) {
      const zone = this.zones.get(key.slice(at));
      if (zone) return zone;
      if (wire[at] === 0) break;
    }
    return undefined;
  }
}
