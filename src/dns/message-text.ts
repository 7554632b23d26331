/**
 * Messages as text for people (dig's layout, BIND 9.18) and as JSON for programs (RFC 8427).
 */
import { classToText, OPCODE, opcodeToText, RRTYPE, rcodeToText, typeToText } from './constants.js';
import {
  EDE_CODES,
  EDNS_OPTION,
  type Edns,
  type EdnsOption,
  readClientSubnet,
  readExpire,
  readExtendedError,
  readTcpKeepalive,
} from './edns.js';
import { type Message, optTtl } from './message.js';
import type { Name } from './name.js';
import { rdataCodec } from './rdata/registry.js';
import { type Question, type ResourceRecord, rdataBytes, rdataToText } from './record.js';
import { toHex } from './text.js';

// --- dig's layout ---------------------------------------------------------------------------

/** BIND's default master-file style, as dig uses it: fixed columns on 8-wide tabs. */
const TTL_COLUMN = 24;
const CLASS_COLUMN = 32;
const TYPE_COLUMN = 40;
const RDATA_COLUMN = 48;
const TAB = 8;

/**
 * Pads from `column` to `to` as BIND's masterdump.c indent() does: tabs, then spaces; past the
 * column, one space (a tab when that space would end on a tab stop).
 */
function indent(column: number, to: number): string {
  const target = Math.max(to, column + 1);
  const tabs = Math.floor(target / TAB) - Math.floor(column / TAB);
  const from = tabs > 0 ? Math.floor(target / TAB) * TAB : column;
  return '\t'.repeat(Math.max(0, tabs)) + ' '.repeat(target - from);
}

/** Appends `fields` to `line`, each starting at its column. */
function columns(first: string, fields: [number, string][]): string {
  let line = first;
  let column = first.length;
  for (const [to, text] of fields) {
    const pad = indent(column, to);
    line += pad + text;
    column = Math.max(to, column + 1) + text.length;
  }
  return line;
}

function questionLine(question: Question): string {
  return columns(`;${question.name.toText()}`, [
    [CLASS_COLUMN, classToText(question.class)],
    [TYPE_COLUMN, typeToText(question.type)],
  ]);
}

/** A record as dig prints it: owner, TTL, class, type and data in BIND's columns. */
export function recordToDigText(record: ResourceRecord): string {
  return columns(record.name.toText(), [
    [TTL_COLUMN, String(record.ttl)],
    [CLASS_COLUMN, classToText(record.class)],
    [TYPE_COLUMN, typeToText(record.type)],
    [RDATA_COLUMN, rdataToText(record.type, record.data)],
  ]);
}

