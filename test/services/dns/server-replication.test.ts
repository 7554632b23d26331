/**
 * The DNS server core's replication paths without sockets: TSIG on requests (NOTAUTH with the
 * TSIG error, signed answers, signed transfers), transfer keys, IXFR from the journal (and the
 * fallbacks), NOTIFY handed to the handler, and SERVFAIL for zones held unavailable.
 */
import { describe, expect, it } from 'vitest';
import { OPCODE, RCODE, RRTYPE } from '../../../src/dns/constants.js';
import { decodeMessage, encodeMessage, type Message, makeQuery } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import type { SoaRdata } from '../../../src/dns/rdata/types.js';
import { type ResourceRecord, recordFromText } from '../../../src/dns/record.js';
import { diffZones } from '../../../src/dns/transfer/diff.js';
import { makeIxfrQuery } from '../../../src/dns/transfer/ixfr.js';
import { ZoneJournal } from '../../../src/dns/transfer/journal.js';
import { TransferReader } from '../../../src/dns/transfer/reader.js';
import {
  keyring,
  makeTsigKey,
  signMessage,
  TSIG_ERROR,
  type TsigRdata,
  TsigStreamVerifier,
  verifyMessage,
} from '../../../src/dns/tsig.js';
import { Zone, ZoneSet } from '../../../src/dns/zone/zone.js';
import { AddressList } from '../../../src/services/dns/protocol/acl.js';
import { notifyMessage } from '../../../src/services/dns/protocol/notify.js';
import {
  DnsServerCore,
  type DnsServerOptions,
  type NotifyNotice,
} from '../../../src/services/dns/protocol/server.js';

const ORIGIN = Name.fromText('repl.test.');
const KEY = makeTsigKey(
  'transfer.key.',
  'hmac-sha256',
  Buffer.from('0123456789abcdef0123456789abcdef').toString('base64'),
);
const OTHER = makeTsigKey(
  'transfer.key.',
  'hmac-sha256',
  Buffer.from('fedcba9876543210fedcba9876543210').toString('base64'),
);
const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;

function version(serial: number, hosts: number): Zone {
  const records = [
    recordFromText(`repl.test. 3600 IN SOA ns.repl.test. root.repl.test. ${serial} 7200 3600 1209600 300`),
    recordFromText('repl.test. 3600 IN NS ns.repl.test.'),
    recordFromText('ns.repl.test. 3600 IN A 192.0.2.1'),
  ];
  for (let i = 0; i < hosts; i++)
    records.push(recordFromText(`h${i}.repl.test. 300 IN A 10.0.${i >> 8}.${i & 255}`));
  return Zone.fromRecords(ORIGIN, records);
}

function coreWith(zone: Zone, options: Partial<DnsServerOptions> = {}, journal?: ZoneJournal) {
  return new DnsServerCore(() => new ZoneSet([zone]), {
    axfrAllow: AddressList.parse('127.0.0.0/8'),
    journal: () => journal,
    ...options,
  });
}

function soaOf(zone: Zone): ResourceRecord<SoaRdata> {
  return zone.soa as ResourceRecord<SoaRdata>;
}

describe('TSIG on requests', () => {
  const zone = version(1, 3);

  it('answers a signed query signed, over the request MAC', () => {
    const core = coreWith(zone, { keys: keyring([KEY]) });
    const request = signMessage(encodeMessage(makeQuery('h1.repl.test.', 'A', { id: 7 })), KEY, { now: NOW });
    const requestMac = (decodeMessage(request).additional.at(-1)!.data as TsigRdata).mac;
    const reply = core.answerDatagram(request, '127.0.0.1', NOW_MS)!;
    expect(decodeMessage(reply).answer).toHaveLength(1);
    expect(verifyMessage(reply, keyring([KEY]), { now: NOW, requestMac }).ok).toBe(true);
  });

  it('an unknown key: NOTAUTH with BADKEY, unsigned; a wrong secret: BADSIG; a stale time: BADTIME', () => {
    const core = coreWith(zone, { keys: keyring([KEY]) });
    const stranger = makeTsigKey('stranger.', 'hmac-sha256', 'c2VjcmV0c2VjcmV0c2VjcmV0');
    const cases = [
      [
        signMessage(encodeMessage(makeQuery('repl.test.', 'SOA', { id: 1 })), stranger, { now: NOW }),
        TSIG_ERROR.BADKEY,
      ],
      [
        signMessage(encodeMessage(makeQuery('repl.test.', 'SOA', { id: 2 })), OTHER, { now: NOW }),
        TSIG_ERROR.BADSIG,
      ],
      [
        signMessage(encodeMessage(makeQuery('repl.test.', 'SOA', { id: 3 })), KEY, { now: NOW - 3600 }),
        TSIG_ERROR.BADTIME,
      ],
    ] as const;
    for (const [request, error] of cases) {
      const reply = decodeMessage(core.answerStream(request, '127.0.0.1', NOW_MS)[0]!);
      expect(reply.rcode).toBe(RCODE.NOTAUTH);
      expect(reply.answer).toHaveLength(0);
      expect((reply.additional.at(-1)!.data as TsigRdata).error).toBe(error);
    }
    expect(core.counters.tsigFailures).toBe(3);
  });
});

