/**
 * Differential tests of the key, DNSSEC and SVCB types against dnspython (Debian's
 * python3-dnspython, run as /usr/bin/python3): random rdata, all of one test in ONE python
 * process over stdin/stdout JSON lines.
 *
 * Both ways: dnspython decodes our wire and prints it, which must be our text up to the
 * normalisations below; dnspython parses our text and encodes it, which must be our wire.
 *
 * Normalisations (how dnspython 2.3 prints differently from dig, whom we follow):
 * - base64 and hex: dnspython cuts them in chunks of 32, dig in chunks of 56: compared joined.
 * - hex (DS, SSHFP, TLSA, SMIMEA digests; NSEC3 salt and hash; NSEC3PARAM salt): dnspython
 *   prints lower case, dig upper case: compared ignoring case.
 * - SVCB/HTTPS: dnspython quotes every value (`port="53"`), escapes `"` inside alpn ids at the
 *   list level too, and (2.3) has no names for keys 7 and 8 (`key7`, not `dohpath`; `key8`,
 *   not `ohttp`): its text is compared by parsing it with ours and comparing the wire forms.
 *   Our text goes to dnspython with `dohpath=` → `key7=` and `ohttp` → `key8` when it lacks them.
 *   Literal spaces inside dnspython's quoted values are turned into `\032` first: our
 *   tokenize() (text.ts) splits a token like `key9="a  b "` at blanks and loses them.
 * - NSEC3: dnspython 2.3 writes the next hashed owner name with base32 padding (`====`) and
 *   wants it on input; RFC 5155 §3.3 and BIND have none: padding stripped from its text, and
 *   added to ours before it reads it.
 * - OPT has no text form in either: only dnspython re-encoding our wire is checked.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  decodeRdata,
  RRTYPE,
  rdataBytes,
  rdataFromText,
  rdataToText,
  WireReader,
} from '../../src/dns/index.js';
import { DNSPYTHON, describeWithPeers } from '../helpers/peers.js';
import { arbitrarySecurityTyped, SECURITY_TYPES } from './arbitraries-security.js';

const SCRIPT = String.raw`
import sys, json, re
import dns.rdata, dns.rdataclass, dns.rdatatype, dns.wire
from dns.rdtypes import svcbbase
named7 = hasattr(svcbbase.ParamKey, 'DOHPATH')
named8 = hasattr(svcbbase.ParamKey, 'OHTTP')
for line in sys.stdin:
    job = json.loads(line)
    out = {}
    rdtype = job['type']
    wire = bytes.fromhex(job['wire'])
    try:
        rd = dns.rdata.from_wire(dns.rdataclass.IN, rdtype, wire, 0, len(wire))
        out['text'] = rd.to_text()
        out['rewire'] = rd.to_wire().hex()
    except Exception as e:
        out['textError'] = repr(e)
    text = job['text']
    if rdtype in (64, 65):
        names = {}
        if not named7: names['dohpath'] = 'key7'
        if not named8: names['ohttp'] = 'key8'
        def rename(token):
            key, eq, value = token.partition('=')
            if key == 'mandatory': value = ','.join(names.get(k, k) for k in value.split(','))
            return names.get(key, key) + eq + value
        tokens, token, quoted, i = [], '', False, 0
        while i < len(text):
            c = text[i]
            if c == '\\':
                token += text[i:i + 2]; i += 2; continue
            if c == '"': quoted = not quoted
            if c == ' ' and not quoted:
                tokens.append(token); token = ''
            else:
                token += c
            i += 1
        tokens.append(token)
        text = ' '.join(rename(t) for t in tokens)
    if rdtype == 50:
        # dnspython 2.3 wants base32 padding on the next hashed owner name (RFC 5155 has none).
        fields = text.split(' ')
        fields[4] += '=' * (-len(fields[4]) % 8)
        text = ' '.join(fields)
    if rdtype != 41:
        try:
            out['wire'] = dns.rdata.from_text(dns.rdataclass.IN, rdtype, text).to_wire().hex()
        except Exception as e:
            out['wireError'] = repr(e)
    print(json.dumps(out), flush=True)
`;

interface Job {
  type: number;
  wire: string;
  text: string;
}
interface Answer {
  text?: string;
  textError?: string;
  rewire?: string;
  wire?: string;
  wireError?: string;
}

function runDnspython(jobs: Job[]): Answer[] {
  const result = spawnSync(DNSPYTHON.program, ['-c', SCRIPT], {
    input: jobs.map((job) => JSON.stringify(job)).join('\n') + '\n',
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`dnspython failed: ${result.stderr}`);
  const answers = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Answer);
  expect(answers).toHaveLength(jobs.length);
  return answers;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/** Fixed fields before the binary tail, per type (the tail is compared joined). */
