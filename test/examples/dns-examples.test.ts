/**
 * The lecture's closing example (examples/dns/records.mjs), run as a student runs it, against
 * NSD serving the fixture zone: every kind of record the lecture names, with its TTL.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DnsServer, fixtureZones, startNsd } from '../helpers/dns-peers.js';
import { describeWithPeers, NSD } from '../helpers/peers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describeWithPeers('programming DNS records', [NSD], () => {
  let nsd: DnsServer;
  beforeAll(async () => {
    nsd = await startNsd(fixtureZones());
  }, 30_000);
  afterAll(async () => {
    await nsd?.stop();
  });

  it('prints A, AAAA, CNAME, MX, NS, SOA, SRV, TXT and PTR records with their TTLs', () => {
    const run = spawnSync(
      process.execPath,
      ['examples/dns/records.mjs', 'example.test', '127.0.0.1', String(nsd.port)],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^A\texample\.test\tTTL 3600\t192\.0\.2\.10$/m);
    expect(out).toMatch(/^AAAA\texample\.test\tTTL \d+\t2001:db8::/m);
    expect(out).toMatch(/^CNAME\twww\.example\.test\tTTL \d+\talias of \S+\.$/m);
    expect(out).toMatch(/^MX\texample\.test\tTTL 3600\tmail\.example\.test\. has preference 10$/m);
    expect(out).toMatch(/^NS\texample\.test\tTTL 3600\tname server ns1\.example\.test\.$/m);
    expect(out).toMatch(
      /^SOA\texample\.test\tTTL 3600\tserial 2024010101, refresh 7200, retry 3600, expire 1209600, minimum 300$/m,
    );
    expect(out).toMatch(/^SRV\t_sip\._tcp\.example\.test\tTTL \d+\t\S+:\d+ priority \d+ weight \d+$/m);
    expect(out).toMatch(/^TXT\texample\.test\t/m);
    expect(out).toMatch(/^PTR\t192\.0\.2\.10\t/m);
  });
});
