/**
 * TSIG (RFC 8945): sign → verify, each failure of §5.2, key files, and a differential test
 * with dnspython (Debian's python3-dnspython, run once as /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RRTYPE } from '../../src/dns/constants.js';
import { DnsDecodeError } from '../../src/dns/errors.js';
import {
  decodeMessage,
  encodeMessage,
  makeQuery,
  Name,
  RdataTokens,
  recordToText,
} from '../../src/dns/index.js';
import { decodeRdata, rdataBytes, rdataFromText, rdataToText } from '../../src/dns/record.js';
import {
  keyring,
  makeTsigKey,
  parseTsigKeyFile,
  parseTsigSpec,
  signMessage,
  TsigKeyError,
  type TsigRdata,
  tsigRdataCodec,
  verifyMessage,
} from '../../src/dns/tsig.js';
import { WireReader } from '../../src/dns/wire.js';
import { DNSPYTHON, describeWithPeers } from '../helpers/peers.js';
import { arbitraryTsig } from './arbitraries-security.js';

const SECRET = 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=';
const KEY = makeTsigKey('k1.example', 'hmac-sha256', SECRET);
const NOW = 1_700_000_000;

function query(id = 4321): Uint8Array {
  return encodeMessage(makeQuery('example.com', 'SOA', { id }));
}

describe('TSIG', () => {
  it('signs and verifies, for every algorithm', () => {
    for (const alg of ['hmac-sha256', 'hmac-sha512', 'hmac-sha1', 'hmac-sha384', 'hmac-sha224', 'hmac-md5']) {
      const key = makeTsigKey('k.', alg, SECRET);
      const signed = signMessage(query(), key, { now: NOW });
      const message = decodeMessage(signed);
      expect(message.additional.at(-1)!.type).toBe(RRTYPE.TSIG);
      const result = verifyMessage(signed, keyring([key]), { now: NOW + 10 });
      expect(result.ok, alg).toBe(true);
    }
  });

  it('prints the TSIG data as dig does, and reads it back', () => {
    const signed = signMessage(query(), KEY, { now: NOW });
    const tsig = decodeMessage(signed).additional.at(-1)!;
    expect(tsig.name.toText()).toBe('k1.example.');
    expect([tsig.class, tsig.ttl]).toEqual([255, 0]);
    const data = tsig.data as TsigRdata;
    expect(data.originalId).toBe(4321);
    const text = tsigRdataCodec.toText(data);
    expect(text).toMatch(/^hmac-sha256\. 1700000000 300 32 \S{44} 4321 NOERROR 0$/);
    expect(recordToText(tsig)).toBe(`k1.example. 0 ANY TSIG ${text}`);
    expect(tsigRdataCodec.toText(tsigRdataCodec.fromText(RdataTokens.fromText(text)))).toBe(text);
    const other = 'hmac-sha1. 281474976710655 5 0 7 BADTIME 6 AAAAAAAA';
    expect(tsigRdataCodec.toText(tsigRdataCodec.fromText(RdataTokens.fromText(other)))).toBe(other);
  });

  it('TSIG rdata: mutated or cut bytes give a DnsDecodeError or data that round-trips', () => {
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    fc.assert(
      fc.property(
        arbitraryTsig(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.nat(),
        (data, flips, cut) => {
          const bytes = rdataBytes(RRTYPE.TSIG, data);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const input = cut % 3 === 0 ? bytes.subarray(0, cut % (bytes.length + 1)) : bytes;
          try {
            const reader = new WireReader(input);
            const decoded = decodeRdata(RRTYPE.TSIG, reader);
            reader.expectEnd('the TSIG data');
            expect(hex(rdataBytes(RRTYPE.TSIG, decoded))).toBe(hex(input));
            const text = rdataToText(RRTYPE.TSIG, decoded);
            expect(hex(rdataBytes(RRTYPE.TSIG, rdataFromText(RRTYPE.TSIG, text)))).toBe(hex(input));
          } catch (error) {
            if (!(error instanceof DnsDecodeError)) throw error;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('BADSIG on a tampered byte', () => {
    const signed = signMessage(query(), KEY, { now: NOW });
    signed[14]! ^= 0x20;
    const result = verifyMessage(signed, keyring([KEY]), { now: NOW });
    expect(result).toMatchObject({ ok: false, error: 'BADSIG', rcode: 16 });
  });

  it('BADKEY on an unknown key name or another algorithm', () => {
    const signed = signMessage(query(), KEY, { now: NOW });
    const other = makeTsigKey('k2.example', 'hmac-sha256', SECRET);
    expect(verifyMessage(signed, keyring([other]), { now: NOW })).toMatchObject({
      ok: false,
      error: 'BADKEY',
    });
    const sha512 = makeTsigKey('k1.example', 'hmac-sha512', SECRET);
    expect(verifyMessage(signed, keyring([sha512]), { now: NOW })).toMatchObject({
      ok: false,
      error: 'BADKEY',
    });
  });

  it('BADTIME outside the fudge, after checking the MAC', () => {
    const signed = signMessage(query(), KEY, { now: NOW, fudge: 60 });
    expect(verifyMessage(signed, keyring([KEY]), { now: NOW + 60 }).ok).toBe(true);
    expect(verifyMessage(signed, keyring([KEY]), { now: NOW + 61 })).toMatchObject({
      ok: false,
      error: 'BADTIME',
    });
    expect(verifyMessage(signed, keyring([KEY]), { now: NOW - 61 })).toMatchObject({
      ok: false,
      error: 'BADTIME',
    });
  });

  it('signs a response with the request MAC', () => {
    const request = signMessage(query(), KEY, { now: NOW });
    const verified = verifyMessage(request, keyring([KEY]), { now: NOW });
    if (!verified.ok) throw new Error(verified.reason);
    const reply = decodeMessage(query());
    reply.flags.qr = true;
    const response = signMessage(encodeMessage(reply), KEY, { now: NOW, requestMac: verified.mac });
    expect(verifyMessage(response, keyring([KEY]), { now: NOW, requestMac: verified.mac }).ok).toBe(true);
    expect(verifyMessage(response, keyring([KEY]), { now: NOW })).toMatchObject({ error: 'BADSIG' });
  });

  it('FORMERR: no TSIG, TSIG not last, MAC too short; BADTRUNC below local policy', () => {
    expect(verifyMessage(query(), keyring([KEY]), { now: NOW })).toMatchObject({ error: 'FORMERR' });
    const signed = signMessage(query(), KEY, { now: NOW });
    const twice = signMessage(signed, KEY, { now: NOW });
    expect(verifyMessage(twice, keyring([KEY]), { now: NOW })).toMatchObject({ error: 'FORMERR' });
    expect(verifyMessage(signed.subarray(0, signed.length - 3), keyring([KEY]), { now: NOW })).toMatchObject({
      error: 'FORMERR',
    });
    // Truncate the MAC to 16 bytes (the floor for SHA-256), then to 9 (below it).
    const message = decodeMessage(signed);
    const tsig = message.additional.pop()!;
    const data = tsig.data as TsigRdata;
    const withMac = (mac: Uint8Array): Uint8Array =>
      encodeMessage({ ...message, additional: [{ ...tsig, data: { ...data, mac } }] });
    const truncated = withMac(data.mac.subarray(0, 16));
    expect(verifyMessage(truncated, keyring([KEY]), { now: NOW }).ok).toBe(true);
    expect(verifyMessage(truncated, keyring([KEY]), { now: NOW, minMacLength: 32 })).toMatchObject({
      error: 'BADTRUNC',
    });
    expect(verifyMessage(withMac(data.mac.subarray(0, 9)), keyring([KEY]), { now: NOW })).toMatchObject({
      error: 'FORMERR',
    });
  });

  it('parses BIND and Knot key files and NAME:ALG:SECRET', () => {
    const bind = `key "tsig.example" {\n\talgorithm hmac-sha512;\n\tsecret "${SECRET}";\n};\n`;
    const [fromBind] = parseTsigKeyFile(bind);
    expect(fromBind!.name.toText()).toBe('tsig.example.');
    expect(fromBind!.algorithm).toBe('hmac-sha512');
    const knot = `# hmac-sha256:knot.key:${SECRET}\nkey:\n  - id: knot.key\n    algorithm: hmac-sha256\n    secret: ${SECRET}\n`;
    const [fromKnot] = parseTsigKeyFile(knot);
    expect(fromKnot!.name.toText()).toBe('knot.key.');
    expect(Buffer.from(fromKnot!.secret).toString('base64')).toBe(SECRET);
    expect(parseTsigSpec(`n.example:hmac-sha1:${SECRET}`).algorithm).toBe('hmac-sha1');
    expect(parseTsigSpec(`hmac-sha384:n.example:${SECRET}`).name.toText()).toBe('n.example.');
    expect(() => parseTsigSpec('n:hmac-sha999:AAAA')).toThrow(TsigKeyError);
    expect(() => parseTsigKeyFile('nothing here')).toThrow(TsigKeyError);
  });

  it.skipIf(!existsSync('/usr/sbin/tsig-keygen'))('parses what tsig-keygen writes', () => {
    const run = spawnSync('/usr/sbin/tsig-keygen', ['-a', 'hmac-sha384', 'gen.example'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const [key] = parseTsigKeyFile(run.stdout);
    expect(key!.name.equals(Name.fromText('gen.example.'))).toBe(true);
    expect(key!.algorithm).toBe('hmac-sha384');
    const signed = signMessage(query(), key!, { now: NOW });
    expect(verifyMessage(signed, keyring([key!]), { now: NOW }).ok).toBe(true);
  });
});

const SCRIPT = `
import sys, json, time
import dns.message, dns.tsigkeyring, dns.tsig
job = json.load(sys.stdin)
ring = dns.tsigkeyring.from_text({job['name']: (job['alg'], job['secret'])})
out = {}
q = dns.message.make_query('example.com', 'SOA')
q.use_tsig(ring, keyname=job['name'], algorithm=job['alg'])
out['query'] = q.to_wire().hex()
out['mac'] = q.mac.hex()
r = dns.message.make_response(q)
out['response'] = r.to_wire().hex()
try:
    ours = dns.message.from_wire(bytes.fromhex(job['query']), keyring=ring)
    out['ourQuery'] = 'ok'
    out['ourMac'] = ours.mac.hex()
    dns.message.from_wire(bytes.fromhex(job['response']), keyring=ring, request_mac=ours.mac)
    out['ourResponse'] = 'ok'
    bad = bytearray(bytes.fromhex(job['query'])); bad[14] ^= 0x20
    try:
        dns.message.from_wire(bytes(bad), keyring=ring)
        out['tampered'] = 'accepted'
    except dns.tsig.BadSignature:
        out['tampered'] = 'BADSIG'
except Exception as e:
    out['error'] = type(e).__name__ + ': ' + str(e)
print(json.dumps(out))
`;

describeWithPeers('TSIG against dnspython', [DNSPYTHON], () => {
  it('each verifies the other’s queries and responses', () => {
    for (const alg of ['hmac-sha256', 'hmac-sha512'] as const) {
      const key = makeTsigKey('tsig.example', alg, SECRET);
      const now = Math.floor(Date.now() / 1000);
      const ourQuery = signMessage(query(777), key, { now });
      const ourMac = verifyMessage(ourQuery, keyring([key]), { now });
      if (!ourMac.ok) throw new Error(ourMac.reason);
      const reply = decodeMessage(query(777));
      reply.flags.qr = true;
      const ourResponse = signMessage(encodeMessage(reply), key, { now, requestMac: ourMac.mac });
      const run = spawnSync('/usr/bin/python3', ['-c', SCRIPT], {
        input: JSON.stringify({
          name: 'tsig.example.',
          alg,
          secret: SECRET,
          query: Buffer.from(ourQuery).toString('hex'),
          response: Buffer.from(ourResponse).toString('hex'),
        }),
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as Record<string, string>;
      expect(out.error).toBeUndefined();
      expect(out).toMatchObject({ ourQuery: 'ok', ourResponse: 'ok', tampered: 'BADSIG' });
      expect(out.ourMac).toBe(Buffer.from(ourMac.mac).toString('hex'));
      const theirQuery = Uint8Array.from(Buffer.from(out.query!, 'hex'));
      const checked = verifyMessage(theirQuery, keyring([key]), { now: Math.floor(Date.now() / 1000) });
      expect(checked.ok, checked.ok ? '' : checked.reason).toBe(true);
      expect(Buffer.from(checked.ok ? checked.mac : []).toString('hex')).toBe(out.mac);
      const theirResponse = Uint8Array.from(Buffer.from(out.response!, 'hex'));
      const requestMac = Uint8Array.from(Buffer.from(out.mac!, 'hex'));
      expect(
        verifyMessage(theirResponse, keyring([key]), { now: Math.floor(Date.now() / 1000), requestMac }).ok,
      ).toBe(true);
    }
  });
});
