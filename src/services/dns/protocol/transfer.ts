/**
 * A full zone transfer (AXFR, RFC 5936) as the messages of one TCP response: the zone's
 * records in the order they were loaded, the SOA first and last (§2.2), packed into messages of at most
 * TRANSFER_MESSAGE_BYTES each, names compressed. The first message carries the question
 * (§2.2.1) and the OPT record when the query had one (§2.2.5); every message has the query's ID,
 * AA set, NOERROR.
 *
 * Messages are made as the connection takes them (see DnsServerCore.stream): a zone of a
 * million records starts going out at once, and a slow reader holds back the making.
 */
import { RCODE, RRTYPE } from '../../../dns/constants.js';
import { emptyFlags, encodeMessage, HEADER_BYTES, type Message } from '../../../dns/message.js';
import type { MxRdata, NameRdata, TxtRdata } from '../../../dns/rdata/types.js';
import { type ResourceRecord, rdataBytes } from '../../../dns/record.js';
import type { Zone } from '../../../dns/zone/zone.js';

/** Target size of one transfer message (NSD and Knot pack about as much; 64 KiB is the cap). */
export const TRANSFER_MESSAGE_BYTES = 16_384;
/**
 * Room kept in every message for the header, the question (a name of 255 bytes at most and 4)
 * and the OPT record with its options (the NSID is capped below this; see MAX_NSID_BYTES).
 */
const RESERVED_BYTES = HEADER_BYTES + 259 + 11 + 4 + 512;
/** The longest NSID the server gives, in bytes (keeps the reserve above true). */
export const MAX_NSID_BYTES = 256;

/**
 * The messages answering `query` with a transfer of `zone`, made as they are taken: the first
 * is ready at once, and a transfer holds one message at a time. `response` is the answer
 * engine's response to the query (its ID, question, RD and EDNS with any NSID are kept).
 */
export function* transferMessages(zone: Zone, response: Message): Generator<Uint8Array> {
  yield* packedMessages(withClosingSoa(zone), response);
}

function* withClosingSoa(zone: Zone): Generator<ResourceRecord> {
  yield* zone.transferRecords();
  yield zone.soa;
}

/** Records packed into messages of at most TRANSFER_MESSAGE_BYTES, shaped as `response`. */
export function* packedMessages(records: Iterable<ResourceRecord>, response: Message): Generator<Uint8Array> {
  let chunk: ResourceRecord[] = [];
  let size = RESERVED_BYTES;
  let first = true;
  for (const record of records) {
    // Uncompressed size: an upper bound of what the record takes once names are compressed.
    const bytes = record.name.wireLength + 10 + rdataLength(record);
    if (chunk.length > 0 && size + bytes > TRANSFER_MESSAGE_BYTES) {
      yield transferMessage(chunk, response, first);
      first = false;
      chunk = [];
      size = RESERVED_BYTES;
    }
    chunk.push(record);
    size += bytes;
  }
  yield transferMessage(chunk, response, first);
}

/** A record's data length without encoding it, for the common types (the others are encoded). */
function rdataLength(record: ResourceRecord): number {
  const data = record.data;
  switch (record.type) {
    case RRTYPE.A:
      return 4;
    case RRTYPE.AAAA:
      return 16;
    case RRTYPE.NS:
    case RRTYPE.CNAME:
    case RRTYPE.PTR:
    case RRTYPE.DNAME:
      return (data as NameRdata).target.wireLength;
    case RRTYPE.MX:
      return 2 + (data as MxRdata).exchange.wireLength;
    case RRTYPE.TXT:
    case RRTYPE.SPF: {
      let length = 0;
      for (const string of (data as TxtRdata).strings) length += 1 + string.length;
      return length;
    }
    default:
      return rdataBytes(record.type, data).length;
  }
}

function transferMessage(answer: ResourceRecord[], response: Message, first: boolean): Uint8Array {
  const message: Message = {
    id: response.id,
    opcode: response.opcode,
    rcode: RCODE.NOERROR,
    flags: { ...emptyFlags(), qr: true, aa: true, rd: response.flags.rd, cd: response.flags.cd },
    question: first ? response.question : [],
    answer,
    authority: [],
    additional: [],
  };
  if (first && response.edns) message.edns = response.edns;
  return encodeMessage(message);
}
