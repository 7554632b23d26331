/**
 * Time (RFC 868): the RFC's own examples, the 2036 wrap, era-aware decoding, the sessions
 * over stream and datagram without sockets, and properties (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalError, RemoteError } from '../../../src/core/errors.js';
import type { DatagramPeer, StreamAction } from '../../../src/runtime/service.js';
import {
  decodeTime,
  RFC868_UNIX_OFFSET,
  TimeBadReplyError,
  timeDatagram,
  timeReply,
  timeSeconds,
  timeStream,
} from '../../../src/services/time/index.js';

const info = { id: 1, transport: 'tcp' as const, remote: '127.0.0.1:5000', local: 'tcp://127.0.0.1:3737' };
const peer: DatagramPeer = { address: '127.0.0.1', port: 5000, family: 4 };
const at = (iso: string): number => Date.parse(iso);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** Whole seconds of t, floored, in BigInt arithmetic (an oracle apart from the core's floating point). */
const wholeSeconds = (t: number): bigint => {
  const ms = BigInt(Math.floor(t));
  return ms >= 0n ? ms / 1000n : -((-ms + 999n) / 1000n);
};
const u32 = (value: number): Uint8Array => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0);
  return bytes;
};

describe('RFC 868 examples (section "The Time")', () => {
  // "the time 2,208,988,800 corresponds to 00:00 1 Jan 1970 GMT, 2,398,291,200 ... 1 Jan 1976,
  //  2,524,521,600 ... 1 Jan 1980, 2,629,584,000 ... 1 May 1983, and -1,297,728,000 ... 17 Nov 1858"
  const examples: [number, string][] = [
    [2_208_988_800, '1970-01-01T00:00:00Z'],
    [2_398_291_200, '1976-01-01T00:00:00Z'],
    [2_524_521_600, '1980-01-01T00:00:00Z'],
    [2_629_584_000, '1983-05-01T00:00:00Z'],
  ];

  it.each(examples)('%i is %s, both ways', (value, iso) => {
    expect(timeSeconds(at(iso))).toBe(value);
    expect(hex(timeReply(at(iso)))).toBe(value.toString(16).padStart(8, '0'));
    expect(new Date(decodeTime(u32(value), at('1983-05-01T00:00:00Z'))).toISOString()).toBe(
      iso.replace('Z', '.000Z'),
    );
  });

  it('-1,297,728,000 is 1858-11-17 (the MJD epoch): on the wire 2^32 - 1,297,728,000, read near 1858', () => {
    const wire = 2 ** 32 - 1_297_728_000;
    expect(timeSeconds(at('1858-11-17T00:00:00Z'))).toBe(wire);
    expect(new Date(decodeTime(u32(wire), at('1860-01-01T00:00:00Z'))).toISOString()).toBe(
      '1858-11-17T00:00:00.000Z',
    );
    // The same 4 bytes read near 1990 are 1994-12-24T06:28:16Z (checked with Python's datetime): the era decides.
    expect(new Date(decodeTime(u32(wire), at('1990-01-01T00:00:00Z'))).toISOString()).toBe(
      '1994-12-24T06:28:16.000Z',
    );
  });

  it('counts whole seconds: the fraction is dropped, not rounded', () => {
    expect(timeSeconds(999.999)).toBe(RFC868_UNIX_OFFSET);
    expect(timeSeconds(1000)).toBe(RFC868_UNIX_OFFSET + 1);
    expect(timeSeconds(-0.001)).toBe(RFC868_UNIX_OFFSET - 1);
    expect(timeSeconds(-5e-324)).toBe(RFC868_UNIX_OFFSET - 1);
  });
});

