/**
 * The replication harness (test/helpers/dns-replication-peers.ts) proved between the peers
 * themselves, before netkit stands in for either end: for each pair of a rotation (NSD → Knot,
 * Knot → BIND, BIND → NSD), all with TSIG, the secondary transfers the zone, follows the
 * primary's NOTIFY after an update within 3 s (by IXFR when the primary keeps a journal), and
 * with a wrong key never gets the zone while the primary logs the refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { digAnswer, digShort } from '../helpers/dns-peers.js';
import {
  lastTransferKind,
  makeTsigKey,
  type PeerKind,
  type PrimaryPeer,
  type ReplicationPeer,
  serialOfZoneText,
  startPrimaryPeer,
  startSecondaryPeer,
  type TsigSpec,
} from '../helpers/dns-replication-peers.js';
import { freePort } from '../helpers/netkit-process.js';
import { DIG, describeWithPeers, KNOTD, NAMED, NSD } from '../helpers/peers.js';

const ORIGIN = 'xfr.test.';

/** A small zone with short SOA timers (refresh 2 s, retry 1 s), so a secondary never waits long. */
function zoneText(serial: number, extra: string[] = []): string {
  return [
    `$ORIGIN ${ORIGIN}`,
    '$TTL 300',
    `@ IN SOA ns1 hostmaster ( ${serial} 2 1 600 60 )`,
    '@ IN NS ns1',
    'ns1 IN A 192.0.2.1',
    'www IN A 192.0.2.80',
    'www IN AAAA 2001:db8::80',
    '@ IN MX 10 mail',
    'mail IN A 192.0.2.25',
    'txt IN TXT "replicated"',
    ...extra,
    '',
  ].join('\n');
}

/** The rotation: each server once a primary and once a secondary, each pair with another algorithm. */
const PAIRS: [PeerKind, PeerKind, TsigSpec['algorithm']][] = [
  ['nsd', 'knot', 'hmac-sha256'],
  ['knot', 'bind', 'hmac-sha512'],
  ['bind', 'nsd', 'hmac-sha1'],
];

/** What each primary logs when it refuses a request signed with the right key name and a wrong secret. */
const REFUSAL: Record<PeerKind, RegExp> = {
  nsd: /bad tsig signature for key transfer-key\. from 127\.0\.0\.1/,
  knot: /TSIG, key 'transfer-key\.', verification failed 'BADSIG'/,
  bind: /request has invalid signature: TSIG transfer-key: tsig verify failure \(BADSIG\)/,
};

const WRONG_KEY_WAIT_MS = 3_000;

/** The zone's records by AXFR (signed when `tsig` is given), sorted: the same at both ends once replicated. */
async function axfr(port: number, tsig?: TsigSpec): Promise<string[]> {
  const key = tsig ? ['-y', `${tsig.algorithm}:${tsig.name}:${tsig.secret}`] : [];
  return (await digAnswer(port, ORIGIN, 'AXFR', key)).sort();
}

const started: ReplicationPeer[] = [];
afterEach(async () => {
  if (process.env.XFR_DEBUG) for (const peer of started) console.log(`---- ${peer.kind}\n${peer.output()}`);
  await Promise.all(started.splice(0).map((peer) => peer.stop()));
});

function track<T extends ReplicationPeer>(peer: T): T {
  started.push(peer);
  return peer;
}

/** The primary (NOTIFY to the secondary) and then the secondary, each with its key or none. */
async function startPair(
  primaryKind: PeerKind,
  secondaryKind: PeerKind,
  keys: { primary?: TsigSpec; secondary?: TsigSpec },
): Promise<{ primary: PrimaryPeer; secondary: ReplicationPeer }> {
  // The primary's NOTIFY targets are fixed at its start: the secondary's port is reserved first.
  const secondaryPort = await freePort();
  const primary = track(
    await startPrimaryPeer(primaryKind, {
      zones: [{ origin: ORIGIN, text: zoneText(1) }],
      notify: [{ host: '127.0.0.1', port: secondaryPort }],
      tsig: keys.primary,
    }),
  );
  const secondary = track(
    await startSecondaryPeer(secondaryKind, {
      zone: ORIGIN,
      primary: { host: '127.0.0.1', port: primary.port },
      tsig: keys.secondary,
      port: secondaryPort,
    }),
  );
  return { primary, secondary };
}

