/**
 * Zone transfer as a client (AXFR, RFC 5936): over TCP, the zone's records streamed as the
 * messages arrive, from the opening SOA to the closing one. A transfer refused, broken off,
 * or silent for `timeoutMs` ends in a typed error.
 */
import { randomInt } from 'node:crypto';
import { RCODE, RRCLASS, RRTYPE, rcodeToText } from '../dns/constants.js';
import { encodeMessage, type Message, makeQuery } from '../dns/message.js';
import { Name } from '../dns/name.js';
import type { SoaRdata } from '../dns/rdata/types.js';
import type { ResourceRecord } from '../dns/record.js';
import { DnsBadReplyError, DnsServerError, DnsTimeoutError } from './errors.js';
import { openDnsTcp } from './tcp.js';

export interface AxfrOptions {
  server: string;
  port?: number;
  /** Longest wait for the connection and between two messages (default 10 s). */
  timeoutMs?: number;
}

export async function* axfr(zone: string | Name, options: AxfrOptions): AsyncGenerator<ResourceRecord> {
  const origin = typeof zone === 'string' ? Name.fromText(zone.endsWith('.') ? zone : `${zone}.`) : zone;
  const port = options.port ?? 53;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const query = makeQuery(origin, RRTYPE.AXFR, { id: randomInt(0, 0x10000), rd: false, class: RRCLASS.IN });
  const connection = await openDnsTcp(options.server, port, { timeoutMs });
  const queue: Message[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const stop = connection.stream(query, encodeMessage(query), {
    onReply: ({ message }) => {
      queue.push(message);
      wake?.();
    },
    onError: (error) => {
      failure = error;
      wake?.();
    },
  });
  const next = async (): Promise<Message> => {
    for (;;) {
      const message = queue.shift();
      if (message) return message;
      if (failure) throw failure;
      const arrived = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      wake = undefined;
      if (!arrived)
        throw new DnsTimeoutError(`the transfer of ${origin.toText()}`, [connection.endpoint], 1, timeoutMs);
    }
  };
  try {
    let opening: ResourceRecord<SoaRdata> | undefined;
    let count = 0;
    for (;;) {
      const message = await next();
      if (message.rcode !== RCODE.NOERROR)
        throw new DnsServerError(
          origin.toText(),
          connection.endpoint,
          message.rcode,
          rcodeToText(message.rcode),
        );
      for (const record of message.answer) {
        if (!opening) {
          if (record.type !== RRTYPE.SOA || !record.name.equals(origin))
            throw new DnsBadReplyError(`the transfer of ${origin.toText()} does not start with its SOA`);
          opening = record as ResourceRecord<SoaRdata>;
          count++;
          yield record;
          continue;
        }
        count++;
        if (record.type === RRTYPE.SOA && record.name.equals(origin)) {
          // The closing SOA (RFC 5936 §2.2): the transfer is complete; it is not yielded twice.
          if ((record.data as SoaRdata).serial !== opening.data.serial)
            throw new DnsBadReplyError(`the transfer of ${origin.toText()} ended with a different serial`);
          return;
        }
        yield record;
      }
      if (message.answer.length === 0 && !opening)
        throw new DnsBadReplyError(`the transfer of ${origin.toText()} came back empty (${count} records)`);
    }
  } finally {
    stop();
    connection.close();
  }
}
