/**
 * DNS messages (RFC 1035 §4.1) with EDNS(0) (RFC 6891), both ways between a value and wire
 * bytes, and the query/response helpers.
 *
 * - The OPT record is not among `additional`: it is `edns`, and `rcode` is the full 12-bit code
 *   (the header's 4 bits and the OPT record's upper 8, RFC 6891 §6.1.3).
 * - Decoding trusts nothing: header counts are checked against the bytes left before anything
 *   is read (a count of 65535 in a 12-byte message fails at once), pointers point backwards only
 *   (wire.ts), at most one OPT record, owned by the root, in the additional section. Every
 *   failure is a DnsDecodeError; anything else thrown inside is wrapped into one.
 * - Encoding compresses names across the whole message, and with `maxSize` truncates by whole
 *   RRsets from the end (RFC 2181 §9), keeping the OPT record (RFC 6891 §7).
 */
import { RCODE, RRCLASS, RRTYPE, requireType, typeToText } from './constants.js';
import { DEFAULT_UDP_PAYLOAD_SIZE, type Edns, type EdnsOption, makeEdns } from './edns.js';
import { DnsDecodeError, DnsEncodeError } from './errors.js';
import { Name } from './name.js';
import { decodeRdata, encodeRecord, type Question, type ResourceRecord } from './record.js';
import { WireReader, WireWriter } from './wire.js';

export interface MessageFlags {
  /** Response (1) or query (0). */
  qr: boolean;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated. */
  tc: boolean;
  /** Recursion desired. */
  rd: boolean;
  /** Recursion available. */
  ra: boolean;
  /** Authentic data (RFC 4035 §3.2.3). */
  ad: boolean;
  /** Checking disabled (RFC 4035 §3.2.2). */
  cd: boolean;
  /** The reserved bit (must be zero, RFC 1035 §4.1.1); kept to show what a peer sent. */
  z: boolean;
}

export interface Message {
  id: number;
  opcode: number;
  /** The full response code: 4 bits in the header, 8 more in the OPT record when `edns` is set. */
  rcode: number;
  flags: MessageFlags;
  question: Question[];
  answer: ResourceRecord[];
  authority: ResourceRecord[];
  /** The additional section without the OPT record (that is `edns`). */
  additional: ResourceRecord[];
  edns?: Edns;
}

export interface EncodeOptions {
  /** Compress names (RFC 1035 §4.1.4); default true. */
  compress?: boolean;
  /**
   * The largest message to produce (512 for plain UDP, the peer's EDNS payload size...): whole
   * RRsets are dropped from the end until the message fits, and TC is set when the answer or
   * authority section, or in-domain glue, lost records (RFC 2181 §9, RFC 9471).
   */
  maxSize?: number;
}

export interface DecodeOptions {
  /**
   * Accept bytes after the last record (dig does, with a warning); by default they are an
   * error, as in dnspython (TrailingJunk).
   */
  allowTrailing?: boolean;
}

export const HEADER_BYTES = 12;
/** The smallest question: the root name, type and class. */
const MIN_QUESTION_BYTES = 5;
/** The smallest record: the root name, type, class, TTL and a zero rdata length. */
const MIN_RECORD_BYTES = 11;

export function emptyFlags(): MessageFlags {
  return { qr: false, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false, z: false };
}

/** The header's second 16 bits (RFC 1035 §4.1.1, RFC 2535 §6.1 for AD and CD). */
export function flagsWord(flags: MessageFlags, opcode: number, rcode: number): number {
  return (
    (flags.qr ? 0x8000 : 0) |
    ((opcode & 0xf) << 11) |
    (flags.aa ? 0x0400 : 0) |
    (flags.tc ? 0x0200 : 0) |
    (flags.rd ? 0x0100 : 0) |
    (flags.ra ? 0x0080 : 0) |
    (flags.z ? 0x0040 : 0) |
    (flags.ad ? 0x0020 : 0) |
    (flags.cd ? 0x0010 : 0) |
    (rcode & 0xf)
  );
}

