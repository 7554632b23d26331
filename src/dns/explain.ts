/**
 * An annotated hex dump of a DNS message, field by field, as a packet analyser shows it: each
 * line holds the offset, the bytes, and what they are (header bits, names label by label with
 * their compression pointers, each record's fields, the OPT record's). For `netkit dig +explain`.
 *
 * It explains malformed input too: up to the first error, then where and what went wrong (the
 * same DnsDecodeError decodeMessage raises), then the bytes left unexplained. It never throws.
 */
import { classToText, opcodeToText, RRTYPE, rcodeToText, typeToText } from './constants.js';
import { EDNS_OPTION } from './edns.js';
import { DnsDecodeError } from './errors.js';
import { ednsOptionToText } from './message-text.js';
import { labelToText, type Name } from './name.js';
import { decodeRdata, rdataToText } from './record.js';
import { quoteString } from './text.js';
import { WireReader } from './wire.js';

/** Bytes shown on one line; longer fields continue on the lines below. */
const BYTES_PER_LINE = 8;
const HEX_WIDTH = BYTES_PER_LINE * 3;
const SECTIONS = ['answer', 'authority', 'additional'] as const;

class Explainer {
  readonly lines: string[] = [];
  /** How far the bytes are explained. */
  at = 0;
  private sawOpt = false;

  constructor(readonly bytes: Uint8Array) {}

