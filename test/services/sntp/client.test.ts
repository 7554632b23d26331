/**
 * The client helpers: the request and a reply built apart from this code with Python's struct
 * (see timestamp.test.ts), the checks of validateSntpReply in order, the offset and delay
 * arithmetic of RFC 4330 section 5, and a client against the server core, in memory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import type { DatagramPeer } from '../../../src/runtime/service.js';
import {
  createSntpDatagram,
  ntpOffsetDelay,
  parseSntpReply,
  SntpBadOptionError,
  SntpKissOfDeathError,
  sntpDatagram,
  sntpKissOfDeath,
  sntpReply,
  sntpRequest,
  validateSntpReply,
} from '../../../src/services/sntp/index.js';

const peer: DatagramPeer = { address: '127.0.0.1', port: 5000, family: 4 };
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** What a call throws (or undefined). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('sntpRequest', () => {
  it('is mode 3, version 4, all zero but the transmit timestamp (golden, from Python)', () => {
    expect(hex(sntpRequest(1795554303123.456))).toBe(
      '23000000000000000000000000000000000000000000000000000000000000000000000000000000eeb07a7f1f9ad0e5',
    );
  });

  it('takes any transmit time (a random one, for privacy) but not a non-time', () => {
    expect(sntpRequest(-1e15)).toHaveLength(48);
    expect(() => sntpRequest(Number.NaN)).toThrow(SntpBadOptionError);
  });
});

describe('parseSntpReply', () => {
  // From Python: LI 1, VN 3, mode 4, stratum 1, poll -6, precision -29, root delay 1.5 s,
  // root dispersion 7.8125 ms, refid "GPS\0", timestamps in NTP era 1 around 2040-06-01T12:00:00.25Z:
  // reference 16 s before, origin 1 s before, receive at, transmit 0.5 ms after.
  const PACKET =
    '5c01fae3000180000000020047505300081e09b040000000081e09bf40000000081e09c040000000081e09c04020c49c';
  const r = Date.parse('2040-06-01T12:00:00.250Z');

  it('reads every field, and the timestamps in era 1 without a pivot (RFC 4330 rule)', () => {
    const reply = parseSntpReply(fromHex(PACKET));
    expect(reply).toMatchObject({
      leap: 1,
      version: 3,
      mode: 4,
      stratum: 1,
      poll: -6,
      precision: -29,
      rootDelay: 1500,
      rootDispersion: 7.8125,
      refId: 'GPS',
      refIdValue: 0x47505300,
    });
    expect(reply.reference).toBeCloseTo(r - 16_000, 3);
    expect(reply.origin).toBeCloseTo(r - 1000, 3);
    expect(reply.receive).toBeCloseTo(r, 3);
    expect(reply.transmit).toBeCloseTo(r + 0.5, 3);
  });

  it('reads the era near the pivot it is given', () => {
    const reply = parseSntpReply(fromHex(PACKET), { nearMs: Date.parse('1920-01-01T00:00:00Z') });
    expect(new Date(reply.receive!).toISOString()).toBe('1904-04-26T05:31:44.250Z');
  });

  it('shows a refid as a dotted quad above stratum 1, and zero timestamps as undefined', () => {
    const packet = fromHex(PACKET);
    packet[1] = 2;
    packet.fill(0, 16, 24);
    const reply = parseSntpReply(packet);
    expect(reply.refId).toBe('71.80.83.0');
    expect(reply.reference).toBeUndefined();
  });

  it('ignores what follows the header, and refuses less than a header', () => {
    expect(parseSntpReply(new Uint8Array(68)).mode).toBe(0);
    expect(thrown(() => parseSntpReply(new Uint8Array(47)))).toMatchObject({
      code: 'NK_SNTP_BAD_REPLY',
      details: { size: 47 },
    });
  });
});

describe('validateSntpReply', () => {
  const t1 = Date.parse('2026-11-24T21:05:03.123Z');
  const request = sntpRequest(t1);
  const good = (): Uint8Array => sntpReply(request, t1 + 20, t1 + 20.5)!;
  /** The good reply with some bytes changed. */
  const edited = (edit: (reply: Uint8Array) => void): Uint8Array => {
    const reply = good();
    edit(reply);
    return reply;
  };

  it('returns the parsed reply when all is well', () => {
    const reply = validateSntpReply(good(), request, { nearMs: t1 });
    expect(reply.stratum).toBe(2);
    expect(reply.origin).toBeCloseTo(t1, 3);
    expect(reply.transmit - reply.receive).toBeCloseTo(0.5, 3);
  });

  it.each<[string, (reply: Uint8Array) => void, string]>([
    ['mode 5 (broadcast)', (reply) => (reply[0] = 0x25), 'NK_SNTP_BAD_REPLY'],
    ['mode 3 (our own request reflected)', (reply) => (reply[0] = 0x23), 'NK_SNTP_BAD_REPLY'],
    ['version 0', (reply) => (reply[0] = 0x04), 'NK_SNTP_BAD_REPLY'],
    ['version 5', (reply) => (reply[0] = 0x2c), 'NK_SNTP_BAD_REPLY'],
    ['another origin', (reply) => (reply[31] = reply[31]! ^ 1), 'NK_SNTP_ORIGIN_MISMATCH'],
    [
      'stratum 0',
      (reply) => {
        reply[1] = 0;
        reply.set([0x44, 0x45, 0x4e, 0x59], 12);
      },
      'NK_SNTP_KISS_OF_DEATH',
    ],
    ['a zero transmit timestamp', (reply) => reply.fill(0, 40, 48), 'NK_SNTP_BAD_REPLY'],
    ['a zero receive timestamp', (reply) => reply.fill(0, 32, 40), 'NK_SNTP_BAD_REPLY'],
    ['leap indicator 3', (reply) => (reply[0] = 0xe4), 'NK_SNTP_UNSYNCHRONISED'],
    ['stratum 16', (reply) => (reply[1] = 16), 'NK_SNTP_UNSYNCHRONISED'],
    [
      'a KoD whose origin is not ours (spoofed)',
      (reply) => {
        reply.set([0xe4, 0], 0);
        reply[24] = reply[24]! ^ 1;
      },
      'NK_SNTP_ORIGIN_MISMATCH',
    ],
  ])('refuses %s with %s', (_, edit, code) => {
    const error = thrown(() => validateSntpReply(edited(edit), request));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code });
  });

  it("reads a Kiss-o'-Death's code, from our own server's rate limiting", () => {
    const kiss = sntpKissOfDeath(request)!;
    const error = thrown(() => validateSntpReply(kiss, request));
    expect(error).toBeInstanceOf(SntpKissOfDeathError);
    expect(error).toMatchObject({
      code: 'NK_SNTP_KISS_OF_DEATH',
      kissCode: 'RATE',
      details: { kissCode: 'RATE' },
    });
    expect((error as Error).message).toContain('poll less often');
  });

  it('refuses a reply from a server configured as unsynchronised (LI 3)', () => {
    const server = createSntpDatagram({ leap: 3 });
    const reply = server.receive(request, peer, t1)[0] as Uint8Array;
    expect(thrown(() => validateSntpReply(reply, request))).toMatchObject({ code: 'NK_SNTP_UNSYNCHRONISED' });
  });

  it('shows a kiss code with control characters in hex, never raw', () => {
    const reply = edited((bytes) => {
      bytes[1] = 0;
      bytes.set([0x1b, 0x5b, 0x32, 0x4a], 12);
    });
    const error = thrown(() => validateSntpReply(reply, request)) as SntpKissOfDeathError;
    expect(error.kissCode).toBe('0x1b5b324a');
  });

  it('wants the request it answers, not a stub', () => {
    expect(() => validateSntpReply(good(), new Uint8Array(8))).toThrow(SntpBadOptionError);
  });
});

