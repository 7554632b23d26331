/**
 * The SNTP server core without sockets: a golden reply built apart from this code with
 * Python's struct (see timestamp.test.ts), what is answered and what is dropped, the
 * Kiss-o'-Death, the options, and properties over random packets (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatagramPeer } from '../../../src/runtime/service.js';
import {
  createSntpDatagram,
  parseSntpReply,
  resolveSntpConfig,
  SNTP_DEFAULTS,
  SntpBadOptionError,
  sntpDatagram,
  sntpKissOfDeath,
  sntpReply,
  sntpRequest,
} from '../../../src/services/sntp/index.js';

const peer: DatagramPeer = { address: '127.0.0.1', port: 5000, family: 4 };
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

// From Python's struct (header of timestamp.test.ts): a version 4 client request with poll 6
// and transmit timestamp 2026-11-24T21:05:03.123456Z, and the reply with the default
// configuration, received and sent at 2026-11-24T21:05:03.1250005Z:
// 24 (LI 0, VN 4, mode 4) 02 (stratum) 06 (poll) ec (precision -20) 00000000 (root delay)
// 0000028f (root dispersion 10 ms) 7f7f0101 (refid) reference (64 s earlier) origin receive transmit.
const REQUEST =
  '23000600000000000000000000000000000000000000000000000000000000000000000000000000eeb07a7f1f9ad0e5';
const REPLY =
  '240206ec000000000000028f7f7f0101eeb07a3f20000831eeb07a7f1f9ad0e5eeb07a7f20000831eeb07a7f20000831';
const T2 = 1795554303125.0005;

/** A 48-byte packet with the given first byte (LI, VN, mode) and a transmit timestamp. */
function packet(first: number, length = 48): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes[0] = first;
  bytes.set(fromHex('eeb07a7f1f9ad0e5').subarray(0, Math.max(0, length - 40)), 40);
  return bytes;
}
const lvm = (leap: number, version: number, mode: number): number => (leap << 6) | (version << 3) | mode;

describe('the reply to a client request', () => {
  it('is the golden reply, byte for byte', () => {
    expect(hex(sntpReply(fromHex(REQUEST), T2, T2)!)).toBe(REPLY);
    expect(hex(sntpDatagram.receive(fromHex(REQUEST), peer, T2)[0] as Uint8Array)).toBe(REPLY);
  });

  it('takes the receive and transmit times apart', () => {
    const reply = parseSntpReply(sntpReply(fromHex(REQUEST), T2, T2 + 0.25)!, { nearMs: T2 });
    expect(reply.receive).toBeCloseTo(T2, 3);
    expect(reply.transmit).toBeCloseTo(T2 + 0.25, 3);
    expect(reply.reference).toBeCloseTo(T2 - SNTP_DEFAULTS.referenceAgeMs, 3);
  });

  it.each([1, 2, 3, 4])('copies version %i', (version) => {
    const reply = sntpReply(packet(lvm(0, version, 3)), T2, T2)!;
    expect(reply[0]).toBe(lvm(0, version, 4));
  });

  it('ignores the leap indicator and the other fields of the request', () => {
    const request = packet(lvm(3, 4, 3));
    request.fill(0xab, 1, 40);
    const reply = sntpReply(request, T2, T2)!;
    expect(hex(reply.subarray(0, 2))).toBe('2402');
    expect(hex(reply.subarray(24, 32))).toBe('eeb07a7f1f9ad0e5');
  });

  it.each([
    [0, 4],
    [4, 4],
    [6, 6],
    [17, 17],
    [18, 17],
    [127, 17],
    [-6, 4],
  ])('answers poll %i with %i (clamped to 4..17)', (poll, expected) => {
    const request = packet(lvm(0, 4, 3));
    request[2] = poll & 0xff;
    expect(parseSntpReply(sntpReply(request, T2, T2)!).poll).toBe(expected);
  });

  it('tolerates extension fields and a MAC after the header, and still answers 48 bytes', () => {
    const request = packet(lvm(0, 4, 3), 48 + 20 + 16);
    request.fill(0xee, 48);
    const reply = sntpReply(request, T2, T2)!;
    expect(reply).toHaveLength(48);
    expect(hex(reply.subarray(24, 32))).toBe('eeb07a7f1f9ad0e5');
  });

  it('never writes the all-zero timestamp, which means "unset": at 2036-02-07T06:28:16Z exactly it writes 2^-32 s later', () => {
    const wrap = Date.parse('2036-02-07T06:28:16Z');
    const reply = sntpReply(packet(lvm(0, 4, 3)), wrap, wrap)!;
    expect(hex(reply.subarray(32, 48))).toBe('00000000000000010000000000000001');
  });
});

