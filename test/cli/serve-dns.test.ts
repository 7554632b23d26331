/**
 * `netkit serve dns` as a user runs it, queried by real clients: dig, kdig, drill and dnspython
 * (one /usr/bin/python3 process) on loopback. It serves the fixture zone example.test. (the
 * zone NSD serves in the other DNS interop tests) and a zone written here with one name of 200
 * addresses (too big for one UDP reply). Zone transfers are compared with NSD's; garbage over
 * UDP and TCP never stops it answering. `netkit start` runs in a network namespace of its own
 * (its fixed ports cannot clash with other test files there).
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, makeQuery } from '../../src/dns/message.js';
import { NETKIT_MAIN, runNetkit } from '../helpers/cli.js';
import { type DnsServer, fixtureZones, normaliseLines, startNsd } from '../helpers/dns-peers.js';
import { describeHermetic, hermeticScript } from '../helpers/hermetic.js';
import { killNetkitProcesses, type NetkitProcess, serveNetkit } from '../helpers/netkit-process.js';
import { DIG, DNSPYTHON, DRILL, describeWithPeers, KDIG, NSD } from '../helpers/peers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/dns/example.test.zone', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A zone with no $ORIGIN (given as big.test=FILE) and 200 addresses at many.big.test. */
function writeBigZone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-serve-dns-'));
  const lines = ['$TTL 60', '@ IN SOA ns root 1 7200 3600 1209600 300', '@ IN NS ns', 'ns IN A 192.0.2.1'];
  for (let i = 1; i <= 200; i++) lines.push(`many IN A 10.0.${i >> 8}.${i & 255}`);
  const file = join(dir, 'big.zone');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function run(program: string, args: string[], input?: string): { code: number | null; out: string } {
  const result = spawnSync(program, args, { encoding: 'utf8', timeout: 15_000, input });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

const dig = (port: number, ...args: string[]) =>
  run('dig', ['+tries=1', '+time=3', '-p', String(port), '@127.0.0.1', ...args]);

/** Sends one datagram and waits for a reply (or undefined after `timeoutMs`). */
function udpExchange(port: number, bytes: Uint8Array, timeoutMs = 500): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, timeoutMs);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.send(bytes, port, '127.0.0.1');
  });
}