describe('ntpOffsetDelay (RFC 4330 section 5)', () => {
  it.each([
    // [t1, t2, t3, t4, offset, delay], worked by hand.
    [0, 0, 0, 0, 0, 0],
    [1000, 1010, 1011, 1021, 0, 20], // in step, 10 ms each way, 1 ms at the server
    [1000, 1510, 1511, 1021, 500, 20], // the client is 500 ms slow
    [1000, 510, 511, 1021, -500, 20], // the client is 500 ms fast
    [1000, 1005, 1006, 1021, -5, 20], // asymmetric path: 5 ms out, 15 ms back, read as -5 ms of offset
    [0, 3_000_000_000_000, 3_000_000_000_000, 100, 2_999_999_999_950, 100],
  ])('t1=%d t2=%d t3=%d t4=%d: offset %d, delay %d', (t1, t2, t3, t4, offset, delay) => {
    expect(ntpOffsetDelay(t1, t2, t3, t4)).toEqual({ offset, delay });
  });

  it('a client against the server core, in memory: the offset and delay it measures are the ones set up', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.6e12, max: 2.2e12, noNaN: true }),
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (clientT1, skew, outbound, inbound) => {
          // The server's clock is the client's plus skew; the network takes outbound then inbound ms.
          const request = sntpRequest(clientT1);
          const serverNow = clientT1 + skew + outbound;
          const reply = sntpDatagram.receive(request, peer, serverNow)[0] as Uint8Array;
          const t4 = clientT1 + outbound + inbound;
          const valid = validateSntpReply(reply, request, { nearMs: t4 });
          const { offset, delay } = ntpOffsetDelay(valid.origin, valid.receive, valid.transmit, t4);
          expect(delay).toBeCloseTo(outbound + inbound, 2);
          expect(offset).toBeCloseTo(skew + (outbound - inbound) / 2, 2);
        },
      ),
    );
  });
});
