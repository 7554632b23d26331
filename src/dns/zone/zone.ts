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

/** What ZoneBuilder hands Zone: the checked, indexed nodes. */
export interface ZoneIndex {
  origin: Name;
  nodes: Map<string, ZoneNode>;
  nsec3Nodes: Map<string, ZoneNode>;
  recordCount: number;
  warnings: string[];
}

export class Zone {
  /** Warnings found while loading (TTLs made equal...). */
  readonly warnings: string[];
  readonly origin: Name;
  readonly soa: ResourceRecord<SoaRdata>;
  /** The SOA record to put in the authority section of negative answers (RFC 2308 §3: TTL min(SOA TTL, minimum)). */
  readonly negativeSoa: ResourceRecord<SoaRdata>;
  private readonly nodes: Map<string, ZoneNode>;
  private readonly recordCount: number;
  /** NSEC3 records by owner, apart from the names of the zone. */
  private readonly nsec3Nodes: Map<string, ZoneNode>;

  /** Made by ZoneBuilder only (the index must have been checked). */
  constructor(index: ZoneIndex) {
    this.origin = index.origin;
    this.nodes = index.nodes;
    this.nsec3Nodes = index.nsec3Nodes;
    this.recordCount = index.recordCount;
    this.warnings = index.warnings;
    this.soa = this.nodes.get(index.origin.key())!.rrsets.get(SOA)!.records[0] as ResourceRecord<SoaRdata>;
    const ttl = Math.min(this.soa.ttl, this.soa.data.minimum);
    this.negativeSoa = ttl === this.soa.ttl ? this.soa : { ...this.soa, ttl };
  }

