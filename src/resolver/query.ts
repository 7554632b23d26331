/**
 * One DNS query to one server, as dnspython's dns.query does it: over UDP with resends, or
 * TCP (RFC 1035 §4.2.2 length prefix; RFC 7766), a truncated UDP reply retried over TCP.
 *
 * Spoofing defences (RFC 5452): a random 16-bit ID and a fresh socket with an OS-chosen
 * random source port per query; a UDP reply is accepted only from the server's address and
 * port, with the query's ID and question (name compared ignoring case); anything else is
 * ignored and the wait goes on.
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { formatHostPort } from '../core/endpoint.js';
import { ipFamily } from '../core/ip.js';
import { RRCLASS } from '../dns/constants.js';
import { DnsDecodeError } from '../dns/errors.js';
import { decodeMessage, encodeMessage, type Message, makeQuery } from '../dns/message.js';
import type { Name } from '../dns/name.js';
import type { TsigKey } from '../dns/tsig.js';
import { DnsTimeoutError } from './errors.js';
import { repliesTo } from './match.js';
import { openDnsTcp } from './tcp.js';
import { checkSignedReply, signRequest } from './tsig-client.js';

export interface QueryOptions {
  /** The server's IP address. */
  server: string;
  port?: number;
  /** 'udp' (default; retried over TCP when truncated) or 'tcp'. */
  transport?: 'udp' | 'tcp';
  /** Per try, in ms (default 2000). */
  timeoutMs?: number;
  /** UDP: tries after the first (default 2). */
  retries?: number;
  /** EDNS(0) payload size to advertise (default 1232); 0 sends no OPT record. */
  udpPayloadSize?: number;
  /** EDNS DO bit: ask for DNSSEC records. */
  dnssecOk?: boolean;
  /** RD flag (default true). */
  recursionDesired?: boolean;
  rrclass?: number;
  /** Do not retry a truncated UDP reply over TCP; return it as it came. */
  ignoreTruncation?: boolean;
  /** Sign the query with this key (RFC 8945) and accept only a reply signed with it. */
  tsig?: TsigKey;
}

export interface QueryResult {
  query: Message;
  /** The wire bytes sent. */
  queryBytes: Uint8Array;
  reply: Message;
  /** The wire bytes received. */
  replyBytes: Uint8Array;
  server: string;
  port: number;
  transport: 'udp' | 'tcp';
  /** From sending the (last) query to the reply, in ms. */
  elapsedMs: number;
}

export const QUERY_DEFAULTS = { port: 53, timeoutMs: 2000, retries: 2, udpPayloadSize: 1232 } as const;

/** Builds the query message for `name` and `type` with the options' flags and EDNS. */
export function buildQuery(name: Name, type: number, options: QueryOptions): Message {
  const udpPayloadSize = options.udpPayloadSize ?? QUERY_DEFAULTS.udpPayloadSize;
  return makeQuery(name, type, {
    id: randomInt(0, 0x10000),
    rd: options.recursionDesired ?? true,
    class: options.rrclass ?? RRCLASS.IN,
    ...(udpPayloadSize > 0 || options.dnssecOk
      ? {
          edns: { udpPayloadSize: Math.max(512, udpPayloadSize || 512), dnssecOk: options.dnssecOk ?? false },
        }
      : {}),
  });
}

export async function query(name: Name, type: number, options: QueryOptions): Promise<QueryResult> {
  const message = buildQuery(name, type, options);
  return exchange(message, options);
}

/** Sends a prepared query message and waits for its reply. */
export async function exchange(message: Message, options: QueryOptions): Promise<QueryResult> {
  const key = options.tsig;
  if (!key) return exchangeBytes(message, encodeMessage(message), options);
  // Signed again for a TCP retry: the time signed goes into the MAC.
  const signed = () => signRequest(encodeMessage(message), key, Date.now());
  let request = signed();
  let result = await exchangeUdpOrTcp(message, request.bytes, options, options.transport ?? 'udp');
  if (result.transport === 'udp' && result.reply.flags.tc && !options.ignoreTruncation) {
    request = signed();
    result = await exchangeTcp(message, request.bytes, options);
  }
  checkSignedReply(
    result.replyBytes,
    result.reply,
    key,
    request.mac,
    Date.now(),
    formatHostPort(options.server, result.port),
  );
  return result;
}