describe('what is dropped', () => {
  const cases: [string, Uint8Array][] = [
    ['an empty datagram', new Uint8Array(0)],
    ['47 bytes of a client request', packet(lvm(0, 4, 3), 47)],
    ['version 0', packet(lvm(0, 0, 3))],
    ['version 5', packet(lvm(0, 5, 3))],
    ['version 7', packet(lvm(0, 7, 3))],
    ...[0, 1, 2, 4, 5, 6, 7].map((mode): [string, Uint8Array] => [`mode ${mode}`, packet(lvm(0, 4, mode))]),
    ['a mode 6 control query as ntpq sends it (12 bytes)', fromHex('160100010000000000000000')],
    ['a mode 7 monlist request (amplification)', packet(0x17, 48)],
  ];

  it.each(cases)('%s', (_, datagram) => {
    expect(sntpReply(datagram, T2, T2)).toBeUndefined();
    expect(sntpDatagram.receive(datagram, peer, T2)).toEqual([]);
    expect(sntpDatagram.rateLimited!(datagram, peer, T2)).toEqual([]);
    expect(sntpKissOfDeath(datagram)).toBeUndefined();
  });
});

describe("Kiss-o'-Death over the rate", () => {
  it('answers a client request with LI 3, stratum 0, RATE, its version, and its own timestamps', () => {
    const request = fromHex(REQUEST);
    const [kiss] = sntpDatagram.rateLimited!(request, peer, T2) as Uint8Array[];
    expect(kiss).toHaveLength(48);
    // e4 = LI 3, VN 4, mode 4; stratum 0; poll 6; the request's precision (0); refid "RATE".
    expect(hex(kiss!.subarray(0, 16))).toBe('e4000600000000000000000052415445');
    expect(hex(kiss!.subarray(24, 48))).toBe('eeb07a7f1f9ad0e5'.repeat(3));
  });

  it('carries any 4-letter kiss code', () => {
    const kiss = sntpKissOfDeath(fromHex(REQUEST), 'DENY')!;
    expect(Buffer.from(kiss.subarray(12, 16)).toString('latin1')).toBe('DENY');
    expect(() => sntpKissOfDeath(fromHex(REQUEST), 'rate')).toThrow(SntpBadOptionError);
  });
});

