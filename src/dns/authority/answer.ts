/**
 * The answer engine of an authoritative server (RFC 1034 §4.3.2, as NSD and Knot answer):
 * a decoded query and the zones served in, a response out. Pure: no sockets, no clocks; the
 * caller encodes the response with `maxSize` (which sets TC) and sends it.
 *
 * - Names found: AA, the RRset asked for; CNAME chains followed inside the zone; DNAME
 *   (RFC 6672) with the synthesised CNAME (the DNAME's TTL), YXDOMAIN when the new name is over
 *   255 bytes; wildcards as RFC 4592 says (closest encloser, no match through existing names,
 *   empty non-terminals exist).
 * - Not found: NXDOMAIN or NODATA, with the SOA in the authority section, its TTL the smaller
 *   of the SOA's TTL and its minimum (RFC 2308 §3).
 * - At or below a zone cut: a referral (NS in authority, their addresses in additional, AA
 *   clear); DS at the cut is answered from the parent side, authoritatively (RFC 4035 §3.1.4.1).
 * - Additional addresses for NS, MX, SRV, SVCB and HTTPS targets inside the zone (as Knot); with
 *   `minimalResponses`, only what the question needs: referral glue and the addresses of the
 *   name servers asked for (as NSD's `minimal-responses: yes`).
 * - ANY: one RRset, the first of the name in zone order (RFC 8482 §4.1; NSD picks the same).
 * - SERVFAIL in a zone held unavailable (a secondary's zone not loaded yet, or expired).
 * - REFUSED outside the zones served, and for classes other than IN (and ANY, answered from IN
 *   data without AA, as NSD); NOTIMP for opcodes other than QUERY; FORMERR for queries not made
 *   of exactly one question; queries with QR set are dropped (`action: 'drop'`), as NSD and Knot
 *   do; AXFR and IXFR are left to the caller (`action: 'transfer'`).
 * - EDNS (RFC 6891): in the reply only when in the query; our payload size advertised; DO
 *   copied; BADVERS for versions above 0; NSID (RFC 5001) when configured and asked for;
 *   Extended DNS Errors (RFC 8914) as NSD adds them; other options ignored.
 */
import { RCODE, RRCLASS, RRTYPE } from '../constants.js';
import { DEFAULT_UDP_PAYLOAD_SIZE, EDNS_OPTION, type EdnsOption } from '../edns.js';
import { type Message, makeResponse, maxUdpResponseSize } from '../message.js';
import { MAX_NAME_BYTES, Name } from '../name.js';
import type { MxRdata, NameRdata, SrvRdata, SvcbRdata } from '../rdata/types.js';
import type { ResourceRecord } from '../record.js';
import type { RRset, Zone, ZoneNode, ZoneSet } from '../zone/zone.js';

export interface AnswerOptions {
  /** Only the records the question needs (NSD's `minimal-responses: yes`). */
  minimalResponses?: boolean;
  /** The NSID (RFC 5001) to give a query that asks for it. */
  nsid?: Uint8Array;
  /** The UDP payload size advertised in EDNS replies, and the cap on UDP replies (default 1232). */
  maxUdpPayload?: number;
  transport: 'udp' | 'tcp';
}

export interface AnswerResult {
  response: Message;
  /**
   * `reply`: send `response`. `transfer`: an AXFR or IXFR question; the caller runs the
   * transfer or sends `response` (REFUSED). `drop`: send nothing (a message with QR set).
   */
  action: 'reply' | 'transfer' | 'drop';
  /** The largest encoding to send: pass as `encodeMessage(response, { maxSize })`. */
  maxSize: number;
  /** The zone that answered, if any. */
  zone?: Zone;
}

/** CNAME and DNAME links followed at most in one answer (NSD and Knot stop at loops, too). */
export const MAX_CHAIN = 16;
/** Extended DNS Error codes (RFC 8914 §4) used here. */
export const EDE = { OTHER: 0, NOT_READY: 14, NOT_AUTHORITATIVE: 20, NOT_SUPPORTED: 21 } as const;
const BADVERS = 16;
const TCP_MAX = 65535;
const WILDCARD_PREFIX = '\x01*';

function edeOption(code: number, text = ''): EdnsOption {
  const extra = new TextEncoder().encode(text);
  const data = new Uint8Array(2 + extra.length);
  data[0] = code >> 8;
  data[1] = code & 0xff;
  data.set(extra, 2);
  return { code: EDNS_OPTION.EDE, data };
}
const EDE_NOT_AUTHORITATIVE = edeOption(EDE.NOT_AUTHORITATIVE);
const EDE_NOT_SUPPORTED = edeOption(EDE.NOT_SUPPORTED);
const EDE_NOT_READY = edeOption(EDE.NOT_READY);
const EDE_DNAME_TOO_LONG = edeOption(EDE.OTHER, 'DNAME expansion became too large');

