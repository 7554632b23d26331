/**
 * `netkit dig` with TSIG (-y, -k with a key file from tsig-keygen) and IXFR (ixfr=SERIAL),
 * against `netkit serve dns` holding a key: what it prints is what BIND's dig prints (as
 * records), and without the key, or with a wrong one, the transfer is refused and says why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runNetkit } from '../helpers/cli.js';
import { normaliseLines } from '../helpers/dns-peers.js';
import { freePort, killNetkitProcesses, type NetkitProcess, startNetkit } from '../helpers/netkit-process.js';
import { DIG, describeWithPeers, NAMED } from '../helpers/peers.js';

const zone = (serial: number, address: string) =>
  [
    '$ORIGIN d.test.',
    '$TTL 300',
    `@ IN SOA ns hostmaster ${serial} 3600 600 86400 60`,
    '@ IN NS ns',
    'ns IN A 192.0.2.1',
    `www IN A ${address}`,
    '',
  ].join('\n');

describeWithPeers('netkit dig with TSIG and IXFR', [DIG, NAMED], () => {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-dig-tsig-'));
  const keyFile = join(dir, 'transfer.key');
  let secret = '';
  let port = 0;
  let server: NetkitProcess;

  beforeAll(async () => {
    // tsig-keygen (bind9) writes the key file BIND and netkit both read.
    writeFileSync(
      keyFile,
      execFileSync('tsig-keygen', ['-a', 'hmac-sha256', 'transfer-key'], { encoding: 'utf8' }),
    );
    secret = /secret "([^"]+)"/.exec(execFileSync('cat', [keyFile], { encoding: 'utf8' }))![1]!;
    const file = join(dir, 'd.test.zone');
    writeFileSync(file, zone(1, '192.0.2.2'));
    port = await freePort();
    server = await startNetkit(
      [
        'serve',
        'dns',
        '--zone',
        `d.test=${file}`,
        '--tsig-file',
        keyFile,
        '--data-dir',
        join(dir, 'data'),
        '--listen',
        `udp://127.0.0.1:${port}`,
        '--listen',
        `tcp://127.0.0.1:${port}`,
      ],
      /listening on/,
    );
    // A change the journal keeps, so that IXFR from serial 1 has something to send.
    writeFileSync(file, zone(2, '192.0.2.3'));
    for (let waited = 0; waited < 5000 && !/zones reloaded/.test(server.output()); waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
  }, 20_000);
  afterAll(() => {
    killNetkitProcesses();
    rmSync(dir, { recursive: true, force: true });
  });

  const common = () => ['-p', String(port), '@127.0.0.1', 'd.test', '+nocmd', '+nostats'];
  const records = (text: string) =>
    normaliseLines(text).filter((line) => !line.startsWith(';') && !/\bTSIG\b/.test(line));

  it('-k KEYFILE axfr and -y ixfr=1 print what dig prints', async () => {
    for (const [ours, theirs] of [
      [
        ['-k', keyFile, 'axfr'],
        ['-k', keyFile, 'axfr'],
      ],
      [
        ['-y', `hmac-sha256:transfer-key:${secret}`, 'ixfr=1'],
        ['-y', `hmac-sha256:transfer-key:${secret}`, 'ixfr=1'],
      ],
    ] as const) {
      const result = await runNetkit(['dig', ...common(), ...ours]);
      expect(result.code).toBe(0);
      const dig = execFileSync('dig', [...common(), ...theirs], { encoding: 'utf8' });
      expect(records(result.stdout)).toEqual(records(dig));
      expect(records(result.stdout).length).toBeGreaterThan(3);
    }
    const ixfr = await runNetkit(['dig', ...common(), '-y', `transfer-key:${secret}`, 'ixfr=1']);
    // SOA 2, SOA 1, the old address, SOA 2, the new address, SOA 2 (RFC 1995 §4).
    expect(records(ixfr.stdout).map((line) => line.split(' ')[3])).toEqual([
      'SOA',
      'SOA',
      'A',
      'SOA',
      'A',
      'SOA',
    ]);
  });

  it('+json prints one RFC 8427 object a message, a line each', async () => {
    const result = await runNetkit([
      'dig',
      '-p',
      String(port),
      '@127.0.0.1',
      '-k',
      keyFile,
      'd.test',
      'axfr',
      '+json',
    ]);
    expect(result.code).toBe(0);
    const messages = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { answerRRs?: { TYPE: number }[] });
    const types = messages.flatMap((message) => (message.answerRRs ?? []).map((record) => record.TYPE));
    expect(types[0]).toBe(6);
    expect(types.at(-1)).toBe(6);
    expect(types.length).toBe(5);
    const refused = await runNetkit(['dig', '-p', String(port), '@127.0.0.1', 'd.test', 'axfr', '+json']);
    // The server's NOTAUTH answer, then the error.
    const lines = refused.stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!).RCODE).toBe(9);
    expect(JSON.parse(lines.at(-1)!).error.code).toBe('NK_DNS_TRANSFER');
  });

  it('without the key, or with a wrong one, the transfer is refused and says why', async () => {
    const none = await runNetkit(['dig', ...common(), 'axfr']);
    expect(none.stdout).toMatch(/Transfer failed: .*NOTAUTH/);
    const wrong = await runNetkit([
      'dig',
      ...common(),
      '-y',
      'transfer-key:c2VjcmV0c2VjcmV0c2VjcmV0',
      'axfr',
    ]);
    expect(wrong.stdout).toMatch(/Transfer failed: .*refused key transfer-key\.: BADSIG/);
    expect(server.output()).toMatch(/TSIG failed: BADSIG/);
  });

  it('a signed query gets a signed answer; a bad -y is a usage error', async () => {
    const answer = await runNetkit([
      'dig',
      '-p',
      String(port),
      '@127.0.0.1',
      '-k',
      keyFile,
      'www.d.test',
      '+short',
    ]);
    expect(answer.stdout.trim()).toBe('192.0.2.3');
    const usage = await runNetkit(['dig', '-y', 'transfer-key:hmac-nope:abc', 'www.d.test']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/-y/);
  });
});
