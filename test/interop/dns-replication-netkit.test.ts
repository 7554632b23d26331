/**
 * Issue 9's interop, with the real servers on loopback ports:
 *
 * - NSD, Knot and BIND as secondaries of `netkit serve dns`: each transfers the zone (AXFR),
 *   answers the fixture queries as netkit does, and after an edit of netkit's zone file
 *   (reloaded, journaled, NOTIFY sent) gets the new serial by IXFR within seconds.
 * - netkit as a secondary of NSD, of Knot and of BIND: transfers the zone, answers as the
 *   primary does, and follows the primary's NOTIFY after an update within two seconds (by
 *   IXFR from Knot and BIND, which offer it; NSD 4.6 sends the whole zone).
 * - TSIG both ways: everything above runs with a key (hmac-sha256, hmac-sha512 and hmac-sha1,
 *   each both ways); a secondary with the wrong key, or none, never gets the zone, and the
 *   refusal is logged.
 *
 * Answers are compared with minimal responses on both sides (NSD and BIND `minimal-responses:
 * yes`, netkit --minimal-responses; Knot adds no more than that for these queries): RCODE, AA
 * and the answer section, and the authority section of negative answers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rcodeToText } from '../../src/dns/constants.js';
import type { Message } from '../../src/dns/message.js';
import { Name } from '../../src/dns/name.js';
import type { SoaRdata } from '../../src/dns/rdata/types.js';
import { recordToText } from '../../src/dns/record.js';
import { query } from '../../src/resolver/query.js';
import { FIXTURE_QUERIES, fixtureZones } from '../helpers/dns-peers.js';
import {
  lastTransferKind,
  makeTsigKey,
  type PeerKind,
  type ReplicationPeer,
  startPrimaryPeer,
  startSecondaryPeer,
  type TsigSpec,
} from '../helpers/dns-replication-peers.js';
import { freePort, killNetkitProcesses, type NetkitProcess, startNetkit } from '../helpers/netkit-process.js';
import { DIG, describeWithPeers, KNOTD, NAMED, NSD } from '../helpers/peers.js';

const ZONE = 'example.test.';
const BASE = fixtureZones().find((zone) => zone.origin === ZONE)!.text;
const QUERIES = FIXTURE_QUERIES.filter(([name]) => name.endsWith(ZONE));
/**
 * The key's algorithm differs by peer and by direction, so that each of hmac-sha256, hmac-sha512
 * and hmac-sha1 (RFC 8945 §6: SHA-1 for old peers) is tested both ways.
 */
const PEERS: {
  kind: PeerKind;
  program: typeof NSD;
  asSecondary: TsigSpec['algorithm'];
  asPrimary: TsigSpec['algorithm'];
}[] = [
  { kind: 'nsd', program: NSD, asSecondary: 'hmac-sha256', asPrimary: 'hmac-sha1' },
  { kind: 'knot', program: KNOTD, asSecondary: 'hmac-sha512', asPrimary: 'hmac-sha256' },
  { kind: 'bind', program: NAMED, asSecondary: 'hmac-sha1', asPrimary: 'hmac-sha512' },
];

/** The fixture zone at `serial`, with one record of its own (so each version differs). */
function zoneVersion(serial: number): string {
  const text = BASE.replace(/2024010101 ; serial/, `${serial} ; serial`);
  if (text === BASE) throw new Error('the fixture SOA changed: update zoneVersion');
  return `${text}\nversion${serial} IN A 192.0.2.${serial % 250}\nversion${serial} IN TXT "serial ${serial}"\n`;
}

const tsigArg = (key: TsigSpec) => `${key.name}:${key.algorithm}:${key.secret}`;
const folders: string[] = [];
function folder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

async function netkitDns(port: number, args: string[]): Promise<NetkitProcess> {
  return startNetkit(
    [
      'serve',
      'dns',
      ...args,
      '--minimal-responses',
      '--listen',
      `udp://127.0.0.1:${port}`,
      '--listen',
      `tcp://127.0.0.1:${port}`,
      '--log-level',
      'info',
    ],
    /listening on/,
    20_000,
  );
}

