/**
 * The journal IXFR is served from: the last deltas of one zone, each starting where the one
 * before it ends, bounded by a number of deltas and of records (the oldest go first).
 *
 * Its file form, for the data folder (all integers big-endian, names and records in
 * uncompressed wire form, RFC 1035 §4.1.3):
 *
 *   "NKJ1"  u16 version (1)  origin  u32 delta count
 *   per delta: u32 byte length of what follows, then
 *     fromSoa record  toSoa record  u32 deleted count  records  u32 added count  records
 *
 * The lengths and counts make a cut-short file an error, never a shorter journal.
 */
import { RRTYPE } from '../constants.js';
import { DnsDecodeError } from '../errors.js';
import type { Name } from '../name.js';
import type { SoaRdata } from '../rdata/types.js';
import { decodeRecord, encodeRecord, type ResourceRecord } from '../record.js';
import { WireReader, WireWriter } from '../wire.js';
import type { ZoneDelta } from './diff.js';
import { DnsTransferError } from './errors.js';
import { compareSerials } from './serial.js';

export interface JournalLimits {
  /** The most deltas kept. */
  maxDeltas: number;
  /** The most records kept, summed over every delta's deleted and added records. */
  maxRecords: number;
}

export const DEFAULT_JOURNAL_LIMITS: Readonly<JournalLimits> = { maxDeltas: 100, maxRecords: 1_000_000 };

const MAGIC = [0x4e, 0x4b, 0x4a, 0x31]; // "NKJ1"
export const JOURNAL_VERSION = 1;

export class ZoneJournal {
  readonly origin: Name;
  private readonly limits: JournalLimits;
  private list: ZoneDelta[] = [];
  private recordCount = 0;

  constructor(origin: Name, limits: Partial<JournalLimits> = {}) {
    this.origin = origin;
    this.limits = { ...DEFAULT_JOURNAL_LIMITS, ...limits };
  }

  get deltas(): readonly ZoneDelta[] {
    return this.list;
  }

  /**
   * Appends a delta; its fromSoa serial must equal the last delta's toSoa serial (else the
   * journal is cleared first: a gap cannot be served). Then trims to the limits.
   */
  append(delta: ZoneDelta): void {
    const last = this.lastSerial;
    if (last !== undefined && delta.fromSoa.data.serial !== last) this.clear();
    this.list.push(delta);
    this.recordCount += deltaSize(delta);
    // Dropping from the front of an array of at most maxDeltas (100) items: cheap enough.
    while (
      this.list.length > 0 &&
      (this.list.length > this.limits.maxDeltas || this.recordCount > this.limits.maxRecords)
    ) {
      this.recordCount -= deltaSize(this.list.shift()!);
    }
  }

  clear(): void {
    this.list = [];
    this.recordCount = 0;
  }

  /** The serial the journal ends at, if any. */
  get lastSerial(): number | undefined {
    return this.list.at(-1)?.toSoa.data.serial;
  }

  /** The serial the journal starts at (the oldest a secondary can be brought up from), if any. */
  get firstSerial(): number | undefined {
    return this.list[0]?.fromSoa.data.serial;
  }

  /** Records held, summed over deleted and added. */
  get size(): number {
    return this.recordCount;
  }

  /**
   * The deltas that take a secondary from `serial` to `currentSerial`: [] when serial ==
   * currentSerial (or newer, RFC 1982), undefined when the journal does not reach back to
   * `serial` or does not end at `currentSerial` (the caller then answers with a full transfer).
   */
  deltasSince(serial: number, currentSerial: number): ZoneDelta[] | undefined {
    const order = compareSerials(serial, currentSerial);
    if (order === 0 || order === 1) return [];
    if (this.lastSerial !== currentSerial) return undefined;
    // From the newest back: should a serial come up twice, the shorter chain is the one to send.
    for (let index = this.list.length - 1; index >= 0; index--)
      if (this.list[index]!.fromSoa.data.serial === serial) return this.list.slice(index);
    return undefined;
  }

  /** The journal's file form (see the module comment). */
  encode(): Uint8Array {
    const writer = new WireWriter(false);
    try {
      for (const byte of MAGIC) writer.u8(byte);
      writer.u16(JOURNAL_VERSION);
      writer.name(this.origin, false);
      writer.u32(this.list.length);
      for (const delta of this.list) {
        const lengthAt = writer.length;
        writer.u32(0); // patched below
        const start = writer.length;
        encodeRecord(writer, delta.fromSoa);
        encodeRecord(writer, delta.toSoa);
        writer.u32(delta.deleted.length);
        for (const record of delta.deleted) encodeRecord(writer, record);
        writer.u32(delta.added.length);
        for (const record of delta.added) encodeRecord(writer, record);
        patchU32(writer, lengthAt, writer.length - start);
      }
      return writer.finish();
    } finally {
      writer.release();
    }
  }

