/**
 * The query library against real servers (NSD on loopback, serving the fixture zones) and
 * against a fake server that misbehaves on purpose (wrong IDs, wrong source, garbage, silence).
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RCODE, RRTYPE } from '../../src/dns/constants.js';
import { decodeMessage, encodeMessage, makeResponse } from '../../src/dns/message.js';
import { Name } from '../../src/dns/name.js';
import type { NameRdata } from '../../src/dns/rdata/types.js';
import { rdataToText } from '../../src/dns/record.js';
import {
  axfr,
  DnsNoDataError,
  DnsNxDomainError,
  DnsServerError,
  DnsTimeoutError,
  openDnsTcp,
  query,
  resolve,
  resolveReverse,
  searchCandidates,
} from '../../src/resolver/index.js';
import { buildQuery } from '../../src/resolver/query.js';
import { type DnsServer, fixtureZones, startNsd } from '../helpers/dns-peers.js';
import { describeWithPeers, NSD } from '../helpers/peers.js';

const OTHER_ZONE = {
  origin: 'other.test.',
  text: [
    '$ORIGIN other.test.',
    '$TTL 600',
    '@ IN SOA ns.other.test. hostmaster.other.test. 1 7200 3600 1209600 300',
    '@ IN NS ns',
    'ns IN A 192.0.2.99',
    'target IN A 192.0.2.200',
    'hop IN CNAME hop2.example.test.',
  ].join('\n'),
};

describeWithPeers('the query library against NSD', [NSD], () => {
  let nsd: DnsServer;
  const config = () => ({
    nameservers: ['127.0.0.1'],
    search: ['example.test'],
    ndots: 1,
    attempts: 1,
    timeoutMs: 2000,
  });
  beforeAll(async () => {
    const zones = fixtureZones();
    const example = zones.find((zone) => zone.origin === 'example.test.')!;
    example.text += '\nchain IN CNAME target.other.test.\nhop2 IN A 192.0.2.201\n';
    // An RRset of about 1.5 KB: over 512 bytes, so truncated over UDP without EDNS.
    for (let i = 0; i < 30; i++) example.text += `big IN TXT "record ${i} ${'x'.repeat(40)}"\n`;
    nsd = await startNsd([...zones, OTHER_ZONE], { allowAxfr: true });
  }, 30_000);
  afterAll(async () => {
    await nsd?.stop();
  });

  it('query: an answer over UDP and over TCP, with the AA flag and the TTL', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const result = await query(Name.fromText('ns1.example.test.'), RRTYPE.A, {
        server: '127.0.0.1',
        port: nsd.port,
        transport,
      });
      expect(result.transport).toBe(transport);
      expect(result.reply.flags.aa).toBe(true);
      expect(result.reply.rcode).toBe(RCODE.NOERROR);
      expect(result.reply.answer.map((rr) => [rr.ttl, rdataToText(rr.type, rr.data)])).toEqual([
        [3600, '192.0.2.1'],
      ]);
    }
  });

  it('query: a reply truncated over UDP is asked again over TCP', async () => {
    const result = await query(Name.fromText('big.example.test.'), RRTYPE.TXT, {
      server: '127.0.0.1',
      port: nsd.port,
      udpPayloadSize: 0,
    });
    expect(result.transport).toBe('tcp');
    expect(result.reply.flags.tc).toBe(false);
    expect(result.reply.answer).toHaveLength(30);
    const truncated = await query(Name.fromText('big.example.test.'), RRTYPE.TXT, {
      server: '127.0.0.1',
      port: nsd.port,
      udpPayloadSize: 0,
      ignoreTruncation: true,
    });
    expect(truncated.transport).toBe('udp');
    expect(truncated.reply.flags.tc).toBe(true);
  });

  it('one TCP connection carries several queries at once', async () => {
    const connection = await openDnsTcp('127.0.0.1', nsd.port, { timeoutMs: 2000 });
    try {
      const names = ['ns1', 'ns2', 'www', 'ptr', 'txt'].map((label) =>
        Name.fromText(`${label}.example.test.`),
      );
      // Distinct IDs: replies on one connection are told apart by them.
      const queries = names.map((name, i) => ({
        ...buildQuery(name, RRTYPE.A, { server: '127.0.0.1' }),
        id: 1000 + i,
      }));
      const replies = await Promise.all(queries.map((q) => connection.send(q, encodeMessage(q), 5000)));
      replies.forEach((reply, i) => {
        expect(reply.message.id).toBe(queries[i]!.id);
        expect(reply.message.question[0]!.name.equals(names[i]!)).toBe(true);
      });
    } finally {
      connection.close();
    }
  });

  it('resolve: the search list, CNAMEs followed, the smallest TTL', async () => {
    const answer = await resolve('www', 'A', { config: config(), port: nsd.port });
    expect(answer.qname.toText()).toBe('www.example.test.');
    expect(answer.cnames.map((rr) => rr.data.target.toText())).toEqual([answer.canonicalName.toText()]);
    expect(answer.records.length).toBeGreaterThan(0);
    expect(answer.ttl).toBe(
      Math.min(...answer.records.map((rr) => rr.ttl), ...answer.cnames.map((rr) => rr.ttl)),
    );
  });

  it('resolve: a CNAME into another zone is followed with a second query', async () => {
    const answer = await resolve('chain.example.test.', 'A', { config: config(), port: nsd.port });
    expect(answer.canonicalName.toText()).toBe('target.other.test.');
    expect(answer.records.map((rr) => rdataToText(rr.type, rr.data))).toEqual(['192.0.2.200']);
    const twice = await resolve('hop.other.test.', 'A', { config: config(), port: nsd.port });
    expect(twice.cnames.map((rr) => rr.name.toText())).toEqual(['hop.other.test.']);
    expect(twice.records.map((rr) => rdataToText(rr.type, rr.data))).toEqual(['192.0.2.201']);
  });

  it('resolve: NXDOMAIN, no data and REFUSED are distinct errors', async () => {
    await expect(
      resolve('nope.example.test.', 'A', { config: config(), port: nsd.port }),
    ).rejects.toBeInstanceOf(DnsNxDomainError);
    await expect(
      resolve('ns1.example.test.', 'MX', { config: config(), port: nsd.port }),
    ).rejects.toBeInstanceOf(DnsNoDataError);
    const refused = resolve('example.org.', 'A', { config: config(), port: nsd.port });
    await expect(refused).rejects.toBeInstanceOf(DnsServerError);
    await expect(refused).rejects.toMatchObject({ code: 'NK_DNS_REFUSED' });
  });

  it('resolveReverse: the PTR names of IPv4 and IPv6 addresses', async () => {
    const v4 = await resolveReverse('192.0.2.77', { config: config(), port: nsd.port });
    expect(v4.records.length).toBeGreaterThan(0);
    const v6 = await resolveReverse('2001:db8::1', { config: config(), port: nsd.port });
    expect(v6.records.map((rr) => (rr.data as NameRdata).target.toText()).length).toBeGreaterThan(0);
  });

  it('axfr: the whole zone, streamed, SOA first, the closing SOA not repeated', async () => {
    const records = [];
    for await (const record of axfr('example.test', { server: '127.0.0.1', port: nsd.port }))
      records.push(record);
    expect(records[0]!.type).toBe(RRTYPE.SOA);
    expect(records.filter((rr) => rr.type === RRTYPE.SOA)).toHaveLength(1);
    expect(records.some((rr) => rr.type === RRTYPE.NSEC3)).toBe(true);
    expect(records.length).toBeGreaterThan(40);
  });

  it('axfr: a caller that stops early ends the transfer (and can transfer again at once)', async () => {
    const firsts = [];
    for await (const record of axfr('example.test', { server: '127.0.0.1', port: nsd.port })) {
      firsts.push(record);
      if (firsts.length === 2) break;
    }
    expect(firsts).toHaveLength(2);
    let count = 0;
    for await (const _record of axfr('example.test', { server: '127.0.0.1', port: nsd.port })) count++;
    expect(count).toBeGreaterThan(40);
  });

  it('axfr: a zone the server does not serve is refused', async () => {
    const records = axfr('not-served.test', { server: '127.0.0.1', port: nsd.port });
    await expect(records.next()).rejects.toBeInstanceOf(DnsServerError);
  });
});

describe('a misbehaving server', () => {
  let fake: Socket;
  let port: number;
  let behaviour: 'wrong-id-first' | 'garbage-first' | 'silent' | 'other-source-first' = 'silent';
  let decoy: Socket;
  beforeAll(async () => {
    fake = createSocket('udp4');
    decoy = createSocket('udp4');
    await new Promise<void>((resolve) => decoy.bind(0, '127.0.0.1', () => resolve()));
    fake.on('message', (data, from) => {
      const request = decodeMessage(data);
      const reply = makeResponse(request);
      reply.answer.push({
        name: request.question[0]!.name,
        type: RRTYPE.A,
        class: 1,
        ttl: 60,
        data: { address: '192.0.2.123' },
      });
      const good = encodeMessage(reply);
      if (behaviour === 'silent') return;
      if (behaviour === 'wrong-id-first')
        fake.send(encodeMessage({ ...reply, id: (reply.id + 1) & 0xffff }), from.port, from.address);
      if (behaviour === 'garbage-first') fake.send(Uint8Array.of(1, 2, 3), from.port, from.address);
      if (behaviour === 'other-source-first') decoy.send(good, from.port, from.address);
      setTimeout(() => fake.send(good, from.port, from.address), 20);
    });
    await new Promise<void>((resolve) => fake.bind(0, '127.0.0.1', () => resolve()));
    port = fake.address().port;
  });
  afterAll(() => {
    fake.close();
    decoy.close();
  });

  for (const mode of ['wrong-id-first', 'garbage-first', 'other-source-first'] as const) {
    it(`ignores a reply it must not accept (${mode}) and takes the right one`, async () => {
      behaviour = mode;
      const result = await query(Name.fromText('a.example.'), RRTYPE.A, {
        server: '127.0.0.1',
        port,
        timeoutMs: 1000,
      });
      expect(result.reply.answer.map((rr) => rdataToText(rr.type, rr.data))).toEqual(['192.0.2.123']);
    });
  }

  it('times out after its tries, with a typed error', async () => {
    behaviour = 'silent';
    const started = performance.now();
    const pending = query(Name.fromText('a.example.'), RRTYPE.A, {
      server: '127.0.0.1',
      port,
      timeoutMs: 150,
      retries: 2,
    });
    await expect(pending).rejects.toBeInstanceOf(DnsTimeoutError);
    await expect(pending).rejects.toMatchObject({ code: 'NK_DNS_TIMEOUT', details: { tries: 3 } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });
});

describe('search candidates (glibc res_search order)', () => {
  const config = { search: ['a.test', 'b.test'], ndots: 1, noTldQuery: false };
  it('a name with enough dots is tried as it is first', () => {
    expect(searchCandidates('www.example', config).map((name) => name.toText())).toEqual([
      'www.example.',
      'www.example.a.test.',
      'www.example.b.test.',
    ]);
  });
  it('a short name goes through the search list first', () => {
    expect(searchCandidates('www', config).map((name) => name.toText())).toEqual([
      'www.a.test.',
      'www.b.test.',
      'www.',
    ]);
    expect(searchCandidates('www', { ...config, noTldQuery: true }).map((name) => name.toText())).toEqual([
      'www.a.test.',
      'www.b.test.',
    ]);
  });
  it('an absolute name is tried alone', () => {
    expect(searchCandidates('www.', config).map((name) => name.toText())).toEqual(['www.']);
  });
});