/** Answers one decoded query from `zones`. Never throws for a decoded message. */
export function answerQuery(zones: ZoneSet, query: Message, options: AnswerOptions): AnswerResult {
  const payload = options.maxUdpPayload ?? DEFAULT_UDP_PAYLOAD_SIZE;
  const response = makeResponse(query, { udpPayloadSize: payload });
  const maxSize =
    options.transport === 'tcp' ? TCP_MAX : Math.min(maxUdpResponseSize(query), Math.max(512, payload));
  const result: AnswerResult = { response, action: 'reply', maxSize };
  if (query.flags.qr) {
    response.rcode = RCODE.FORMERR;
    result.action = 'drop';
    return result;
  }
  if (query.edns) {
    if (query.edns.version > 0) {
      // RFC 6891 §6.1.3: BADVERS, from a version-0 responder.
      response.rcode = BADVERS;
      return result;
    }
    if (options.nsid && hasOption(query, EDNS_OPTION.NSID))
      response.edns!.options.push({ code: EDNS_OPTION.NSID, data: options.nsid });
  }
  if (query.opcode !== 0) {
    response.rcode = RCODE.NOTIMP;
    return result;
  }
  if (query.question.length !== 1) {
    // As NSD: the header alone (nothing in the query can be trusted to echo).
    response.rcode = RCODE.FORMERR;
    response.question = [];
    delete response.edns;
    return result;
  }
  const question = query.question[0]!;
  const qtype = question.type;
  if (question.class !== RRCLASS.IN && question.class !== RRCLASS.ANY) {
    response.rcode = RCODE.REFUSED;
    if (response.edns) response.edns.options.push(EDE_NOT_SUPPORTED);
    return result;
  }
  // A secondary's zone not transferred yet, or expired (RFC 1034 §4.3.5): SERVFAIL, as NSD,
  // Knot and BIND answer, with EDE "Not Ready" (RFC 8914 §4.15).
  if (zones.inUnavailableZone(question.name)) {
    response.rcode = RCODE.SERVFAIL;
    if (response.edns) response.edns.options.push(EDE_NOT_READY);
    return result;
  }
  let zone = zones.find(question.name);
  // DS belongs to the parent side of a cut: when the parent is served too, it answers.
  if (zone && qtype === RRTYPE.DS && zone.origin.equals(question.name))
    zone = zones.findAbove(question.name) ?? zone;
  if (!zone) {
    response.rcode = RCODE.REFUSED;
    if (response.edns) response.edns.options.push(EDE_NOT_AUTHORITATIVE);
    return result;
  }
  result.zone = zone;
  if (qtype === RRTYPE.AXFR || qtype === RRTYPE.IXFR) {
    response.rcode = RCODE.REFUSED;
    result.action = 'transfer';
    return result;
  }
  const state: State = {
    response,
    zone,
    qtype,
    minimal: options.minimalResponses ?? false,
    chain: 0,
  };
  response.flags.aa = question.class === RRCLASS.IN;
  lookup(state, question.name);
  return result;
}

interface State {
  response: Message;
  zone: Zone;
  qtype: number;
  minimal: boolean;
  /** CNAME and DNAME links followed so far. */
  chain: number;
}

/** Label starts of the name being looked up (reused: the engine is synchronous). */
const starts: number[] = [];

/** RFC 1034 §4.3.2 step 3, inside `state.zone`, for `qname` (at or below the zone's apex). */
function lookup(state: State, qname: Name): void {
  const zone = state.zone;
  const wire = qname.wire;
  const key = qname.key();
  let labels = 0;
  for (let at = 0; wire[at] !== 0; at += wire[at]! + 1) starts[labels++] = at;
  const below = labels - zone.origin.labelCount;
  let encloser = zone.apex;
  let i = below - 1;
  for (; i >= 0; i--) {
    const node = zone.nodeByKey(key.slice(starts[i]!));
    if (!node) break;
    if (node.delegation && !(i === 0 && state.qtype === RRTYPE.DS)) {
      referral(state, node);
      return;
    }
    if (i > 0 && node.dname) {
      dname(state, qname, starts[i]!, node.dname);
      return;
    }
    encloser = node;
  }
  if (i < 0) {
    found(state, encloser, qname, false);
    return;
  }
  const wildcard = zone.nodeByKey(
    WILDCARD_PREFIX + (i + 1 < below ? key.slice(starts[i + 1]!) : zone.origin.key()),
  );
  if (wildcard) {
    found(state, wildcard, qname, true);
    return;
  }
  state.response.rcode = RCODE.NXDOMAIN;
  state.response.authority.push(zone.negativeSoa);
}

/** The name (or the wildcard standing for it) exists: its data, a CNAME to follow, or NODATA. */
function found(state: State, node: ZoneNode, qname: Name, synthesised: boolean): void {
  const qtype = state.qtype;
  if (qtype === RRTYPE.ANY) {
    const first = node.rrsets.values().next();
    if (first.done) nodata(state);
    else addAnswer(state, first.value, qname, synthesised);
    return;
  }
  const rrset = node.rrsets.get(qtype);
  if (rrset) {
    addAnswer(state, rrset, qname, synthesised);
    return;
  }
  if (node.cname) {
    addAnswer(state, node.cname, qname, synthesised);
    follow(state, (node.cname.records[0]!.data as NameRdata).target);
    return;
  }
  nodata(state);
}