  /** Checks and indexes `records` as the zone `origin`; throws DnsZoneError. */
  static fromRecords(origin: Name, records: readonly ResourceRecord[]): Zone {
    const builder = new ZoneBuilder(origin);
    for (const record of records) builder.add(record);
    return builder.finish();
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

  /** Every RRset, NSEC3 ones included, in no particular order. */
  *allRRsets(): Generator<RRset> {
    for (const node of this.nodes.values()) yield* node.rrsets.values();
    for (const node of this.nsec3Nodes.values()) yield* node.rrsets.values();
  }

  /** This zone's RRset of the owner and type of `rrset` (from another version of the zone). */
  sameRRset(rrset: RRset): RRset | undefined {
    const nodes = rrset.type === NSEC3 ? this.nsec3Nodes : this.nodes;
    return nodes.get(rrset.name.key())?.rrsets.get(rrset.type);
  }

  /**
   * Every record in an order a transfer can send without sorting (RFC 5936 §2.2 asks only that
   * the SOA come first, and last): the SOA, the apex's other RRsets, then each name in the
   * order it was first given, NSEC3 records last. Lazy: a transfer of a million records starts
   * at once and holds no list of them.
   */
  *transferRecords(): Generator<ResourceRecord> {
    yield this.soa;
    for (const [type, rrset] of this.apex.rrsets) if (type !== SOA) yield* rrset.records;
    const apexKey = this.origin.key();
    for (const [key, node] of this.nodes) {
      if (key === apexKey) continue;
      for (const rrset of node.rrsets.values()) yield* rrset.records;
    }
    for (const node of this.nsec3Nodes.values())
      for (const rrset of node.rrsets.values()) yield* rrset.records;
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

/** Nodes checked and indexed between two yields of ZoneBuilder.finishSteps. */
const NODES_PER_STEP = 4096;
/** An RRset this large keeps its records' data in a Set (smaller ones are scanned). */
const SCAN_LIMIT = 8;

/**
 * A zone built a record at a time, so that a server can load a large zone in slices between
 * queries (src/services/dns/zone-store.ts) — `Zone.fromRecords` is a builder run to its end, with
 * the same checks, errors and warnings in the same order.
 *
 * Records before the apex SOA wait in a list: the SOA gives the zone's class, and a zone without
 * one is refused for that before anything else (so a builder fed any list throws what
 * fromRecords throws). Zone files start with their SOA, so the list is almost always empty.
 */
export class ZoneBuilder {
  private readonly nodes = new Map<string, ZoneNode>();
  private readonly nsec3Nodes = new Map<string, ZoneNode>();
  private readonly warnings: string[] = [];
  /** Data of RRsets with more than one record, for dropping duplicates (RFC 2181 §5). */
  private readonly seen = new Map<RRset, Uint8Array[] | Set<string>>();
  /** The apex SOA's class, once it has come. */
  private zoneClass: number | undefined;
  private readonly waiting: ResourceRecord[] = [];
  private added = 0;
  private kept = 0;
  private finished = false;

  constructor(readonly origin: Name) {
    if (!origin.absolute) throw new DnsZoneError(`the zone origin ${origin.toText()} is not absolute`);
  }

  /** Records given so far (duplicates included). */
  get count(): number {
    return this.added;
  }

  /** One record; the checks of a record alone happen here (throws DnsZoneError). */
  add(record: ResourceRecord): void {
    if (this.finished) throw new Error('ZoneBuilder.add after finish');
    this.added++;
    if (this.zoneClass === undefined) {
      if (record.type !== SOA || !record.name.equals(this.origin)) {
        this.waiting.push(record);
        return;
      }
      this.zoneClass = record.class;
      for (const before of this.waiting.splice(0)) this.index(before, this.zoneClass);
    }
    this.index(record, this.zoneClass);
  }

  private index(record: ResourceRecord, zoneClass: number): void {
    const { origin } = this;
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
      record.type === NSEC3
        ? nodeFor(this.nsec3Nodes, record.name, false)
        : nodeFor(this.nodes, record.name, true);
    let rrset = node.rrsets.get(record.type);
    if (!rrset) {
      rrset = { name: node.name, type: record.type, class: record.class, ttl: record.ttl, records: [] };
      node.rrsets.set(record.type, rrset);
      if (record.type === CNAME) node.cname = rrset;
      if (record.type === DNAME) node.dname = rrset;
    } else if (this.isDuplicate(rrset, record)) return; // the same record twice: one (RFC 2181 §5)
    if (SINGLETON_TYPES.has(record.type) && rrset.records.length > 0)
      throw new DnsZoneError(
        `${record.name.toText()} has ${rrset.records.length + 1} ${typeToText(record.type)} records; one at most`,
      );
    let kept = record;
    if (record.ttl !== rrset.ttl) {
      this.warnings.push(
        `${record.name.toText()} ${typeToText(record.type)}: TTL ${record.ttl} set to the RRset's TTL ${rrset.ttl} (RFC 2181 §5.2)`,
      );
      kept = { ...kept, ttl: rrset.ttl };
    }
    // One spelling per name, the case it was first written in (as NSD keeps one node a name),
    // and one Name object: a record whose owner was parsed again shares the node's (its own
    // copy, bytes and keys, would be kept for nothing).
    if (record.name !== node.name) kept = { ...kept, name: node.name };
    rrset.records.push(kept);
    this.kept++;
  }

  /**
   * Whether `record`'s data is already in `rrset` (non-empty); if not, remembers it. Most RRsets
   * hold one record: their data is encoded only when a second one comes (a Set of strings for
   * each of a million RRsets made loading a large zone mostly garbage collection).
   */
  private isDuplicate(rrset: RRset, record: ResourceRecord): boolean {
    const bytes = rdataBytes(record.type, record.data);
    let seen = this.seen.get(rrset);
    if (seen === undefined) {
      seen = rrset.records.map((held) => rdataBytes(held.type, held.data));
      this.seen.set(rrset, seen);
    }
    if (Array.isArray(seen)) {
      for (const held of seen) if (compareBytes(held, bytes) === 0) return true;
      if (seen.length < SCAN_LIMIT) {
        seen.push(bytes);
        return false;
      }
      const keys = new Set(seen.map(bytesKey));
      this.seen.set(rrset, keys);
      keys.add(bytesKey(bytes));
      return false;
    }
    const key = bytesKey(bytes);
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  }

  /**
   * The checks of the whole zone (no SOA, CNAME beside other data) and the delegations and glue,
   * yielding every NODES_PER_STEP nodes so that the caller may give other work a turn; returns
   * the Zone. The builder is done with then.
   */
  *finishSteps(): Generator<void, Zone, void> {
    if (this.finished) throw new Error('ZoneBuilder.finishSteps called twice');
    this.finished = true;
    const { origin, nodes } = this;
    if (this.zoneClass === undefined)
      throw new DnsZoneError(`zone ${origin.toText()} has no SOA record at its apex`);
    this.seen.clear();
    const apexKey = origin.key();
    let step = 0;
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
      if (++step % NODES_PER_STEP === 0) yield;
    }
    // Glue: every node strictly below a delegation point.
    for (const [key, node] of nodes) {
      for (let at = key.charCodeAt(0) + 1; at < key.length - apexKey.length; at += key.charCodeAt(at) + 1) {
        if (nodes.get(key.slice(at))?.delegation) {
          node.glue = true;
          break;
        }
      }
      if (++step % NODES_PER_STEP === 0) yield;
    }
    return new Zone({
      origin,
      nodes,
      nsec3Nodes: this.nsec3Nodes,
      recordCount: this.kept,
      warnings: this.warnings,
    });
  }

  /** finishSteps run to its end. */
  finish(): Zone {
    const steps = this.finishSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }
}

function nodeFor(nodes: Map<string, ZoneNode>, name: Name, withAncestors: boolean): ZoneNode {
  const key = name.key();
  let node = nodes.get(key);
  if (node) return node;
  node = newNode(name);
  nodes.set(key, node);
  if (!withAncestors) return node;
  // Empty non-terminals: every ancestor down to the apex exists. A parent's key is a suffix of
  // its child's (Name.key), so the usual case, a parent already there, builds no Name.
  let child = name;
  let childKey = key;
  while (child.labelCount > 0) {
    const parentKey = name.absolute ? childKey.slice(childKey.charCodeAt(0) + 1) : child.parent().key();
    if (nodes.has(parentKey)) break;
    const parent = child.parent();
    nodes.set(parentKey, newNode(parent));
    child = parent;
    childKey = parentKey;
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

/**
 * Several zones, and the one to answer a name from: the longest zone the name is in.
 *
 * A zone may also be held as unavailable (a secondary's zone never transferred, or expired,
 * RFC 1996/1034 §4.3.5): names in it are answered SERVFAIL, not from a parent zone.
 */
export class ZoneSet {
  private readonly zones = new Map<string, Zone>();
  /** Origins (by key) of zones known but not servable. */
  private readonly unavailableZones = new Map<string, Name>();

  constructor(zones: Iterable<Zone> = []) {
    for (const zone of zones) this.add(zone);
  }

  /** A copy to change and swap in whole: the zones themselves are shared (they never change). */
  clone(): ZoneSet {
    const copy = new ZoneSet(this.zones.values());
    for (const [key, origin] of this.unavailableZones) copy.unavailableZones.set(key, origin);
    return copy;
  }

  /** Adds (or replaces) a zone; it is available from now on. */
  add(zone: Zone): void {
    const key = zone.origin.key();
    this.zones.set(key, zone);
    this.unavailableZones.delete(key);
  }

  remove(origin: Name): boolean {
    const key = origin.key();
    return this.unavailableZones.delete(key) || this.zones.delete(key);
  }

  /** Holds `origin` as a zone that cannot be served now (its data, if any, is dropped). */
  markUnavailable(origin: Name): void {
    const key = origin.key();
    this.zones.delete(key);
    this.unavailableZones.set(key, origin);
  }

  /** The origins of the zones held unavailable. */
  unavailable(): Name[] {
    return [...this.unavailableZones.values()];
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

  /**
   * Whether the deepest zone `name` falls in is one held unavailable (deeper than any zone
   * served): such a name is answered SERVFAIL.
   */
  inUnavailableZone(name: Name): boolean {
    if (this.unavailableZones.size === 0 || !name.absolute) return false;
    const key = name.key();
    const wire = name.wire;
    for (let at = 0; at < wire.length; at += wire[at]! + 1) {
      const suffix = at === 0 ? key : key.slice(at);
      if (this.unavailableZones.has(suffix)) return true;
      if (this.zones.has(suffix)) return false;
      if (wire[at] === 0) break;
    }
    return false;
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
