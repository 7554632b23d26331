/**
 * `netkit zone check` and `netkit zone format` end to end. Each fixture in
 * test/fixtures/dns/broken/ has one problem; netkit must find an error exactly where
 * named-checkzone or nsd-checkzone does (the presence of an error, not its wording):
 * - out-of-zone data: NSD refuses it, BIND loads the zone and ignores the record; we refuse it;
 * - no NS at the apex, an in-zone NS without an address, an unclosed parenthesis at the end
 *   of the file: BIND refuses them, NSD 4.6 loads them; we refuse them;
 * - an MX pointing at a CNAME: both load it; we warn (exit 0), and exit 1 with --strict.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNetkit } from '../helpers/cli.js';
import { describeWithPeers, NAMED_CHECKZONE, NSD_CHECKZONE } from '../helpers/peers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/dns/', import.meta.url));
const BROKEN = join(FIXTURES, 'broken');
const brokenFiles = readdirSync(BROKEN).filter((name) => name.endsWith('.zone'));

function peerFails(program: string, args: string[]): boolean {
  return spawnSync(program, args, { encoding: 'utf8', timeout: 20_000 }).status !== 0;
}

describeWithPeers(
  'netkit zone check agrees with named-checkzone and nsd-checkzone',
  [NAMED_CHECKZONE, NSD_CHECKZONE],
  () => {
    it.each(brokenFiles)('%s', async (name) => {
      const file = join(BROKEN, name);
      const bind = peerFails('named-checkzone', ['-i', 'local', 'broken.test.', file]);
      const nsd = peerFails('nsd-checkzone', ['broken.test.', file]);
      const ours = await runNetkit(['zone', 'check', '--origin', 'broken.test.', file]);
      expect(ours.code, ours.stdout + ours.stderr).toBe(bind || nsd ? 1 : 0);
      if (bind || nsd) expect(ours.stdout).toMatch(new RegExp(`${name}:\\d+(:\\d+)?: error: `));
    });
  },
);

describe('netkit zone check', () => {
  it('prints each problem with its line; --strict makes warnings errors; --json', async () => {
    const file = join(BROKEN, 'mx-cname.zone');
    const plain = await runNetkit(['zone', 'check', file]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(
      'mx-cname.zone:6: warning: ns1.broken.test. MX mail.broken.test.: the target is a CNAME',
    );
    expect((await runNetkit(['zone', 'check', '--strict', file])).code).toBe(1);
    const json = JSON.parse((await runNetkit(['zone', 'check', '--json', file])).stdout);
    expect(json).toMatchObject({ origin: 'broken.test.', ok: true, records: 5 });
    expect(json.problems[0]).toMatchObject({ severity: 'warning', line: 6 });
  });

  it('a syntax error with FILE:LINE:COLUMN', async () => {
    const result = await runNetkit(['zone', 'check', join(BROKEN, 'syntax.zone')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/syntax\.zone:6:10: error: bad A data/);
  });

  it('the fixtures are fine', async () => {
    for (const name of ['example.test.zone', '2.0.192.in-addr.arpa.zone', '8.b.d.0.1.0.0.2.ip6.arpa.zone']) {
      const result = await runNetkit(['zone', 'check', join(FIXTURES, name)]);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toMatch(/: OK\n$/);
    }
  });

  it('usage errors exit 2', async () => {
    expect((await runNetkit(['zone', 'check'])).code).toBe(2);
  });
});

describe('$INCLUDE from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-zone-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files in the zone file’s folder and refuses the rest, with the path', async () => {
    writeFileSync(join(dir, 'hosts.inc'), 'ns1 A 192.0.2.1\n');
    writeFileSync(
      join(dir, 'ok.zone'),
      '$ORIGIN inc.test.\n$TTL 60\n@ SOA ns1 hm 1 2 3 4 5\n  NS ns1\n$INCLUDE hosts.inc\n',
    );
    const ok = await runNetkit(['zone', 'format', join(dir, 'ok.zone')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('ns1.inc.test. 60 IN A 192.0.2.1');
    writeFileSync(join(dir, 'bad.zone'), '$ORIGIN inc.test.\n$TTL 60\n$INCLUDE /etc/hostname\n');
    const bad = await runNetkit(['zone', 'check', join(dir, 'bad.zone')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /bad\.zone:3:10: error: \$INCLUDE \/etc\/hostname: \/etc\/hostname is outside the zone's folder/,
    );
  });
});

describe('netkit zone format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-zone-format-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(readdirSync(FIXTURES).filter((name) => name.endsWith('.zone')))(
    '%s: format(parse(format(x))) === format(x), and the records are kept',
    async (name) => {
      const once = await runNetkit(['zone', 'format', join(FIXTURES, name)]);
      expect(once.code, once.stderr).toBe(0);
      const formatted = join(dir, name);
      writeFileSync(formatted, once.stdout);
      const twice = await runNetkit(['zone', 'format', formatted]);
      expect(twice.stdout).toBe(once.stdout);
      const original = readFileSync(join(FIXTURES, name), 'utf8');
      expect(original.length).toBeGreaterThan(0);
      expect(once.stdout.startsWith('$ORIGIN ')).toBe(true);
    },
  );
});