function nodata(state: State): void {
  state.response.authority.push(state.zone.negativeSoa);
}

/** Follows a CNAME (or a synthesised one) to `target`, inside the zone only (as Knot; see docs). */
function follow(state: State, target: Name): void {
  if (state.qtype === RRTYPE.CNAME) return;
  if (++state.chain > MAX_CHAIN) return;
  if (!target.isSubdomainOf(state.zone.origin)) return;
  // A loop: the target is already an owner in the answer.
  for (const record of state.response.answer) if (record.name.equals(target)) return;
  lookup(state, target);
}

/** RFC 6672 §3: the DNAME, a CNAME synthesised from it, and the new name followed. */
function dname(state: State, qname: Name, cut: number, rrset: RRset): void {
  const response = state.response;
  const record = rrset.records[0]!;
  response.answer.push(record);
  const target = (record.data as NameRdata).target;
  const length = cut + target.wire.length;
  if (length > MAX_NAME_BYTES) {
    response.rcode = RCODE.YXDOMAIN;
    if (response.edns) response.edns.options.push(EDE_DNAME_TOO_LONG);
    return;
  }
  const wire = new Uint8Array(length);
  wire.set(qname.wire.subarray(0, cut), 0);
  wire.set(target.wire, cut);
  const newName = Name.fromCheckedWire(wire, true);
  response.answer.push({
    name: qname,
    type: RRTYPE.CNAME,
    class: record.class,
    ttl: record.ttl,
    data: { target: newName },
  });
  follow(state, newName);
}

/** A referral to the child zone at `cut`: its NS in authority, their addresses in additional. */
function referral(state: State, cut: ZoneNode): void {
  const response = state.response;
  // AA stays set when a CNAME from this zone led here (the answer so far is ours).
  if (response.answer.length === 0) response.flags.aa = false;
  const ns = cut.rrsets.get(RRTYPE.NS)!;
  for (const record of ns.records) response.authority.push(record);
  for (const record of additionalOf(state.zone, ns)) response.additional.push(record);
}

function addAnswer(state: State, rrset: RRset, qname: Name, synthesised: boolean): void {
  const answer = state.response.answer;
  if (synthesised) {
    for (const record of rrset.records) answer.push({ ...record, name: qname });
  } else {
    for (const record of rrset.records) answer.push(record);
  }
  const type = rrset.type;
  if (
    type === RRTYPE.NS ||
    (!state.minimal &&
      (type === RRTYPE.MX || type === RRTYPE.SRV || type === RRTYPE.SVCB || type === RRTYPE.HTTPS))
  ) {
    const additional = state.response.additional;
    for (const record of additionalOf(state.zone, rrset)) additional.push(record);
  }
}

/** The A and AAAA records of the targets of an NS, MX, SRV, SVCB or HTTPS RRset found in the zone (kept). */
function additionalOf(zone: Zone, rrset: RRset): ResourceRecord[] {
  if (rrset.additional) return rrset.additional;
  const out: ResourceRecord[] = [];
  const seen = new Set<string>();
  for (const record of rrset.records) {
    const target = targetOf(record);
    if (!target?.isSubdomainOf(zone.origin)) continue;
    const key = target.key();
    if (seen.has(key)) continue;
    seen.add(key);
    const node = zone.nodeByKey(key);
    // Glue below a cut serves NS targets only; occluded data is never an answer otherwise.
    if (!node || (node.glue && rrset.type !== RRTYPE.NS)) continue;
    for (const type of [RRTYPE.A, RRTYPE.AAAA]) {
      const addresses = node.rrsets.get(type);
      if (addresses) out.push(...addresses.records);
    }
  }
  rrset.additional = out;
  return out;
}

function targetOf(record: ResourceRecord): Name | undefined {
  switch (record.type) {
    case RRTYPE.NS:
      return (record.data as NameRdata).target;
    case RRTYPE.MX:
      return (record.data as MxRdata).exchange;
    case RRTYPE.SRV:
      return (record.data as SrvRdata).target;
    case RRTYPE.SVCB:
    case RRTYPE.HTTPS:
      return (record.data as SvcbRdata).target;
    default:
      return undefined;
  }
}

function hasOption(query: Message, code: number): boolean {
  for (const option of query.edns!.options) if (option.code === code) return true;
  return false;
}

/**
 * A FORMERR reply for bytes that did not decode, when at least the header can be read
 * (RFC 1035 §4.1.1): the query's ID, opcode and RD, no sections. Undefined when there is no
 * header, or when the bytes are a response (QR set: never answered).
 */
export function formerrFromBytes(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < 12) return undefined;
  if ((bytes[2]! & 0x80) !== 0) return undefined;
  const reply = new Uint8Array(12);
  reply[0] = bytes[0]!;
  reply[1] = bytes[1]!;
  // QR, the opcode and RD copied; AA, TC clear.
  reply[2] = 0x80 | (bytes[2]! & 0x79);
  reply[3] = RCODE.FORMERR;
  return reply;
}
