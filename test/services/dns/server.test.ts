/**
 * The DNS server core without sockets: UDP and TCP replies, FORMERR and drops, truncation, the
 * transfer rules (apex only, the ACL, REFUSED over UDP), AXFR packing, and the address lists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RCODE, RRTYPE } from '../../../src/dns/constants.js';
import { decodeMessage, encodeMessage, makeQuery } from '../../../src/dns/message.js';
import { Name } from '../../../src/dns/name.js';
import { recordFromText } from '../../../src/dns/record.js';
import { parseZone } from '../../../src/dns/zone/parse.js';
import { Zone, ZoneSet } from '../../../src/dns/zone/zone.js';
import { AddressList, DnsAclError } from '../../../src/services/dns/protocol/acl.js';
import { LengthPrefixFramer } from '../../../src/services/dns/protocol/framer.js';
import { DnsServerCore } from '../../../src/services/dns/protocol/server.js';
import { TRANSFER_MESSAGE_BYTES } from '../../../src/services/dns/protocol/transfer.js';

const FIXTURE = new URL('../../fixtures/dns/example.test.zone', import.meta.url);

function fixtureZones(): ZoneSet {
  const parsed = parseZone(readFileSync(FIXTURE, 'utf8'), { file: 'example.test.zone' });
  return new ZoneSet([Zone.fromRecords(parsed.origin, parsed.records)]);
}

/** A zone of `count` A records, big enough to need several transfer messages. */
function bigZone(count: number): Zone {
  const origin = Name.fromText('big.test.');
  const records = [
    recordFromText('big.test. 3600 IN SOA ns.big.test. root.big.test. 1 7200 3600 1209600 300'),
    recordFromText('big.test. 3600 IN NS ns.big.test.'),
    recordFromText('ns.big.test. 3600 IN A 192.0.2.1'),
  ];
  for (let i = 0; i < count; i++)
    records.push(
      recordFromText(`host${i}.big.test. 3600 IN A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`),
    );
  return Zone.fromRecords(origin, records);
}

const zones = fixtureZones();
const core = (axfr = '127.0.0.0/8,::1', extra: Zone[] = []) =>
  new DnsServerCore(() => new ZoneSet([...zones, ...extra]), { axfrAllow: AddressList.parse(axfr) });

const query = (name: string, type: string, options: { edns?: boolean; id?: number } = {}) =>
  encodeMessage(makeQuery(name, type, { id: options.id ?? 4321, edns: options.edns ?? true }));

describe('DnsServerCore over UDP', () => {
  it('answers a query', () => {
    const reply = decodeMessage(core().answerDatagram(query('example.test', 'MX'))!);
    expect(reply.id).toBe(4321);
    expect(reply.flags.aa).toBe(true);
    expect(reply.answer.map((r) => r.type)).toEqual([RRTYPE.MX, RRTYPE.MX]);
  });

  it('FORMERR for a message that does not decode but has a header; nothing without one', () => {
    const server = core();
    const bad = query('example.test', 'A');
    const cut = bad.slice(0, bad.length - 3);
    const reply = server.answerDatagram(cut)!;
    expect(reply[3]! & 0x0f).toBe(RCODE.FORMERR);
    expect(reply.subarray(0, 2)).toEqual(cut.subarray(0, 2));
    expect(server.answerDatagram(new Uint8Array(5))).toBeUndefined();
    expect(server.counters).toMatchObject({ formerr: 1, dropped: 1, udpQueries: 2 });
  });

  it('drops a response (QR set)', () => {
    const message = makeQuery('example.test', 'A', { id: 1 });
    message.flags.qr = true;
    expect(core().answerDatagram(encodeMessage(message))).toBeUndefined();
  });

  it('truncates to 512 bytes without EDNS, with TC; fits with EDNS', () => {
    const zone = bigZone(0);
    const records = [...zone.records()];
    for (let i = 0; i < 60; i++) records.push(recordFromText(`many.big.test. 60 IN A 10.0.0.${i}`));
    const server = new DnsServerCore(() => new ZoneSet([Zone.fromRecords(zone.origin, records)]), {
      axfrAllow: AddressList.parse('none'),
    });
    const bytes = server.answerDatagram(query('many.big.test', 'A', { edns: false }))!;
    expect(bytes.length).toBeLessThanOrEqual(512);
    expect(decodeMessage(bytes).flags.tc).toBe(true);
    const whole = decodeMessage(server.answerDatagram(query('many.big.test', 'A'))!);
    expect(whole.flags.tc).toBe(false);
    expect(whole.answer).toHaveLength(60);
    expect(server.counters.truncated).toBe(1);
  });

  it('refuses a transfer over UDP, even from an allowed address', () => {
    const server = core();
    const reply = decodeMessage(server.answerDatagram(query('example.test', 'AXFR'))!);
    expect(reply.rcode).toBe(RCODE.REFUSED);
    expect(server.counters.transfersRefused).toBe(1);
  });

  it('the datagram protocol reuses one reply array', () => {
    const protocol = core().datagram();
    const peer = { address: '127.0.0.1', port: 1, family: 4 as const };
    const first = protocol.receive(query('example.test', 'A'), peer, 0);
    const second = protocol.receive(query('example.test', 'AAAA'), peer, 0);
    expect(first).toBe(second);
    expect(protocol.receive(new Uint8Array(3), peer, 0)).toEqual([]);
  });
});

