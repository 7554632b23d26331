/**
 * `netkit dig` as a dig user runs it, against NSD and Knot serving the fixture zones: for
 * every query of the fixture list its answers are dig's and kdig's (as sets of records), and
 * the library's `query` gives the same; +short, +json, +explain, -x, axfr, and the exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseType } from '../../src/dns/constants.js';
import { recordToDigText } from '../../src/dns/message-text.js';
import { Name } from '../../src/dns/name.js';
import { rdataBytes, recordFromText } from '../../src/dns/record.js';
import { query } from '../../src/resolver/query.js';
import { runNetkit } from '../helpers/cli.js';
import {
  type DnsServer,
  digAnswer,
  digShort,
  FIXTURE_QUERIES,
  fixtureZones,
  kdigAnswer,
  normaliseLines,
  startKnot,
  startNsd,
} from '../helpers/dns-peers.js';
import { DIG, describeWithPeers, KDIG, KNOTD, NSD } from '../helpers/peers.js';

const sorted = (lines: string[]) => [...lines].sort();

/** Each line read as a record, then written as owner, TTL, class, type and rdata bytes. */
function asRecords(lines: string[]): string[] {
  return sorted(
    lines.map((line) => {
      const record = recordFromText(line);
      const bytes = Buffer.from(rdataBytes(record.type, record.data)).toString('hex');
      return `${record.name.key()} ${record.ttl} ${record.class} ${record.type} ${bytes}`;
    }),
  );
}