const HEAD: Record<number, number> = {
  [RRTYPE.SSHFP]: 2,
  [RRTYPE.TLSA]: 3,
  [RRTYPE.SMIMEA]: 3,
  [RRTYPE.DS]: 3,
  [RRTYPE.CDS]: 3,
  [RRTYPE.DNSKEY]: 3,
  [RRTYPE.CDNSKEY]: 3,
  [RRTYPE.RRSIG]: 8,
};
const HEX_TYPES = new Set<number>([
  RRTYPE.SSHFP,
  RRTYPE.TLSA,
  RRTYPE.SMIMEA,
  RRTYPE.DS,
  RRTYPE.CDS,
  RRTYPE.NSEC3,
  RRTYPE.NSEC3PARAM,
]);

/** Literal spaces inside quoted strings as `\032` (see the module comment). */
function escapeQuotedSpaces(text: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\') {
      out += char + (text[i + 1] ?? '');
      i++;
    } else {
      if (char === '"') quoted = !quoted;
      out += quoted && char === ' ' ? '\\032' : char;
    }
  }
  return out;
}

function normalise(type: number, text: string): string {
  let tokens = (type === RRTYPE.NSEC3 ? text.replace(/=+ /, ' ').replace(/=+$/, '') : text)
    .trim()
    .split(/\s+/);
  const head = HEAD[type];
  if (head !== undefined) tokens = [...tokens.slice(0, head), tokens.slice(head).join('')];
  const joined = tokens.join(' ');
  return HEX_TYPES.has(type) ? joined.toUpperCase() : joined;
}

describeWithPeers('security rdata against dnspython', [DNSPYTHON], () => {
  it('agrees with dnspython on random rdata of every type, both ways', () => {
    const samples = fc.sample(arbitrarySecurityTyped({ peerSafe: true }), { numRuns: 3000, seed: 7 });
    // And every type at least 50 times whatever the draw.
    for (const type of SECURITY_TYPES)
      samples.push(
        ...fc.sample(arbitrarySecurityTyped({ peerSafe: true }, [type]), { numRuns: 50, seed: type }),
      );
    const jobs = samples.map(({ type, data }) => ({
      type,
      wire: hex(rdataBytes(type, data)),
      text: rdataToText(type, data),
    }));
    const answers = runDnspython(jobs);
    const failures: string[] = [];
    jobs.forEach((job, i) => {
      const answer = answers[i]!;
      const where = `type ${job.type} wire ${job.wire} text ${JSON.stringify(job.text)}`;
      // Our wire → dnspython → its text, compared with ours; its re-encoding is our wire.
      if (answer.textError !== undefined)
        failures.push(`${where}: dnspython cannot decode it: ${answer.textError}`);
      else {
        if (answer.rewire !== job.wire)
          failures.push(`${where}: dnspython re-encodes it as ${answer.rewire}`);
        if (job.type === RRTYPE.SVCB || job.type === RRTYPE.HTTPS) {
          let ours: string;
          try {
            ours = hex(rdataBytes(job.type, rdataFromText(job.type, escapeQuotedSpaces(answer.text!))));
          } catch (error) {
            ours = `error ${(error as Error).message}`;
          }
          if (ours !== job.wire)
            failures.push(`${where}: we read dnspython's ${JSON.stringify(answer.text)} as ${ours}`);
        } else if (
          job.type !== RRTYPE.OPT &&
          normalise(job.type, answer.text!) !== normalise(job.type, job.text)
        )
          failures.push(`${where}: dnspython prints ${JSON.stringify(answer.text)}`);
      }
      // Our text → dnspython → its wire, which we decode to the same data.
      if (job.type !== RRTYPE.OPT) {
        if (answer.wireError !== undefined)
          failures.push(`${where}: dnspython cannot parse our text: ${answer.wireError}`);
        else if (answer.wire !== job.wire) {
          failures.push(`${where}: dnspython encodes our text as ${answer.wire}`);
        } else {
          const back = decodeRdata(job.type, new WireReader(unhex(answer.wire)));
          if (rdataToText(job.type, back) !== job.text)
            failures.push(`${where}: its wire decodes differently`);
        }
      }
    });
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
