#!/usr/bin/env node
/**
 * In-process benchmark of the DNS message codec: decode and encode a corpus of realistic
 * messages, netkit (dist/dns) against dns-packet in the same run, with the ratio.
 *
 *   npm run bench:dns-codec                             # builds dist/ when stale, then runs
 *   DNS_DIST=/tmp/other-dist node bench/dns-codec.mjs   # another build (e.g. before a change)
 *   DNS_ROUNDS=15 DNS_CALLS=2000 node bench/dns-codec.mjs
 *
 * Each side decodes the wire bytes of each message (its own full decode: names, records, rdata
 * fields, EDNS), and encodes each message from its own decoded form (with name compression for
 * netkit; dns-packet does not compress). Time per message is the median of the rounds; the
 * corpus figure is messages per second over the whole corpus, one of each in turn.
 * Not a test: numbers depend on the machine.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import dnsPacket from 'dns-packet';
import { machine, table } from './lib/harness.mjs';

const dist = resolve(process.env.DNS_DIST ?? new URL('../dist', import.meta.url).pathname);
const dns = await import(pathToFileURL(`${dist}/dns/index.js`).href);
const { decodeMessage, encodeMessage, makeQuery, makeResponse, recordFromText, cookieOption, Name } = dns;

const ROUNDS = Number(process.env.DNS_ROUNDS ?? 15);
const CALLS = Number(process.env.DNS_CALLS ?? 2000);

const rr = (text) => recordFromText(text);

/** The corpus: what a resolver sends and receives most. */
function corpus() {
  const messages = [];
  const query = makeQuery('www.example.com', 'A', {
    id: 0x1234,
    edns: { dnssecOk: true, options: [cookieOption({ client: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) })] },
  });
  messages.push(['query, EDNS + cookie', query]);

  const chain = makeResponse(query);
  chain.flags.ra = true;
  chain.answer.push(
    rr('www.example.com. 3600 IN CNAME www.example.com.cdn.example.net.'),
    rr('www.example.com.cdn.example.net. 300 IN CNAME edge-17.cdn.example.net.'),
    rr('edge-17.cdn.example.net. 60 IN A 93.184.216.34'),
    rr('edge-17.cdn.example.net. 60 IN A 93.184.216.35'),
    rr('edge-17.cdn.example.net. 60 IN A 93.184.216.36'),
  );
  messages.push(['CNAME chain + 3 A', chain]);

  const aaaa = makeResponse(makeQuery('example.org', 'AAAA', { id: 7, edns: true }));
  aaaa.flags.ra = true;
  aaaa.answer.push(rr('example.org. 300 IN AAAA 2606:2800:21f:cb07:6820:80da:af6b:8b2c'));
  aaaa.answer.push(rr('example.org. 300 IN AAAA 2001:db8::1'));
  messages.push(['2 AAAA', aaaa]);

  const mx = makeResponse(makeQuery('example.com', 'MX', { id: 8, edns: true }));
  mx.flags.ra = true;
  for (const [pref, host] of [
    [10, 'mx1'],
    [20, 'mx2'],
    [30, 'mx3'],
  ])
    mx.answer.push(rr(`example.com. 3600 IN MX ${pref} ${host}.example.com.`));
  for (const host of ['mx1', 'mx2', 'mx3'])
    mx.additional.push(rr(`${host}.example.com. 3600 IN A 192.0.2.${host.length}`));
  messages.push(['3 MX + glue A', mx]);

  const txt = makeResponse(makeQuery('example.com', 'TXT', { id: 9, edns: true }));
  txt.flags.ra = true;
  txt.answer.push(rr('example.com. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all"'));
  txt.answer.push(
    rr('example.com. 300 IN TXT "google-site-verification=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"'),
  );
  txt.answer.push(rr('example.com. 300 IN TXT "a" "second string" "third"'));
  messages.push(['3 TXT', txt]);

  const nx = makeResponse(makeQuery('nope.example.com', 'A', { id: 10, edns: true }));
  nx.rcode = 3;
  nx.flags.aa = true;
  nx.authority.push(
    rr('example.com. 3600 IN SOA ns.icann.org. noc.dns.icann.org. 2024081452 7200 3600 1209600 3600'),
  );
  messages.push(['NXDOMAIN + SOA', nx]);

  const signed = makeResponse(makeQuery('example.com', 'A', { id: 11, edns: { dnssecOk: true } }));
  signed.flags.ra = true;
  signed.flags.ad = true;
  signed.answer.push(rr('example.com. 300 IN A 93.184.216.34'));
  signed.answer.push(
    rr(
      'example.com. 300 IN RRSIG A 13 2 300 20250101000000 20241201000000 12345 example.com. ' +
        'oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o=',
    ),
  );
  messages.push(['A + RRSIG (DO)', signed]);

  const referral = makeResponse(makeQuery('www.example.com', 'A', { id: 12, rd: false, edns: true }));
  for (const letter of 'abcdefghijklm')
    referral.authority.push(rr(`com. 172800 IN NS ${letter}.gtld-servers.net.`));
  let i = 1;
  for (const letter of 'abcdefghijklm') {
    referral.additional.push(rr(`${letter}.gtld-servers.net. 172800 IN A 192.0.2.${i}`));
    referral.additional.push(rr(`${letter}.gtld-servers.net. 172800 IN AAAA 2001:db8::${i}`));
    i++;
  }
  messages.push(['referral: 13 NS + 26 glue', referral]);
  return messages.map(([name, message]) => ({ name, wire: encodeMessage(message) }));
}