describe('transfers with a key required', () => {
  const zone = version(1, 2000);
  const options = { keys: keyring([KEY]), transferKeyRequired: true };

  it('an unsigned AXFR is NOTAUTH; a signed one streams, every message signed in a chain', () => {
    const core = coreWith(zone, options);
    const unsigned = core.answerStream(
      encodeMessage(makeQuery('repl.test.', 'AXFR', { id: 9 })),
      '127.0.0.1',
      NOW_MS,
    );
    expect(decodeMessage(unsigned[0]!).rcode).toBe(RCODE.NOTAUTH);
    const request = signMessage(encodeMessage(makeQuery('repl.test.', 'AXFR', { id: 9 })), KEY, { now: NOW });
    const requestMac = (decodeMessage(request).additional.at(-1)!.data as TsigRdata).mac;
    const messages = core.answerStream(request, '127.0.0.1', NOW_MS);
    expect(messages.length).toBeGreaterThan(2);
    const verifier = new TsigStreamVerifier(KEY, { requestMac });
    const reader = new TransferReader(ORIGIN, { type: 'AXFR' });
    for (const message of messages) {
      expect(verifier.verify(message, NOW).ok).toBe(true);
      reader.push(decodeMessage(message));
    }
    expect(verifier.finish().ok).toBe(true);
    const result = reader.result();
    expect(result.kind).toBe('axfr');
    if (result.kind === 'axfr') expect(result.records).toHaveLength(zone.size);
  });

  it('an AXFR signed with the wrong secret: NOTAUTH with BADSIG, nothing transferred', () => {
    const core = coreWith(zone, options);
    const request = signMessage(encodeMessage(makeQuery('repl.test.', 'AXFR', { id: 9 })), OTHER, {
      now: NOW,
    });
    const replies = core.answerStream(request, '127.0.0.1', NOW_MS);
    expect(replies).toHaveLength(1);
    const reply = decodeMessage(replies[0]!);
    expect(reply.rcode).toBe(RCODE.NOTAUTH);
    expect((reply.additional.at(-1)!.data as TsigRdata).error).toBe(TSIG_ERROR.BADSIG);
    expect(core.counters.transfers).toBe(0);
  });

  it('the right key from an address outside the ACL is still REFUSED', () => {
    const core = coreWith(zone, options);
    const request = signMessage(encodeMessage(makeQuery('repl.test.', 'AXFR', { id: 9 })), KEY, { now: NOW });
    const reply = decodeMessage(core.answerStream(request, '192.0.2.9', NOW_MS)[0]!);
    expect(reply.rcode).toBe(RCODE.REFUSED);
  });
});

