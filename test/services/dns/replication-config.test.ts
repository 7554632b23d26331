/** The replication flags: --secondary, --notify, --tsig, --tsig-file, --data-dir, --allow-notify. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { Name } from '../../../src/dns/name.js';
import { defaultDataDir, ZoneDataDir } from '../../../src/services/dns/data-dir.js';
import { parseHostPort, parseSecondarySpec } from '../../../src/services/dns/replication.js';
import { replicationConfig } from '../../../src/services/dns/replication-config.js';
import { createDnsService } from '../../../src/services/dns/service.js';

const dir = mkdtempSync(join(tmpdir(), 'netkit-replication-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--secondary ZONE@PRIMARY[:PORT]', () => {
  it('takes the zone with or without its final dot, and IPv4, IPv6 and names as primary', () => {
    const a = parseSecondarySpec('example.test@127.0.0.1:5300');
    expect([a.zone.toText(), a.primary]).toEqual(['example.test.', { host: '127.0.0.1', port: 5300 }]);
    expect(parseSecondarySpec('example.test.@127.0.0.1').primary).toEqual({ host: '127.0.0.1', port: 53 });
    expect(parseSecondarySpec('x.test@[::1]:5301').primary).toEqual({ host: '::1', port: 5301 });
    expect(parseSecondarySpec('x.test@::1').primary).toEqual({ host: '::1', port: 53 });
    expect(parseSecondarySpec('x.test@ns1.example:54').primary).toEqual({ host: 'ns1.example', port: 54 });
  });

  it('refuses what is not ZONE@HOST[:PORT], naming the flag', () => {
    for (const bad of [
      'example.test',
      '@127.0.0.1',
      'x.test@',
      'x.test@127.0.0.1:0',
      'x.test@127.0.0.1:99999',
      'x..test@1.2.3.4',
    ])
      expect(() => parseSecondarySpec(bad), bad).toThrow(UsageError);
    expect(() => parseHostPort('host:port', '--notify')).toThrow(/--notify/);
    expect(() => replicationConfig({ secondaries: ['a.test@1.2.3.4', 'A.test.@5.6.7.8'] })).toThrow(/twice/);
  });
});

describe('keys and folders', () => {
  it('reads --tsig and --tsig-file keys, the first signing', () => {
    const file = join(dir, 'key.conf');
    writeFileSync(
      file,
      'key "from-file" {\n\talgorithm hmac-sha512;\n\tsecret "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";\n};\n',
    );
    const config = replicationConfig({
      tsig: ['first:hmac-sha256:c2VjcmV0c2VjcmV0'],
      tsigFiles: [file],
      dataDir: dir,
    });
    expect(config.keys.map((key) => [key.name.toText(), key.algorithm])).toEqual([
      ['first.', 'hmac-sha256'],
      ['from-file.', 'hmac-sha512'],
    ]);
    expect(() => replicationConfig({ tsig: ['name:hmac-nope:c2VjcmV0'] })).toThrow(/--tsig/);
    expect(() => replicationConfig({ tsigFiles: [join(dir, 'missing')] })).toThrow(/--tsig-file/);
    expect(() => replicationConfig({ allowNotify: 'not-an-address' })).toThrow(/--allow-notify/);
  });

  it('--axfr-allow CIDR@KEY must name a key that is given', () => {
    expect(() => createDnsService({ axfrAllow: '127.0.0.1@missing', dataDir: dir })).toThrow(
      /names the key missing\., which no --tsig or --tsig-file gives/,
    );
    expect(() =>
      createDnsService({ axfrAllow: '127.0.0.1@given', tsig: ['given:hmac-sha256:c2VjcmV0'], dataDir: dir }),
    ).not.toThrow();
  });

  it('keeps each zone in a folder of its own name; the default follows XDG', () => {
    const data = new ZoneDataDir('/var/lib/x');
    expect(data.folder(Name.fromText('Example.TEST.'))).toBe('/var/lib/x/zones/example.test');
    expect(data.folder(Name.fromText('.'))).toBe('/var/lib/x/zones/root');
    expect(data.folder(Name.fromText('a\\/b.test.'))).toBe('/var/lib/x/zones/a%2fb.test');
    expect(defaultDataDir({ XDG_STATE_HOME: '/state' })).toBe('/state/netkit/dns');
    expect(defaultDataDir({})).toMatch(/\.local\/state\/netkit\/dns$/);
  });

  it('writes files whole and reads them back', async () => {
    const data = new ZoneDataDir(dir);
    const origin = Name.fromText('w.test.');
    expect(data.read(origin, 'journal')).toBeUndefined();
    await data.write(origin, 'journal', new Uint8Array([1, 2, 3]));
    expect([...data.read(origin, 'journal')!]).toEqual([1, 2, 3]);
    await data.write(origin, 'state.json', JSON.stringify({ serial: 4, confirmedAt: 5 }));
    expect(data.readState(origin)).toEqual({ serial: 4, confirmedAt: 5 });
    await data.write(origin, 'state.json', '{broken');
    expect(data.readState(origin)).toBeUndefined();
  });
});
