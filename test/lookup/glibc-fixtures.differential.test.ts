/**
 * netkit's files backend against glibc's own, on rich and on generated fixture files:
 * /etc/hosts, /etc/services and /etc/host.conf are bind-mounted in a private mount
 * namespace (unshare -m, needs root), and netkit, Python and getent all run there.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEntry } from '../../src/lookup/services-file.js';
import { describeWithPeers, GETENT, PYTHON3 } from '../helpers/peers.js';
import {
  type Batch,
  canMountFixtures,
  differences,
  type Mounts,
  type Outcome,
  okValue,
  type ProbeQuery,
  runBatch,
  UNSHARE,
} from './differential.js';
import {
  RICH_HOST_QUERIES,
  RICH_HOSTS,
  RICH_SERVICE_NAMES,
  RICH_SERVICE_PORTS,
  RICH_SERVICE_PROTOS,
  RICH_SERVICES,
} from './fixtures.js';
import { compareGetentHosts, compareHosts, getentArgsFor, HOST_FUNCTIONS } from './host-comparisons.js';

const mountable = canMountFixtures();

// Only the files source: these tests are about /etc/hosts, and DNS answers (or timeouts)
// for names missing from the fixture would only add noise.
const FILES_ONLY = '/etc/nsswitch.conf';
const FILES_ONLY_CONF = 'hosts: files\nservices: files\n';

describeWithPeers(
  'glibc on fixture files: netkit against Python and getent',
  [PYTHON3, GETENT, UNSHARE],
  () => {
    if (!mountable) {
      process.stderr.write('\n*** SKIPPED glibc fixture tests: bind mounts need root and unshare -m\n\n');
    }

    describe.skipIf(!mountable)('rich fixtures', () => {
      for (const multi of ['on', 'off']) {
        describe(`/etc/hosts with multi ${multi}`, () => {
          let batch: Batch;
          const keys = RICH_HOST_QUERIES.filter((key) => key !== '');
          beforeAll(() => {
            const mounts: Mounts = {
              '/etc/hosts': RICH_HOSTS,
              '/etc/host.conf': `multi ${multi}\n`,
              [FILES_ONLY]: FILES_ONLY_CONF,
            };
            batch = runBatch({ hosts: RICH_HOST_QUERIES }, getentArgsFor(keys), mounts);
          });

          it('answers every name and address as Python does, function by function', () => {
            const { count, diffs } = compareHosts(batch, RICH_HOST_QUERIES, { herrorClassOnly: true });
            expect(diffs).toEqual([]);
            expect(count).toBe(RICH_HOST_QUERIES.length * HOST_FUNCTIONS.length);
          });

          it('prints what getent hosts, ahosts and ahostsv4 print', () => {
            expect(compareGetentHosts(batch, keys)).toEqual([]);
          });
        });
      }

      describe('/etc/services', () => {
        const query: ProbeQuery = {
          byname: RICH_SERVICE_NAMES.flatMap((name) =>
            RICH_SERVICE_PROTOS.map((p) => [name, p] as [string, string | null]),
          ),
          byport: RICH_SERVICE_PORTS.flatMap((port) =>
            RICH_SERVICE_PROTOS.map((p) => [port, p] as [number, string | null]),
          ),
        };
        // getent services KEY: KEY is NAME, NAME/PROTO, PORT or PORT/PROTO; one getent for all of them.
        const keyed = [
          ...query.byname!.map(([name, proto], i) => ({
            key: proto === null ? name : `${name}/${proto}`,
            i,
            by: 'byname' as const,
          })),
          ...query.byport!.map(([port, proto], i) => ({
            key: proto === null ? `${port}` : `${port}/${proto}`,
            i,
            by: 'byport' as const,
          })),
        ].filter(({ key }) => key !== '' && !key.startsWith('/'));
        let batch: Batch;
        beforeAll(() => {
          batch = runBatch(query, [['services', ...keyed.map(({ key }) => key)]], {
            '/etc/services': RICH_SERVICES,
            [FILES_ONLY]: FILES_ONLY_CONF,
          });
        });

        it('gives the port of every name and alias, per protocol, as Python does', () => {
          const diffs = query.byname!.flatMap(([name, proto], i) => {
            const ours = batch.netkit.byname[i]!;
            const port = 'ok' in ours ? { ok: (ours.ok as { port: number }).port } : ours;
            return differences(`getservbyname(${name}, ${proto})`, port, batch.python.byname[i]);
          });
          expect(diffs).toEqual([]);
        });

        it('gives the name on every port, per protocol, as Python does', () => {
          const diffs = query.byport!.flatMap(([port, proto], i) => {
            const ours = batch.netkit.byport[i]!;
            const name = 'ok' in ours ? { ok: (ours.ok as { name: string }).name } : ours;
            return differences(`getservbyport(${port}, ${proto})`, name, batch.python.byport[i]);
          });
          expect(diffs).toEqual([]);
        });

        it('prints what getent services prints for every key', () => {
          const found = keyed.map(({ i, by }) => okValue<ServiceEntry>(batch.netkit[by][i]));
          const expected = {
            status: found.every(Boolean) ? 0 : 2,
            lines: found
              .filter((e) => e !== undefined)
              .map((e) => [e.name, `${e.port}/${e.proto}`, ...e.aliases]),
          };
          expect(batch.getent[0]).toEqual(expected);
          expect(expected.lines.length).toBeGreaterThan(100);
        });
      });
    });

    describe.skipIf(!mountable)('generated hosts files', () => {
      const ADDRESSES = ['10.0.0.1', '10.0.0.2', '127.0.0.1', '::1', 'fe80::1', '::ffff:10.0.0.1', 'fd00::1'];
      const BAD_ADDRESSES = ['010.0.0.1', '10.0.0.256', 'fe80::1%lo', 'not-an-ip', '1.2.3'];
      const NAMES = ['a', 'b', 'c', 'A', 'ab.example', 'Ab.Example', 'x-y'];
      const blank = fc.constantFrom(' ', '\t', '  ', ' \t ');
      const line = fc
        .record({
          lead: fc.constantFrom('', ' ', '\t'),
          address: fc.constantFrom(...ADDRESSES, ...BAD_ADDRESSES),
          names: fc.array(fc.constantFrom(...NAMES), { maxLength: 4 }),
          sep: blank,
          comment: fc.constantFrom('', ' # note', '#x'),
          cr: fc.constantFrom('', '\r'),
        })
        .map((l) => `${l.lead}${[l.address, ...l.names].join(l.sep)}${l.comment}${l.cr}`);
      const file = fc.array(
        fc.oneof({ weight: 6, arbitrary: line }, fc.constantFrom('', '# comment', '   ')),
        {
          maxLength: 10,
        },
      );

      it('answer as glibc does for every name and address in them', () => {
        const names = [...NAMES, ...NAMES.map((n) => n.toUpperCase()), ...ADDRESSES, 'missing'];
        fc.assert(
          fc.property(file, fc.boolean(), (lines, multi) => {
            const mounts = {
              // A final newline: glibc misreads a last line that has leading blanks and none.
              '/etc/hosts': `${lines.join('\n')}\n`,
              '/etc/host.conf': `multi ${multi ? 'on' : 'off'}\n`,
              [FILES_ONLY]: FILES_ONLY_CONF,
            };
            const batch = runBatch({ hosts: names }, [], mounts);
            expect(compareHosts(batch, names, { herrorClassOnly: true }).diffs).toEqual([]);
          }),
          { numRuns: 25 },
        );
      }, 120_000);
    });

    describe.skipIf(!mountable)('generated services files', () => {
      const NAMES = ['svc', 'other', 'Svc', 'alias', 'x-1'];
      const PORTS = [
        '7',
        '0x1f',
        '010',
        '+9',
        '-1',
        '65536',
        '70000',
        '4294967295',
        '4294967296',
        '08',
        'x',
        '',
      ];
      const PROTOS = ['tcp', 'udp', 'TCP', ''];
      const line = fc
        .record({
          lead: fc.constantFrom('', ' ', '\t'),
          name: fc.constantFrom(...NAMES),
          port: fc.constantFrom(...PORTS),
          slash: fc.constantFrom('/', '//', ''),
          proto: fc.constantFrom(...PROTOS),
          aliases: fc.array(fc.constantFrom(...NAMES), { maxLength: 3 }),
          sep: fc.constantFrom(' ', '\t', ' \t '),
          comment: fc.constantFrom('', ' # note', '#x'),
        })
        .map(
          (l) =>
            `${l.lead}${[l.name, `${l.port}${l.slash}${l.proto}`, ...l.aliases].join(l.sep)}${l.comment}`,
        );
      const file = fc.array(fc.oneof({ weight: 6, arbitrary: line }, fc.constantFrom('', '# comment')), {
        maxLength: 10,
      });
      const protos = [null, 'tcp', 'udp', 'TCP', ''];
      const query: ProbeQuery = {
        byname: NAMES.flatMap((name) => protos.map((p) => [name, p] as [string, string | null])),
        byport: [0, 7, 8, 9, 31, 4464, 65535].flatMap((port) =>
          protos.map((p) => [port, p] as [number, string | null]),
        ),
      };

      it('answer as glibc does for every name and port in them', () => {
        fc.assert(
          fc.property(file, (lines) => {
            const mounts = { '/etc/services': `${lines.join('\n')}\n`, [FILES_ONLY]: FILES_ONLY_CONF };
            const batch = runBatch(query, [], mounts);
            const port = (o: Outcome) => ('ok' in o ? { ok: (o.ok as ServiceEntry).port } : o);
            const name = (o: Outcome) => ('ok' in o ? { ok: (o.ok as ServiceEntry).name } : o);
            const diffs = [
              ...query.byname!.flatMap(([n, p], i) =>
                differences(
                  `getservbyname(${n}, ${p})`,
                  port(batch.netkit.byname[i]!),
                  batch.python.byname[i],
                ),
              ),
              ...query.byport!.flatMap(([n, p], i) =>
                differences(
                  `getservbyport(${n}, ${p})`,
                  name(batch.netkit.byport[i]!),
                  batch.python.byport[i],
                ),
              ),
            ];
            expect(diffs).toEqual([]);
          }),
          { numRuns: 25 },
        );
      }, 120_000);
    });
  },
);
