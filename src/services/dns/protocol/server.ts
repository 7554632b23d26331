/**
 * The authoritative DNS server's protocol core: query bytes in, reply bytes out, over UDP and
 * over TCP (RFC 1035 §4.2, RFC 7766). Pure: the zones come in loaded, the peer's address comes
 * from the runtime, and nothing here reads a clock or a socket.
 *
 * - A message that does not decode: FORMERR when its header can be read (formerrFromBytes),
 *   else nothing.
 * - answerQuery decides; `drop` sends nothing (a response sent to us).
 * - UDP: the reply is cut to the size the query allows, TC set when records were left out
 *   (RFC 2181 §9), so the client retries over TCP. A transfer over UDP gets REFUSED.
 * - TCP: every frame is one query, answered in order; queries pipelined in one segment are
 *   answered in one write (RFC 7766 §6.2.1.1).
 * - Transfers (AXFR, RFC 5936; IXFR, RFC 1995) of a zone's apex go to addresses of the ACL,
 *   and, when transfer keys are required, only to requests signed with one (TSIG, RFC 8945);
 *   others get REFUSED (address) or NOTAUTH (key). IXFR is answered from the zone's journal
 *   when it reaches back to the client's serial, else as a full transfer (§4); over UDP, an
 *   IXFR gets the current SOA alone: "up to date", or "ask again over TCP" (§2).
 * - TSIG: a signed request is verified first; one that fails gets NOTAUTH with the TSIG error
 *   (§5.2); the answer to a signed request is signed (a transfer: every message, §5.3.1).
 * - NOTIFY (RFC 1996): handed to `notify`, which says the RCODE (a secondary refreshes).
 */

import { type AnswerOptions, answerQuery, formerrFromBytes } from '../../../dns/authority/answer.js';
import { OPCODE, RCODE, RRTYPE, typeToText } from '../../../dns/constants.js';
import { decodeMessage, encodeMessage, type Message, makeResponse } from '../../../dns/message.js';
import type { Name } from '../../../dns/name.js';
import type { SoaRdata } from '../../../dns/rdata/types.js';
import type { ResourceRecord } from '../../../dns/record.js';
import { ixfrQuerySerial, ixfrRecords } from '../../../dns/transfer/ixfr.js';
import type { ZoneJournal } from '../../../dns/transfer/journal.js';
import {
  appendTsigError,
  signMessage,
  type TsigKey,
  TsigStreamSigner,
  verifyMessage,
} from '../../../dns/tsig.js';
import type { Zone, ZoneSet } from '../../../dns/zone/zone.js';
import type {
  DatagramProtocol,
  Payload,
  StreamAction,
  StreamProtocol,
  StreamSession,
} from '../../../runtime/service.js';
import type { AddressList } from './acl.js';
import { LengthPrefixFramer, withLengthPrefix } from './framer.js';
import { REPLY_CACHE_DEFAULTS, ReplyCache } from './reply-cache.js';
import { ResponseRateLimiter, type RrlOptions, slipReply } from './rrl.js';
import { packedMessages, transferMessages } from './transfer.js';

export interface DnsServerOptions {
  minimalResponses?: boolean;
  /** NSID (RFC 5001) bytes for queries that ask. */
  nsid?: Uint8Array;
  /** Who may transfer zones over TCP. */
  axfrAllow: AddressList;
  /** Encoded UDP replies kept by query (0: none); default REPLY_CACHE_DEFAULTS.maxEntries. */
  replyCacheEntries?: number;
  /** Response rate limiting over UDP (off when its rate is 0 or it is not given). */
  rrl?: RrlOptions;
  /** TSIG keys the server knows (--tsig, --tsig-file): signed requests are checked against them. */
  keys?: (name: Name) => TsigKey | undefined;
  /** Transfers only to requests signed with one of `keys` (set when keys are configured). */
  transferKeyRequired?: boolean;
  /** The journal of a zone's changes, for IXFR; none: IXFR is answered with a full transfer. */
  journal?: (origin: Name) => ZoneJournal | undefined;
  /** A NOTIFY (RFC 1996): returns the RCODE to answer (no handler: NOTAUTH, not a secondary). */
  notify?: (notice: NotifyNotice) => number;
  /**
   * Runs `task` later (the runtime's setTimeout): transfers go out a slice at a time. Without
   * it a transfer's messages are all made at once (tests).
   */
  defer?: (task: () => void, delayMs: number) => void;
  /** Told of what an operator wants in the log: transfers given or refused, TSIG failures. */
  onEvent?: (event: DnsServerEvent) => void;
}