/** Writes `bytes` on a new TCP connection and collects `count` length-prefixed replies. */
function tcpExchange(port: number, bytes: Uint8Array, count: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    const replies: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${replies.length} of ${count} TCP replies`));
    }, 5_000);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        replies.push(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
        buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
      }
      if (replies.length >= count) {
        clearTimeout(timer);
        socket.end();
        resolve(replies);
      }
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const framed = (message: Uint8Array) =>
  Buffer.concat([Buffer.from([message.length >> 8, message.length & 255]), message]);

/** The records of a `dig axfr` as sorted, whitespace-normalised lines. */
const axfrRecords = (output: string) => normaliseLines(output).sort();

describeWithPeers(
  'netkit serve dns with dig, kdig, drill and dnspython',
  [DIG, KDIG, DRILL, DNSPYTHON, NSD],
  () => {
    let port: number;
    let refusing: number;
    let server: NetkitProcess;
    let nsd: DnsServer;

    beforeAll(async () => {
      const big = writeBigZone();
      ({ port, server } = await serveNetkit('dns', {
        extra: ['--zone', FIXTURE, `big.test=${big}`, '--nsid', 'netkit-test'],
      }));
      ({ port: refusing } = await serveNetkit('dns', {
        extra: ['--zone', FIXTURE, '--axfr-allow', '10.0.0.0/8'],
      }));
      nsd = await startNsd(fixtureZones(), { allowAxfr: true });
    }, 40_000);
    afterAll(async () => {
      killNetkitProcesses();
      await nsd?.stop();
    });

    it('answers: an address, NXDOMAIN with the SOA, NODATA, a CNAME followed, a wildcard', () => {
      expect(dig(port, '+short', 'ns1.example.test', 'A').out.trim()).toBe('192.0.2.1');
      const nx = dig(port, 'nope.example.test', 'A').out;
      expect(nx).toMatch(/status: NXDOMAIN/);
      expect(nx).toMatch(/flags: qr aa rd;/);
      expect(nx).toMatch(/^example\.test\.\s+300\s+IN\s+SOA\s/m);
      const nodata = dig(port, 'ptr.example.test', 'A').out;
      expect(nodata).toMatch(/status: NOERROR/);
      expect(nodata).toMatch(/ANSWER: 0, AUTHORITY: 1/);
      expect(normaliseLines(dig(port, '+noall', '+answer', 'www.example.test', 'A').out)).toEqual([
        'www.example.test. 3600 IN CNAME example.test.',
        'example.test. 3600 IN A 192.0.2.10',
      ]);
      expect(normaliseLines(dig(port, '+noall', '+answer', 'a.b.wild.example.test', 'TXT').out)).toEqual([
        'a.b.wild.example.test. 3600 IN TXT "from the wildcard"',
      ]);
    });

    it('gives a referral below a zone cut: NS in authority, glue in additional, no AA', () => {
      const out = dig(port, '+norecurse', 'host.sub.example.test', 'A').out;
      expect(out).toMatch(/status: NOERROR/);
      expect(out).toMatch(/flags: qr;/);
      expect(out).toMatch(/^sub\.example\.test\.\s+3600\s+IN\s+NS\s+ns\.sub\.example\.test\.$/m);
      expect(out).toMatch(/^ns\.sub\.example\.test\.\s+3600\s+IN\s+A\s+192\.0\.2\.53$/m);
    });

    it('truncates a UDP answer that does not fit; dig retries over TCP by itself', () => {
      const out = dig(port, 'many.big.test', 'A').out;
      expect(out).toMatch(/;; Truncated, retrying in TCP mode\./);
      expect(out).toMatch(/ANSWER: 200,/);
      expect(dig(port, '+ignore', '+noedns', 'many.big.test', 'A').out).toMatch(/flags: qr aa tc rd;/);
    });

    it('answers EDNS version 1 with BADVERS, and gives the NSID to +nsid', () => {
      expect(dig(port, '+edns=1', '+noednsneg', 'example.test', 'SOA').out).toMatch(/status: BADVERS/);
      expect(dig(port, '+edns=1', 'example.test', 'SOA').out).toMatch(
        /BADVERS, retrying with EDNS version 0/,
      );
      expect(dig(port, '+nsid', 'example.test', 'SOA').out).toMatch(/; NSID: .*\("netkit-test"\)/);
      expect(dig(port, 'example.test', 'SOA').out).not.toMatch(/NSID/);
    });

    it('kdig and drill over UDP and TCP', () => {
      for (const transport of ['+notcp', '+tcp']) {
        const kdig = run('kdig', [
          '-p',
          String(port),
          '@127.0.0.1',
          transport,
          '+short',
          'example.test',
          'MX',
        ]);
        expect(kdig.out.trim().split('\n').sort(), `kdig ${transport}`).toEqual([
          '10 mail.example.test.',
          '20 mail2.example.net.',
        ]);
      }
      for (const tcp of [[], ['-t']]) {
        const drill = run('drill', [...tcp, '-p', String(port), '@127.0.0.1', 'example.test', 'MX']);
        expect(drill.code, drill.out).toBe(0);
        expect(drill.out).toMatch(/rcode: NOERROR/);
        expect(drill.out).toMatch(/^example\.test\.\s+3600\s+IN\s+MX\s+10 mail\.example\.test\.$/m);
        expect(run('drill', [...tcp, '-p', String(port), '@127.0.0.1', 'nope.example.test']).out).toMatch(
          /rcode: NXDOMAIN/,
        );
      }
    });

    it('dnspython: dns.query.udp and tcp, and several queries pipelined on one connection', () => {
      const script = `
import json, socket, struct, sys, time
import dns.flags, dns.message, dns.query
port = int(sys.argv[1])
out = {}
r = dns.query.udp(dns.message.make_query('example.test.', 'MX'), '127.0.0.1', port=port, timeout=3)
out['udp'] = sorted(rr.to_text() for rr in r.answer[0])
r = dns.query.tcp(dns.message.make_query('www.example.test.', 'A'), '127.0.0.1', port=port, timeout=3)
out['tcp'] = [rrset.to_text() for rrset in r.answer]
r = dns.query.udp(dns.message.make_query('many.big.test.', 'A'), '127.0.0.1', port=port, timeout=3, ignore_trailing=True)
out['tc'] = bool(r.flags & dns.flags.TC)
s = socket.create_connection(('127.0.0.1', port), timeout=3)
names = ['ns1.example.test.', 'ns2.example.test.', 'mail.example.test.', 'nope.example.test.']
queries = [dns.message.make_query(n, 'A') for n in names]
s.sendall(b''.join(struct.pack('!H', len(w)) + w for w in (q.to_wire() for q in queries)))
got = []
for q in queries:
    r, _ = dns.query.receive_tcp(s, expiration=time.time() + 3)
    got.append([r.id == q.id, r.question[0].name.to_text(), dns.rcode.to_text(r.rcode()), [rr.to_text() for rrset in r.answer for rr in rrset]])
s.close()
out['pipelined'] = got
print(json.dumps(out))
`;
      const result = run('/usr/bin/python3', ['-c', `import dns.rcode\n${script}`, String(port)]);
      expect(result.code, result.out).toBe(0);
      const out = JSON.parse(result.out) as Record<string, unknown>;
      expect(out.udp).toEqual(['10 mail.example.test.', '20 mail2.example.net.']);
      expect(out.tcp).toEqual([
        'www.example.test. 3600 IN CNAME example.test.',
        'example.test. 3600 IN A 192.0.2.10',
      ]);
      expect(out.tc).toBe(true);
      expect(out.pipelined).toEqual([
        [true, 'ns1.example.test.', 'NOERROR', ['192.0.2.1']],
        [true, 'ns2.example.test.', 'NOERROR', ['192.0.2.2']],
        [true, 'mail.example.test.', 'NOERROR', ['192.0.2.25']],
        [true, 'nope.example.test.', 'NXDOMAIN', []],
      ]);
    });

    it("AXFR from loopback gives NSD's records for the same zone; refused outside --axfr-allow", () => {
      const ours = dig(port, 'example.test', 'AXFR');
      const theirs = run('dig', ['+tries=1', '-p', String(nsd.port), '@127.0.0.1', 'example.test', 'AXFR']);
      expect(ours.out).toMatch(/XFR size: \d+ records/);
      expect(axfrRecords(ours.out).length).toBeGreaterThan(50);
      expect(axfrRecords(ours.out)).toEqual(axfrRecords(theirs.out));
      const lines = normaliseLines(ours.out);
      expect(lines[0]).toMatch(/^example\.test\. 3600 IN SOA /);
      expect(lines.at(-1)).toBe(lines[0]);
      const refused = dig(refusing, 'example.test', 'AXFR').out;
      expect(refused).toMatch(/Transfer failed/);
      expect(normaliseLines(refused)).toEqual([]);
      // Queries still work there.
      expect(dig(refusing, '+short', 'ns1.example.test', 'A').out.trim()).toBe('192.0.2.1');
    });

    it('garbage datagrams and cut TCP frames never stop it answering good queries', async () => {
      const good = encodeMessage(makeQuery('ns2.example.test', 'A', { id: 4242, edns: true }));
      for (let i = 0; i < 50; i++) {
        const junk = new Uint8Array(1 + ((i * 37) % 200)).map((_, j) => (i * 131 + j * 7) & 255);
        await udpExchange(port, junk, 20);
      }
      // A header that reads, then nonsense: FORMERR with the query's ID.
      const formerr = await udpExchange(port, Buffer.from('abcd0100000100000000000003', 'hex'));
      expect(formerr?.readUInt16BE(0)).toBe(0xabcd);
      expect((formerr?.[3] ?? 0) & 0x0f).toBe(1);
      const reply = await udpExchange(port, good);
      expect(decodeMessage(reply!).answer[0]!.data).toEqual({ address: '192.0.2.2' });
      // TCP: a frame cut short by the peer's close, an empty frame, a frame too short for a header.
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.from([0x00, 0x40, 1, 2, 3])));
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
        socket.resume();
      });
      const replies = await tcpExchange(
        port,
        Buffer.concat([Buffer.from([0, 0, 0, 3, 1, 2, 3]), framed(good), framed(good)]),
        2,
      );
      expect(replies.map((bytes) => decodeMessage(bytes).id)).toEqual([4242, 4242]);
      expect(dig(port, '+short', '+tcp', 'ns1.example.test').out.trim()).toBe('192.0.2.1');
      expect(server.child.exitCode).toBeNull();
    });

    it('a zone that does not parse: FILE:LINE:COLUMN: message, exit 1', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'netkit-serve-dns-bad-'));
      const file = join(dir, 'bad.zone');
      writeFileSync(file, '$ORIGIN bad.test.\n$TTL 60\n@ IN SOA ns root 1 2 3 4 5\nwww IN A 300.1.2.3\n');
      const result = await runNetkit(['serve', 'dns', '--zone', file, '--listen', 'udp://127.0.0.1:0']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^netkit: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: .*\\[NK_DNS_ZONE\\]$`,
          'm',
        ),
      );
      const include = join(dir, 'include.zone');
      writeFileSync(
        include,
        '$ORIGIN inc.test.\n$TTL 60\n@ IN SOA ns root 1 2 3 4 5\n$INCLUDE /etc/hostname\n',
      );
      const outside = await runNetkit(['serve', 'dns', '--zone', include, '--listen', 'udp://127.0.0.1:0']);
      expect(outside.code).toBe(1);
      expect(outside.stderr).toMatch(/outside the zone's folder/);
    });
  },
);