describeWithPeers(
  'netkit dig against NSD and Knot, compared with dig and kdig',
  [NSD, KNOTD, DIG, KDIG],
  () => {
    const servers: { name: string; server: DnsServer }[] = [];
    beforeAll(async () => {
      servers.push({
        name: 'nsd',
        server: await startNsd(fixtureZones(), { allowAxfr: true, minimalResponses: true }),
      });
      servers.push({ name: 'knot', server: await startKnot(fixtureZones(), { allowAxfr: true }) });
    }, 40_000);
    afterAll(async () => {
      await Promise.all(servers.map(({ server }) => server.stop()));
    });

    it('answers every fixture query as dig and kdig do (each section as a set of records)', async () => {
      const sections = ['+answer', '+authority', '+additional'];
      for (const { name: which, server } of servers) {
        for (const [name, type] of FIXTURE_QUERIES) {
          const where = `${which} ${name} ${type}`;
          const ours = await runNetkit([
            'dig',
            '+noall',
            ...sections,
            '+norecurse',
            '-p',
            String(server.port),
            '@127.0.0.1',
            name,
            type,
          ]);
          expect(ours.code, `${where}: ${ours.stderr}`).toBe(0);
          const mine = sorted(normaliseLines(ours.stdout));
          expect(mine, `${where} vs dig`).toEqual(sorted(await digAnswer(server.port, name, type, sections)));
          // kdig writes some fields differently (no spaces in long hex, alpn unquoted): compare
          // records as records, each read back by our parser.
          expect(asRecords(mine), `${where} vs kdig`).toEqual(
            asRecords(await kdigAnswer(server.port, name, type, [...sections, '+noidn'])),
          );
        }
      }
    }, 180_000);

    it('the library gives the same records as dig', async () => {
      const { server } = servers[0]!;
      for (const [name, type] of FIXTURE_QUERIES) {
        const result = await query(Name.fromText(name), parseType(type)!, {
          server: '127.0.0.1',
          port: server.port,
          recursionDesired: false,
        });
        const ours = result.reply.answer.map((record) => recordToDigText(record).replace(/\s+/g, ' ').trim());
        expect(sorted(ours), `${name} ${type}`).toEqual(sorted(await digAnswer(server.port, name, type)));
      }
    }, 60_000);

    it('+short prints what dig +short prints', async () => {
      const { server } = servers[0]!;
      for (const [name, type] of [
        ['example.test.', 'MX'],
        ['www.example.test.', 'A'],
        ['txt.example.test.', 'TXT'],
        ['example.test.', 'HTTPS'],
      ] as const) {
        const ours = await runNetkit(['dig', '+short', '-p', String(server.port), '@127.0.0.1', name, type]);
        expect(sorted(normaliseLines(ours.stdout)), `${name} ${type}`).toEqual(
          await digShort(server.port, name, type),
        );
      }
    });

    it("prints dig's layout: header, flags, OPT pseudosection, sections, statistics", async () => {
      const { server } = servers[0]!;
      const result = await runNetkit(['dig', '-p', String(server.port), '@127.0.0.1', 'example.test', 'MX']);
      expect(result.code).toBe(0);
      const out = result.stdout;
      expect(out).toMatch(/^; <<>> netkit dig .* <<>> /m);
      expect(out).toMatch(/^;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+$/m);
      expect(out).toMatch(
        /^;; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: \d+, ADDITIONAL: \d+\n;; WARNING: recursion requested but not available$/m,
      );
      expect(out).toMatch(/^;; OPT PSEUDOSECTION:$/m);
      expect(out).toMatch(/^; EDNS: version: 0, flags:; udp: \d+$/m);
      expect(out).toMatch(/^;; QUESTION SECTION:\n;example\.test\.\s+IN\s+MX$/m);
      expect(out).toMatch(
        /^;; ANSWER SECTION:\nexample\.test\.\s+3600\s+IN\s+MX\s+10 mail\.example\.test\.$/m,
      );
      expect(out).toMatch(/^;; Query time: \d+ msec$/m);
      expect(out).toMatch(
        new RegExp(`^;; SERVER: 127\\.0\\.0\\.1#${server.port}\\(127\\.0\\.0\\.1\\) \\(UDP\\)$`, 'm'),
      );
      expect(out).toMatch(/^;; MSG SIZE {2}rcvd: \d+$/m);
    });

    it('-x asks for the PTR of an address; +tcp goes over TCP', async () => {
      const { server } = servers[0]!;
      const result = await runNetkit([
        'dig',
        '+tcp',
        '-p',
        String(server.port),
        '@127.0.0.1',
        '-x',
        '192.0.2.77',
      ]);
      expect(result.stdout).toMatch(/^77\.2\.0\.192\.in-addr\.arpa\.\s+\d+\s+IN\s+PTR\s+\S+$/m);
      expect(result.stdout).toMatch(/\(TCP\)$/m);
    });

    it('+json prints the RFC 8427 form', async () => {
      const { server } = servers[0]!;
      const result = await runNetkit([
        'dig',
        '+json',
        '-p',
        String(server.port),
        '@127.0.0.1',
        'ns1.example.test',
        'A',
      ]);
      const json = JSON.parse(result.stdout);
      expect(json).toMatchObject({ QR: true, AA: true, RCODE: 0, QDCOUNT: 1, ANCOUNT: 1 });
      expect(JSON.stringify(json)).toContain('192.0.2.1');
    });

    it('+explain prints both messages byte by byte', async () => {
      const { server } = servers[0]!;
      const result = await runNetkit([
        'dig',
        '+explain',
        '-p',
        String(server.port),
        '@127.0.0.1',
        'ns1.example.test',
        'A',
      ]);
      expect(result.stdout).toContain(';; The query, byte by byte:');
      expect(result.stdout).toContain(';; The reply, byte by byte:');
      expect(result.stdout).toMatch(/ns1/);
    });

    it('+qr prints the query sent, with +dnssec (DO) and +bufsize in its OPT record; +norecurse clears RD', async () => {
      const { server } = servers[0]!;
      const result = await runNetkit([
        'dig',
        '+qr',
        '+dnssec',
        '+bufsize=900',
        '+norecurse',
        '-p',
        String(server.port),
        '@127.0.0.1',
        'example.test',
        'DNSKEY',
      ]);
      expect(result.code).toBe(0);
      const [sent, received] = result.stdout.split(';; Got answer:');
      expect(sent).toContain(';; Sending:');
      expect(sent).toMatch(/^;; flags:; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1$/m);
      expect(sent).toMatch(/^;; QUERY SIZE: \d+$/m);
      expect(sent).toMatch(/^; EDNS: version: 0, flags: do; udp: 900$/m);
      expect(received).toMatch(/^;; flags: qr aa; /m);
      expect(received).toMatch(/IN\s+DNSKEY\s+257 3 13 /);
    });

    it('axfr streams the zone as dig does', async () => {
      const { server } = servers[0]!;
      const ours = await runNetkit(['dig', '-p', String(server.port), '@127.0.0.1', 'axfr', 'example.test']);
      expect(ours.code).toBe(0);
      const records = normaliseLines(ours.stdout);
      const theirs = normaliseLines(
        (await import('node:child_process')).execFileSync(
          'dig',
          ['+nocmd', '+nostats', '-p', String(server.port), '@127.0.0.1', 'axfr', 'example.test'],
          {
            encoding: 'utf8',
          },
        ),
      );
      // dig repeats the closing SOA; the set of records is the same.
      expect(new Set(records)).toEqual(new Set(theirs));
    });
  },
);

describe('netkit dig exit codes', () => {
  it('9 when no server answers, 1 for a usage error', async () => {
    const silent = await runNetkit(['dig', '+time=1', '+tries=1', '-p', '9', '@127.0.0.1', 'example.test']);
    expect(silent.code).toBe(9);
    expect(silent.stdout).toContain('no servers could be reached');
    const usage = await runNetkit(['dig', '+bogus', 'example.test']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('unknown query option +bogus');
  });
});