/** Something worth a log line (the core itself does no logging). */
export type DnsServerEvent =
  | {
      kind: 'transfer';
      zone: string;
      type: 'AXFR' | 'IXFR';
      incremental: boolean;
      address?: string;
      key?: string;
    }
  | { kind: 'transfer-refused'; zone: string; type: 'AXFR' | 'IXFR'; reason: string; address?: string }
  | {
      kind: 'tsig-failure';
      error: string;
      reason: string;
      key?: string;
      address?: string;
      question?: string;
    };

/** A NOTIFY received, for the secondary to act on. */
export interface NotifyNotice {
  zone: Name;
  /** The sender's address (undefined over a Unix socket). */
  address: string | undefined;
  /** The key it was signed with, if it was. */
  key: TsigKey | undefined;
  /** The serial in its answer section, when it carries the SOA (§3.7: a hint only). */
  serial: number | undefined;
}

/** The key that signed a request, and its MAC (the response's signature starts from it). */
interface Signer {
  key: TsigKey;
  mac: Uint8Array;
  now: number;
}

/** Counters of the DNS service (shown at shutdown and by RunningService.serviceStats). */
export interface DnsCounters {
  udpQueries: number;
  tcpQueries: number;
  /** Replies with TC set (the client should retry over TCP). */
  truncated: number;
  /** FORMERR replies to messages that did not decode. */
  formerr: number;
  /** Messages given no reply: no readable header, or a response (QR set). */
  dropped: number;
  transfers: number;
  /** Of the transfers: those answered incrementally (IXFR from the journal). */
  incrementalTransfers: number;
  transfersRefused: number;
  /** Signed requests whose TSIG failed (answered NOTAUTH). */
  tsigFailures: number;
  notifies: number;
}

export function emptyCounters(): DnsCounters {
  return {
    udpQueries: 0,
    tcpQueries: 0,
    truncated: 0,
    formerr: 0,
    dropped: 0,
    transfers: 0,
    incrementalTransfers: 0,
    transfersRefused: 0,
    tsigFailures: 0,
    notifies: 0,
  };
}

const NO_REPLY: Payload[] = [];
const noKeys = (): TsigKey | undefined => undefined;
const NO_ACTIONS: StreamAction[] = [];
const CLOSE: StreamAction[] = [{ type: 'close' }];
/** Transfer bytes made per event-loop turn, and the unread bytes a peer may have before we wait. */
const TRANSFER_SLICE_BYTES = 1024 * 1024;
const TRANSFER_QUEUE_BYTES = 4 * 1024 * 1024;
const TRANSFER_WAIT_MS = 5;

function firstOf(replies: Iterable<Uint8Array>): Uint8Array | undefined {
  for (const reply of replies) return reply;
  return undefined;
}

function* signedMessages(messages: Iterable<Uint8Array>, signer: TsigStreamSigner): Generator<Uint8Array> {
  for (const message of messages) yield signer.sign(message);
}

/**
 * What makes two responses "the same" for rate limiting: the response code and the question
 * (name lower-cased, type and class), read from the query's bytes.
 */
function responseKey(query: Uint8Array, reply: Uint8Array): string {
  let end = 12;
  while (end < query.length && query[end] !== 0) end += query[end]! + 1;
  end = Math.min(query.length, end + 5);
  let key = String(reply[3]! & 0x0f);
  for (let i = 12; i < end; i++) {
    const byte = query[i]!;
    key += String.fromCharCode(byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);
  }
  return key;
}

/** Room kept in a UDP reply for the TSIG record signing it (owner, fixed fields, a 64-byte MAC). */
const TSIG_RESERVE = 255 + 10 + 255 + 16 + 64 + 6;

/** Whether a decoded message ends with a TSIG record (RFC 8945 §4.2: it must be last). */
function hasTsig(message: Message): boolean {
  const last = message.additional[message.additional.length - 1];
  return last !== undefined && last.type === RRTYPE.TSIG;
}

/** TC is bit 1 of the third header byte (RFC 1035 §4.1.1). */
function isTruncated(reply: Uint8Array): boolean {
  return (reply[2]! & 0x02) !== 0;
}

/**
 * One server over a set of zones; `zones()` is read per query, so the service can load (or
 * reload) them after the core is built.
 */
