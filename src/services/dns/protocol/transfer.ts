/**
 * A full zone transfer (AXFR, RFC 5936) as the messages of one TCP response: the zone's
 * records in canonical order, the SOA first and last (§2.2), packed into messages of at most
 * TRANSFER_MESSAGE_BYTES each, names compressed. The first message carries the question
 * (§2.2.1) and the OPT record when the query had one (§2.2.5); every message has the query's ID,
 * AA set, NOERROR.
 *
 * How the records fall into messages depends on the zone only, so it is worked out once per
 * zone (a WeakMap: a zone reloaded is a new Zone) and each transfer only encodes.
 */
import { RCODE } from '../../../dns/constants.js';
import { emptyFlags, encodeMessage, HEADER_BYTES, type Message } from '../../../dns/message.js';
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

const chunksByZone = new WeakMap<Zone, ResourceRecord[][]>();

/** The zone's transfer records (SOA ... SOA) split into the records of each message. */
export function transferChunks(zone: Zone): ResourceRecord[][] {
  let chunks = chunksByZone.get(zone);
  if (chunks) return chunks;
  const records = zone.records();
  records.push(zone.soa);
  chunks = packRecords(records);
  chunksByZone.set(zone, chunks);
  return chunks;
}

/** Records split into the records of each message of at most TRANSFER_MESSAGE_BYTES. */
export function packRecords(records: readonly ResourceRecord[]): ResourceRecord[][] {
  const chunks: ResourceRecord[][] = [];
  let chunk: ResourceRecord[] = [];
  let size = RESERVED_BYTES;
  for (const record of records) {
    // Uncompressed size: an upper bound of what the record takes once names are compressed.
    const bytes = record.name.wireLength + 10 + rdataBytes(record.type, record.data).length;
    if (chunk.length > 0 && size + bytes > TRANSFER_MESSAGE_BYTES) {
      chunks.push(chunk);
      chunk = [];
      size = RESERVED_BYTES;
    }
    chunk.push(record);
    size += bytes;
  }
  chunks.push(chunk);
  return chunks;
}

/**
 * The messages answering `query` with a transfer of `zone`. `response` is the answer engine's
 * response to the query (its ID, question, RD and EDNS with any NSID are kept).
 */
export function transferMessages(zone: Zone, response: Message): Uint8Array[] {
  return chunkMessages(transferChunks(zone), response);
}

/** One message per chunk of answer records, shaped as `response` (see transferMessages). */
export function chunkMessages(chunks: readonly ResourceRecord[][], response: Message): Uint8Array[] {
  const messages: Uint8Array[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const first = i === 0;
    const message: Message = {
      id: response.id,
      opcode: response.opcode,
      rcode: RCODE.NOERROR,
      flags: { ...emptyFlags(), qr: true, aa: true, rd: response.flags.rd, cd: response.flags.cd },
      question: first ? response.question : [],
      answer: chunks[i]!,
      authority: [],
      additional: [],
    };
    if (first && response.edns) message.edns = response.edns;
    messages.push(encodeMessage(message));
  }
  return messages;
}