  /**
   * Reads encode()'s output; throws DnsTransferError (NK_DNS_TRANSFER) naming what is wrong for
   * anything else (bad magic, version, truncation, wrong origin). Never anything else.
   */
  static decode(bytes: Uint8Array, origin: Name, limits: Partial<JournalLimits> = {}): ZoneJournal {
    try {
      return decodeJournal(bytes, origin, limits);
    } catch (error) {
      if (error instanceof DnsTransferError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new DnsTransferError(`the journal of ${origin.toText()} is damaged: ${reason}`, {
        cause: error,
        details: { reason: 'damaged', ...(error instanceof DnsDecodeError ? { offset: error.offset } : {}) },
      });
    }
  }
}

function deltaSize(delta: ZoneDelta): number {
  return delta.deleted.length + delta.added.length;
}

/** WireWriter patches 16-bit lengths only: a 32-bit one is two of them. */
function patchU32(writer: WireWriter, at: number, value: number): void {
  writer.patchU16(at, value >>> 16);
  writer.patchU16(at + 2, value & 0xffff);
}

function damaged(origin: Name, what: string, reason: string): DnsTransferError {
  return new DnsTransferError(`the journal of ${origin.toText()} is damaged: ${what}`, {
    details: { reason },
  });
}

function decodeJournal(bytes: Uint8Array, origin: Name, limits: Partial<JournalLimits>): ZoneJournal {
  if (bytes.length < MAGIC.length || MAGIC.some((byte, i) => bytes[i] !== byte))
    throw damaged(origin, 'it does not start with "NKJ1" (not a netkit journal)', 'magic');
  const reader = new WireReader(bytes, MAGIC.length);
  const version = reader.u16('the journal version');
  if (version !== JOURNAL_VERSION)
    throw damaged(origin, `version ${version}, this netkit reads version ${JOURNAL_VERSION}`, 'version');
  const fileOrigin = reader.name('the journal origin');
  if (!fileOrigin.equals(origin))
    throw damaged(origin, `it is the journal of ${fileOrigin.toText()}`, 'origin');
  const count = reader.u32('the delta count');
  const journal = new ZoneJournal(origin, limits);
  for (let index = 0; index < count; index++) {
    const length = reader.u32(`the length of delta ${index + 1}`);
    const body = reader.restrict(length, `delta ${index + 1} of ${length} bytes`);
    const fromSoa = readSoa(body, origin, index);
    const toSoa = readSoa(body, origin, index);
    const deleted = readRecords(body, origin, index, 'deleted');
    const added = readRecords(body, origin, index, 'added');
    body.expectEnd(`delta ${index + 1}`);
    const last = journal.lastSerial;
    if (last !== undefined && fromSoa.data.serial !== last)
      throw damaged(
        origin,
        `delta ${index + 1} starts at serial ${fromSoa.data.serial}, the one before ends at ${last}`,
        'chain',
      );
    journal.append({ fromSoa, toSoa, deleted, added });
  }
  reader.expectEnd('the journal');
  return journal;
}

function readSoa(reader: WireReader, origin: Name, index: number): ResourceRecord<SoaRdata> {
  const record = decodeRecord(reader);
  if (record.type !== RRTYPE.SOA || !record.name.equals(origin))
    throw damaged(origin, `delta ${index + 1} does not start with the zone's SOAs`, 'soa');
  return record as ResourceRecord<SoaRdata>;
}

function readRecords(reader: WireReader, origin: Name, index: number, part: string): ResourceRecord[] {
  const count = reader.u32(`the ${part} count of delta ${index + 1}`);
  // Each record takes 11 bytes at least: a count the bytes cannot hold fails before any work.
  if (count * 11 > reader.remaining)
    throw damaged(
      origin,
      `delta ${index + 1} says ${count} ${part} records, more than its bytes hold`,
      'count',
    );
  const records: ResourceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const record = decodeRecord(reader);
    if (!record.name.isSubdomainOf(origin))
      throw damaged(origin, `delta ${index + 1} holds ${record.name.toText()}, outside the zone`, 'outside');
    records.push(record);
  }
  return records;
}