describeHermetic('netkit start serves the example zones', [DIG], () => {
  it('prints the dns rows, and the example zone answers dig and netkit dig', () => {
    const main = NETKIT_MAIN;
    const node = process.execPath;
    const script = [
      'out=$(mktemp)',
      `${JSON.stringify(node)} ${JSON.stringify(main)} start --json >"$out" 2>/dev/null & pid=$!`,
      `for i in $(seq 200); do grep -q '^}' "$out" && break; sleep 0.05; done`,
      'cat "$out"',
      'echo =====',
      'dig +short +tries=1 @127.0.0.1 -p 5353 example.test MX',
      'echo =====',
      `${JSON.stringify(node)} ${JSON.stringify(main)} dig +short @127.0.0.1 -p 5353 example.test MX`,
      'echo =====',
      'dig +short +tries=1 @127.0.0.1 -p 5353 -x 192.0.2.12',
      'kill -INT $pid; wait $pid',
    ].join('\n');
    const result = spawnSync('unshare', ['-n', '-m', 'sh', '-c', hermeticScript(script)], {
      encoding: 'utf8',
      timeout: 30_000,
      cwd: REPO,
    });
    expect(result.status, result.stderr).toBe(0);
    const [json, digMx, netkitMx, ptr] = result.stdout.split('=====\n');
    const table = JSON.parse(json!) as { services: { service: string; address: string; try: string }[] };
    expect(table.services.filter((row) => row.service === 'dns')).toEqual([
      {
        service: 'dns',
        transport: 'udp',
        address: 'udp://127.0.0.1:5353',
        try: 'netkit dig @127.0.0.1 -p 5353 example.test MX',
      },
      {
        service: 'dns',
        transport: 'tcp',
        address: 'tcp://127.0.0.1:5353',
        try: 'dig @127.0.0.1 -p 5353 +tcp example.test MX',
      },
    ]);
    expect(digMx!.trim().split('\n').sort()).toEqual(['10 mail.example.test.', '20 mail2.example.test.']);
    expect(netkitMx!.trim().split('\n').sort()).toEqual(['10 mail.example.test.', '20 mail2.example.test.']);
    expect(ptr!.trim()).toBe('host.example.test.');
  });
});