export class DnsServerCore {
  readonly counters = emptyCounters();
  private readonly udpOptions: AnswerOptions;
  private readonly tcpOptions: AnswerOptions;
  /** The one reply of a UDP query: reused, the runtime sends it before the next datagram. */
  private readonly udpReply: Payload[] = [new Uint8Array(0)];
  /** Encoded UDP replies by query (see reply-cache.ts). */
  readonly cache: ReplyCache;
  readonly rrl: ResponseRateLimiter;

  constructor(
    private readonly zones: () => ZoneSet,
    private readonly options: DnsServerOptions,
  ) {
    const common = { minimalResponses: options.minimalResponses, nsid: options.nsid };
    this.cache = new ReplyCache(options.replyCacheEntries ?? REPLY_CACHE_DEFAULTS.maxEntries);
    this.rrl = new ResponseRateLimiter(options.rrl ?? { ratePerSecond: 0 });
    this.udpOptions = { ...common, transport: 'udp' };
    this.tcpOptions = { ...common, transport: 'tcp' };
  }

  /**
   * The reply to one UDP datagram, or undefined for none. `address` is the sender's (for the
   * transfer ACL and NOTIFY); `nowMs` the wall clock (TSIG times).
   */
  answerDatagram(datagram: Uint8Array, address?: string, nowMs = 0): Uint8Array | undefined {
    const counters = this.counters;
    counters.udpQueries++;
    const zones = this.zones();
    this.cache.useZones(zones);
    const cached = this.cache.get(datagram);
    if (cached) {
      if (isTruncated(cached)) counters.truncated++;
      return cached;
    }
    const query = this.decode(datagram);
    if (!query) return this.formerr(datagram);
    if (hasTsig(query) || query.opcode === OPCODE.NOTIFY)
      return firstOf(this.answerSpecial(datagram, query, zones, 'udp', address, nowMs));
    const result = answerQuery(zones, query, this.udpOptions);
    if (result.action === 'drop') {
      counters.dropped++;
      return undefined;
    }
    if (result.action === 'transfer')
      return firstOf(this.transfer(query, result.response, result.zone, 'udp', address));
    const reply = encodeMessage(result.response, { maxSize: result.maxSize });
    if (isTruncated(reply)) counters.truncated++;
    this.cache.set(datagram, reply);
    return reply;
  }

  /** The replies to one TCP message (each without its length prefix; a transfer gives several). */
  answerStream(frame: Uint8Array, peerAddress: string | undefined, nowMs = 0): Uint8Array[] {
    return [...this.streamReplies(frame, peerAddress, nowMs)];
  }

  /**
   * The same, lazily: an array for a query's reply, a generator making a transfer's messages
   * one at a time as they are taken.
   */
  streamReplies(frame: Uint8Array, peerAddress: string | undefined, nowMs = 0): Iterable<Uint8Array> {
    const counters = this.counters;
    counters.tcpQueries++;
    const query = this.decode(frame);
    if (!query) {
      const reply = this.formerr(frame);
      return reply ? [reply] : [];
    }
    const zones = this.zones();
    if (hasTsig(query) || query.opcode === OPCODE.NOTIFY)
      return this.answerSpecial(frame, query, zones, 'tcp', peerAddress, nowMs);
    const result = answerQuery(zones, query, this.tcpOptions);
    if (result.action === 'drop') {
      counters.dropped++;
      return [];
    }
    if (result.action === 'transfer')
      return this.transfer(query, result.response, result.zone, 'tcp', peerAddress);
    return [encodeMessage(result.response, { maxSize: result.maxSize })];
  }

