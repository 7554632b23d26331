/**
 * One zone transfer as a client, AXFR (RFC 5936) or IXFR (RFC 1995), over TCP, optionally
 * signed with a TSIG key (RFC 8945: every message of the answer checked in its chain). The
 * messages are read by the pure TransferReader, which says when the transfer is complete and
 * what it holds; each is also handed to `onMessage` as it arrives (dig prints them).
 *
 * Ends in a typed error: the server's RCODE (DnsTransferError), a key refused or a signature
 * that fails (DnsTsigError), silence for `timeoutMs` (DnsTimeoutError), a closed connection.
 */
import { randomInt } from 'node:crypto';
import { formatHostPort } from '../core/endpoint.js';
import { RRCLASS, RRTYPE } from '../dns/constants.js';
import { encodeMessage, type Message, makeQuery } from '../dns/message.js';
import type { Name } from '../dns/name.js';
import type { SoaRdata } from '../dns/rdata/types.js';
import type { ResourceRecord } from '../dns/record.js';
import { makeIxfrQuery } from '../dns/transfer/ixfr.js';
import { TransferReader, type TransferResult } from '../dns/transfer/reader.js';
import { type TsigKey, TsigStreamVerifier } from '../dns/tsig.js';
import { DnsTimeoutError, DnsTsigError } from './errors.js';
import { openDnsTcp } from './tcp.js';
import { signRequest, tsigErrorOf } from './tsig-client.js';

export interface ZoneTransferOptions {
  server: string;
  port?: number;
  /** AXFR; or IXFR from the version whose SOA is `from` (its serial is what counts). */
  from?: ResourceRecord<SoaRdata>;
  tsig?: TsigKey;
  /** Longest wait for the connection and between two messages (default 10 s). */
  timeoutMs?: number;
  /** Each message of the answer, as it arrives (after its TSIG check); what it throws ends the transfer. */
  onMessage?: (message: Message) => void;
  /** Ends the transfer early (the connection is closed): rejects with the signal's reason. */
  signal?: AbortSignal;
}

export async function zoneTransfer(origin: Name, options: ZoneTransferOptions): Promise<TransferResult> {
  const { tsig: key, from } = options;
  const port = options.port ?? 53;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const server = formatHostPort(options.server, port);
  const id = randomInt(0, 0x10000);
  const request: Message = from
    ? makeIxfrQuery(origin, from, id)
    : makeQuery(origin, RRTYPE.AXFR, { id, rd: false, class: RRCLASS.IN });
  let bytes = encodeMessage(request);
  let verifier: TsigStreamVerifier | undefined;
  if (key) {
    const signed = signRequest(bytes, key, Date.now());
    bytes = signed.bytes;
    verifier = new TsigStreamVerifier(key, { requestMac: signed.mac });
  }
  const reader = new TransferReader(origin, {
    type: from ? 'IXFR' : 'AXFR',
    clientSerial: from?.data.serial,
  });
  const failedTsig = (result: { error: string; reason: string }) =>
    new DnsTsigError(`the transfer from ${server} failed TSIG: ${result.error}, ${result.reason}`, {
      server,
      tsigError: result.error,
    });
  const connection = await openDnsTcp(options.server, port, { timeoutMs });
  try {
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let stop: (() => void) | undefined;
      const finish = (error?: Error) => {
        clearTimeout(timer);
        stop?.();
        if (error) reject(error);
        else resolve();
      };
      const idle = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => finish(new DnsTimeoutError(`the transfer of ${origin.toText()}`, [server], 1, timeoutMs)),
          timeoutMs,
        );
      };
      idle();
      if (options.signal?.aborted) return finish(abortReason(options.signal));
      options.signal?.addEventListener('abort', () => finish(abortReason(options.signal!)), { once: true });
      stop = connection.stream(request, bytes, {
        onReply: (reply) => {
          if (reader.done) return;
          idle();
          try {
            const refused = tsigErrorOf(reply.message);
            if (refused)
              throw new DnsTsigError(`${server} refused key ${key?.name.toText() ?? '(none)'}: ${refused}`, {
                server,
                tsigError: refused,
              });
            if (verifier) {
              const verified = verifier.verify(reply.bytes, Math.floor(Date.now() / 1000));
              if (!verified.ok) throw failedTsig(verified);
            }
            options.onMessage?.(reply.message);
            if (reader.push(reply.message)) {
              const last = verifier?.finish();
              if (last && !last.ok) throw failedTsig(last);
              finish();
            }
          } catch (error) {
            finish(error as Error);
          }
        },
        onError: (error) => finish(error),
      });
    });
  } finally {
    connection.close();
  }
  return reader.result();
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the transfer was stopped');
}