describe('the 2036 wrap', () => {
  it('2036-02-07T06:28:15Z is 0xFFFFFFFF and 06:28:16Z is 0', () => {
    expect(hex(timeReply(at('2036-02-07T06:28:15Z')))).toBe('ffffffff');
    expect(hex(timeReply(at('2036-02-07T06:28:15.999Z')))).toBe('ffffffff');
    expect(hex(timeReply(at('2036-02-07T06:28:16Z')))).toBe('00000000');
    expect(hex(timeReply(at('2036-02-07T06:28:17Z')))).toBe('00000001');
    expect(hex(timeReply(at('1900-01-01T00:00:00Z')))).toBe('00000000');
  });

  it('a client after the wrap reads small values in era 1, a client before it in era 0', () => {
    expect(new Date(decodeTime(u32(0), at('2040-01-01T00:00:00Z'))).toISOString()).toBe(
      '2036-02-07T06:28:16.000Z',
    );
    expect(new Date(decodeTime(u32(0), at('1950-01-01T00:00:00Z'))).toISOString()).toBe(
      '1900-01-01T00:00:00.000Z',
    );
    expect(new Date(decodeTime(u32(0xffff_ffff), at('2036-02-07T06:28:20Z'))).toISOString()).toBe(
      '2036-02-07T06:28:15.000Z',
    );
    expect(new Date(decodeTime(u32(5), at('2036-02-07T06:28:10Z'))).toISOString()).toBe(
      '2036-02-07T06:28:21.000Z',
    );
  });

  it('reads a reply from a view into a larger buffer', () => {
    const buffer = new Uint8Array([9, 9, 0x83, 0xaa, 0x7e, 0x80, 9]);
    expect(decodeTime(buffer.subarray(2, 6), 0)).toBe(0);
  });
});

describe('errors', () => {
  it.each([0, 3, 5, 48])('a reply of %i bytes is NK_TIME_BAD_REPLY', (size) => {
    const error = (() => {
      try {
        decodeTime(new Uint8Array(size), 0);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(TimeBadReplyError);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'NK_TIME_BAD_REPLY', details: { size } });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1e300])('a time of %d is NK_TIME_BAD_ARGUMENT', (ms) => {
    expect(() => timeReply(ms)).toThrow(expect.objectContaining({ code: 'NK_TIME_BAD_ARGUMENT' }));
    expect(() => decodeTime(new Uint8Array(4), ms)).toThrow(LocalError);
  });
});

describe('sessions without sockets', () => {
  const now = at('2026-11-24T21:05:03.500Z');
  const expected = timeSeconds(now).toString(16).padStart(8, '0');

  it('stream: 4 bytes on open, then close; what the client sends changes nothing', () => {
    const session = timeStream.session(info);
    const actions = session.open!(now);
    expect(actions).toHaveLength(2);
    expect(actions[0]!.type).toBe('send');
    expect(hex((actions[0] as Extract<StreamAction, { type: 'send' }>).data as Uint8Array)).toBe(expected);
    expect(actions[1]).toEqual({ type: 'close' });
    expect(session.receive(new TextEncoder().encode('hello\n'), now)).toEqual([]);
  });

  it('datagram: any datagram, empty or not, gets one datagram of 4 bytes', () => {
    for (const datagram of [new Uint8Array(0), new Uint8Array(1000).fill(7)]) {
      const replies = timeDatagram.receive(datagram, peer, now);
      expect(replies).toHaveLength(1);
      expect(hex(replies[0] as Uint8Array)).toBe(expected);
    }
  });
});

describe('properties', () => {
  const ms = fc.double({ min: -2.2e12 * 2, max: 8e12, noNaN: true });

  it('decodeTime(timeReply(t), t) is t to the second, for any t', () => {
    fc.assert(
      fc.property(ms, (t) => {
        expect(decodeTime(timeReply(t), t)).toBe(Number(wholeSeconds(t)) * 1000);
      }),
    );
  });

  it('a client whose clock is within 68 years of the server reads the right time', () => {
    fc.assert(
      fc.property(ms, fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }), (t, skewSeconds) => {
        const whole = Number(wholeSeconds(t)) * 1000;
        expect(decodeTime(timeReply(t), whole + skewSeconds * 1000)).toBe(whole);
      }),
    );
  });

  it('the reply is always 4 bytes, and is the time modulo 2^32', () => {
    fc.assert(
      fc.property(ms, (t) => {
        const reply = timeReply(t);
        expect(reply).toHaveLength(4);
        const value = new DataView(reply.buffer).getUint32(0);
        const exact = wholeSeconds(t) + BigInt(RFC868_UNIX_OFFSET);
        expect(BigInt(value)).toBe(((exact % 2n ** 32n) + 2n ** 32n) % 2n ** 32n);
      }),
    );
  });
});