describe('the helpers that need no peer', () => {
  it('makes keys as tsig-keygen does: as many random bytes as the hash gives', () => {
    expect(Buffer.from(makeTsigKey('a.', 'hmac-sha1').secret, 'base64')).toHaveLength(20);
    expect(Buffer.from(makeTsigKey('a.').secret, 'base64')).toHaveLength(32);
    expect(Buffer.from(makeTsigKey('a.', 'hmac-sha512').secret, 'base64')).toHaveLength(64);
    expect(makeTsigKey().secret).not.toBe(makeTsigKey().secret);
  });

  it('reads the serial of a zone text, with or without parentheses and comments', () => {
    expect(serialOfZoneText(zoneText(7))).toBe(7);
    expect(serialOfZoneText('@ 300 IN SOA ns hm 42 1 1 1 1\n')).toBe(42);
    expect(serialOfZoneText('@ SOA ns hm ( ; the serial\n 2024010101 ; here\n 1 1 1 1 )\n')).toBe(2024010101);
  });
});

describeWithPeers('DNS replication between NSD, Knot and BIND', [NSD, KNOTD, NAMED, DIG], () => {
  for (const [primaryKind, secondaryKind, algorithm] of PAIRS) {
    describe(`${primaryKind} → ${secondaryKind}`, () => {
      it(`transfers the zone with TSIG (${algorithm}) and follows a NOTIFY`, async () => {
        const tsig = makeTsigKey('transfer-key.', algorithm);
        const { primary, secondary } = await startPair(primaryKind, secondaryKind, {
          primary: tsig,
          secondary: tsig,
        });
        await secondary.waitForSerial(ORIGIN, 1, 10_000);
        expect(lastTransferKind(secondary, ORIGIN)).toBe('AXFR');

        const next = zoneText(2, ['new IN A 192.0.2.99']);
        await primary.updateZone(ORIGIN, next);
        const ms = await secondary.waitForSerial(ORIGIN, 2, 3_000);
        expect(ms).toBeLessThan(3_000);
        // NSD 4.6 answers an IXFR query with the whole zone (without create-ixfr, see the helper).
        expect(lastTransferKind(secondary, ORIGIN)).toBe(primaryKind === 'nsd' ? 'AXFR' : 'IXFR');
        expect(await digShort(secondary.port, `new.${ORIGIN}`, 'A')).toEqual(['192.0.2.99']);
        expect(await axfr(secondary.port)).toEqual(await axfr(primary.port, tsig));
      });

      it('transfers and follows a NOTIFY without TSIG', async () => {
        const { primary, secondary } = await startPair(primaryKind, secondaryKind, {});
        await secondary.waitForSerial(ORIGIN, 1, 10_000);
        await primary.updateZone(ORIGIN, zoneText(2, ['new IN A 192.0.2.99']));
        await secondary.waitForSerial(ORIGIN, 2, 3_000);
        expect(await axfr(secondary.port)).toEqual(await axfr(primary.port));
      });

      it('refuses a secondary with the wrong key', async () => {
        const tsig = makeTsigKey();
        // The same key name with another secret: the signature, not the name, is wrong.
        const { primary, secondary } = await startPair(primaryKind, secondaryKind, {
          primary: tsig,
          secondary: makeTsigKey(tsig.name),
        });
        const deadline = Date.now() + WRONG_KEY_WAIT_MS;
        while (Date.now() < deadline) {
          expect(await secondary.serial(ORIGIN)).toBeUndefined();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(lastTransferKind(secondary, ORIGIN)).toBeUndefined();
        expect(primary.output()).toMatch(REFUSAL[primaryKind]);
      });
    });
  }
});
