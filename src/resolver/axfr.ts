/**
 * Zone transfer as a client (AXFR, RFC 5936): over TCP, the zone's records streamed as the
 * messages arrive, from the opening SOA to the closing one (not yielded twice). It is
 * zoneTransfer (transfer.ts) with the records handed out as they come; optionally signed with
 * a TSIG key. A transfer refused (DnsServerError with the RCODE), broken off or malformed
 * (DnsBadReplyError), or silent for `timeoutMs` (DnsTimeoutError) ends in a typed error; a
 * caller that stops early closes the connection.
 */
import { formatHostPort } from '../core/endpoint.js';
import { RCODE, RRTYPE, rcodeToText } from '../dns/constants.js';
import { Name } from '../dns/name.js';
import type { ResourceRecord } from '../dns/record.js';
import { DnsTransferError } from '../dns/transfer/errors.js';
import type { TsigKey } from '../dns/tsig.js';
import { DnsBadReplyError, DnsServerError } from './errors.js';
import { zoneTransfer } from './transfer.js';

export interface AxfrOptions {
  server: string;
  port?: number;
  /** Longest wait for the connection and between two messages (default 10 s). */
  timeoutMs?: number;
  /** Sign the request, and check every message's signature (RFC 8945 §5.3.1). */
  tsig?: TsigKey;
}

export async function* axfr(zone: string | Name, options: AxfrOptions): AsyncGenerator<ResourceRecord> {
  const origin = typeof zone === 'string' ? Name.fromText(zone.endsWith('.') ? zone : `${zone}.`) : zone;
  const port = options.port ?? 53;
  const queue: ResourceRecord[] = [];
  let finished = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const stopper = new AbortController();
  void zoneTransfer(origin, {
    server: options.server,
    port,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.tsig ? { tsig: options.tsig } : {}),
    signal: stopper.signal,
    onMessage: (message) => {
      if (message.rcode !== RCODE.NOERROR)
        throw new DnsServerError(
          origin.toText(),
          formatHostPort(options.server, port),
          message.rcode,
          rcodeToText(message.rcode),
        );
      for (const record of message.answer) queue.push(record);
      wake?.();
    },
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: Error) => {
      failure =
        error instanceof DnsTransferError
          ? new DnsBadReplyError(`the transfer of ${origin.toText()}: ${error.message}`, { cause: error })
          : error;
      wake?.();
    },
  );
  try {
    let first = true;
    for (;;) {
      const record = queue.shift();
      if (record) {
        // The closing SOA (RFC 5936 §2.2) ends the transfer: it is not yielded twice.
        const closing = !first && record.type === RRTYPE.SOA && record.name.equals(origin);
        first = false;
        if (!closing) yield record;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    if (!finished && !failure) stopper.abort();
  }
}