describe('DnsServerCore over TCP', () => {
  const info = (address: string) => ({
    id: 1,
    transport: 'tcp' as const,
    remote: `${address}:1`,
    local: 'tcp://127.0.0.1:53',
    address,
  });

  it('answers pipelined queries in order, each with its length', () => {
    const session = core().stream().session(info('127.0.0.1'));
    const framer = new LengthPrefixFramer();
    const ids = [1, 2, 3];
    const replies = ids.flatMap((id) =>
      session.receive(query('www.example.test', 'A', { id }), 0).flatMap((action) => {
        if (action.type !== 'send') return [];
        return framer.push(action.data as Uint8Array);
      }),
    );
    expect(replies.map((event) => event.type === 'line' && decodeMessage(event.line).id)).toEqual(ids);
  });

  it('transfers a zone to an allowed address: SOA first and last, every record once', () => {
    const server = core('127.0.0.0/8');
    const messages = server
      .answerStream(query('example.test', 'AXFR'), '127.0.0.1')
      .map((m) => decodeMessage(m));
    const records = messages.flatMap((m) => m.answer);
    expect(records[0]!.type).toBe(RRTYPE.SOA);
    expect(records.at(-1)!.type).toBe(RRTYPE.SOA);
    expect(records.length).toBe([...zones][0]!.records().length + 1);
    expect(messages[0]!.question[0]!.type).toBe(RRTYPE.AXFR);
    expect(server.counters.transfers).toBe(1);
  });

  it('a big zone goes in several messages of at most 16 KiB, the question in the first only', () => {
    const big = bigZone(5000);
    const server = core('127.0.0.1', [big]);
    const bytes = server.answerStream(query('big.test', 'AXFR', { id: 77 }), '127.0.0.1');
    expect(bytes.length).toBeGreaterThan(3);
    for (const message of bytes) expect(message.length).toBeLessThanOrEqual(TRANSFER_MESSAGE_BYTES);
    const messages = bytes.map((m) => decodeMessage(m));
    expect(messages.every((m) => m.id === 77 && m.flags.aa && m.rcode === 0)).toBe(true);
    expect(messages.slice(1).every((m) => m.question.length === 0 && !m.edns)).toBe(true);
    expect(messages[0]!.edns).toBeDefined();
    expect(messages.flatMap((m) => m.answer)).toHaveLength(5000 + 3 + 1);
  });

  it('refuses a transfer to an address outside the list, and of a name below the apex', () => {
    const server = core('10.0.0.0/8');
    const refused = server.answerStream(query('example.test', 'AXFR'), '127.0.0.1');
    expect(refused).toHaveLength(1);
    expect(decodeMessage(refused[0]!).rcode).toBe(RCODE.REFUSED);
    const below = core().answerStream(query('www.example.test', 'AXFR'), '127.0.0.1');
    expect(decodeMessage(below[0]!).rcode).toBe(RCODE.REFUSED);
  });

  it('answers IXFR with the whole zone (RFC 1995 §4)', () => {
    const messages = core().answerStream(query('example.test', 'IXFR'), '127.0.0.1');
    const records = messages.flatMap((m) => decodeMessage(m).answer);
    expect(records[0]!.type).toBe(RRTYPE.SOA);
    expect(records.at(-1)!.type).toBe(RRTYPE.SOA);
    expect(records.length).toBeGreaterThan(2);
  });

  it('a message over the limit or that does not decode never stops the next one', () => {
    const session = core().stream().session(info('127.0.0.1'));
    expect(session.receive(new Uint8Array(0), 0)).toEqual([]);
    expect(session.lineTooLong!(10, 0)).toEqual([]);
    expect(session.receive(query('example.test', 'A'), 0)).toHaveLength(1);
  });
});

