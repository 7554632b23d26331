/**
 * The secondary's side of a zone transfer: a state machine fed the decoded response messages
 * of one AXFR (RFC 5936) or IXFR (RFC 1995), in order, that says when the transfer is complete
 * and what it brought. No transport: the driver reads messages and pushes them here.
 *
 * The forms a response takes (records may be split across messages at any point):
 * - AXFR: SOA(S), the zone's records, SOA(S). A zone of its SOA alone is "SOA SOA".
 * - IXFR, incremental (RFC 1995 §4): SOA(S), then per change SOA(old), deletions, SOA(new),
 *   additions, and SOA(S) where the next SOA(old) would be. The second record is an SOA with
 *   the client's serial; only SOAs delimit, each part may be empty.
 * - IXFR, AXFR-style (§4: the server has no journal back to the client's serial): SOA(S), then
 *   a record that is not an SOA, the zone, SOA(S).
 * - IXFR, the client is current: a first message of one record, an SOA whose serial is not
 *   newer than the client's (what NSD, Knot and BIND send). A first message of one newer SOA
 *   is the start of a longer response; if nothing follows (`end()`: over UDP, the server asks
 *   for TCP, §2), that is the error 'ixfr-single-soa'.
 */
import { RCODE, RRTYPE, rcodeToText, typeToText } from '../constants.js';
import type { Message } from '../message.js';
import type { Name } from '../name.js';
import type { SoaRdata } from '../rdata/types.js';
import type { ResourceRecord } from '../record.js';
import type { ZoneDelta } from './diff.js';
import { DnsTransferError } from './errors.js';
import { serialIsNewer } from './serial.js';

export type TransferResult =
  | { kind: 'axfr'; soa: ResourceRecord<SoaRdata>; records: ResourceRecord[] } // records include the SOA once, first
  | { kind: 'ixfr'; soa: ResourceRecord<SoaRdata>; deltas: ZoneDelta[] }
  | { kind: 'current'; soa: ResourceRecord<SoaRdata> }; // the primary's serial is not newer than ours

export interface TransferReaderOptions {
  type: 'AXFR' | 'IXFR';
  /** The serial sent in the IXFR query (required for IXFR). */
  clientSerial?: number;
  /** The most records accepted (default DEFAULT_MAX_TRANSFER_RECORDS): memory is bounded. */
  maxRecords?: number;
}

export const DEFAULT_MAX_TRANSFER_RECORDS = 10_000_000;

type Phase =
  /** Nothing received yet. */
  | 'start'
  /** IXFR: the opening SOA alone so far; the next record tells the form. */
  | 'opened'
  /** AXFR, or IXFR in AXFR style: the zone's records until the closing SOA. */
  | 'zone'
  /** Incremental IXFR: a change's deletions, until its new SOA. */
  | 'deleting'
  /** Incremental IXFR: a change's additions, until the next change's old SOA or the closing SOA. */
  | 'adding'
  | 'done';

export class TransferReader {
  private readonly type: 'AXFR' | 'IXFR';
  private readonly clientSerial: number | undefined;
  private readonly maxRecords: number;
  private phase: Phase = 'start';
  private messages = 0;
  private received = 0;
  private opening: ResourceRecord<SoaRdata> | undefined;
  private outcome: TransferResult | undefined;
  /** AXFR: the zone's records, the SOA first. */
  private zoneRecords: ResourceRecord[] = [];
  /** Incremental IXFR: the changes complete so far, and the one being read. */
  private deltas: ZoneDelta[] = [];
  private delta: ZoneDelta | undefined;

  /**
   * `clientSerial`: the serial sent in an IXFR query (omit for AXFR). `maxRecords` bounds memory
   * (default 10,000,000; over it: DnsTransferError).
   */
  constructor(
    readonly origin: Name,
    options: TransferReaderOptions,
  ) {
    this.type = options.type;
    this.clientSerial = options.clientSerial;
    this.maxRecords = options.maxRecords ?? DEFAULT_MAX_TRANSFER_RECORDS;
    if (this.type === 'IXFR' && this.clientSerial === undefined)
      throw new DnsTransferError('an IXFR reader needs the serial the query sent (clientSerial)');
  }

