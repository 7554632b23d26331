/**
 * TSIG over many messages (RFC 8945 §5.3.1, zone transfers) and TSIG error answers (§5.2):
 * properties of TsigStreamSigner → TsigStreamVerifier, appendTsigError read back by us,
 * dig and dnspython, and transfers both ways with dnspython (Debian's /usr/bin/python3).
 * The same against NSD, Knot and BIND serving keyed AXFR: tsig-xfr-peers in this file.
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createConnection, createServer, type Server } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RCODE, RRCLASS, RRTYPE } from '../../src/dns/constants.js';
import {
  decodeMessage,
  encodeMessage,
  type Message,
  makeQuery,
  makeResponse,
  Name,
  recordToText,
} from '../../src/dns/index.js';
import type { ResourceRecord } from '../../src/dns/record.js';
import {
  appendTsigError,
  keyring,
  makeTsigKey,
  signMessage,
  type TsigKey,
  type TsigRdata,
  TsigStreamSigner,
  TsigStreamVerifier,
  type VerifyResult,
  verifyMessage,
} from '../../src/dns/tsig.js';
import {
  type PeerKind,
  type PrimaryPeer,
  startPrimaryPeer,
  type TsigSpec,
} from '../helpers/dns-replication-peers.js';
import { DIG, DNSPYTHON, describeWithPeers, KNOTD, NAMED, NSD } from '../helpers/peers.js';

const SECRET = 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=';
const KEY = makeTsigKey('xfr.key', 'hmac-sha256', SECRET);
const NOW = 1_700_000_000;

type Failure = Extract<VerifyResult, { ok: false }>;

function signedRequest(key: TsigKey, now = NOW, zone = 'xfr.test', id = 4242): Uint8Array {
  return signMessage(encodeMessage(makeQuery(zone, 'AXFR', { id, rd: false })), key, { now });
}

function requestMacOf(request: Uint8Array): Uint8Array {
  const tsig = decodeMessage(request).additional.at(-1)!;
  return (tsig.data as TsigRdata).mac;
}

/** A small distinct message: the stream's `index`th, one TXT record naming its index. */
function streamMessage(index: number): Uint8Array {
  const record: ResourceRecord = {
    name: Name.fromText(`r${index}.xfr.test.`),
    type: RRTYPE.TXT,
    class: RRCLASS.IN,
    ttl: 300,
    data: { strings: [new TextEncoder().encode(`message ${index}`)] },
  };
  const response = makeResponse(decodeMessage(encodeMessage(makeQuery('xfr.test', 'AXFR', { id: 4242 }))));
  return encodeMessage({ ...response, answer: [record] });
}

/** Signs a stream as told (`true`: sign), the last message always signed. */
function signStream(plan: boolean[]): { messages: Uint8Array[]; signed: boolean[]; requestMac: Uint8Array } {
  const requestMac = requestMacOf(signedRequest(KEY));
  const signer = new TsigStreamSigner(KEY, { now: NOW, requestMac });
  const messages: Uint8Array[] = [];
  const signed: boolean[] = [];
  plan.forEach((sign, i) => {
    const plain = streamMessage(i);
    const out = sign || i === plan.length - 1 ? signer.sign(plain) : signer.skipSigning(plain);
    messages.push(out);
    signed.push(out.length !== plain.length);
  });
  return { messages, signed, requestMac };
}

/** Every message through a verifier, then finish(): the first failure, or the last result. */
function verifyStream(messages: Uint8Array[], requestMac: Uint8Array, now = NOW) {
  const verifier = new TsigStreamVerifier(KEY, { requestMac });
  for (const message of messages) {
    const result = verifier.verify(message, now);
    if (!result.ok) return result;
  }
  return verifier.finish();
}

/** Plans with long unsigned runs now and then (past 99, which the signer must break). */
const arbitraryPlan = fc.oneof(
  fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
  fc.array(
    fc.integer({ min: 0, max: 60 }).map((n) => n === 0),
    { minLength: 1, maxLength: 260 },
  ),
);