/** Hex bytes and their printable form, as dig shows NSID and unknown options: `6e 73 31 ("ns1")`. */
function hexAndAscii(data: Uint8Array): string {
  if (data.length === 0) return '';
  const hex = Array.from(data, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  const ascii = Array.from(data, (byte) =>
    byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.',
  ).join('');
  return ` ${hex} ("${ascii}")`;
}

/** BIND's verbose TTL text (dns_ttl_totext): `1 hour`, `1 day 2 hours`, `0 seconds`. */
function durationText(seconds: number): string {
  const units: [number, string][] = [
    [604800, 'week'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let left = seconds;
  for (const [size, unit] of units) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
  }
  return parts.length === 0 ? '0 seconds' : parts.join(' ');
}

/** One EDNS option as dig prints it in the OPT pseudosection. */
export function ednsOptionToText(option: EdnsOption): string {
  const { code, data } = option;
  try {
    switch (code) {
      case EDNS_OPTION.NSID:
        return `; NSID:${hexAndAscii(data)}`;
      case EDNS_OPTION.COOKIE:
        return `; COOKIE: ${toHex(data).toLowerCase()}`;
      case EDNS_OPTION.CLIENT_SUBNET: {
        const subnet = readClientSubnet(option);
        return `; CLIENT-SUBNET: ${subnet.address}/${subnet.sourcePrefix}/${subnet.scopePrefix}`;
      }
      case EDNS_OPTION.EXPIRE: {
        const seconds = readExpire(option);
        return seconds === undefined ? '; EXPIRE:' : `; EXPIRE: ${seconds} (${durationText(seconds)})`;
      }
      case EDNS_OPTION.TCP_KEEPALIVE: {
        const timeout = readTcpKeepalive(option);
        return timeout === undefined
          ? '; TCP KEEPALIVE:'
          : `; TCP KEEPALIVE: ${Math.floor(timeout / 10)}.${timeout % 10} secs`;
      }
      case EDNS_OPTION.PADDING:
        return data.length === 0 ? '; PAD:' : `; PAD: (${data.length} bytes)`;
      case EDNS_OPTION.EDE: {
        const error = readExtendedError(option);
        const purpose = EDE_CODES.get(error.infoCode);
        let text = `; EDE: ${error.infoCode}${purpose ? ` (${purpose})` : ''}`;
        if (data.length > 2) {
          const printable = Array.from(data.subarray(2), (byte) =>
            byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.',
          ).join('');
          text += `: (${printable})`;
        }
        return text;
      }
    }
  } catch {
    // A malformed known option: shown as bytes, like an unknown one.
  }
  return `; OPT=${code}:${hexAndAscii(data)}`;
}

function ednsLines(edns: Edns): string[] {
  let flags = 'flags:';
  if (edns.dnssecOk) flags += ' do';
  // 0x4000: the "compact answers" flag BIND 9.18 names `co`; the rest shows as MBZ.
  if (edns.flags & 0x4000) flags += ' co';
  const mbz = edns.flags & 0x3fff;
  const rest = mbz ? `; MBZ: 0x${mbz.toString(16).padStart(4, '0')}, udp: ` : '; udp: ';
  return [
    ';; OPT PSEUDOSECTION:',
    `; EDNS: version: ${edns.version}, ${flags}${rest}${edns.udpPayloadSize}`,
    ...edns.options.map(ednsOptionToText),
  ];
}

/**
 * The message as dig prints it (without dig's own lines about the server and timing):
 * header, flags and counts, the OPT pseudosection, then each non-empty section.
 */
export function messageToText(message: Message): string {
  const update = message.opcode === OPCODE.UPDATE;
  const names = update
    ? ['ZONE', 'PREREQ', 'UPDATE', 'ADDITIONAL']
    : ['QUERY', 'ANSWER', 'AUTHORITY', 'ADDITIONAL'];
  const sectionNames = update
    ? ['ZONE', 'PREREQUISITE', 'UPDATE', 'ADDITIONAL']
    : ['QUESTION', 'ANSWER', 'AUTHORITY', 'ADDITIONAL'];
  const { flags } = message;
  let flagText = '';
  for (const flag of ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const)
    if (flags[flag]) flagText += ` ${flag}`;
  if (flags.z) flagText += '; MBZ: 0x4';
  const counts = [
    message.question.length,
    message.answer.length,
    message.authority.length,
    message.additional.length + (message.edns ? 1 : 0),
  ];
  const lines = [
    `;; ->>HEADER<<- opcode: ${opcodeToText(message.opcode)}, status: ${rcodeToText(message.rcode)}, id: ${message.id}`,
    `;; flags:${flagText}; ${names.map((name, i) => `${name}: ${counts[i]}`).join(', ')}`,
    '',
  ];
  if (message.edns) lines.push(...ednsLines(message.edns));
  if (message.question.length > 0) {
    lines.push(`;; ${sectionNames[0]} SECTION:`, ...message.question.map(questionLine), '');
  }
  [message.answer, message.authority, message.additional].forEach((records, i) => {
    if (records.length === 0) return;
    lines.push(`;; ${sectionNames[i + 1]} SECTION:`, ...records.map(recordToDigText), '');
  });
  // Every line ends with a newline (the last section's blank line ends the text).
  return lines.join('\n') + (lines.at(-1) === '' ? '' : '\n');
}

// --- RFC 8427 JSON --------------------------------------------------------------------------

/** A resource record object (RFC 8427 §2.2), with an rdata member (§2.3) for the types it lists. */
export interface Rfc8427Record {
  NAME: string;
  TYPE: number;
  TYPEname: string;
  CLASS: number;
  CLASSname: string;
  TTL?: number;
  RDLENGTH?: number;
  RDATAHEX?: string;
  [rdataMember: `rdata${string}`]: string;
}

/** A message object (RFC 8427 §2.1). */
export interface Rfc8427Message {
  ID: number;
  QR: boolean;
  Opcode: number;
  AA: boolean;
  TC: boolean;
  RD: boolean;
  RA: boolean;
  AD: boolean;
  CD: boolean;
  RCODE: number;
  QDCOUNT: number;
  ANCOUNT: number;
  NSCOUNT: number;
  ARCOUNT: number;
  QNAME?: string;
  QTYPE?: number;
  QTYPEname?: string;
  QCLASS?: number;
  QCLASSname?: string;
  questionRRs?: Rfc8427Record[];
  answerRRs?: Rfc8427Record[];
  authorityRRs?: Rfc8427Record[];
  additionalRRs?: Rfc8427Record[];
  messageOctetsHEX?: string;
}

/**
 * Types with an rdata member of their own (RFC 8427 §2.3): the first seven as their one field,
 * the others in their presentation format.
 */
const RDATA_MEMBER_TYPES = new Set([
  'A',
  'AAAA',
  'CNAME',
  'DNAME',
  'NS',
  'PTR',
  'TXT',
  'CDNSKEY',
  'CDS',
  'CSYNC',
  'DNSKEY',
  'HIP',
  'IPSECKEY',
  'KEY',
  'MX',
  'NSEC',
  'NSEC3',
  'NSEC3PARAM',
  'OPENPGPKEY',
  'RRSIG',
  'SMIMEA',
  'SPF',
  'SRV',
  'SSHFP',
  'TLSA',
]);

function nameToJson(name: Name): string {
  return name.toText();
}

function recordToJson(record: ResourceRecord): Rfc8427Record {
  const typeName = typeToText(record.type);
  const data = rdataBytes(record.type, record.data);
  const json: Rfc8427Record = {
    NAME: nameToJson(record.name),
    TYPE: record.type,
    TYPEname: typeName,
    CLASS: record.class,
    CLASSname: classToText(record.class),
    TTL: record.ttl,
    RDLENGTH: data.length,
    RDATAHEX: toHex(data),
  };
  const generic = 'bytes' in record.data && Object.keys(record.data).length === 1;
  if (RDATA_MEMBER_TYPES.has(typeName) && rdataCodec(record.type) && !generic)
    json[`rdata${typeName}`] = rdataToText(record.type, record.data);
  return json;
}

/** The OPT record as it is on the wire (RFC 8427 has no EDNS members of its own). */
function optToJson(edns: Edns, rcode: number): Rfc8427Record {
  const parts = edns.options.map((option) => {
    const head = new Uint8Array(4);
    head[0] = option.code >> 8;
    head[1] = option.code & 0xff;
    head[2] = option.data.length >> 8;
    head[3] = option.data.length & 0xff;
    return toHex(head) + toHex(option.data);
  });
  const hex = parts.join('');
  return {
    NAME: '.',
    TYPE: RRTYPE.OPT,
    TYPEname: 'OPT',
    CLASS: edns.udpPayloadSize,
    CLASSname: classToText(edns.udpPayloadSize),
    TTL: optTtl(edns, rcode),
    RDLENGTH: hex.length / 2,
    RDATAHEX: hex,
  };
}

/**
 * The message in RFC 8427's JSON form (§2): header members with booleans for the flags (as
 * §2.1 defines them), the first question also as QNAME/QTYPE/QCLASS, every section as an array
 * of record objects, the OPT record among the additional ones as it is on the wire. Pass the
 * message's bytes to add `messageOctetsHEX` (§2.4).
 */
export function messageToJson(message: Message, bytes?: Uint8Array): Rfc8427Message {
  const { flags } = message;
  const additional = message.additional.map(recordToJson);
  if (message.edns) additional.push(optToJson(message.edns, message.rcode));
  const json: Rfc8427Message = {
    ID: message.id,
    QR: flags.qr,
    Opcode: message.opcode,
    AA: flags.aa,
    TC: flags.tc,
    RD: flags.rd,
    RA: flags.ra,
    AD: flags.ad,
    CD: flags.cd,
    RCODE: message.rcode & 0xf,
    QDCOUNT: message.question.length,
    ANCOUNT: message.answer.length,
    NSCOUNT: message.authority.length,
    ARCOUNT: additional.length,
  };
  const first = message.question[0];
  if (first) {
    json.QNAME = nameToJson(first.name);
    json.QTYPE = first.type;
    json.QTYPEname = typeToText(first.type);
    json.QCLASS = first.class;
    json.QCLASSname = classToText(first.class);
    json.questionRRs = message.question.map((q) => ({
      NAME: nameToJson(q.name),
      TYPE: q.type,
      TYPEname: typeToText(q.type),
      CLASS: q.class,
      CLASSname: classToText(q.class),
    }));
  }
  if (message.answer.length > 0) json.answerRRs = message.answer.map(recordToJson);
  if (message.authority.length > 0) json.authorityRRs = message.authority.map(recordToJson);
  if (additional.length > 0) json.additionalRRs = additional;
  if (bytes) json.messageOctetsHEX = toHex(bytes);
  return json;
}