  /** Signed requests and NOTIFY: the slow path, never cached. */
  private answerSpecial(
    bytes: Uint8Array,
    query: Message,
    zones: ZoneSet,
    transport: 'udp' | 'tcp',
    address: string | undefined,
    nowMs: number,
  ): Iterable<Uint8Array> {
    if (query.flags.qr) {
      this.counters.dropped++;
      return [];
    }
    let signer: Signer | undefined;
    const now = Math.floor(nowMs / 1000);
    if (hasTsig(query)) {
      const verified = verifyMessage(bytes, this.options.keys ?? noKeys, { now });
      if (!verified.ok) {
        this.counters.tsigFailures++;
        const question = query.question[0];
        this.options.onEvent?.({
          kind: 'tsig-failure',
          error: verified.error,
          reason: verified.reason,
          key: verified.keyName?.toText(),
          address,
          question: question ? `${question.name.toText()} ${typeToText(question.type)}` : undefined,
        });
        const response = makeResponse(query);
        response.flags.aa = false;
        response.rcode = verified.error === 'FORMERR' ? RCODE.FORMERR : RCODE.NOTAUTH;
        delete response.edns;
        const key = verified.keyName ? this.options.keys?.(verified.keyName) : undefined;
        return [appendTsigError(encodeMessage(response), verified, { now, key })];
      }
      signer = { key: verified.key, mac: verified.mac, now };
    }
    if (query.opcode === OPCODE.NOTIFY) return [this.sign(this.answerNotify(query, address, signer), signer)];
    const options = transport === 'udp' ? this.udpOptions : this.tcpOptions;
    const result = answerQuery(zones, query, options);
    if (result.action === 'drop') {
      this.counters.dropped++;
      return [];
    }
    if (result.action === 'transfer')
      return this.transfer(query, result.response, result.zone, transport, address, signer);
    const maxSize = transport === 'udp' ? Math.max(512, result.maxSize - TSIG_RESERVE) : result.maxSize;
    const reply = encodeMessage(result.response, { maxSize });
    if (isTruncated(reply)) this.counters.truncated++;
    return [this.sign(reply, signer)];
  }

  private sign(reply: Uint8Array, signer: Signer | undefined): Uint8Array {
    return signer ? signMessage(reply, signer.key, { now: signer.now, requestMac: signer.mac }) : reply;
  }

  /** RFC 1996 §3.7/§4.7: the response echoes the question, AA set; `notify` says the RCODE. */
  private answerNotify(query: Message, address: string | undefined, signer: Signer | undefined): Uint8Array {
    this.counters.notifies++;
    const response = makeResponse(query);
    response.flags.aa = true;
    const question = query.question[0];
    if (query.question.length !== 1 || question!.type !== RRTYPE.SOA) {
      response.rcode = RCODE.FORMERR;
      return encodeMessage(response);
    }
    const soa = query.answer.find(
      (record) => record.type === RRTYPE.SOA && record.name.equals(question!.name),
    );
    const notice: NotifyNotice = {
      zone: question!.name,
      address,
      key: signer?.key,
      serial: soa ? (soa.data as SoaRdata).serial : undefined,
    };
    response.rcode = this.options.notify ? this.options.notify(notice) : RCODE.NOTAUTH;
    return encodeMessage(response);
  }

  /**
   * An AXFR or IXFR question: `response` is the answer engine's REFUSED fallback, `zone` the
   * zone the name is in.
   */
  private transfer(
    query: Message,
    response: Message,
    zone: Zone | undefined,
    transport: 'udp' | 'tcp',
    address: string | undefined,
    signer?: Signer,
  ): Iterable<Uint8Array> {
    const counters = this.counters;
    const question = query.question[0]!;
    // Only the zone's own name transfers (answerQuery calls AXFR of any name in it a transfer).
    const atApex = zone?.origin.equals(question.name) === true;
    const isIxfr = question.type === RRTYPE.IXFR;
    const type = isIxfr ? 'IXFR' : 'AXFR';
    const decision = this.options.axfrAllow.decideTransfer(
      address,
      signer?.key.name,
      this.options.transferKeyRequired === true,
    );
    const refusal = !zone
      ? 'not a zone served'
      : !atApex
        ? 'not the zone apex'
        : decision === 'address'
          ? 'address not in --axfr-allow'
          : decision === 'key'
            ? signer
              ? `key ${signer.key.name.toText()} not allowed from this address`
              : 'not signed with a transfer key'
            : transport === 'udp' && !isIxfr
              ? 'AXFR over UDP'
              : undefined;
    if (refusal !== undefined || !zone) {
      counters.transfersRefused++;
      this.options.onEvent?.({
        kind: 'transfer-refused',
        zone: question.name.toText(),
        type,
        reason: refusal ?? 'not a zone served',
        address,
      });
      // RFC 8945 §5.2 answers a key problem NOTAUTH; an address not allowed is REFUSED.
      if (zone && atApex && decision === 'key') response.rcode = RCODE.NOTAUTH;
      return [this.sign(encodeMessage(response), signer)];
    }
    counters.transfers++;
    let records: ResourceRecord[] | undefined;
    let deltasServed = false;
    if (isIxfr) {
      const serial = ixfrQuerySerial(query);
      const deltas =
        serial === undefined
          ? undefined
          : this.options.journal?.(zone.origin)?.deltasSince(serial, zone.soa.data.serial);
      if (transport === 'udp' || (deltas !== undefined && deltas.length === 0)) {
        // RFC 1995 §2/§4: the current SOA alone, "up to date" or, over UDP, "use TCP".
        records = [zone.soa];
      } else if (deltas !== undefined) {
        counters.incrementalTransfers++;
        deltasServed = true;
        records = ixfrRecords(zone.soa as ResourceRecord<SoaRdata>, deltas);
      }
    }
    response.rcode = RCODE.NOERROR;
    const messages = records ? packedMessages(records, response) : transferMessages(zone, response);
    this.options.onEvent?.({
      kind: 'transfer',
      zone: zone.origin.toText(),
      type,
      incremental: deltasServed,
      address,
      key: signer?.key.name.toText(),
    });
    if (!signer) return messages;
    return signedMessages(
      messages,
      new TsigStreamSigner(signer.key, { now: signer.now, requestMac: signer.mac }),
    );
  }