describe('TSIG streams (RFC 8945 §5.3.1)', () => {
  it('a stream signed in any pattern verifies, and never has more than 99 unsigned in a row', () => {
    fc.assert(
      fc.property(arbitraryPlan, (plan) => {
        const { messages, signed, requestMac } = signStream(plan);
        expect(signed[0]).toBe(true);
        expect(signed.at(-1)).toBe(true);
        let run = 0;
        for (const isSigned of signed) {
          run = isSigned ? 0 : run + 1;
          expect(run).toBeLessThanOrEqual(99);
        }
        const result = verifyStream(messages, requestMac);
        expect(result).toMatchObject({ ok: true, signed: true });
      }),
      { numRuns: 60 },
    );
  });

  it('reports unsigned messages as such, and the first signed one over the request MAC only', () => {
    const { messages, requestMac } = signStream([true, false, false, true]);
    const verifier = new TsigStreamVerifier(KEY, { requestMac });
    expect(verifier.verify(messages[0]!, NOW)).toMatchObject({ ok: true, signed: true });
    expect(verifier.verify(messages[1]!, NOW)).toEqual({ ok: true, signed: false, unsignedInARow: 1 });
    expect(verifier.verify(messages[2]!, NOW)).toEqual({ ok: true, signed: false, unsignedInARow: 2 });
    expect(verifier.verify(messages[3]!, NOW)).toMatchObject({ ok: true, signed: true });
    expect(verifier.finish()).toMatchObject({ ok: true });
    // Another request's MAC: the first message fails.
    expect(verifyStream(messages, requestMacOf(signedRequest(KEY, NOW, 'xfr.test', 1)))).toMatchObject({
      error: 'BADSIG',
    });
  });

  it('fails when any byte of any message changes (but the ID and name case, which TSIG ignores)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (plan, which, where, xor) => {
          const { messages, signed, requestMac } = signStream(plan);
          const index = which % messages.length;
          const message = messages[index]!.slice();
          const offset = where % message.length;
          message[offset]! ^= xor;
          const plainLength = streamMessage(index).length;
          const nameEnd = plainLength + KEY.name.wire.length;
          const algorithmStart = nameEnd + 10;
          // Time (6), fudge (2), MAC size (2), the MAC (32), original ID (2), then the error.
          const errorStart = algorithmStart + 13 + 6 + 2 + 2 + 32 + 2;
          const isLetter = (byte: number) => /[a-z]/i.test(String.fromCharCode(byte));
          const ignored =
            // A signed message's ID is replaced by the original ID before digesting (§4.3.1).
            (signed[index] && offset < 2) ||
            // Names in the TSIG record are digested in canonical (lower) case (§4.3.2).
            (signed[index] &&
              xor === 0x20 &&
              isLetter(messages[index]![offset]!) &&
              ((offset >= plainLength && offset < nameEnd) ||
                (offset >= algorithmStart && offset < algorithmStart + 13))) ||
            // Later messages sign only the timers (§5.3.1): their error field is not covered.
            (signed[index] && index > 0 && offset >= errorStart && offset < errorStart + 2);
          const altered = messages.map((m, i) => (i === index ? message : m));
          const result = verifyStream(altered, requestMac);
          if (!ignored) expect(result.ok, `byte ${offset} of message ${index}`).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('fails when a message (not the last) is dropped, or two are swapped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 2, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        (plan, a, b) => {
          const { messages, requestMac } = signStream(plan);
          const dropped = messages.filter((_, i) => i !== a % (messages.length - 1));
          expect(verifyStream(dropped, requestMac).ok).toBe(false);
          const i = a % messages.length;
          const j = b % messages.length;
          if (i === j) return;
          const swapped = messages.slice();
          [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
          expect(verifyStream(swapped, requestMac).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('FORMERR: an unsigned first message, 100 unsigned in a row, an unsigned last message', () => {
    const requestMac = requestMacOf(signedRequest(KEY));
    expect(verifyStream([streamMessage(0)], requestMac)).toMatchObject({
      error: 'FORMERR',
      reason: 'the first message is unsigned',
    });
    const signer = new TsigStreamSigner(KEY, { now: NOW, requestMac });
    const verifier = new TsigStreamVerifier(KEY, { requestMac });
    expect(verifier.verify(signer.sign(streamMessage(0)), NOW).ok).toBe(true);
    for (let i = 1; i <= 99; i++) expect(verifier.verify(streamMessage(i), NOW).ok).toBe(true);
    const hundredth = verifier.verify(streamMessage(100), NOW);
    expect(hundredth).toMatchObject({ error: 'FORMERR', reason: 'more than 99 unsigned messages' });
    // A failure ends the stream.
    expect(verifier.finish()).toBe(hundredth);
    const { messages } = signStream([true, true]);
    const short = new TsigStreamVerifier(KEY, { requestMac });
    short.verify(messages[0]!, NOW);
    short.verify(streamMessage(1), NOW);
    expect(short.finish()).toMatchObject({ error: 'FORMERR', reason: 'the last message is unsigned' });
  });

  it('checks the time of every signed message, and the MAC length floor', () => {
    const { messages, requestMac } = signStream([true, true, true]);
    expect(verifyStream(messages, requestMac, NOW + 301)).toMatchObject({ error: 'BADTIME' });
    const verifier = new TsigStreamVerifier(KEY, { requestMac, minMacLength: 32 });
    expect(verifier.verify(messages[0]!, NOW).ok).toBe(true);
  });
});

/** A NOTAUTH answer to `request`, as a server builds it before appendTsigError. */
function notAuth(request: Uint8Array): Uint8Array {
  const query = decodeMessage(request);
  return encodeMessage({ ...makeResponse({ ...query, additional: [] }), rcode: RCODE.NOTAUTH });
}

function failureOf(result: VerifyResult): Failure {
  if (result.ok) throw new Error('expected a failure');
  return result;
}

/** The four error answers (BADKEY, BADSIG, BADTIME, BADTRUNC) with what the client knows. */
function errorAnswers(now: number) {
  const unknownKey = makeTsigKey('other.key', 'hmac-sha256', SECRET);
  const wrongSecret = makeTsigKey('xfr.key', 'hmac-sha256', 'AAAAAAAAAAAAAAAAAAAAAA==');
  const answers: { error: string; key: TsigKey; request: Uint8Array; answer: Uint8Array }[] = [];
  for (const [error, key, requestTime] of [
    ['BADKEY', unknownKey, now],
    ['BADSIG', wrongSecret, now],
    ['BADTIME', KEY, now - 1000],
  ] as const) {
    const request = signedRequest(key, requestTime);
    const failure = failureOf(verifyMessage(request, keyring([KEY]), { now }));
    expect(failure.error).toBe(error);
    answers.push({ error, key, request, answer: appendTsigError(notAuth(request), failure, { now }) });
  }
  // BADTRUNC: a MAC cut to 16 bytes, under a local policy of 32.
  const full = decodeMessage(signedRequest(KEY, now));
  const tsig = full.additional.pop()!;
  const data = tsig.data as TsigRdata;
  const request = encodeMessage({
    ...full,
    additional: [{ ...tsig, data: { ...data, mac: data.mac.subarray(0, 16) } }],
  });
  const failure = failureOf(verifyMessage(request, keyring([KEY]), { now, minMacLength: 32 }));
  expect(failure.error).toBe('BADTRUNC');
  answers.push({
    error: 'BADTRUNC',
    key: KEY,
    request,
    answer: appendTsigError(notAuth(request), failure, { now }),
  });
  return answers;
}

describe('TSIG error answers (RFC 8945 §5.2)', () => {
  it('BADKEY and BADSIG: an unsigned TSIG with the key name and algorithm received', () => {
    for (const { error, key, answer } of errorAnswers(NOW).slice(0, 2)) {
      const message = decodeMessage(answer);
      expect(message.rcode).toBe(RCODE.NOTAUTH);
      const record = message.additional.at(-1)!;
      expect(record.name.equals(key.name)).toBe(true);
      expect(recordToText(record)).toBe(
        `${key.name.toText()} 0 ANY TSIG hmac-sha256. ${NOW} 300 0 4242 ${error} 0`,
      );
    }
  });

  it('BADTIME: signed, the client’s time signed, the server’s time in other data', () => {
    const [, , badTime, badTrunc] = errorAnswers(NOW);
    const requestMac = requestMacOf(badTime!.request);
    // The client, whose clock is 1000 s behind, verifies the answer despite the skew.
    const result = verifyMessage(badTime!.answer, keyring([KEY]), { now: NOW - 1000, requestMac });
    if (!result.ok) throw new Error(result.reason);
    expect(result.tsig).toMatchObject({ error: 18, timeSigned: NOW - 1000 });
    expect([...result.tsig.otherData]).toEqual([
      0,
      0,
      ...new Uint8Array(new Uint32Array([NOW]).buffer).reverse(),
    ]);
    const trunc = verifyMessage(badTrunc!.answer, keyring([KEY]), {
      now: NOW,
      requestMac: requestMacOf(badTrunc!.request),
    });
    expect(trunc).toMatchObject({ ok: true, tsig: { error: 22 } });
  });

  it('FORMERR: no TSIG, the answer unchanged; a signed error needs the key', () => {
    const plain = encodeMessage(makeQuery('xfr.test', 'SOA', { id: 1 }));
    const failure = failureOf(verifyMessage(plain, keyring([KEY]), { now: NOW }));
    const answer = notAuth(plain);
    expect(appendTsigError(answer, failure, { now: NOW })).toBe(answer);
    const badTime = failureOf(verifyMessage(signedRequest(KEY, NOW - 1000), keyring([KEY]), { now: NOW }));
    const { key: _key, ...withoutKey } = badTime;
    expect(() => appendTsigError(answer, withoutKey, { now: NOW })).toThrow(/needs the key/);
  });
});

/** One UDP exchange with dig: what dig sent and printed, and our answer to it. */
describeWithPeers('TSIG with dig', [DIG], () => {
  it('prints a TSIG record as dig does, verifies dig’s MAC, and dig reads our BADKEY answer', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    const received: Uint8Array[] = [];
    socket.on('message', (bytes, from) => {
      received.push(new Uint8Array(bytes));
      const now = Math.floor(Date.now() / 1000);
      // dig knows the key under another name than we do: BADKEY.
      const failure = failureOf(verifyMessage(new Uint8Array(bytes), keyring([KEY]), { now }));
      socket.send(appendTsigError(notAuth(new Uint8Array(bytes)), failure, { now }), from.port, from.address);
    });
    const out = await run('dig', [
      '+qr',
      '+tries=1',
      '+time=2',
      '+noedns',
      '-y',
      `hmac-sha256:dig.key:${SECRET}`,
      '-p',
      String(port),
      '@127.0.0.1',
      'xfr.test',
      'SOA',
    ]);
    socket.close();
    const printed = out.stdout
      .split('\n')
      .filter((line) => /\sTSIG\s/.test(line) && !line.startsWith(';'))
      .map((line) => line.replace(/\s+/g, ' ').trim());
    const query = decodeMessage(received[0]!);
    expect(printed[0]).toBe(recordToText(query.additional.at(-1)!));
    const digKey = makeTsigKey('dig.key', 'hmac-sha256', SECRET);
    expect(verifyMessage(received[0]!, keyring([digKey]), { now: Math.floor(Date.now() / 1000) }).ok).toBe(
      true,
    );
    // dig checks the answer's TSIG and reports the error it carries.
    expect(out.stdout).toMatch(/status: NOTAUTH/);
    expect(out.stdout + out.stderr).toMatch(/BADKEY|tsig indicates error/i);
  });
});

function run(
  program: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      program,
      args,
      { encoding: 'utf8', timeout: 20_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** A zone of `count` TXT records under xfr.test., in AXFR order: SOA, records, SOA. */
function zoneRecords(count: number): ResourceRecord[] {
  const origin = Name.fromText('xfr.test.');
  const soa: ResourceRecord = {
    name: origin,
    type: RRTYPE.SOA,
    class: RRCLASS.IN,
    ttl: 3600,
    data: {
      mname: Name.fromText('ns.xfr.test.'),
      rname: Name.fromText('admin.xfr.test.'),
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 300,
    },
  };
  const ns: ResourceRecord = {
    name: origin,
    type: RRTYPE.NS,
    class: RRCLASS.IN,
    ttl: 3600,
    data: { target: Name.fromText('ns.xfr.test.') },
  };
  const text = (i: number): ResourceRecord => ({
    name: Name.fromText(`t${i}.xfr.test.`),
    type: RRTYPE.TXT,
    class: RRCLASS.IN,
    ttl: 3600,
    data: { strings: [new TextEncoder().encode(`record number ${i} of the transfer test zone`)] },
  });
  const address: ResourceRecord = {
    name: Name.fromText('ns.xfr.test.'),
    type: RRTYPE.A,
    class: RRCLASS.IN,
    ttl: 3600,
    data: { address: '192.0.2.53' },
  };
  return [soa, ns, address, ...Array.from({ length: count }, (_, i) => text(i)), soa];
}

/** The AXFR answer in messages of about `size` bytes each. */
function axfrMessages(query: Message, records: ResourceRecord[], size: number): Uint8Array[] {
  const messages: Uint8Array[] = [];
  let chunk: ResourceRecord[] = [];
  const encode = (answer: ResourceRecord[]) =>
    encodeMessage({
      ...makeResponse({ ...query, additional: [] }),
      flags: { ...makeResponse(query).flags, aa: true },
      answer,
    });
  for (const record of records) {
    chunk.push(record);
    if (chunk.length % 50 === 0 && encode(chunk).length > size) {
      messages.push(encode(chunk));
      chunk = [];
    }
  }
  if (chunk.length > 0) messages.push(encode(chunk));
  return messages;
}

/** Reads 2-byte framed DNS messages from TCP until the AXFR's closing SOA (or an error rcode). */
function axfrOverTcp(port: number, request: Uint8Array): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const net = createConnection({ port, host: '127.0.0.1' });
    const messages: Uint8Array[] = [];
    let buffer = Buffer.alloc(0);
    let soas = 0;
    net.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const length = buffer.readUInt16BE(0);
        const bytes = new Uint8Array(buffer.subarray(2, 2 + length));
        buffer = buffer.subarray(2 + length);
        messages.push(bytes);
        const message = decodeMessage(bytes);
        soas += message.answer.filter((record) => record.type === RRTYPE.SOA).length;
        if (message.rcode !== 0 || soas >= 2) {
          net.destroy();
          resolve(messages);
          return;
        }
      }
    });
    net.on('error', reject);
    net.on('close', () => resolve(messages));
    net.setTimeout(15_000, () => net.destroy(new Error('AXFR timed out')));
    net.write(Buffer.concat([Buffer.from([request.length >> 8, request.length & 0xff]), request]));
  });
}