  /**
   * One response message. Returns true when the transfer is complete (no more messages
   * expected). Throws DnsTransferError for: an RCODE other than NOERROR (details.rcode), a first
   * record that is not the zone's SOA, records outside the zone, an SOA of another name, an
   * IXFR sequence that is broken (serials do not chain), a message after completion, an empty
   * first message, more records than maxRecords.
   */
  push(message: Message): boolean {
    if (this.phase === 'done')
      throw this.error('a message came after the transfer was complete', 'after-end');
    if (message.rcode !== RCODE.NOERROR)
      throw this.error(`the server answered ${rcodeToText(message.rcode)}`, 'rcode', {
        rcode: message.rcode,
        rcodeText: rcodeToText(message.rcode),
      });
    this.messages++;
    if (this.messages === 1 && message.answer.length === 0)
      throw this.error('the first message of the response has no records', 'empty');
    for (const record of message.answer) {
      if (this.done) throw this.error('records came after the closing SOA of the transfer', 'after-end');
      this.received++;
      if (this.received > this.maxRecords)
        throw this.error(`the transfer is over the limit of ${this.maxRecords} records`, 'too-many', {
          limit: this.maxRecords,
        });
      this.take(record);
    }
    // A first message of one SOA no newer than ours: that is the whole answer (RFC 1995 §4).
    if (
      this.phase === 'opened' &&
      this.messages === 1 &&
      !serialIsNewer(this.opening!.data.serial, this.clientSerial!)
    )
      this.finish({ kind: 'current', soa: this.opening! });
    return this.done;
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  /** Records received so far (for progress). */
  get count(): number {
    return this.received;
  }

  /** After done. */
  result(): TransferResult {
    if (this.outcome === undefined)
      throw new DnsTransferError(`the transfer of ${this.origin.toText()} is not complete`, {
        details: { reason: 'not-done' },
      });
    return this.outcome;
  }

  /**
   * The response ended (its one UDP message was pushed, or the TCP connection closed): throws
   * DnsTransferError unless the transfer is complete, with details.reason 'ixfr-single-soa'
   * when only a newer SOA came (the server asks for a transfer over TCP, RFC 1995 §2) and
   * 'cut-short' otherwise.
   */
  end(): void {
    if (this.phase === 'done') return;
    if (this.phase === 'opened')
      throw this.error(
        `the IXFR response is the single SOA of serial ${this.opening!.data.serial}, newer than ${this.clientSerial}: retry over TCP or with AXFR`,
        'ixfr-single-soa',
        { serial: this.opening!.data.serial },
      );
    throw this.error('the response ended before the closing SOA', 'cut-short');
  }

  private take(record: ResourceRecord): void {
    const isSoa = record.type === RRTYPE.SOA;
    if (isSoa && !record.name.equals(this.origin))
      throw this.error(`an SOA record of ${record.name.toText()}, not of the zone`, 'soa-name', {
        owner: record.name.toText(),
      });
    if (this.phase === 'start') {
      if (!isSoa)
        throw this.error(
          `the transfer starts with ${record.name.toText()} ${typeToText(record.type)}, not the zone's SOA`,
          'first-not-soa',
        );
      this.opening = record as ResourceRecord<SoaRdata>;
      if (this.type === 'AXFR') this.openZone();
      else this.phase = 'opened';
      return;
    }
    if (!record.name.isSubdomainOf(this.origin))
      throw this.error(`${record.name.toText()} ${typeToText(record.type)} is outside the zone`, 'outside', {
        owner: record.name.toText(),
      });
    if (record.class !== this.opening!.class)
      throw this.error(
        `${record.name.toText()} ${typeToText(record.type)} is of class ${record.class}, the zone's SOA of class ${this.opening!.class}`,
        'class',
      );
    const serial = isSoa ? (record.data as SoaRdata).serial : 0;
    const finalSerial = this.opening!.data.serial;
    switch (this.phase) {
      case 'opened':
        if (!isSoa) {
          this.openZone();
          this.zoneRecords.push(record);
        } else if (serial === this.clientSerial) {
          // Incremental; an SOA of the final serial here ends it with no changes at all.
          if (serial === finalSerial) this.finishIncremental();
          else this.startDelta(record as ResourceRecord<SoaRdata>);
        } else if (serial === finalSerial) {
          // AXFR style, of a zone that is its SOA alone.
          this.finish({ kind: 'axfr', soa: this.opening!, records: [this.opening!] });
        } else
          throw this.broken(
            `the second SOA has serial ${serial}, neither the client's ${this.clientSerial} nor the final ${finalSerial}`,
          );
        return;
      case 'zone':
        if (!isSoa) this.zoneRecords.push(record);
        else if (serial === finalSerial)
          this.finish({ kind: 'axfr', soa: this.opening!, records: this.zoneRecords });
        else throw this.broken(`an SOA of serial ${serial} inside a transfer of serial ${finalSerial}`);
        return;
      case 'deleting':
        if (!isSoa) this.delta!.deleted.push(record);
        else {
          this.delta!.toSoa = record as ResourceRecord<SoaRdata>;
          this.phase = 'adding';
        }
        return;
      case 'adding': {
        if (!isSoa) {
          this.delta!.added.push(record);
          return;
        }
        const reached = this.delta!.toSoa.data.serial;
        if (serial !== reached)
          throw this.broken(`a change starts at serial ${serial}, the one before ends at ${reached}`);
        this.deltas.push(this.delta!);
        this.delta = undefined;
        if (serial === finalSerial) this.finishIncremental();
        else this.startDelta(record as ResourceRecord<SoaRdata>);
        return;
      }
    }
  }

  private openZone(): void {
    this.phase = 'zone';
    this.zoneRecords = [this.opening!];
  }

  private startDelta(fromSoa: ResourceRecord<SoaRdata>): void {
    // toSoa is set when the change's second SOA comes.
    this.delta = { fromSoa, toSoa: fromSoa, deleted: [], added: [] };
    this.phase = 'deleting';
  }

  private finishIncremental(): void {
    const soa = this.opening!;
    this.finish(
      this.deltas.length === 0 ? { kind: 'current', soa } : { kind: 'ixfr', soa, deltas: this.deltas },
    );
  }

  private finish(outcome: TransferResult): void {
    this.outcome = outcome;
    this.phase = 'done';
  }

  private broken(what: string): DnsTransferError {
    return this.error(`the IXFR response is broken: ${what}`, 'broken-sequence');
  }

  private error(what: string, reason: string, details: Record<string, unknown> = {}): DnsTransferError {
    return new DnsTransferError(`transfer of ${this.origin.toText()}: ${what}`, {
      details: { reason, zone: this.origin.toText(), ...details },
    });
  }
}