describe('AddressList', () => {
  it.each([
    ['127.0.0.0/8', '127.1.2.3', true],
    ['127.0.0.0/8', '128.0.0.1', false],
    ['127.0.0.0/8', '::ffff:127.0.0.1', true],
    ['::1', '::1', true],
    ['::1', '::2', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['192.0.2.1', '192.0.2.1', true],
    ['192.0.2.1', '192.0.2.2', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['10.0.0.0/9', '10.127.0.1', true],
    ['10.0.0.0/9', '10.128.0.1', false],
    ['none', '127.0.0.1', false],
    ['', '127.0.0.1', false],
  ] as const)('%s allows %s: %s', (list, address, allowed) => {
    expect(AddressList.parse(list).allows(address)).toBe(allowed);
  });

  it.each(['10.0.0.0/33', 'fe80::/129', 'nonsense', '10.0.0.0/x', '10.0.0.0/'])('refuses %s', (text) => {
    expect(() => AddressList.parse(text)).toThrow(DnsAclError);
  });
});

describe('transfers pushed a slice at a time', () => {
  const connection = {
    id: 1,
    transport: 'tcp' as const,
    remote: '127.0.0.1:1',
    local: 'tcp://x',
    address: '127.0.0.1',
  };

  function setup(unread: () => number) {
    const tasks: { task: () => void; delayMs: number }[] = [];
    const pushed: Uint8Array[] = [];
    const big = bigZone(60_000);
    const server = new DnsServerCore(() => new ZoneSet([big]), {
      axfrAllow: AddressList.parse('127.0.0.1'),
      defer: (task, delayMs) => tasks.push({ task, delayMs }),
    });
    const link = {
      push: (actions: { type: string; data?: unknown }[]) => {
        for (const action of actions) if (action.type === 'send') pushed.push(action.data as Uint8Array);
      },
      queuedBytes: unread,
      abort: () => {},
    };
    const session = server.stream().session(connection, link);
    const runTasks = () => {
      while (tasks.length > 0) tasks.shift()!.task();
    };
    return { tasks, pushed, session, runTasks, big };
  }

  const framedIds = (frames: Uint8Array[]) => frames.map((frame) => decodeMessage(frame.subarray(2)).id);

  it('starts at once, goes on in later turns, and answers a query sent behind it after it', () => {
    const { tasks, pushed, session, runTasks, big } = setup(() => 0);
    expect(session.receive(query('big.test', 'AXFR', { id: 1 }), 0)).toEqual([]);
    const firstSlice = pushed.length;
    expect(firstSlice).toBeGreaterThan(0);
    expect(tasks).toHaveLength(1);
    // A query pipelined behind the transfer waits for it.
    expect(session.receive(query('host1.big.test', 'A', { id: 2 }), 0)).toEqual([]);
    runTasks();
    expect(pushed.length).toBeGreaterThan(firstSlice);
    const ids = framedIds(pushed);
    expect(ids.at(-1)).toBe(2);
    expect(ids.slice(0, -1).every((id) => id === 1)).toBe(true);
    const records = pushed.slice(0, -1).flatMap((frame) => decodeMessage(frame.subarray(2)).answer);
    expect(records).toHaveLength(big.size + 1);
    expect(records[0]!.type).toBe(RRTYPE.SOA);
    expect(records.at(-1)!.type).toBe(RRTYPE.SOA);
    // Now idle: a query is answered in its own receive again.
    expect(session.receive(query('host2.big.test', 'A', { id: 3 }), 0)).toHaveLength(1);
  });

  it('waits while the peer has 4 MiB unread, and stops when the connection closes', () => {
    let unread = 0;
    const { tasks, pushed, session } = setup(() => unread);
    session.receive(query('big.test', 'AXFR', { id: 1 }), 0);
    const sent = pushed.length;
    unread = 5 * 1024 * 1024;
    tasks.shift()!.task();
    expect(pushed.length).toBe(sent);
    expect(tasks[0]!.delayMs).toBeGreaterThan(0);
    session.closed!(0);
    unread = 0;
    tasks.shift()!.task();
    expect(pushed.length).toBe(sent);
    expect(tasks).toHaveLength(0);
  });
});
