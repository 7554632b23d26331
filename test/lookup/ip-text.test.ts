/**
 * Address text as glibc reads and writes it: inet_aton for numeric names, inet_ntop for
 * every address netkit prints. Golden values, round trips, and a differential run against
 * Python's socket.inet_ntop and socket.inet_aton (glibc's) on generated input.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv6 } from '../../src/core/ip.js';
import { formatAddress, inetAton, parseAddress, reverseName, unmapIPv4 } from '../../src/lookup/ip-text.js';
import { describeWithPeers, PYTHON3 } from '../helpers/peers.js';

const text = (bytes: Uint8Array | undefined) => bytes && formatAddress(bytes);

describe('inetAton', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['10.1.2', '10.1.0.2'],
    ['4294967295', '255.255.255.255'],
    ['017.0.0.1', '15.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0X7F.0.0.0x1', '127.0.0.1'],
    ['1.16777215', '1.255.255.255'],
    ['0', '0.0.0.0'],
  ])('%s is %s', (input, expected) => {
    expect(text(inetAton(input))).toBe(expected);
  });

  it.each([
    '09.0.0.1',
    '1.2.3.4.',
    '256.0.0.1',
    '1.16777216',
    '4294967296',
    '1..2',
    '',
    '0x',
    '1.2.3.4.5',
    ' 1',
    '1 ',
  ])('%j is refused', (input) => {
    expect(inetAton(input)).toBeUndefined();
  });
});

describe('formatAddress', () => {
  it.each([
    ['::1', '::1'],
    ['::', '::'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['::0.0.0.2', '::2'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['FE80:0:0:0:0:0:0:1', 'fe80::1'],
    ['2001:db8::', '2001:db8::'],
    ['0:0:0:0:0:ffff:0:0', '::ffff:0.0.0.0'],
  ])('%s is written %s', (input, expected) => {
    expect(formatAddress(parseAddress(input)!.bytes)).toBe(expected);
  });

  it('reads back to the same bytes, and agrees with RFC 5952 text outside embedded IPv4 forms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const written = formatAddress(bytes);
        expect(parseAddress(written)?.bytes).toEqual(bytes);
        if (!written.includes('.')) expect(written).toBe(formatIPv6(bytes));
      }),
    );
  });
});

describe('reverseName and unmapIPv4', () => {
  it('builds in-addr.arpa and ip6.arpa names', () => {
    expect(reverseName(Uint8Array.of(192, 0, 2, 1))).toBe('1.2.0.192.in-addr.arpa');
    expect(reverseName(parseAddress('2001:db8::567:89ab')!.bytes)).toBe(
      'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    );
  });

  it('unmaps only ::ffff:a.b.c.d', () => {
    expect(text(unmapIPv4(parseAddress('::ffff:10.0.0.5')!.bytes))).toBe('10.0.0.5');
    expect(unmapIPv4(parseAddress('::10.0.0.5')!.bytes)).toBeUndefined();
    expect(unmapIPv4(Uint8Array.of(10, 0, 0, 5))).toBeUndefined();
  });
});

describeWithPeers('address text against Python (glibc inet_ntop and inet_aton)', [PYTHON3], () => {
  it('writes every generated IPv6 address as inet_ntop, and reads numbers as inet_aton', () => {
    // Zero runs and embedded IPv4 are where writers differ, so generate many of them.
    const word = fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff }));
    const addresses = fc.sample(fc.array(word, { minLength: 8, maxLength: 8 }), 400).map((words) => {
      const bytes = new Uint8Array(16);
      words.forEach((w, i) => {
        bytes[2 * i] = w >> 8;
        bytes[2 * i + 1] = w & 0xff;
      });
      return bytes;
    });
    const numbers = fc.sample(fc.stringMatching(/^[0-9xXa-f.]{1,14}$/), 400);
    const script = `
import json, socket, sys
q = json.load(sys.stdin)
def aton(s):
    try: return socket.inet_ntoa(socket.inet_aton(s))
    except OSError: return None
print(json.dumps({
  "ntop": [socket.inet_ntop(socket.AF_INET6, bytes(b)) for b in q["addresses"]],
  "aton": [aton(s) for s in q["numbers"]],
}))`;
    const input = JSON.stringify({ addresses: addresses.map((b) => [...b]), numbers });
    const run = spawnSync('python3', ['-c', script], { input, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const python = JSON.parse(run.stdout) as { ntop: string[]; aton: (string | null)[] };
    expect(addresses.map(formatAddress)).toEqual(python.ntop);
    expect(numbers.map((n) => text(inetAton(n)) ?? null)).toEqual(python.aton);
  });
});