const PY_XFR_CLIENT = `
import sys, json
import dns.query, dns.tsigkeyring, dns.name
job = json.load(sys.stdin)
ring = dns.tsigkeyring.from_text({job['name']: (job['alg'], job['secret'])})
count = 0
messages = 0
for message in dns.query.xfr('127.0.0.1', 'xfr.test.', port=job['port'], keyring=ring, keyname=job['name'], keyalgorithm=job['alg'], lifetime=20, relativize=False):
    messages += 1
    count += sum(len(rrset) for rrset in message.answer)
print(json.dumps({'records': count, 'messages': messages}))
`;

const PY_XFR_SERVER = `
import sys, json
import dns.message, dns.tsigkeyring, dns.rrset
job = json.load(sys.stdin)
ring = dns.tsigkeyring.from_text({job['name']: (job['alg'], job['secret'])})
q = dns.message.from_wire(bytes.fromhex(job['query']), keyring=ring)
origin = 'xfr.test.'
soa = dns.rrset.from_text(origin, 3600, 'IN', 'SOA', 'ns.xfr.test. admin.xfr.test. 1 3600 600 86400 300')
records = [soa] + [dns.rrset.from_text('t%d.xfr.test.' % i, 3600, 'IN', 'TXT', '"record %d"' % i) for i in range(job['count'])] + [soa]
chunks = [records[i:i + 200] for i in range(0, len(records), 200)]
out = []
ctx = None
for i, chunk in enumerate(chunks):
    r = dns.message.make_response(q)
    r.answer = chunk
    # Every third message (not the last) unsigned, as RFC 8945 5.3.1 allows: its bytes go
    # into the running digest by hand, as dnspython's reader does.
    if i % 3 == 1 and i != len(chunks) - 1:
        r.tsig = None
        wire = r.to_wire()
        ctx.update(wire)
    else:
        wire = r.to_wire(multi=True, tsig_ctx=ctx)
        ctx = r.tsig_ctx
    out.append(wire.hex())
print(json.dumps(out))
`;