  /** The reply as response rate limiting lets it go: as it is, truncated (slip), or not at all. */
  rateLimited(query: Uint8Array, reply: Uint8Array, address: string, now: number): Uint8Array | undefined {
    const decision = this.rrl.decide(address, responseKey(query, reply), now);
    if (decision === 'send') return reply;
    return decision === 'slip' ? slipReply(reply) : undefined;
  }

  /** The runtime's DatagramProtocol over this core. */
  datagram(): DatagramProtocol {
    return {
      receive: (datagram, peer, now) => {
        const answered = this.answerDatagram(datagram, peer.address, now);
        const reply =
          answered && this.rrl.enabled ? this.rateLimited(datagram, answered, peer.address, now) : answered;
        if (!reply) return NO_REPLY;
        this.udpReply[0] = reply;
        return this.udpReply;
      },
    };
  }

  /**
   * The runtime's StreamProtocol over this core: 2-byte length framing, one session per
   * connection. A reply goes out with the receive that asked for it; a transfer's messages are
   * made and pushed a slice at a time (`defer` between slices), and only while the peer keeps
   * up (at most TRANSFER_QUEUE_BYTES unread): a zone of a million records starts going out at
   * once, never blocks other clients, and never piles up in memory. Replies to queries
   * pipelined behind a transfer wait their turn.
   */
  stream(): StreamProtocol {
    const defer = this.options.defer;
    return {
      framing: (limits) => new LengthPrefixFramer(Math.min(limits.maxLineBytes, 65_535)),
      session: (info, link): StreamSession => {
        const pending: Iterator<Uint8Array>[] = [];
        let pumping = false;
        let closed = false;
        const pump = () => {
          if (closed || !link) return;
          let budget = TRANSFER_SLICE_BYTES;
          while (pending.length > 0 && budget > 0) {
            if (link.queuedBytes() > TRANSFER_QUEUE_BYTES) {
              defer!(pump, TRANSFER_WAIT_MS);
              return;
            }
            const next = pending[0]!.next();
            if (next.done) {
              pending.shift();
              continue;
            }
            budget -= next.value.length;
            link.push([{ type: 'send', data: withLengthPrefix(next.value) }]);
          }
          if (pending.length > 0) defer!(pump, 0);
          else pumping = false;
        };
        return {
          receive: (frame, now) => {
            const replies = this.streamReplies(frame, info.address, now);
            if (Array.isArray(replies) && !pumping) {
              if (replies.length === 0) return NO_ACTIONS;
              return replies.map((reply) => ({ type: 'send', data: withLengthPrefix(reply) }));
            }
            if (!defer || !link)
              return [...replies].map((reply) => ({ type: 'send', data: withLengthPrefix(reply) }));
            pending.push(replies[Symbol.iterator]());
            if (!pumping) {
              pumping = true;
              pump();
            }
            return NO_ACTIONS;
          },
          // A message over the limit was skipped whole: nothing of it is left to answer.
          lineTooLong: () => NO_ACTIONS,
          // Replies still being made are pushed first; then the connection closes.
          end: () => (pumping ? NO_ACTIONS : CLOSE),
          closed: () => {
            closed = true;
            pending.length = 0;
          },
        };
      },
    };
  }

  private decode(bytes: Uint8Array): Message | undefined {
    try {
      return decodeMessage(bytes);
    } catch {
      return undefined;
    }
  }

  private formerr(bytes: Uint8Array): Uint8Array | undefined {
    const reply = formerrFromBytes(bytes);
    if (reply) this.counters.formerr++;
    else this.counters.dropped++;
    return reply;
  }
}
