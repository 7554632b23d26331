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
 *   answered in one write (RFC 7766 §6.2.1.1). AXFR (and IXFR, answered as a full transfer,
 *   RFC 1995 §4) of a zone's apex goes to addresses of the ACL; the others get REFUSED.
 */

import { type AnswerOptions, answerQuery, formerrFromBytes } from '../../../dns/authority/answer.js';
import { decodeMessage, encodeMessage, type Message } from '../../../dns/message.js';
import type { ZoneSet } from '../../../dns/zone/zone.js';
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
import { transferMessages } from './transfer.js';

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
  transfersRefused: number;
}

export function emptyCounters(): DnsCounters {
  return {
    udpQueries: 0,
    tcpQueries: 0,
    truncated: 0,
    formerr: 0,
    dropped: 0,
    transfers: 0,
    transfersRefused: 0,
  };
}

const NO_REPLY: Payload[] = [];
const NO_ACTIONS: StreamAction[] = [];

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

  /** The reply to one UDP datagram, or undefined for none. */
  answerDatagram(datagram: Uint8Array): Uint8Array | undefined {
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
    const result = answerQuery(zones, query, this.udpOptions);
    if (result.action === 'drop') {
      counters.dropped++;
      return undefined;
    }
    // A transfer over UDP: `response` is already the REFUSED fallback.
    if (result.action === 'transfer') counters.transfersRefused++;
    const reply = encodeMessage(result.response, { maxSize: result.maxSize });
    if (isTruncated(reply)) counters.truncated++;
    // Only answers (not transfers refused over UDP, which are rare) are worth keeping.
    if (result.action === 'reply') this.cache.set(datagram, reply);
    return reply;
  }

  /** The replies to one TCP message (each without its length prefix; a transfer gives several). */
  answerStream(frame: Uint8Array, peerAddress: string | undefined): Uint8Array[] {
    const counters = this.counters;
    counters.tcpQueries++;
    const query = this.decode(frame);
    if (!query) {
      const reply = this.formerr(frame);
      return reply ? [reply] : [];
    }
    const result = answerQuery(this.zones(), query, this.tcpOptions);
    if (result.action === 'drop') {
      counters.dropped++;
      return [];
    }
    if (result.action === 'transfer') {
      const zone = result.zone;
      // Only the zone's own name transfers (answerQuery calls AXFR of any name in it a transfer).
      const atApex = zone?.origin.equals(query.question[0]!.name) === true;
      if (zone && atApex && this.options.axfrAllow.allows(peerAddress)) {
        counters.transfers++;
        return transferMessages(zone, result.response);
      }
      counters.transfersRefused++;
    }
    return [encodeMessage(result.response, { maxSize: result.maxSize })];
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
        const answered = this.answerDatagram(datagram);
        const reply =
          answered && this.rrl.enabled ? this.rateLimited(datagram, answered, peer.address, now) : answered;
        if (!reply) return NO_REPLY;
        this.udpReply[0] = reply;
        return this.udpReply;
      },
    };
  }

  /** The runtime's StreamProtocol over this core: 2-byte length framing, one session per connection. */
  stream(): StreamProtocol {
    return {
      framing: (limits) => new LengthPrefixFramer(Math.min(limits.maxLineBytes, 65_535)),
      session: (info): StreamSession => ({
        receive: (frame) => {
          const replies = this.answerStream(frame, info.address);
          if (replies.length === 0) return NO_ACTIONS;
          return replies.map((reply) => ({ type: 'send', data: withLengthPrefix(reply) }));
        },
        // A message over the limit was skipped whole: nothing of it is left to answer.
        lineTooLong: () => NO_ACTIONS,
      }),
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