export function flagsFromWord(word: number): MessageFlags {
  return {
    qr: (word & 0x8000) !== 0,
    aa: (word & 0x0400) !== 0,
    tc: (word & 0x0200) !== 0,
    rd: (word & 0x0100) !== 0,
    ra: (word & 0x0080) !== 0,
    ad: (word & 0x0020) !== 0,
    cd: (word & 0x0010) !== 0,
    z: (word & 0x0040) !== 0,
  };
}

/** The OPT record's TTL field (RFC 6891 §6.1.3): extended rcode, version, DO, other flags. */
export function optTtl(edns: Edns, rcode: number): number {
  return (
    (((rcode >>> 4) & 0xff) << 24) +
    ((edns.version & 0xff) << 16) +
    (edns.dnssecOk ? 0x8000 : 0) +
    (edns.flags & 0x7fff)
  );
}

// --- Encoding -------------------------------------------------------------------------------

function checkMessage(message: Message): void {
  const { id, opcode, rcode } = message;
  if (!Number.isInteger(id) || id < 0 || id > 0xffff)
    throw new DnsEncodeError(`message id ${id} is not 0 to 65535`);
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 15)
    throw new DnsEncodeError(`opcode ${opcode} is not 0 to 15`);
  const max = message.edns ? 0xfff : 0xf;
  if (!Number.isInteger(rcode) || rcode < 0 || rcode > max)
    throw new DnsEncodeError(
      message.edns
        ? `rcode ${rcode} is not 0 to 4095`
        : `rcode ${rcode} is over 15 and needs EDNS (the OPT record holds its upper bits)`,
    );
  const edns = message.edns;
  if (edns) {
    if (!Number.isInteger(edns.udpPayloadSize) || edns.udpPayloadSize < 0 || edns.udpPayloadSize > 0xffff)
      throw new DnsEncodeError(`EDNS UDP payload size ${edns.udpPayloadSize} is not 0 to 65535`);
    if (!Number.isInteger(edns.version) || edns.version < 0 || edns.version > 0xff)
      throw new DnsEncodeError(`EDNS version ${edns.version} is not 0 to 255`);
    if (!Number.isInteger(edns.flags) || edns.flags < 0 || edns.flags > 0x7fff)
      throw new DnsEncodeError(`EDNS flags ${edns.flags} are not 0 to 0x7fff (DO is dnssecOk)`);
    for (const option of edns.options) {
      if (!Number.isInteger(option.code) || option.code < 0 || option.code > 0xffff)
        throw new DnsEncodeError(`EDNS option code ${option.code} is not 0 to 65535`);
      if (option.data.length > 0xffff)
        throw new DnsEncodeError(`EDNS option ${option.code} of ${option.data.length} bytes is over 65535`);
    }
  }
  for (const [what, list] of [
    ['question', message.question],
    ['answer', message.answer],
    ['authority', message.authority],
    ['additional', message.additional],
  ] as const) {
    const limit = what === 'additional' && edns ? 0xfffe : 0xffff;
    if (list.length > limit) throw new DnsEncodeError(`${list.length} ${what} entries are over ${limit}`);
  }
  for (const record of message.additional)
    if (record.type === RRTYPE.OPT)
      throw new DnsEncodeError('an OPT record goes in `edns`, not among the additional records');
}

/** The OPT record's size on the wire. */
function optSize(edns: Edns | undefined): number {
  if (!edns) return 0;
  let size = MIN_RECORD_BYTES;
  for (const option of edns.options) size += 4 + option.data.length;
  return size;
}

function writeOpt(writer: WireWriter, edns: Edns, rcode: number): void {
  writer.u8(0); // the root: RFC 6891 §6.1.2
  writer.u16(RRTYPE.OPT);
  writer.u16(edns.udpPayloadSize);
  writer.u32(optTtl(edns, rcode));
  const lengthAt = writer.reserveU16();
  const start = writer.length;
  for (const option of edns.options) {
    writer.u16(option.code);
    writer.u16(option.data.length);
    writer.bytes(option.data);
  }
  const length = writer.length - start;
  if (length > 0xffff) throw new DnsEncodeError(`EDNS options of ${length} bytes are over 65535`);
  writer.patchU16(lengthAt, length);
}