const PY_ERRORS = `
import sys, json
import dns.message, dns.tsigkeyring, dns.tsig
job = json.load(sys.stdin)
ring = dns.tsigkeyring.from_text({n: ('hmac-sha256', job['secret']) for n in ['xfr.key.', 'other.key.']})
out = []
for item in job['answers']:
    try:
        dns.message.from_wire(bytes.fromhex(item['answer']), keyring=ring, request_mac=bytes.fromhex(item['mac']))
        out.append('accepted')
    except Exception as e:
        out.append(type(e).__name__)
print(json.dumps(out))
`;

describeWithPeers('TSIG streams and errors against dnspython', [DNSPYTHON], () => {
  let server: Server;
  let port = 0;
  const served: { messages: number; signed: number; records: number }[] = [];

  beforeAll(async () => {
    // A tiny AXFR server: verifies the request, answers the zone signed by TsigStreamSigner,
    // every other message unsigned.
    server = createServer((socket) => {
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (buffer.length < 2 || buffer.length < 2 + buffer.readUInt16BE(0)) return;
        const request = new Uint8Array(buffer.subarray(2, 2 + buffer.readUInt16BE(0)));
        const now = Math.floor(Date.now() / 1000);
        const verified = verifyMessage(request, keyring([KEY]), { now });
        if (!verified.ok) {
          socket.destroy();
          return;
        }
        const records = zoneRecords(3000);
        const messages = axfrMessages(decodeMessage(request), records, 16_384);
        const signer = new TsigStreamSigner(KEY, { now, requestMac: verified.mac });
        let signed = 0;
        for (const [i, message] of messages.entries()) {
          const out =
            i % 2 === 1 && i !== messages.length - 1 ? signer.skipSigning(message) : signer.sign(message);
          if (out !== message) signed++;
          socket.write(Buffer.concat([Buffer.from([out.length >> 8, out.length & 0xff]), out]));
        }
        served.push({ messages: messages.length, signed, records: records.length });
        socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('dnspython transfers a zone from our signed stream, checking every MAC', async () => {
    const out = await run(
      '/usr/bin/python3',
      ['-c', PY_XFR_CLIENT],
      JSON.stringify({ name: 'xfr.key.', alg: 'hmac-sha256', secret: SECRET, port }),
    );
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { records: number; messages: number };
    expect(served).toHaveLength(1);
    expect(served[0]!.messages).toBeGreaterThan(5);
    expect(served[0]!.signed).toBeLessThan(served[0]!.messages);
    expect(result).toEqual({ records: served[0]!.records, messages: served[0]!.messages });
  });

  it('we verify a stream dnspython signs, with unsigned messages between', async () => {
    const request = signedRequest(KEY, Math.floor(Date.now() / 1000));
    const out = await run(
      '/usr/bin/python3',
      ['-c', PY_XFR_SERVER],
      JSON.stringify({
        name: 'xfr.key.',
        alg: 'hmac-sha256',
        secret: SECRET,
        count: 1500,
        query: Buffer.from(request).toString('hex'),
      }),
    );
    expect(out.code, out.stderr).toBe(0);
    const messages = (JSON.parse(out.stdout) as string[]).map(
      (hex) => new Uint8Array(Buffer.from(hex, 'hex')),
    );
    expect(messages.length).toBeGreaterThan(5);
    const verifier = new TsigStreamVerifier(KEY, { requestMac: requestMacOf(request) });
    const now = Math.floor(Date.now() / 1000);
    const results = messages.map((message) => verifier.verify(message, now));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.filter((r) => r.ok && !r.signed).length).toBeGreaterThan(0);
    expect(verifier.finish().ok).toBe(true);
    // Tampered: one byte of an unsigned message.
    const tampered = messages.map((m) => m.slice());
    tampered[1]![tampered[1]!.length - 1]! ^= 1;
    expect(verifyStream(tampered, requestMacOf(request), now).ok).toBe(false);
  });

  it('dnspython raises the matching Peer error for each of our error answers', async () => {
    const now = Math.floor(Date.now() / 1000);
    const answers = errorAnswers(now);
    const out = await run(
      '/usr/bin/python3',
      ['-c', PY_ERRORS],
      JSON.stringify({
        secret: SECRET,
        answers: answers.map(({ answer, request }) => ({
          answer: Buffer.from(answer).toString('hex'),
          mac: Buffer.from(requestMacOf(request)).toString('hex'),
        })),
      }),
    );
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([
      'PeerBadKey',
      'PeerBadSignature',
      'PeerBadTime',
      'PeerBadTruncation',
    ]);
  });
});

/** A zone file of the zoneRecords, for the servers below. */
function zoneFile(count: number): string {
  return `${zoneRecords(count)
    .slice(0, -1)
    .map((record) => recordToText(record))
    .join('\n')}\n`;
}

/** KEY, as the servers below are configured with it. */
const PEER_KEY: TsigSpec = { name: 'xfr.key', algorithm: 'hmac-sha256', secret: SECRET };

/**
 * NSD, Knot or BIND serving xfr.test. (`records` TXT records) and allowing AXFR to holders of
 * KEY only: a primary of test/helpers/dns-replication-peers.ts.
 */
function startKeyedServer(kind: PeerKind, records: number): Promise<PrimaryPeer> {
  return startPrimaryPeer(kind, {
    zones: [{ origin: 'xfr.test.', text: zoneFile(records) }],
    tsig: PEER_KEY,
  });
}

const ZONE_RECORDS = 3000;

describeWithPeers('keyed AXFR from NSD, Knot and BIND', [NSD, KNOTD, NAMED, DIG], () => {
  const servers: PrimaryPeer[] = [];

  beforeAll(async () => {
    const started = await Promise.allSettled(
      (['nsd', 'knot', 'bind'] as const).map((kind) => startKeyedServer(kind, ZONE_RECORDS)),
    );
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }, 40_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  for (const kind of ['nsd', 'knot', 'bind']) {
    it(`${kind}: every message of the transfer verifies; wrong keys get NOTAUTH with a TSIG error`, async () => {
      const server = servers.find((s) => s.kind === kind)!;
      const now = Math.floor(Date.now() / 1000);
      const request = signedRequest(KEY, now, 'xfr.test', 777);
      const messages = await axfrOverTcp(server.port, request);
      const verifier = new TsigStreamVerifier(KEY, { requestMac: requestMacOf(request) });
      const results = messages.map((message) => verifier.verify(message, Math.floor(Date.now() / 1000)));
      expect(
        results.filter((result) => !result.ok),
        server.output(),
      ).toEqual([]);
      expect(verifier.finish().ok).toBe(true);
      const records = messages.reduce((sum, bytes) => sum + decodeMessage(bytes).answer.length, 0);
      expect(records).toBe(ZONE_RECORDS + 4);
      expect(messages.length).toBeGreaterThan(1);
      const signed = results.filter((result) => result.ok && result.signed).length;
      // NSD 4.6, Knot 3.2 and BIND 9.18 sign every message; older NSD signed every 96th.
      expect(signed).toBeGreaterThanOrEqual(2);

      for (const [wrong, error] of [
        [makeTsigKey('unknown.key', 'hmac-sha256', SECRET), 'BADKEY'],
        [makeTsigKey('xfr.key', 'hmac-sha256', 'AAAAAAAAAAAAAAAAAAAAAA=='), 'BADSIG'],
      ] as const) {
        const [answer] = await axfrOverTcp(server.port, signedRequest(wrong, now, 'xfr.test', 778));
        const message = decodeMessage(answer!);
        expect(message.rcode, kind).toBe(RCODE.NOTAUTH);
        const tsig = message.additional.at(-1)!;
        expect(tsig.type).toBe(RRTYPE.TSIG);
        expect(tsig.name.equals(wrong.name)).toBe(true);
        expect(recordToText(tsig)).toMatch(
          new RegExp(` 0 ANY TSIG hmac-sha256\\. \\d+ \\d+ 0 778 ${error} 0$`),
        );
      }
    });
  }
});