describe('options', () => {
  it('writes what it is given', () => {
    const server = createSntpDatagram({
      leap: 3,
      stratum: 1,
      precision: -29,
      rootDelayMs: 1500,
      rootDispersionMs: 7.8125,
      referenceAgeMs: 16_000,
    });
    const reply = server.receive(fromHex(REQUEST), peer, T2)[0] as Uint8Array;
    // LI 3 VN 4 mode 4, stratum 1, poll 6, precision -29 (e3), 1.5 s, 7.8125 ms, "LOCL".
    expect(hex(reply.subarray(0, 16))).toBe('e40106e300018000000002004c4f434c');
  });

  it.each([
    [{ stratum: 1, refId: 'GPS' }, '47505300'],
    [{ stratum: 2, refId: '192.0.2.1' }, 'c0000201'],
    [{ stratum: 3, refId: 0x0a000001 }, '0a000001'],
    [{ stratum: 16 }, '7f7f0101'],
  ])('refId of %j is %s', (options, expected) => {
    const reply = sntpReply(fromHex(REQUEST), T2, T2, options)!;
    expect(hex(reply.subarray(12, 16))).toBe(expected);
  });

  it.each([
    { stratum: 0 },
    { stratum: 17 },
    { stratum: 1.5 },
    { leap: 4 },
    { precision: 1 },
    { precision: -33 },
    { rootDelayMs: -1 },
    { rootDispersionMs: 70_000_000 },
    { referenceAgeMs: Number.NaN },
    { stratum: 1, refId: 'TOOLONG' },
    { stratum: 1, refId: 'lo cl' },
    { stratum: 2, refId: 'LOCL' },
    { stratum: 2, refId: '1.2.3' },
    { refId: 2 ** 32 },
  ])('refuses %j with NK_SNTP_BAD_OPTION', (options) => {
    expect(() => resolveSntpConfig(options)).toThrow(expect.objectContaining({ code: 'NK_SNTP_BAD_OPTION' }));
    expect(() => createSntpDatagram(options)).toThrow(SntpBadOptionError);
  });

  it('refuses times that are not times, and a transmit before the receive', () => {
    const request = fromHex(REQUEST);
    expect(() => sntpReply(request, Number.NaN, 0)).toThrow(SntpBadOptionError);
    expect(() => sntpReply(request, 0, Number.POSITIVE_INFINITY)).toThrow(SntpBadOptionError);
    expect(() => sntpReply(request, 10, 9)).toThrow(SntpBadOptionError);
  });
});

describe('properties', () => {
  const now = fc.double({
    min: Date.parse('1900-01-01T00:00:00Z'),
    max: Date.parse('2100-01-01T00:00:00Z'),
    noNaN: true,
  });
  const anyBytes = fc.uint8Array({ minLength: 0, maxLength: 120 });
  /** Mostly 48-byte packets with any first byte, so every mode and version is tried often. */
  const packets = fc.oneof(anyBytes, fc.uint8Array({ minLength: 48, maxLength: 96 }));

  it('random bytes never throw, and only client requests (mode 3, version 1..4) are answered', () => {
    fc.assert(
      fc.property(packets, now, (datagram, ms) => {
        const replies = sntpDatagram.receive(datagram, peer, ms);
        const kisses = sntpDatagram.rateLimited!(datagram, peer, ms);
        const mode = (datagram[0] ?? 0) & 7;
        const version = ((datagram[0] ?? 0) >> 3) & 7;
        const isClient = datagram.length >= 48 && mode === 3 && version >= 1 && version <= 4;
        expect(replies).toHaveLength(isClient ? 1 : 0);
        expect(kisses).toHaveLength(isClient ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('a reply is always 48 bytes, mode 4, the request version, the origin copied, never larger than the request', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 48, maxLength: 96 }),
        fc.integer({ min: 1, max: 4 }),
        now,
        (datagram, version, ms) => {
          datagram[0] = (datagram[0]! & 0xc0) | (version << 3) | 3;
          for (const reply of [
            ...(sntpDatagram.receive(datagram, peer, ms) as Uint8Array[]),
            ...(sntpDatagram.rateLimited!(datagram, peer, ms) as Uint8Array[]),
          ]) {
            expect(reply).toHaveLength(48);
            expect(reply.length).toBeLessThanOrEqual(datagram.length);
            expect(reply[0]! & 7).toBe(4);
            expect((reply[0]! >> 3) & 7).toBe(version);
            expect(hex(reply.subarray(24, 32))).toBe(hex(datagram.subarray(40, 48)));
          }
        },
      ),
    );
  });

  it('the receive and transmit timestamps read back as now, near now', () => {
    fc.assert(
      fc.property(now, (ms) => {
        const reply = parseSntpReply(sntpDatagram.receive(sntpRequest(ms), peer, ms)[0] as Uint8Array, {
          nearMs: ms,
        });
        expect(Math.abs(reply.receive! - ms)).toBeLessThan(0.001);
        expect(Math.abs(reply.transmit! - ms)).toBeLessThan(0.001);
      }),
    );
  });
});
