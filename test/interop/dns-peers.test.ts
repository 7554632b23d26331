/**
 * The harness for DNS interop tests (test/helpers/dns-peers.ts): NSD, Knot and BIND each
 * load the fixture zones of test/fixtures/dns, answer every record type in them, and give
 * dig and kdig the same answers. The codec's own differential tests come later and build on
 * this.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DnsServer,
  type DnsServerOptions,
  digAnswer,
  digShort,
  FIXTURE_QUERIES,
  fixtureZones,
  kdigAnswer,
  normaliseLines,
  startBind,
  startKnot,
  startNsd,
  type Zone,
} from '../helpers/dns-peers.js';
import {
  DIG,
  describeWithPeers,
  KDIG,
  KNOTD,
  KZONECHECK,
  NAMED,
  NAMED_CHECKZONE,
  NSD,
  NSD_CHECKZONE,
  type Peer,
} from '../helpers/peers.js';
import { runPeer } from './helpers.js';

interface ServerKind {
  name: string;
  peer: Peer;
  start: (zones: Zone[], options?: DnsServerOptions) => Promise<DnsServer>;
}

const SERVERS: ServerKind[] = [
  { name: 'NSD', peer: NSD, start: startNsd },
  { name: 'Knot', peer: KNOTD, start: startKnot },
  { name: 'BIND', peer: NAMED, start: startBind },
];

const HASHED_APEX = 'jbas736chung3bb701jkjdhqkqlhvug7.example.test.';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function axfr(port: number, origin: string): Promise<string[]> {
  return (await digAnswer(port, origin, 'AXFR')).sort();
}

describeWithPeers('zone checkers on the DNS fixtures', [NAMED_CHECKZONE, KZONECHECK, NSD_CHECKZONE], () => {
  for (const zone of fixtureZones()) {
    it(`${zone.origin} passes named-checkzone, kzonecheck and nsd-checkzone`, () => {
      const file = join('test/fixtures/dns', `${zone.origin}zone`);
      // -i local: the default also looks out-of-zone targets up through the system resolver.
      const bind = runPeer('named-checkzone', ['-i', 'local', zone.origin, file]);
      expect(bind.code, bind.stdout + bind.stderr).toBe(0);
      const knot = runPeer('kzonecheck', ['-o', zone.origin, file]);
      expect(knot.code, knot.stdout + knot.stderr).toBe(0);
      const nsd = runPeer('nsd-checkzone', [zone.origin, file]);
      expect(nsd.code, nsd.stdout + nsd.stderr).toBe(0);
    });
  }
});

for (const kind of SERVERS) {
  describeWithPeers(`${kind.name} serving the DNS fixtures`, [kind.peer, DIG], () => {
    let server: DnsServer | undefined;
    beforeAll(async () => {
      server = await kind.start(fixtureZones(), { allowAxfr: true });
    });
    afterAll(() => server?.stop());

    it('answers a query for every record type in the fixtures', async () => {
      for (const [name, type] of FIXTURE_QUERIES) {
        expect(await digAnswer(server!.port, name, type), `${name} ${type}`).not.toEqual([]);
      }
    });

    it('answers nothing for a missing name, nor for the hashed owner of the NSEC3', async () => {
      expect(await digAnswer(server!.port, 'missing.example.test.', 'A')).toEqual([]);
      expect(await digAnswer(server!.port, HASHED_APEX, 'NSEC3')).toEqual([]);
    });

    it('transfers each zone, NSEC3 and the unknown type included', async () => {
      const lines = await axfr(server!.port, 'example.test.');
      expect(lines.filter((line) => line.includes(' IN SOA '))).toHaveLength(2);
      expect(lines).toContain('unknown.example.test. 3600 IN TYPE65280 \\# 4 0A000001');
      expect(lines.some((line) => line.startsWith(`${HASHED_APEX} 3600 IN NSEC3 1 0 0 - `))).toBe(true);
      expect(await axfr(server!.port, '2.0.192.in-addr.arpa.')).toContain(
        '77.2.0.192.in-addr.arpa. 3600 IN PTR books.example.test.',
      );
    });

    it('stops by its PID and removes its run folder', async () => {
      const { pid, dir } = server!;
      expect(isRunning(pid)).toBe(true);
      expect(existsSync(dir)).toBe(true);
      await server!.stop();
      expect(isRunning(pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    });
  });
}

describeWithPeers('NSD, Knot and BIND answer the fixtures alike', [NSD, KNOTD, NAMED, DIG, KDIG], () => {
  const servers: DnsServer[] = [];
  beforeAll(async () => {
    const started = await Promise.allSettled(
      SERVERS.map((kind) => kind.start(fixtureZones(), { allowAxfr: true })),
    );
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  });
  afterAll(() => Promise.all(servers.map((server) => server.stop())));

  /** The answers of each server, keyed by server name, for `ask`. */
  async function fromEach(ask: (port: number) => Promise<string[]>): Promise<Record<string, string[]>> {
    const answers = await Promise.all(servers.map((server) => ask(server.port)));
    return Object.fromEntries(SERVERS.map((kind, i) => [kind.name, answers[i]!]));
  }

  const same = (answers: Record<string, string[]>) => {
    const nsd = answers.NSD!;
    expect(answers).toEqual({ NSD: nsd, Knot: nsd, BIND: nsd });
  };

  it('dig +short: A, MX, TXT, SVCB, HTTPS and TYPE65280', async () => {
    const expected: [string, string, string[]][] = [
      ['example.test.', 'A', ['192.0.2.10']],
      ['example.test.', 'MX', ['10 mail.example.test.', '20 mail2.example.net.']],
      [
        'txt.example.test.',
        'TXT',
        [
          '"hello world" "say \\"hi\\"" "back\\\\slash" "semi;colon" "" "tab\\009here" "caf\\195\\169"',
          '"unquoted-word"',
        ],
      ],
      [
        '_dns.svc.example.test.',
        'SVCB',
        [
          '1 svc.example.test. mandatory=alpn,port alpn="dot,doq" port=853 ipv4hint=192.0.2.40,192.0.2.41 ipv6hint=2001:db8::40',
        ],
      ],
      ['alias.example.test.', 'SVCB', ['0 svc.example.test.']],
      ['www2.example.test.', 'HTTPS', ['2 www.example.test. mandatory=alpn alpn="h2" no-default-alpn']],
      ['unknown.example.test.', 'TYPE65280', ['\\# 4 0A000001']],
    ];
    for (const [name, type, lines] of expected) {
      const answers = await fromEach((port) => digShort(port, name, type));
      expect(answers, `${name} ${type}`).toEqual({ NSD: lines, Knot: lines, BIND: lines });
    }
    // The apex HTTPS has an ech= too long to spell out twice: the three must agree.
    const https = await fromEach((port) => digShort(port, 'example.test.', 'HTTPS'));
    same(https);
    expect(https.NSD![0]).toMatch(
      /^1 \. alpn="h2,h3" port=8443 ipv4hint=192\.0\.2\.10 ech=AEb\+DQ\S+ ipv6hint=2001:db8::10$/,
    );
  });

  it('dig and kdig: the same answer section for every fixture query', async () => {
    for (const [name, type] of FIXTURE_QUERIES) {
      const dig = await fromEach(async (port) => (await digAnswer(port, name, type)).sort());
      expect(dig, `dig ${name} ${type}`).toEqual({ NSD: dig.NSD, Knot: dig.NSD, BIND: dig.NSD });
      const kdig = await fromEach(async (port) => (await kdigAnswer(port, name, type)).sort());
      expect(kdig, `kdig ${name} ${type}`).toEqual({ NSD: kdig.NSD, Knot: kdig.NSD, BIND: kdig.NSD });
      expect(kdig.NSD!.length, `${name} ${type}`).toBe(dig.NSD!.length);
    }
  });

  it('AXFR: the same records from each zone', async () => {
    for (const zone of fixtureZones()) same(await fromEach((port) => axfr(port, zone.origin)));
  });
});

