/**
 * The replication driver's decisions that need no network: which NOTIFYs a secondary takes
 * (its primary's address, signed with its key), and a zone given both as a file and as a
 * secondary. The transfers themselves are tested against real servers in
 * test/interop/dns-replication-netkit.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { RCODE } from '../../../src/dns/constants.js';
import { Name } from '../../../src/dns/name.js';
import { makeTsigKey } from '../../../src/dns/tsig.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { ZoneDataDir } from '../../../src/services/dns/data-dir.js';
import { parseSecondarySpec, Replication } from '../../../src/services/dns/replication.js';
import { ZoneStore } from '../../../src/services/dns/zone-store.js';

const dir = mkdtempSync(join(tmpdir(), 'netkit-replication-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = makeTsigKey('k.', 'hmac-sha256', 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0');
const OTHER = makeTsigKey('other.', 'hmac-sha256', 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0');

describe('NOTIFY taken by a secondary', () => {
  it('only from its primary, only signed with its key, only for its zones', async () => {
    const store = new ZoneStore({ specs: [], logger: silentLogger() });
    await store.loadAll();
    // Port 9 (discard) on loopback: nothing answers; the checks fail quietly meanwhile.
    const replication = new Replication({
      secondaries: [parseSecondarySpec('n.test@127.0.0.1:9')],
      notifyTargets: [],
      key: KEY,
      dataDir: new ZoneDataDir(join(dir, 'data')),
      store,
      logger: silentLogger(),
      timeoutMs: 200,
    });
    await replication.start();
    try {
      const zone = Name.fromText('N.TEST.');
      expect(store.zones.inUnavailableZone(Name.fromText('www.n.test.'))).toBe(true);
      expect(replication.notify({ zone, address: '127.0.0.1', key: KEY, serial: 2 })).toBe(RCODE.NOERROR);
      expect(replication.notify({ zone, address: '::ffff:127.0.0.1', key: KEY, serial: 2 })).toBe(
        RCODE.NOERROR,
      );
      expect(replication.notify({ zone, address: '127.0.0.1', key: undefined, serial: 2 })).toBe(
        RCODE.NOTAUTH,
      );
      expect(replication.notify({ zone, address: '127.0.0.1', key: OTHER, serial: 2 })).toBe(RCODE.NOTAUTH);
      expect(replication.notify({ zone, address: '192.0.2.7', key: KEY, serial: 2 })).toBe(RCODE.REFUSED);
      expect(
        replication.notify({ zone: Name.fromText('other.test.'), address: '127.0.0.1', key: KEY, serial: 2 }),
      ).toBe(RCODE.NOTAUTH);
    } finally {
      replication.stop();
    }
  });

  it('a zone given both as --zone and as --secondary is a usage error', async () => {
    const file = join(dir, 'n.test.zone');
    writeFileSync(
      file,
      'n.test. 3600 IN SOA ns.n.test. root.n.test. 1 60 60 600 60\nn.test. 3600 IN NS ns.n.test.\n',
    );
    const store = new ZoneStore({ specs: [{ file }], logger: silentLogger() });
    await store.loadAll();
    const replication = new Replication({
      secondaries: [parseSecondarySpec('n.test@127.0.0.1:9')],
      notifyTargets: [],
      dataDir: new ZoneDataDir(join(dir, 'data2')),
      store,
      logger: silentLogger(),
    });
    await expect(replication.start()).rejects.toThrow(UsageError);
    replication.stop();
  });
});