/** Median and best ns per call of `run` over ROUNDS rounds of CALLS calls. */
function time(run) {
  for (let i = 0; i < CALLS; i++) run(); // warm-up
  const rounds = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) sink += run() ? 1 : 0;
    rounds.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  if (sink === 0) throw new Error('nothing computed');
  rounds.sort((a, b) => a - b);
  return { median: rounds[Math.floor(rounds.length / 2)], best: rounds[0] };
}

const messages = corpus();
for (const m of messages) {
  m.buffer = Buffer.from(m.wire);
  m.ours = decodeMessage(m.wire);
  m.theirs = dnsPacket.decode(m.buffer);
  // Both sides must read each message to the same records before timing means anything.
  const count = (p) => p.answers.length + p.authorities.length + p.additionals.length;
  const ours =
    m.ours.answer.length + m.ours.authority.length + m.ours.additional.length + (m.ours.edns ? 1 : 0);
  if (count(m.theirs) !== ours)
    throw new Error(`${m.name}: dns-packet reads ${count(m.theirs)} records, netkit ${ours}`);
}

const us = (ns) => (ns / 1000).toFixed(2);
const rows = [];
const totals = { decode: [0, 0], encode: [0, 0] };
for (const m of messages) {
  const decodeOurs = time(() => decodeMessage(m.wire));
  const decodeTheirs = time(() => dnsPacket.decode(m.buffer));
  const encodeOurs = time(() => encodeMessage(m.ours));
  const encodeTheirs = time(() => dnsPacket.encode(m.theirs));
  totals.decode[0] += decodeOurs.median;
  totals.decode[1] += decodeTheirs.median;
  totals.encode[0] += encodeOurs.median;
  totals.encode[1] += encodeTheirs.median;
  rows.push([
    m.name,
    m.wire.length,
    us(decodeOurs.median),
    us(decodeTheirs.median),
    `${(decodeTheirs.median / decodeOurs.median).toFixed(2)}x`,
    us(encodeOurs.median),
    us(encodeTheirs.median),
    `${(encodeTheirs.median / encodeOurs.median).toFixed(2)}x`,
  ]);
}

const perSecond = (ns) => Math.round((messages.length * 1e9) / ns).toLocaleString('en-US');
console.log(`dist: ${dist}`);
console.log(
  `machine: ${machine()}; dns-packet ${(await import('dns-packet/package.json', { with: { type: 'json' } })).default.version}`,
);
console.log(`${ROUNDS} rounds x ${CALLS} calls per message, median µs per call\n`);
console.log(
  table(
    ['message', 'bytes', 'decode netkit', 'dns-packet', 'ratio', 'encode netkit', 'dns-packet', 'ratio'],
    rows,
  ),
);
console.log('');
console.log(
  table(
    ['corpus', 'netkit msg/s', 'dns-packet msg/s', 'netkit / dns-packet'],
    [
      [
        'decode',
        perSecond(totals.decode[0]),
        perSecond(totals.decode[1]),
        `${(totals.decode[1] / totals.decode[0]).toFixed(2)}x`,
      ],
      [
        'encode',
        perSecond(totals.encode[0]),
        perSecond(totals.encode[1]),
        `${(totals.encode[1] / totals.encode[0]).toFixed(2)}x`,
      ],
    ],
  ),
);
void Name;