async function servedSerial(port: number): Promise<number | undefined> {
  try {
    const result = await query(Name.fromText(ZONE), 6, {
      server: '127.0.0.1',
      port,
      timeoutMs: 500,
      retries: 0,
      recursionDesired: false,
    });
    const soa = result.reply.answer.find((record) => record.type === 6);
    return soa ? (soa.data as SoaRdata).serial : undefined;
  } catch {
    return undefined;
  }
}

async function waitForNetkitSerial(
  port: number,
  serial: number,
  timeoutMs: number,
  output: () => string,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await servedSerial(port)) === serial) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`netkit on ${port} did not serve serial ${serial} within ${timeoutMs} ms:\n${output()}`);
}

interface Compared {
  rcode: string;
  aa: boolean;
  answer: string[];
  authority: string[];
}

function comparable(message: Message): Compared {
  const text = (records: Message['answer']) =>
    records.map((record) => recordToText(record).toLowerCase()).sort();
  return {
    rcode: rcodeToText(message.rcode),
    aa: message.flags.aa,
    answer: text(message.answer),
    // Negative answers carry the SOA; positive ones may carry NS (servers differ there).
    authority: message.answer.length === 0 ? text(message.authority) : [],
  };
}

async function answersOf(port: number): Promise<Record<string, Compared>> {
  const out: Record<string, Compared> = {};
  for (const [name, type] of QUERIES) {
    const result = await query(Name.fromText(name), type === 'TYPE65280' ? 65280 : typeNumber(type), {
      server: '127.0.0.1',
      port,
      transport: 'tcp',
      timeoutMs: 2000,
      retries: 0,
      recursionDesired: false,
    });
    out[`${name} ${type}`] = comparable(result.reply);
  }
  return out;
}

function typeNumber(type: string): number {
  const types: Record<string, number> = {
    A: 1,
    NS: 2,
    CNAME: 5,
    SOA: 6,
    PTR: 12,
    HINFO: 13,
    MX: 15,
    TXT: 16,
    AAAA: 28,
    SRV: 33,
    NAPTR: 35,
    DS: 43,
    SSHFP: 44,
    RRSIG: 46,
    NSEC: 47,
    DNSKEY: 48,
    NSEC3PARAM: 51,
    TLSA: 52,
    SVCB: 64,
    HTTPS: 65,
    SPF: 99,
    CAA: 257,
    DNAME: 39,
  };
  const number = types[type];
  if (number === undefined) throw new Error(`no number for ${type}`);
  return number;
}

