/**
 * Differential tests of the basic record types against dnspython (Debian's python3-dnspython,
 * run as /usr/bin/python3): for a few hundred random rdata of each type,
 * - dnspython reads our wire bytes and prints the same text we print;
 * - dnspython parses our text, and we read its wire bytes back to the data we started from.
 * One Python process per test, fed JSON lines on stdin.
 *
 * Where the two differ (each checked against BIND 9.18's named-compilezone):
 * - HINFO, CAA and NAPTR text: dnspython 2.3 reads a `\DDD` escape of 128 or more in these
 *   strings as the Unicode code point DDD and writes its UTF-8 (`"\240"` → c3 b0), where BIND
 *   and we write the byte DDD (f0); TXT it reads right. Normalised by `asDnspythonReadsIt`.
 * - NAPTR text: BIND also checks the regexp's syntax (`"!a!b"` and `"\240"` are refused);
 *   dnspython and we take any character-string, as the wire does.
 * - AAAA: ours is RFC 5952 with mixed notation for ::ffff:a.b.c.d and ::a.b.c.d, exactly
 *   dnspython's (and inet_ntop's) rule, so the texts are compared as they are.
 * - Empty TXT data: dnspython reads it (and prints nothing); we refuse it as BIND does. The
 *   arbitraries never give it; rdata-basic.test.ts covers our refusal.
 * Case is kept by both (names, CAA tags), and both escape the same bytes in names and strings.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { RRTYPE, typeToText } from '../../src/dns/constants.js';
import type { Rdata } from '../../src/dns/rdata/types.js';
import { DNSPYTHON, describeWithPeers } from '../helpers/peers.js';
import { arbitraryRdata, BASIC_TYPES, bytesOf, decode, encode, hex, plain, toText } from './arbitraries.js';

const RUNS = 300;
const SEED = Number(process.env.NETKIT_FC_SEED ?? Math.floor(Math.random() * 2 ** 31));

const SCRIPT = String.raw`
import sys, json
import dns.rdata, dns.rdataclass, dns.name
IN = dns.rdataclass.IN
for line in sys.stdin:
    job = json.loads(line)
    try:
        if job['op'] == 'wire-to-text':
            wire = bytes.fromhex(job['hex'])
            rd = dns.rdata.from_wire(IN, job['type'], wire, 0, len(wire))
            out = {'text': rd.to_text()}
        else:
            rd = dns.rdata.from_text(IN, job['type'], job['text'], origin=dns.name.root, relativize=False)
            out = {'hex': rd.to_wire().hex()}
    except Exception as e:
        out = {'error': type(e).__name__ + ': ' + str(e)}
    sys.stdout.write(json.dumps(out) + '\n')
`;

type Reply = { text?: string; hex?: string; error?: string };

/** Runs every job through one dnspython process; one reply per job, in order. */
function dnspython(jobs: object[]): Reply[] {
  const result = spawnSync('/usr/bin/python3', ['-c', SCRIPT], {
    input: jobs.map((job) => JSON.stringify(job)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`dnspython failed (${result.status}): ${result.stderr}`);
  const replies = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Reply);
  expect(replies).toHaveLength(jobs.length);
  return replies;
}

const UTF8_MANGLED_FIELDS: Record<number, readonly string[]> = {
  [RRTYPE.HINFO]: ['cpu', 'os'],
  [RRTYPE.CAA]: ['value'],
  [RRTYPE.NAPTR]: ['flags', 'services', 'regexp'],
};

/** Our data as dnspython 2.3 reads its text: bytes 0x80-0xff of some strings become UTF-8 (see above). */
function asDnspythonReadsIt(type: number, data: Rdata): Rdata {
  const fields = UTF8_MANGLED_FIELDS[type] ?? [];
  const copy: Record<string, unknown> = { ...data };
  for (const field of fields) {
    const bytes = copy[field] as Uint8Array;
    copy[field] = new TextEncoder().encode(String.fromCharCode(...bytes));
  }
  return copy as unknown as Rdata;
}

function samples(type: number): Rdata[] {
  return fc.sample(arbitraryRdata(type), { numRuns: RUNS, seed: SEED + type });
}

describeWithPeers('basic record types against dnspython', [DNSPYTHON], () => {
  for (const type of BASIC_TYPES) {
    const mnemonic = typeToText(type);

    it(`${mnemonic}: dnspython prints our wire bytes as we do (seed ${SEED})`, () => {
      const data = samples(type);
      const wires = data.map((item) => hex(encode(type, item)));
      const replies = dnspython(wires.map((wire) => ({ op: 'wire-to-text', type, hex: wire })));
      replies.forEach((reply, i) => {
        expect(reply, `${mnemonic} ${wires[i]}`).toEqual({ text: toText(type, data[i]!) });
      });
    });

    it(`${mnemonic}: we read dnspython's wire bytes for our text (seed ${SEED})`, () => {
      const data = samples(type);
      const texts = data.map((item) => toText(type, item));
      const replies = dnspython(texts.map((text) => ({ op: 'text-to-wire', type, text })));
      replies.forEach((reply, i) => {
        expect(reply.error, `${mnemonic} ${texts[i]}`).toBeUndefined();
        expect(plain(decode(type, bytesOf(reply.hex!))), `${mnemonic} ${texts[i]}`).toEqual(
          plain(asDnspythonReadsIt(type, data[i]!)),
        );
      });
    });
  }

  it('agrees on what is refused: empty TXT data is the one known difference', () => {
    const replies = dnspython([
      { op: 'wire-to-text', type: 16, hex: '' },
      { op: 'wire-to-text', type: 1, hex: '010203' },
      { op: 'wire-to-text', type: 257, hex: '0000' },
      { op: 'wire-to-text', type: 257, hex: '0003612d62' },
      { op: 'text-to-wire', type: 16, text: 'a'.repeat(256) },
      { op: 'text-to-wire', type: 257, text: '0 is-sue "x"' },
    ]);
    expect(replies[0]).toEqual({ text: '' }); // we refuse it (RFC 1035 §3.3.14, BIND)
    for (const reply of replies.slice(1)) expect(reply.error).toBeDefined();
  });
});