interface Encoded {
  bytes: Uint8Array;
  /** Where each record (answer, authority, additional, in order) ends. */
  ends: number[];
}

function encodeSections(
  message: Message,
  answer: readonly ResourceRecord[],
  authority: readonly ResourceRecord[],
  additional: readonly ResourceRecord[],
  tc: boolean,
  compress: boolean,
  wantEnds: boolean,
): Encoded {
  const writer = new WireWriter(compress);
  try {
    const edns = message.edns;
    const flags = tc === message.flags.tc ? message.flags : { ...message.flags, tc };
    writer.u16(message.id);
    writer.u16(flagsWord(flags, message.opcode, message.rcode));
    writer.u16(message.question.length);
    writer.u16(answer.length);
    writer.u16(authority.length);
    writer.u16(additional.length + (edns ? 1 : 0));
    for (const question of message.question) {
      writer.name(question.name);
      writer.u16(question.type);
      writer.u16(question.class);
    }
    const ends: number[] = [];
    for (const section of [answer, authority, additional]) {
      for (const record of section) {
        encodeRecord(writer, record);
        if (wantEnds) ends.push(writer.length);
      }
    }
    if (edns) writeOpt(writer, edns, message.rcode);
    return { bytes: writer.finish(), ends };
  } finally {
    // Gives the writer's buffer back when an encoder threw (finish() already did otherwise).
    writer.release();
  }
}

/** Wire bytes of `message`. */
export function encodeMessage(message: Message, options: EncodeOptions = {}): Uint8Array {
  checkMessage(message);
  const compress = options.compress ?? true;
  const maxSize = options.maxSize;
  const full = encodeSections(
    message,
    message.answer,
    message.authority,
    message.additional,
    message.flags.tc,
    compress,
    maxSize !== undefined,
  );
  if (maxSize === undefined || full.bytes.length <= maxSize) return full.bytes;
  return truncate(message, full, maxSize, compress);
}

/** The key of a record's RRset within its section (RFC 2181 §5: owner, class, type). */
function rrsetKey(section: number, record: ResourceRecord): string {
  return `${section} ${record.type} ${record.class} ${record.name.key()}`;
}

/**
 * RFC 2181 §9: keep the longest prefix of records that fits, then drop every RRset that lost a
 * record (no partial RRsets), and encode again; compression can make the result larger than the
 * prefix's size (a kept name pointed into a dropped record), so shrink until it fits.
 */
function truncate(message: Message, full: Encoded, maxSize: number, compress: boolean): Uint8Array {
  const sections = [message.answer, message.authority, message.additional];
  const flat: { section: number; record: ResourceRecord }[] = [];
  sections.forEach((records, section) => {
    for (const record of records) flat.push({ section, record });
  });
  const reserve = optSize(message.edns);
  let keep = 0;
  while (keep < flat.length && full.ends[keep]! + reserve <= maxSize) keep++;
  for (;;) {
    const broken = new Set<string>();
    for (let i = keep; i < flat.length; i++) broken.add(rrsetKey(flat[i]!.section, flat[i]!.record));
    const kept: ResourceRecord[][] = [[], [], []];
    const dropped: { section: number; record: ResourceRecord }[] = [];
    for (let i = 0; i < flat.length; i++) {
      const entry = flat[i]!;
      if (i < keep && !broken.has(rrsetKey(entry.section, entry.record)))
        kept[entry.section]!.push(entry.record);
      else dropped.push(entry);
    }
    const tc = message.flags.tc || dropped.some((entry) => needsTc(entry, message.authority));
    const encoded = encodeSections(message, kept[0]!, kept[1]!, kept[2]!, tc, compress, false);
    if (encoded.bytes.length <= maxSize) return encoded.bytes;
    if (keep === 0)
      throw new DnsEncodeError(
        `the message does not fit in ${maxSize} bytes even without records (${encoded.bytes.length} bytes)`,
      );
    keep--;
  }
}