describe('transfer ACLs by address and key (--axfr-allow CIDR@KEY)', () => {
  const zone = version(1, 3);
  const axfr = (key: typeof KEY | undefined) => {
    const bytes = encodeMessage(makeQuery('repl.test.', 'AXFR', { id: 9 }));
    return key ? signMessage(bytes, key, { now: NOW }) : bytes;
  };
  const SECOND = makeTsigKey(
    'second.key.',
    'hmac-sha256',
    Buffer.from('another secret here!!').toString('base64'),
  );

  it('an item with a key takes that key only; an item without one takes any key, or none without keys', () => {
    const core = coreWith(zone, {
      axfrAllow: AddressList.parse('127.0.0.1@second.key,192.0.2.0/24'),
      keys: keyring([KEY, SECOND]),
      transferKeyRequired: true,
    });
    const rcode = (request: Uint8Array, address: string) =>
      decodeMessage(core.answerStream(request, address, NOW_MS)[0]!).rcode;
    expect(rcode(axfr(SECOND), '127.0.0.1')).toBe(RCODE.NOERROR);
    expect(rcode(axfr(KEY), '127.0.0.1')).toBe(RCODE.NOTAUTH);
    expect(rcode(axfr(undefined), '127.0.0.1')).toBe(RCODE.NOTAUTH);
    expect(rcode(axfr(KEY), '192.0.2.7')).toBe(RCODE.NOERROR);
    expect(rcode(axfr(SECOND), '192.0.2.7')).toBe(RCODE.NOERROR);
    expect(rcode(axfr(undefined), '192.0.2.7')).toBe(RCODE.NOTAUTH);
    expect(rcode(axfr(SECOND), '198.51.100.1')).toBe(RCODE.REFUSED);
    const open = coreWith(zone, { axfrAllow: AddressList.parse('192.0.2.0/24') });
    expect(decodeMessage(open.answerStream(axfr(undefined), '192.0.2.7', NOW_MS)[0]!).rcode).toBe(
      RCODE.NOERROR,
    );
  });

  it('parses CIDR@KEY, and refuses a key that is not a name', () => {
    const list = AddressList.parse('10.0.0.0/8@k1,::1@k2.example.,192.0.2.1');
    expect(list.keyNames().map((name) => name.toText())).toEqual(['k1.', 'k2.example.']);
    expect(list.allows('10.1.2.3')).toBe(true);
    expect(() => AddressList.parse('10.0.0.0/8@a..b')).toThrow(/not a key name/);
  });
});

describe('IXFR from the journal', () => {
  const v1 = version(1, 10);
  const v2 = version(2, 12);
  const v3 = version(3, 9);
  const journal = new ZoneJournal(ORIGIN);
  journal.append(diffZones(v1, v2));
  journal.append(diffZones(v2, v3));
  const ixfr = (serialZone: Zone, id = 5) => encodeMessage(makeIxfrQuery(ORIGIN, soaOf(serialZone), id));

  function read(messages: Uint8Array[], clientSerial: number) {
    const reader = new TransferReader(ORIGIN, { type: 'IXFR', clientSerial });
    for (const message of messages) reader.push(decodeMessage(message));
    expect(reader.done).toBe(true);
    return reader.result();
  }

  it('serves the deltas from the client serial on', () => {
    const core = coreWith(v3, {}, journal);
    const result = read(core.answerStream(ixfr(v1), '127.0.0.1', NOW_MS), 1);
    expect(result.kind).toBe('ixfr');
    if (result.kind === 'ixfr')
      expect(result.deltas.map((d) => [d.fromSoa.data.serial, d.toSoa.data.serial])).toEqual([
        [1, 2],
        [2, 3],
      ]);
    expect(core.counters.incrementalTransfers).toBe(1);
  });

  it('a current client gets the SOA alone; one older than the journal gets the whole zone', () => {
    const core = coreWith(v3, {}, journal);
    expect(read(core.answerStream(ixfr(v3), '127.0.0.1', NOW_MS), 3).kind).toBe('current');
    const older = version(0, 1);
    const full = read(core.answerStream(ixfr(older), '127.0.0.1', NOW_MS), 0);
    expect(full.kind).toBe('axfr');
  });

  it('over UDP: the current SOA alone (RFC 1995 §2), and AXFR over UDP stays REFUSED', () => {
    const core = coreWith(v3, {}, journal);
    const reply = decodeMessage(core.answerDatagram(ixfr(v1), '127.0.0.1', NOW_MS)!);
    expect(reply.rcode).toBe(RCODE.NOERROR);
    expect(reply.answer.map((r) => r.type)).toEqual([RRTYPE.SOA]);
    const axfr = decodeMessage(
      core.answerDatagram(encodeMessage(makeQuery('repl.test.', 'AXFR', { id: 1 })), '127.0.0.1', NOW_MS)!,
    );
    expect(axfr.rcode).toBe(RCODE.REFUSED);
  });
});

