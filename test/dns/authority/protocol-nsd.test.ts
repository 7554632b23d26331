/**
 * The protocol edges of answerQuery against NSD: EDNS versions, opcodes, malformed queries,
 * classes, options, transfers over UDP. Raw datagrams (some of these are no valid query), and
 * the RCODE, whether a reply comes at all, and whether it carries the question and EDNS, compared.
 * Where netkit answers otherwise on purpose, the row says what it does and why.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formerrFromBytes } from '../../../src/dns/authority/answer.js';
import { OPCODE, RRCLASS, rcodeToText } from '../../../src/dns/constants.js';
import { EDNS_OPTION } from '../../../src/dns/edns.js';
import { decodeMessage, encodeMessage, type Message, makeQuery } from '../../../src/dns/message.js';
import { type DnsServer, startNsd } from '../../helpers/dns-peers.js';
import { describeWithPeers, NSD } from '../../helpers/peers.js';
import { answerWire, readZoneText, TEST_ZONES, testZoneSet } from './helpers.js';

interface Outcome {
  /** The RCODE's mnemonic, or 'no reply'. */
  rcode: string;
  questions?: number;
  edns?: boolean;
}

interface Row {
  label: string;
  bytes: () => Uint8Array;
  /** What netkit answers, when it differs from NSD on purpose, and why. */
  differs?: { ours: Outcome; why: string };
}

function query(edit: (message: Message) => void = () => {}, edns = true): Uint8Array {
  const message = makeQuery('auth.test.', 'A', { id: 0x1234, rd: false, edns });
  edit(message);
  return encodeMessage(message);
}

const rows: Row[] = [
  { label: 'a plain query', bytes: () => query() },
  { label: 'EDNS version 1: BADVERS', bytes: () => query((m) => (m.edns!.version = 1)) },
  {
    label: 'an unknown EDNS option is ignored',
    bytes: () => query((m) => m.edns!.options.push({ code: 65001, data: Uint8Array.of(1, 2, 3) })),
  },
  {
    label: 'NSID asked for, none configured',
    bytes: () => query((m) => m.edns!.options.push({ code: EDNS_OPTION.NSID, data: new Uint8Array(0) })),
  },
  { label: 'TC set in the query', bytes: () => query((m) => (m.flags.tc = true)) },
  { label: 'RD set', bytes: () => query((m) => (m.flags.rd = true)) },
  { label: 'class CH', bytes: () => query((m) => (m.question[0]!.class = RRCLASS.CH)) },
  {
    label: 'class HS',
    bytes: () => query((m) => (m.question[0]!.class = RRCLASS.HS)),
    differs: {
      ours: { rcode: 'REFUSED', questions: 1, edns: true },
      why: 'NSD drops the question and keeps EDNS; netkit keeps the question, as for CH',
    },
  },
  {
    label: 'opcode STATUS',
    bytes: () => query((m) => (m.opcode = OPCODE.STATUS)),
    differs: {
      ours: { rcode: 'NOTIMP', questions: 1, edns: true },
      why: 'NSD answers NOTIMP without the question or EDNS; netkit keeps both, as Knot (RFC 6891 §7: EDNS in replies to EDNS queries)',
    },
  },
  {
    label: 'opcode IQUERY',
    bytes: () => query((m) => (m.opcode = OPCODE.IQUERY)),
    differs: {
      ours: { rcode: 'NOTIMP', questions: 1, edns: true },
      why: 'as STATUS',
    },
  },
  {
    label: 'opcode UPDATE',
    bytes: () => query((m) => (m.opcode = OPCODE.UPDATE)),
    differs: {
      ours: { rcode: 'NOTIMP', questions: 1, edns: true },
      why: 'as STATUS (Knot: NOTAUTH); UPDATE is a later issue',
    },
  },
  {
    label: 'opcode NOTIFY',
    bytes: () => query((m) => (m.opcode = OPCODE.NOTIFY)),
    differs: {
      ours: { rcode: 'NOTIMP', questions: 1, edns: true },
      why: 'NSD: REFUSED (no allow-notify); Knot: NOTAUTH; netkit: NOTIMP until NOTIFY is served (a later issue)',
    },
  },
  {
    label: 'no question (QDCOUNT 0)',
    bytes: () => query((m) => (m.question = [])),
    differs: {
      ours: { rcode: 'FORMERR', questions: 0, edns: false },
      why: 'NSD: NOERROR (its reading of RFC 7873 §5.4, a cookie-only query); netkit, as Knot: FORMERR (no cookies served)',
    },
  },
  {
    label: 'two questions',
    bytes: () => query((m) => m.question.push({ ...m.question[0]! })),
  },
  {
    label: 'QR set: a response, never answered',
    bytes: () => query((m) => (m.flags.qr = true)),
  },
  {
    label: 'AXFR over UDP',
    bytes: () => query((m) => (m.question[0]!.type = 252)),
    differs: {
      ours: { rcode: 'REFUSED', questions: 1, edns: true },
      why: 'the caller runs transfers (action "transfer"); NSD without provide-xfr answers otherwise over UDP',
    },
  },
  { label: 'MAILB question', bytes: () => query((m) => (m.question[0]!.type = 253)) },
  { label: 'OPT as the question type', bytes: () => query((m) => (m.question[0]!.type = 41)) },
  {
    label: 'a header and garbage: FORMERR from the header',
    bytes: () => Uint8Array.of(0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0xff),
  },
];

function send(port: number, bytes: Uint8Array): Promise<Message | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, 700);
    socket.on('message', (data) => {
      clearTimeout(timer);
      socket.close();
      resolve(decodeMessage(new Uint8Array(data)));
    });
    socket.send(bytes, port, '127.0.0.1');
  });
}

function outcome(reply: Message | undefined): Outcome {
  if (!reply) return { rcode: 'no reply' };
  return { rcode: rcodeToText(reply.rcode), questions: reply.question.length, edns: Boolean(reply.edns) };
}

/** What netkit sends for these bytes: answerQuery, or formerrFromBytes when they do not decode. */
function ours(bytes: Uint8Array): Message | undefined {
  let message: Message;
  try {
    message = decodeMessage(bytes);
  } catch {
    const formerr = formerrFromBytes(bytes);
    return formerr ? decodeMessage(formerr) : undefined;
  }
  const { result, reply } = answerWire(testZoneSet(), message, { transport: 'udp', minimalResponses: true });
  return result.action === 'drop' ? undefined : reply;
}

describeWithPeers('answerQuery protocol edges against NSD', [NSD], () => {
  let nsd: DnsServer;
  beforeAll(async () => {
    nsd = await startNsd(
      TEST_ZONES.map(({ origin, file }) => ({ origin, text: readZoneText(file) })),
      { minimalResponses: true },
    );
  });
  afterAll(async () => {
    await nsd?.stop();
  });

  it.each(rows)('$label', async (row) => {
    const bytes = row.bytes();
    const theirs = outcome(await send(nsd.port, bytes));
    const mine = outcome(ours(bytes));
    if (row.differs) {
      expect(theirs, row.differs.why).not.toEqual(mine);
      expect(mine, row.differs.why).toEqual(row.differs.ours);
    } else {
      expect(mine).toEqual(theirs);
    }
  });
});