/**
 * Whether losing this record makes the response truncated: anything from the answer or
 * authority section, and in-domain glue (RFC 9471: an address of a name server below the
 * delegation); other additional data is optional (RFC 2181 §9).
 */
function needsTc(
  entry: { section: number; record: ResourceRecord },
  authority: readonly ResourceRecord[],
): boolean {
  if (entry.section < 2) return true;
  const { record } = entry;
  if (record.type !== RRTYPE.A && record.type !== RRTYPE.AAAA) return false;
  return authority.some(
    (ns) =>
      ns.type === RRTYPE.NS &&
      'target' in ns.data &&
      ns.data.target.equals(record.name) &&
      record.name.isSubdomainOf(ns.name),
  );
}

// --- Decoding -------------------------------------------------------------------------------

/** A message from wire bytes; throws DnsDecodeError, and nothing else, when they are malformed. */
export function decodeMessage(bytes: Uint8Array, options: DecodeOptions = {}): Message {
  const reader = new WireReader(bytes);
  try {
    return readMessage(reader, options);
  } catch (error) {
    if (error instanceof DnsDecodeError) throw error;
    // A bug or an unforeseen input: still reported as the input's fault, with the cause kept.
    throw new DnsDecodeError(
      `cannot decode the message: ${error instanceof Error ? error.message : String(error)}`,
      reader.offset,
      { cause: error },
    );
  }
}

const SECTION_NAMES = ['answer', 'authority', 'additional'] as const;

function readMessage(reader: WireReader, options: DecodeOptions): Message {
  const bytes = reader.message;
  if (bytes.length < HEADER_BYTES)
    reader.fail(
      `a message needs a 12-byte header, not ${bytes.length} byte${bytes.length === 1 ? '' : 's'}`,
      0,
    );
  const id = reader.u16();
  const word = reader.u16();
  const qdcount = reader.u16();
  const ancount = reader.u16();
  const nscount = reader.u16();
  const arcount = reader.u16();
  // Counts are claims: check them against the bytes there before reading anything.
  const least = qdcount * MIN_QUESTION_BYTES + (ancount + nscount + arcount) * MIN_RECORD_BYTES;
  if (least > reader.remaining)
    reader.fail(
      `the header counts ${qdcount} questions and ${ancount + nscount + arcount} records, which need at least ${least} bytes; ${reader.remaining} follow`,
      4,
    );
  const question: Question[] = [];
  for (let i = 0; i < qdcount; i++) {
    const name = reader.name('a question name');
    const type = reader.u16('a question type');
    question.push({ name, type, class: reader.u16('a question class') });
  }
  const sections: ResourceRecord[][] = [[], [], []];
  const counts = [ancount, nscount, arcount];
  let edns: Edns | undefined;
  let extendedRcode = 0;
  for (let section = 0; section < 3; section++) {
    const records = sections[section]!;
    const count = counts[section]!;
    for (let i = 0; i < count; i++) {
      const start = reader.offset;
      const name = reader.name('a record owner');
      const type = reader.u16('a record type');
      const rrclass = reader.u16('a record class');
      const ttl = reader.u32('a record TTL');
      const length = reader.u16('a record data length');
      if (type === RRTYPE.OPT) {
        if (section !== 2)
          reader.fail(
            `an OPT record in the ${SECTION_NAMES[section]} section (RFC 6891 §6.1.1: additional only)`,
            start,
          );
        if (edns) reader.fail('a second OPT record (RFC 6891 §6.1.1: at most one)', start);
        if (!name.isRoot())
          reader.fail(`an OPT record owned by ${name.toText()}, not the root (RFC 6891 §6.1.2)`, start);
        edns = {
          udpPayloadSize: rrclass,
          version: (ttl >>> 16) & 0xff,
          dnssecOk: (ttl & 0x8000) !== 0,
          flags: ttl & 0x7fff,
          options: readOptions(reader.restrict(length, `OPT data of ${length} bytes`)),
        };
        extendedRcode = ttl >>> 24;
        continue;
      }
      // The description is built only on failure: this runs once a record.
      const rdata = reader.remaining >= length ? reader.restrict(length, '') : undefined;
      const data = decodeRdata(
        type,
        rdata ?? reader.restrict(length, `${typeToText(type)} data of ${length} bytes`),
      );
      records.push({ name, type, class: rrclass, ttl, data });
    }
  }
  if (reader.remaining > 0 && !options.allowTrailing)
    reader.fail(`${reader.remaining} byte(s) after the last record (allowTrailing accepts them)`);
  const message: Message = {
    id,
    opcode: (word >> 11) & 0xf,
    rcode: (extendedRcode << 4) | (word & 0xf),
    flags: flagsFromWord(word),
    question,
    answer: sections[0]!,
    authority: sections[1]!,
    additional: sections[2]!,
  };
  if (edns) message.edns = edns;
  return message;
}