async function exchangeBytes(
  message: Message,
  bytes: Uint8Array,
  options: QueryOptions,
): Promise<QueryResult> {
  const result = await exchangeUdpOrTcp(message, bytes, options, options.transport ?? 'udp');
  if (result.transport === 'udp' && result.reply.flags.tc && !options.ignoreTruncation)
    return exchangeTcp(message, bytes, options);
  return result;
}

function exchangeUdpOrTcp(
  message: Message,
  bytes: Uint8Array,
  options: QueryOptions,
  transport: 'udp' | 'tcp',
): Promise<QueryResult> {
  return transport === 'tcp' ? exchangeTcp(message, bytes, options) : exchangeUdp(message, bytes, options);
}

async function exchangeTcp(message: Message, bytes: Uint8Array, options: QueryOptions): Promise<QueryResult> {
  const port = options.port ?? QUERY_DEFAULTS.port;
  const timeoutMs = options.timeoutMs ?? QUERY_DEFAULTS.timeoutMs;
  const connection = await openDnsTcp(options.server, port, { timeoutMs });
  try {
    const started = performance.now();
    const reply = await connection.send(message, bytes, timeoutMs);
    return {
      query: message,
      queryBytes: bytes,
      reply: reply.message,
      replyBytes: reply.bytes,
      server: options.server,
      port,
      transport: 'tcp',
      elapsedMs: performance.now() - started,
    };
  } finally {
    connection.close();
  }
}

function exchangeUdp(message: Message, bytes: Uint8Array, options: QueryOptions): Promise<QueryResult> {
  const port = options.port ?? QUERY_DEFAULTS.port;
  const timeoutMs = options.timeoutMs ?? QUERY_DEFAULTS.timeoutMs;
  const tries = 1 + (options.retries ?? QUERY_DEFAULTS.retries);
  const family = ipFamily(options.server) === 6 ? 'udp6' : 'udp4';
  const server = options.server.replace(/%.*$/, '');
  return new Promise((resolve, reject) => {
    const socket = createSocket(family);
    let sent = 0;
    let started = 0;
    let timer: NodeJS.Timeout | undefined;
    let lastBadReply: DnsDecodeError | undefined;
    const finish = (error: Error | undefined, result?: QueryResult) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(result!);
    };
    const send = () => {
      if (sent >= tries) {
        const error = new DnsTimeoutError(
          `${message.question[0]?.name.toText() ?? 'the query'}`,
          [formatHostPort(options.server, port)],
          tries,
          timeoutMs,
        );
        if (lastBadReply) error.details.lastBadReply = lastBadReply.message;
        finish(error);
        return;
      }
      sent++;
      started = performance.now();
      socket.send(bytes, port, options.server, (error) => {
        if (error) finish(error);
      });
      timer = setTimeout(send, timeoutMs);
    };
    socket.on('error', (error) => finish(error));
    socket.on('message', (data, from) => {
      // Only the server's own address and port (RFC 5452 §9.1).
      if (from.port !== port || from.address.replace(/%.*$/, '') !== server) return;
      let reply: Message;
      try {
        reply = decodeMessage(data);
      } catch (error) {
        if (error instanceof DnsDecodeError) lastBadReply = error;
        return;
      }
      if (!repliesTo(message, reply)) return;
      finish(undefined, {
        query: message,
        queryBytes: bytes,
        reply,
        replyBytes: new Uint8Array(data),
        server: options.server,
        port,
        transport: 'udp',
        elapsedMs: performance.now() - started,
      });
    });
    // Port 0: the OS picks a random ephemeral port for each query's socket.
    socket.bind(0, () => send());
  });
}