describe('NOTIFY', () => {
  const zone = version(4, 1);

  it('hands the notice to the handler and answers with its RCODE, the question echoed, AA set', () => {
    const seen: NotifyNotice[] = [];
    const core = coreWith(zone, {
      notify: (notice) => {
        seen.push(notice);
        return RCODE.NOERROR;
      },
    });
    const reply = decodeMessage(
      core.answerDatagram(encodeMessage(notifyMessage(soaOf(zone), 77)), '127.0.0.1', NOW_MS)!,
    );
    expect(reply.opcode).toBe(OPCODE.NOTIFY);
    expect(reply.flags.qr && reply.flags.aa).toBe(true);
    expect(reply.id).toBe(77);
    expect(reply.rcode).toBe(RCODE.NOERROR);
    expect(reply.question[0]!.name.toText()).toBe('repl.test.');
    expect(seen.map((n) => ({ ...n, zone: n.zone.toText() }))).toEqual([
      { zone: 'repl.test.', address: '127.0.0.1', key: undefined, serial: 4 },
    ]);
  });

  it('without a handler: NOTAUTH; a signed NOTIFY is answered signed and names its key', () => {
    expect(
      decodeMessage(
        coreWith(zone).answerDatagram(encodeMessage(notifyMessage(soaOf(zone), 1)), '127.0.0.1', NOW_MS)!,
      ).rcode,
    ).toBe(RCODE.NOTAUTH);
    const seen: NotifyNotice[] = [];
    const core = coreWith(zone, {
      keys: keyring([KEY]),
      notify: (notice) => {
        seen.push(notice);
        return RCODE.NOERROR;
      },
    });
    const request = signMessage(encodeMessage(notifyMessage(soaOf(zone), 2)), KEY, { now: NOW });
    const requestMac = (decodeMessage(request).additional.at(-1)!.data as TsigRdata).mac;
    const reply = core.answerDatagram(request, '127.0.0.1', NOW_MS)!;
    expect(verifyMessage(reply, keyring([KEY]), { now: NOW, requestMac }).ok).toBe(true);
    expect(seen[0]!.key?.name.toText()).toBe('transfer.key.');
  });

  it('a NOTIFY without an SOA question is FORMERR', () => {
    const message: Message = {
      ...notifyMessage(soaOf(zone), 3),
      question: [{ name: ORIGIN, type: RRTYPE.A, class: 1 }],
    };
    const reply = decodeMessage(
      coreWith(zone, { notify: () => RCODE.NOERROR }).answerDatagram(
        encodeMessage(message),
        '127.0.0.1',
        NOW_MS,
      )!,
    );
    expect(reply.rcode).toBe(RCODE.FORMERR);
  });
});

describe('zones held unavailable', () => {
  it('answers SERVFAIL inside them, not from a parent zone served', () => {
    const parent = Zone.fromRecords(Name.fromText('test.'), [
      recordFromText('test. 3600 IN SOA ns.test. root.test. 1 7200 3600 1209600 300'),
      recordFromText('test. 3600 IN NS ns.test.'),
      recordFromText('ns.test. 3600 IN A 192.0.2.1'),
    ]);
    const zones = new ZoneSet([parent]);
    zones.markUnavailable(ORIGIN);
    const core = new DnsServerCore(() => zones, { axfrAllow: AddressList.parse('127.0.0.1') });
    const reply = decodeMessage(
      core.answerDatagram(encodeMessage(makeQuery('www.repl.test.', 'A', { id: 1, edns: true })))!,
    );
    expect(reply.rcode).toBe(RCODE.SERVFAIL);
    expect(
      decodeMessage(core.answerDatagram(encodeMessage(makeQuery('ns.test.', 'A', { id: 2 })))!).rcode,
    ).toBe(RCODE.NOERROR);
    const served = zones.clone();
    served.add(version(1, 1));
    expect(served.inUnavailableZone(Name.fromText('www.repl.test.'))).toBe(false);
    expect(zones.inUnavailableZone(Name.fromText('www.repl.test.'))).toBe(true);
  });
});