/** EDNS options (RFC 6891 §6.1.2): code, length, data, to the end of the OPT data. */
function readOptions(reader: WireReader): EdnsOption[] {
  const options: EdnsOption[] = [];
  while (!reader.atEnd()) {
    const code = reader.u16('an EDNS option code');
    const length = reader.u16('an EDNS option length');
    options.push({ code, data: reader.bytes(length, `EDNS option ${code} of ${length} bytes`) });
  }
  return options;
}

// --- Queries and responses ------------------------------------------------------------------

export interface QueryOptions {
  /** The message id: the caller picks it (at random, for a real query; RFC 5452 §9.2). */
  id: number;
  /** Recursion desired; default true. */
  rd?: boolean;
  /** Checking disabled. */
  cd?: boolean;
  /** Authentic data wanted (RFC 6840 §5.7). */
  ad?: boolean;
  /** EDNS(0): `true` for the defaults, or the fields to set (UDP payload size 1232 by default). */
  edns?: boolean | Partial<Edns>;
  /** The question's class; default IN. */
  class?: number;
}

/** A standard query for `name` and `type` (a number, or a mnemonic such as `AAAA`). */
export function makeQuery(name: Name | string, type: number | string, options: QueryOptions): Message {
  const qname = typeof name === 'string' ? Name.fromText(name.endsWith('.') ? name : `${name}.`) : name;
  const qtype = typeof type === 'string' ? requireType(type) : type;
  const message: Message = {
    id: options.id,
    opcode: 0,
    rcode: RCODE.NOERROR,
    flags: { ...emptyFlags(), rd: options.rd ?? true, cd: options.cd ?? false, ad: options.ad ?? false },
    question: [{ name: qname, type: qtype, class: options.class ?? RRCLASS.IN }],
    answer: [],
    authority: [],
    additional: [],
  };
  if (options.edns) message.edns = makeEdns(options.edns === true ? {} : options.edns);
  return message;
}

/**
 * An empty response to `query`: same id, opcode and question, QR set, RD and CD copied
 * (RFC 1035 §4.1.1, RFC 4035 §3.2.2), NOERROR; with EDNS when the query had it, DO copied
 * (RFC 3225 §3) and no options (the server adds what it answers).
 */
export function makeResponse(query: Message, options: { udpPayloadSize?: number } = {}): Message {
  const response: Message = {
    id: query.id,
    opcode: query.opcode,
    rcode: RCODE.NOERROR,
    flags: { ...emptyFlags(), qr: true, rd: query.flags.rd, cd: query.flags.cd },
    question: query.question.map((q) => ({ ...q })),
    answer: [],
    authority: [],
    additional: [],
  };
  if (query.edns)
    response.edns = makeEdns({
      udpPayloadSize: options.udpPayloadSize ?? DEFAULT_UDP_PAYLOAD_SIZE,
      dnssecOk: query.edns.dnssecOk,
    });
  return response;
}

/**
 * The largest response `query` accepts over UDP: its EDNS payload size (at least 512,
 * RFC 6891 §6.2.5), or 512 without EDNS (RFC 1035 §4.2.1).
 */
export function maxUdpResponseSize(query: Message): number {
  return query.edns ? Math.max(512, query.edns.udpPayloadSize) : 512;
}