  /** A line for `length` bytes at `at` (more lines when they do not fit on one). */
  line(at: number, length: number, text: string): void {
    const end = Math.min(at + length, this.bytes.length);
    let first = true;
    for (let from = at; first || from < end; from += BYTES_PER_LINE) {
      const chunk = this.bytes.subarray(from, Math.min(from + BYTES_PER_LINE, end));
      const hex = Array.from(chunk, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
      const offset = from.toString(16).padStart(4, '0');
      this.lines.push(`${offset}  ${hex.padEnd(HEX_WIDTH)}  ${first ? text : '  ...'}`.trimEnd());
      first = false;
    }
  }

  /** An indented line without bytes of its own (bit fields, summaries). */
  note(text: string): void {
    this.lines.push(`${' '.repeat(6 + HEX_WIDTH + 2)}${text}`);
  }

  fail(message: string, offset: number): never {
    throw new DnsDecodeError(message, offset);
  }

  need(count: number, end: number, what: string): void {
    if (end - this.at < count)
      this.fail(
        `${what} needs ${count} byte${count === 1 ? '' : 's'}, ${Math.max(0, end - this.at)} left`,
        this.at,
      );
  }

  u16(end: number, what: string, describe: (value: number) => string): number {
    this.need(2, end, what);
    const value = (this.bytes[this.at]! << 8) | this.bytes[this.at + 1]!;
    this.line(this.at, 2, describe(value));
    this.at += 2;
    return value;
  }

  u32(end: number, what: string, describe: (value: number) => string): number {
    this.need(4, end, what);
    const b = this.bytes;
    const at = this.at;
    const value = ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
    this.line(at, 4, describe(value));
    this.at += 4;
    return value;
  }

  /** A name, label by label; its pointer (if any) with the name it points to. */
  name(end: number, what: string): Name {
    const reader = new WireReader(this.bytes, this.at, end);
    let name: Name | undefined;
    let error: unknown;
    try {
      name = reader.name(what);
    } catch (caught) {
      error = caught;
    }
    const b = this.bytes;
    let at = this.at;
    while (at < end) {
      const byte = b[at]!;
      if (byte === 0) {
        this.line(at, 1, `root: end of ${what}${name ? ` → ${name.toText()}` : ''}`);
        break;
      }
      if ((byte & 0xc0) === 0xc0) {
        if (at + 1 >= end) break;
        const target = ((byte & 0x3f) << 8) | b[at + 1]!;
        let shown = '(invalid)';
        if (target < at) {
          try {
            shown = new WireReader(b, target).name(what).toText();
          } catch {}
        }
        this.line(at, 2, `pointer to offset ${target} → ${shown}`);
        if (name) this.note(`${what}: ${name.toText()}`);
        break;
      }
      if ((byte & 0xc0) !== 0 || at + 1 + byte > end) break;
      this.line(
        at,
        1 + byte,
        `label "${labelToText(b, at + 1, at + 1 + byte)}" (${byte} byte${byte === 1 ? '' : 's'})`,
      );
      at += 1 + byte;
    }
    if (!name) throw error;
    this.at = reader.offset;
    return name;
  }

  header(): number[] {
    const b = this.bytes;
    if (b.length < 12) {
      this.fail(`a message needs a 12-byte header, not ${b.length} byte${b.length === 1 ? '' : 's'}`, 0);
    }
    this.u16(12, 'the id', (id) => `ID: ${id}`);
    const word = (b[2]! << 8) | b[3]!;
    this.line(2, 2, `flags: 0x${word.toString(16).padStart(4, '0')}`);
    this.at = 4;
    const bit = (mask: number, label: string) => {
      const set = (word & mask) !== 0;
      this.note(`${bitPattern(word, mask)}  ${label}: ${set ? 1 : 0}`);
    };
    this.note(`${bitPattern(word, 0x8000)}  QR: ${word & 0x8000 ? '1 (response)' : '0 (query)'}`);
    const opcode = (word >> 11) & 0xf;
    this.note(`${bitPattern(word, 0x7800)}  opcode: ${opcode} (${opcodeToText(opcode)})`);
    bit(0x0400, 'AA (authoritative answer)');
    bit(0x0200, 'TC (truncated)');
    bit(0x0100, 'RD (recursion desired)');
    bit(0x0080, 'RA (recursion available)');
    bit(0x0040, 'Z (reserved, must be 0)');
    bit(0x0020, 'AD (authentic data)');
    bit(0x0010, 'CD (checking disabled)');
    const rcode = word & 0xf;
    this.note(
      `${bitPattern(word, 0x000f)}  RCODE: ${rcode} (${rcodeToText(rcode)}; EDNS may add upper bits)`,
    );
    const counts = [
      'QDCOUNT (questions)',
      'ANCOUNT (answers)',
      'NSCOUNT (authority)',
      'ARCOUNT (additional)',
    ].map((label) => this.u16(12, label, (value) => `${label}: ${value}`));
    const least = counts[0]! * 5 + (counts[1]! + counts[2]! + counts[3]!) * 11;
    if (least > b.length - 12)
      this.note(
        `!! the counts need at least ${least} bytes; ${b.length - 12} follow (decodeMessage stops here)`,
      );
    return counts;
  }

  question(index: number): void {
    this.lines.push(`;; question ${index + 1}`);
    const end = this.bytes.length;
    this.name(end, 'QNAME');
    this.u16(end, 'QTYPE', (type) => `QTYPE: ${type} (${typeToText(type)})`);
    this.u16(end, 'QCLASS', (rrclass) => `QCLASS: ${rrclass} (${classToText(rrclass)})`);
  }

  record(section: number, index: number): void {
    const end = this.bytes.length;
    const start = this.at;
    this.lines.push(`;; ${SECTIONS[section]} record ${index + 1}`);
    const owner = this.name(end, 'owner');
    const type = this.u16(end, 'a record type', (value) => `TYPE: ${value} (${typeToText(value)})`);
    if (type === RRTYPE.OPT) {
      this.opt(section, start, owner);
      return;
    }
    this.u16(end, 'a record class', (value) => `CLASS: ${value} (${classToText(value)})`);
    this.u32(end, 'a record TTL', (value) => `TTL: ${value}`);
    const length = this.u16(end, 'RDLENGTH', (value) => `RDLENGTH: ${value}`);
    const rdataStart = this.at;
    const rdataEnd = rdataStart + length;
    if (rdataEnd > end)
      this.fail(`${typeToText(type)} data of ${length} bytes runs past the end`, rdataStart);
    this.rdata(type, rdataEnd);
    if (this.at !== rdataEnd)
      this.fail(`${rdataEnd - this.at} unexpected byte(s) after the ${typeToText(type)} data`, this.at);
    // The codec's reading is the one decodeMessage uses: its verdict and its text.
    const data = decodeRdata(type, new WireReader(this.bytes, rdataStart, rdataEnd));
    this.note(`= ${typeToText(type)} ${rdataToText(type, data)}`);
  }

  /** Field boundaries of the common types; the others as bytes. */
  rdata(type: number, end: number): void {
    const b = this.bytes;
    switch (type) {
      case RRTYPE.A:
      case RRTYPE.AAAA: {
        const size = type === RRTYPE.A ? 4 : 16;
        this.need(size, end, 'an address');
        this.line(this.at, size, `address (${size} bytes)`);
        this.at += size;
        return;
      }
      case RRTYPE.NS:
      case RRTYPE.CNAME:
      case RRTYPE.PTR:
      case RRTYPE.DNAME:
        this.name(end, 'target');
        return;
      case RRTYPE.MX:
        this.u16(end, 'the preference', (value) => `preference: ${value}`);
        this.name(end, 'exchange');
        return;
      case RRTYPE.SOA:
        this.name(end, 'MNAME (primary server)');
        this.name(end, 'RNAME (mailbox)');
        for (const field of ['serial', 'refresh', 'retry', 'expire', 'minimum'])
          this.u32(end, field, (value) => `${field}: ${value}`);
        return;
      case RRTYPE.SRV:
        for (const field of ['priority', 'weight', 'port'])
          this.u16(end, field, (value) => `${field}: ${value}`);
        this.name(end, 'target');
        return;
      case RRTYPE.TXT:
      case RRTYPE.SPF:
        while (this.at < end) {
          const length = b[this.at]!;
          if (this.at + 1 + length > end) this.fail('a character-string runs past the data', this.at);
          this.line(
            this.at,
            1 + length,
            `string ${quoteString(b.subarray(this.at + 1, this.at + 1 + length))}`,
          );
          this.at += 1 + length;
        }
        return;
      default:
        if (end > this.at) this.line(this.at, end - this.at, `data (${end - this.at} bytes)`);
        this.at = end;
    }
  }

  opt(section: number, start: number, owner: Name): void {
    const end = this.bytes.length;
    if (section !== 2)
      this.fail(
        `an OPT record in the ${SECTIONS[section]} section (RFC 6891 §6.1.1: additional only)`,
        start,
      );
    if (this.sawOpt) this.fail('a second OPT record (RFC 6891 §6.1.1: at most one)', start);
    if (!owner.isRoot())
      this.fail(`an OPT record owned by ${owner.toText()}, not the root (RFC 6891 §6.1.2)`, start);
    this.sawOpt = true;
    this.u16(end, 'the UDP payload size', (value) => `UDP payload size: ${value} (the CLASS field)`);
    const ttl = this.u32(end, 'the EDNS flags', () => 'extended RCODE, version, flags (the TTL field)');
    this.note(
      `extended RCODE: ${ttl >>> 24} (upper bits: the full RCODE is ${ttl >>> 24} << 4 | header RCODE)`,
    );
    this.note(`EDNS version: ${(ttl >>> 16) & 0xff}`);
    this.note(
      `DO (DNSSEC OK): ${ttl & 0x8000 ? 1 : 0}; other flags: 0x${(ttl & 0x7fff).toString(16).padStart(4, '0')}`,
    );
    const length = this.u16(end, 'RDLENGTH', (value) => `RDLENGTH: ${value}`);
    const dataEnd = this.at + length;
    if (dataEnd > end) this.fail(`OPT data of ${length} bytes runs past the end`, this.at);
    while (this.at < dataEnd) {
      const code = this.u16(
        dataEnd,
        'an EDNS option code',
        (value) => `option code: ${value}${optionName(value)}`,
      );
      const size = this.u16(dataEnd, 'an EDNS option length', (value) => `option length: ${value}`);
      this.need(size, dataEnd, `EDNS option ${code}`);
      const data = this.bytes.slice(this.at, this.at + size);
      if (size > 0) this.line(this.at, size, 'option data');
      this.at += size;
      this.note(ednsOptionToText({ code, data }));
    }
  }

  run(): void {
    const counts = this.header();
    for (let i = 0; i < counts[0]!; i++) this.question(i);
    for (let section = 0; section < 3; section++)
      for (let i = 0; i < counts[section + 1]!; i++) this.record(section, i);
    if (this.at < this.bytes.length) {
      const at = this.at;
      const count = this.bytes.length - at;
      this.line(at, count, 'trailing bytes after the last record');
      this.at = this.bytes.length;
      // What decodeMessage says by default (dig accepts them with a warning).
      this.lines.push(
        `!! error at byte ${at} (0x${at.toString(16)}): ${count} byte(s) after the last record (allowTrailing accepts them)`,
      );
    }
    this.lines.push(`;; end of message: ${this.bytes.length} bytes`);
  }
}

function bitPattern(word: number, mask: number): string {
  let text = '';
  for (let bit = 15; bit >= 0; bit--) {
    const m = 1 << bit;
    text += mask & m ? (word & m ? '1' : '0') : '.';
    if (bit % 4 === 0 && bit > 0) text += ' ';
  }
  return text;
}

function optionName(code: number): string {
  for (const [name, value] of Object.entries(EDNS_OPTION)) if (value === code) return ` (${name})`;
  return '';
}

/** The annotated dump, one string per line; never throws (errors are explained in the lines). */
export function explainMessage(bytes: Uint8Array): string[] {
  const explainer = new Explainer(bytes);
  try {
    explainer.run();
  } catch (error) {
    const offset = error instanceof DnsDecodeError ? error.offset : explainer.at;
    const message = (error instanceof Error ? error.message : String(error)).replace(/ \(at byte \d+\)$/, '');
    explainer.lines.push(`!! error at byte ${offset} (0x${offset.toString(16)}): ${message}`);
    if (explainer.at < bytes.length)
      explainer.line(explainer.at, bytes.length - explainer.at, 'not explained (after the error)');
  }
  return explainer.lines;
}