afterAll(() => {
  killNetkitProcesses();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describeWithPeers('zone replication between netkit and NSD, Knot, BIND', [DIG, NSD, KNOTD, NAMED], () => {
  for (const { kind, asSecondary, asPrimary } of PEERS) {
    describe(`${kind} as a secondary of netkit (${asSecondary})`, () => {
      it('transfers the zone, answers as netkit does, follows an edit by NOTIFY and IXFR; a wrong key or none gets nothing', async () => {
        const key = makeTsigKey('transfer-key.', asSecondary);
        const netkitPort = await freePort();
        const peerPort = await freePort();
        const dir = folder('netkit-primary-');
        const file = join(dir, 'example.test.zone');
        writeFileSync(file, zoneVersion(1));
        const netkit = await netkitDns(netkitPort, [
          '--zone',
          `${ZONE}=${file}`,
          '--notify',
          `127.0.0.1:${peerPort}`,
          '--tsig',
          tsigArg(key),
          '--data-dir',
          join(dir, 'data'),
        ]);
        let peer: ReplicationPeer | undefined;
        let stranger: ReplicationPeer | undefined;
        let keyless: ReplicationPeer | undefined;
        try {
          peer = await startSecondaryPeer(kind, {
            zone: ZONE,
            primary: { host: '127.0.0.1', port: netkitPort },
            tsig: key,
            port: peerPort,
          });
          await peer.waitForSerial(ZONE, 1, 15_000);
          expect(await answersOf(peer.port)).toEqual(await answersOf(netkitPort));

          writeFileSync(file, zoneVersion(2));
          const took = await peer.waitForSerial(ZONE, 2, 10_000);
          console.log(
            `${kind} followed netkit's edit: serial 2 served ${took} ms after the file was written`,
          );
          expect(took).toBeLessThan(10_000);
          expect(lastTransferKind(peer, ZONE)).toBe('IXFR');
          expect(await answersOf(peer.port)).toEqual(await answersOf(netkitPort));

          // A wrong key, and no key at all: neither gets the zone.
          [stranger, keyless] = await Promise.all([
            startSecondaryPeer(kind, {
              zone: ZONE,
              primary: { host: '127.0.0.1', port: netkitPort },
              tsig: { ...key, secret: makeTsigKey().secret },
            }),
            startSecondaryPeer(kind, { zone: ZONE, primary: { host: '127.0.0.1', port: netkitPort } }),
          ]);
          await new Promise((resolve) => setTimeout(resolve, 3000));
          expect(await stranger.serial(ZONE)).toBeUndefined();
          expect(await keyless.serial(ZONE)).toBeUndefined();
          expect(netkit.output()).toMatch(/TSIG failed: BADSIG/);
          expect(netkit.output()).toMatch(/refused: not signed with a transfer key/);
        } finally {
          await keyless?.stop();
          await stranger?.stop();
          await peer?.stop();
          netkit.child.kill('SIGTERM');
        }
      }, 90_000);
    });

    describe(`netkit as a secondary of ${kind} (${asPrimary})`, () => {
      it('transfers the zone, answers as the primary does, follows its NOTIFY within 2 s; a wrong key or none gets nothing', async () => {
        const key = makeTsigKey('transfer-key.', asPrimary);
        const netkitPort = await freePort();
        const primary = await startPrimaryPeer(kind, {
          zones: [{ origin: ZONE, text: zoneVersion(10) }],
          notify: [{ host: '127.0.0.1', port: netkitPort }],
          tsig: key,
        });
        const dir = folder('netkit-secondary-');
        let netkit: NetkitProcess | undefined;
        let stranger: NetkitProcess | undefined;
        let keyless: NetkitProcess | undefined;
        try {
          netkit = await netkitDns(netkitPort, [
            '--secondary',
            `example.test@127.0.0.1:${primary.port}`,
            '--tsig',
            tsigArg(key),
            '--data-dir',
            join(dir, 'data'),
          ]);
          await waitForNetkitSerial(netkitPort, 10, 15_000, netkit.output);
          expect(await answersOf(netkitPort)).toEqual(await answersOf(primary.port));

          const before = Date.now();
          await primary.updateZone(ZONE, zoneVersion(11));
          const primaryMs = Date.now() - before;
          const took = await waitForNetkitSerial(netkitPort, 11, 5000, netkit.output);
          console.log(
            `${kind} reloaded and served serial 11 within ${primaryMs} ms of the edit; netkit served it ${Date.now() - before} ms after the edit`,
          );
          expect(took).toBeLessThan(2500);
          if (kind !== 'nsd') expect(netkit.output()).toMatch(/"transfer":"IXFR"/);
          expect(await answersOf(netkitPort)).toEqual(await answersOf(primary.port));

          // The copy is kept: a restart with the primary gone still serves serial 11.
          netkit.child.kill('SIGTERM');
          await netkit.exited;
          // A wrong key, and no key at all: neither gets the zone (the primary refuses).
          const strangerPort = await freePort();
          const keylessPort = await freePort();
          [stranger, keyless] = await Promise.all([
            netkitDns(strangerPort, [
              '--secondary',
              `example.test.@127.0.0.1:${primary.port}`,
              '--tsig',
              tsigArg({ ...key, secret: makeTsigKey().secret }),
              '--data-dir',
              join(dir, 'other-data'),
            ]),
            netkitDns(keylessPort, [
              '--secondary',
              `example.test.@127.0.0.1:${primary.port}`,
              '--data-dir',
              join(dir, 'keyless-data'),
            ]),
          ]);
          await new Promise((resolve) => setTimeout(resolve, 3000));
          expect(await servedSerial(strangerPort)).toBeUndefined();
          expect(await servedSerial(keylessPort)).toBeUndefined();
          expect(stranger.output()).toMatch(/refused key|failed TSIG/);
          expect(keyless.output()).toMatch(/zone not loaded yet: retrying/);
        } finally {
          netkit?.child.kill('SIGTERM');
          stranger?.child.kill('SIGTERM');
          keyless?.child.kill('SIGTERM');
          await primary.stop();
        }
      }, 90_000);
    });
  }
});

describe('netkit primary and secondaries', () => {
  it('chain by NOTIFY and IXFR, keep their copy across a restart, answer SERVFAIL for a zone never loaded', async () => {
    const key = makeTsigKey();
    const primaryPort = await freePort();
    const secondaryPort = await freePort();
    const dir = folder('netkit-restart-');
    const file = join(dir, 'example.test.zone');
    writeFileSync(file, zoneVersion(5));
    const primary = await netkitDns(primaryPort, [
      '--zone',
      `${ZONE}=${file}`,
      '--notify',
      `127.0.0.1:${secondaryPort}`,
      '--tsig',
      tsigArg(key),
      '--data-dir',
      join(dir, 'primary-data'),
    ]);
    // A chain: primary → secondary → third, each passing NOTIFY on.
    const thirdPort = await freePort();
    const secondaryArgs = [
      '--secondary',
      `example.test@127.0.0.1:${primaryPort}`,
      '--tsig',
      tsigArg(key),
      '--notify',
      `127.0.0.1:${thirdPort}`,
      '--data-dir',
      join(dir, 'secondary-data'),
    ];
    let secondary = await netkitDns(secondaryPort, secondaryArgs);
    const third = await netkitDns(thirdPort, [
      '--secondary',
      `example.test@127.0.0.1:${secondaryPort}`,
      '--tsig',
      tsigArg(key),
      '--data-dir',
      join(dir, 'third-data'),
    ]);
    await waitForNetkitSerial(secondaryPort, 5, 15_000, secondary.output);
    await waitForNetkitSerial(thirdPort, 5, 15_000, third.output);
    writeFileSync(file, zoneVersion(6));
    await waitForNetkitSerial(secondaryPort, 6, 5000, secondary.output);
    expect(secondary.output()).toMatch(/"transfer":"IXFR"/);
    await waitForNetkitSerial(thirdPort, 6, 5000, third.output);
    expect(third.output()).toMatch(/"transfer":"IXFR"/);
    third.child.kill('SIGTERM');
    secondary.child.kill('SIGTERM');
    await secondary.exited;
    primary.child.kill('SIGTERM');
    await primary.exited;
    secondary = await netkitDns(secondaryPort, secondaryArgs);
    expect(await servedSerial(secondaryPort)).toBe(6);
    expect(readFileSync(join(dir, 'secondary-data', 'zones', 'example.test', 'zone'), 'utf8')).toContain(
      'version6',
    );
    secondary.child.kill('SIGTERM');

    // A primary that never answers: SERVFAIL, and the secondary keeps running and retrying.
    const lonelyPort = await freePort();
    const lonely = await netkitDns(lonelyPort, [
      '--secondary',
      `example.test@127.0.0.1:${await freePort()}`,
      '--data-dir',
      join(dir, 'lonely-data'),
    ]);
    const reply = await query(Name.fromText('www.example.test.'), 1, {
      server: '127.0.0.1',
      port: lonelyPort,
      timeoutMs: 1000,
      retries: 1,
    });
    expect(rcodeToText(reply.reply.rcode)).toBe('SERVFAIL');
    // The first SOA query gives up after 3 tries of 2 s.
    for (
      let waited = 0;
      waited < 10_000 && !/zone not loaded yet: retrying/.test(lonely.output());
      waited += 200
    )
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lonely.output()).toMatch(/zone not loaded yet: retrying/);
    expect(lonely.child.exitCode).toBeNull();
    lonely.child.kill('SIGTERM');
  }, 60_000);
});

describe('a netkit secondary on its SOA timers alone', () => {
  it('refreshes every `refresh` seconds without NOTIFY, and answers SERVFAIL once `expire` passes without the primary', async () => {
    const primaryPort = await freePort();
    const secondaryPort = await freePort();
    const dir = folder('netkit-timers-');
    const file = join(dir, 'timers.test.zone');
    // refresh 1 s, retry 1 s, expire 4 s (netkit keeps timers at 1 s at least).
    const timersZone = (serial: number) =>
      `timers.test. 60 IN SOA ns.timers.test. root.timers.test. ${serial} 1 1 4 60\ntimers.test. 60 IN NS ns.timers.test.\nns.timers.test. 60 IN A 192.0.2.${serial}\n`;
    writeFileSync(file, timersZone(1));
    const primary = await netkitDns(primaryPort, [
      '--zone',
      `timers.test=${file}`,
      '--data-dir',
      join(dir, 'p'),
    ]);
    const secondary = await netkitDns(secondaryPort, [
      '--secondary',
      `timers.test@127.0.0.1:${primaryPort}`,
      '--data-dir',
      join(dir, 's'),
    ]);
    const serialOf = async () => {
      try {
        const result = await query(Name.fromText('timers.test.'), 6, {
          server: '127.0.0.1',
          port: secondaryPort,
          timeoutMs: 500,
          retries: 0,
        });
        return {
          rcode: rcodeToText(result.reply.rcode),
          serial: (result.reply.answer[0]?.data as SoaRdata | undefined)?.serial,
        };
      } catch {
        return { rcode: 'TIMEOUT', serial: undefined };
      }
    };
    const waitFor = async (want: (state: { rcode: string; serial?: number }) => boolean, ms: number) => {
      const started = Date.now();
      for (;;) {
        const state = await serialOf();
        if (want(state)) return Date.now() - started;
        if (Date.now() - started > ms)
          throw new Error(`not reached in ${ms} ms: ${JSON.stringify(state)}\n${secondary.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await waitFor((state) => state.serial === 1, 10_000);
      writeFileSync(file, timersZone(2));
      // No NOTIFY is sent (no --notify): the refresh timer finds the new serial.
      expect(await waitFor((state) => state.serial === 2, 5000)).toBeLessThan(5000);
      primary.child.kill('SIGTERM');
      await primary.exited;
      // Expire (4 s) counts from the last good refresh; retries every second fail meanwhile.
      const took = await waitFor((state) => state.rcode === 'SERVFAIL', 8000);
      expect(took).toBeGreaterThan(1000);
      expect(secondary.output()).toMatch(/secondary zone expired/);
    } finally {
      secondary.child.kill('SIGTERM');
      primary.child.kill('SIGTERM');
    }
  }, 40_000);
});

describe('replication over IPv6', () => {
  it('a netkit secondary on ::1 follows a netkit primary on ::1 by NOTIFY', async () => {
    const primaryPort = await freePort();
    const secondaryPort = await freePort();
    const dir = folder('netkit-ipv6-');
    const file = join(dir, 'six.test.zone');
    const sixZone = (serial: number) =>
      `six.test. 60 IN SOA ns.six.test. root.six.test. ${serial} 3600 600 86400 60\nsix.test. 60 IN NS ns.six.test.\nns.six.test. 60 IN AAAA 2001:db8::${serial}\n`;
    writeFileSync(file, sixZone(1));
    const listen = (port: number) => ['--listen', `udp://[::1]:${port}`, '--listen', `tcp://[::1]:${port}`];
    const primary = await startNetkit(
      [
        'serve',
        'dns',
        '--zone',
        `six.test=${file}`,
        '--notify',
        `[::1]:${secondaryPort}`,
        '--data-dir',
        join(dir, 'p'),
        ...listen(primaryPort),
      ],
      /listening on/,
    );
    const secondary = await startNetkit(
      [
        'serve',
        'dns',
        '--secondary',
        `six.test@[::1]:${primaryPort}`,
        '--data-dir',
        join(dir, 's'),
        ...listen(secondaryPort),
      ],
      /listening on/,
    );
    const serialOn6 = async () => {
      try {
        const result = await query(Name.fromText('six.test.'), 6, {
          server: '::1',
          port: secondaryPort,
          timeoutMs: 500,
          retries: 0,
        });
        return (result.reply.answer[0]?.data as SoaRdata | undefined)?.serial;
      } catch {
        return undefined;
      }
    };
    const waitFor = async (serial: number) => {
      for (let waited = 0; waited < 10_000; waited += 100) {
        if ((await serialOn6()) === serial) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`serial ${serial} not served over ::1:\n${secondary.output()}`);
    };
    try {
      await waitFor(1);
      writeFileSync(file, sixZone(2));
      await waitFor(2);
      expect(secondary.output()).toMatch(/NOTIFY received/);
      expect(secondary.output()).toMatch(/"transfer":"IXFR"/);
    } finally {
      primary.child.kill('SIGTERM');
      secondary.child.kill('SIGTERM');
    }
  }, 30_000);
});