describeWithPeers('the DNS server harness on failure', [NSD, DIG], () => {
  const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('netkit-nsd-'));

  it('rejects with the server output when a zone never loads, and cleans up', async () => {
    const before = leftovers();
    const broken: Zone = {
      origin: 'broken.test.',
      text: '$ORIGIN broken.test.\n@ IN SOA this is not a soa\n',
    };
    await expect(startNsd([broken], { readyTimeoutMs: 2000 })).rejects.toThrow(
      /nsd on 127\.0\.0\.1:\d+ did not answer SOA for broken\.test\.[\s\S]*broken\.test/,
    );
    expect(leftovers()).toEqual(before);
  });
});

describe('the DNS fixture queries and dig output', () => {
  it('collapses whitespace, keeps the TTL and drops comments and blank lines', () => {
    expect(normaliseLines('example.test.\t\t3600\tIN\tA\t192.0.2.10\n\n;; comment\n')).toEqual([
      'example.test. 3600 IN A 192.0.2.10',
    ]);
  });

  it('keeps FIXTURE_QUERIES to names inside the fixture zones', () => {
    const origins = fixtureZones().map((zone) => zone.origin);
    for (const [name] of FIXTURE_QUERIES) {
      expect(
        origins.some((origin) => name === origin || name.endsWith(`.${origin}`)),
        name,
      ).toBe(true);
    }
  });
});
