/**
 * parseDaytime, the client side: the formats we write and the ones we meet, what it refuses,
 * and round trips through daytimeText (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import {
  DAYTIME_FORMATS,
  DaytimeBadReplyError,
  daytimeText,
  parseDaytime,
} from '../../../src/services/daytime/index.js';

const iso = (date: Date): string => date.toISOString();
/** The whole second an instant falls in, in milliseconds (floored: an instant before 1970 belongs to the earlier second). */
const second = (ms: number): number => Math.floor(Math.floor(ms) / 1000) * 1000 + 0;

describe('what it reads', () => {
  it.each([
    // ctime, as inetd sends it, and with one-digit days.
    ['Tue Nov 24 21:05:03 2026\r\n', '2026-11-24T21:05:03.000Z'],
    ['Wed Nov  4 01:02:03 2026\r\n', '2026-11-04T01:02:03.000Z'],
    ['Wed Nov 4 01:02:03 2026', '2026-11-04T01:02:03.000Z'],
    // date(1)'s form: a zone before the year.
    ['Tue Nov 24 21:05:03 UTC 2026\n', '2026-11-24T21:05:03.000Z'],
    ['Tue Nov 24 16:05:03 EST 2026\n', '2026-11-24T21:05:03.000Z'],
    // RFC 867's own example, with its wrong weekday (22 February 1982 was a Monday).
    ['Tuesday, February 22, 1982 17:37:43-PST', '1982-02-23T01:37:43.000Z'],
    ['Tuesday, November 24, 2026 21:05:03-UTC\r\n', '2026-11-24T21:05:03.000Z'],
    ['Tuesday, November 24, 2026 22:05:03-GMT+1', '2026-11-24T21:05:03.000Z'],
    ['Wednesday, November 25, 2026 02:35:03-GMT+5:30', '2026-11-24T21:05:03.000Z'],
    ['Tuesday, November 24, 2026 21:05:03', '2026-11-24T21:05:03.000Z'],
    // RFC 3339, with offsets, a fraction, lower case, and a leap second.
    ['2026-11-24T21:05:03Z\r\n', '2026-11-24T21:05:03.000Z'],
    ['2026-11-24T22:05:03+01:00', '2026-11-24T21:05:03.000Z'],
    ['2026-11-24T16:05:03.25-05:00', '2026-11-24T21:05:03.250Z'],
    ['2026-11-24t21:05:03z', '2026-11-24T21:05:03.000Z'],
    ['2026-11-24 21:05:03Z', '2026-11-24T21:05:03.000Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    // NIST (time.nist.gov port 13): the Modified Julian Day and the date must agree.
    ['\n61048 26-01-08 15:20:12 00 0 0 140.3 UTC(NIST) * \n', '2026-01-08T15:20:12.000Z'],
    ['51544 00-01-01 00:00:00 00 0 0  50.0 UTC(NIST) *', '2000-01-01T00:00:00.000Z'],
  ])('%j', (text, expected) => {
    expect(iso(parseDaytime(text))).toBe(expected);
  });

  it('reads bytes as they came', () => {
    expect(iso(parseDaytime(new TextEncoder().encode('Tue Nov 24 21:05:03 2026\r\n')))).toBe(
      '2026-11-24T21:05:03.000Z',
    );
  });

  it('reads a text without an offset in the zone it is given, across daylight saving time', () => {
    expect(iso(parseDaytime('Tue Nov 24 22:05:03 2026', { timeZone: 'Europe/Paris' }))).toBe(
      '2026-11-24T21:05:03.000Z',
    );
    expect(iso(parseDaytime('Wed Jul  1 14:00:00 2026', { timeZone: 'Europe/Paris' }))).toBe(
      '2026-07-01T12:00:00.000Z',
    );
    // A zone name we cannot place (CET) is read in the given zone.
    expect(iso(parseDaytime('Tuesday, November 24, 2026 22:05:03-CET', { timeZone: 'Europe/Paris' }))).toBe(
      '2026-11-24T21:05:03.000Z',
    );
  });
});

describe('what it refuses', () => {
  it.each([
    ['an empty reply', ''],
    ['an error line', 'error NK_IDLE_TIMEOUT: idle'],
    ['an impossible date', 'Sat Feb 29 12:00:00 2025'],
    ['day 31 of November', '2026-11-31T00:00:00Z'],
    ['hour 24', '2026-11-24T24:00:00Z'],
    ['minute 60', 'Tue Nov 24 21:60:03 2026'],
    ['an offset of a day', '2026-11-24T21:05:03+24:00'],
    ['a zone name we cannot place, without a timeZone', 'Tuesday, November 24, 2026 22:05:03-CET'],
    ['a NIST line whose date is not its MJD', '61049 26-01-08 15:20:12 00 0 0 140.3 UTC(NIST) *'],
    ['terminal escapes', '\u001b[2J\u001b]0;pwned\u0007'],
    ['a line far too long', 'Tue Nov 24 21:05:03 2026'.padEnd(5000, ' x')],
  ])('%s', (_, text) => {
    let error: unknown;
    try {
      parseDaytime(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DaytimeBadReplyError);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'NK_DAYTIME_BAD_REPLY' });
    // The message never carries the reply's bytes back.
    expect((error as Error).message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('refuses a bad time zone option as the server does', () => {
    expect(() => parseDaytime('Tue Nov 24 21:05:03 2026', { timeZone: 'Nowhere/Land' })).toThrow(
      expect.objectContaining({ code: 'NK_DAYTIME_BAD_TIME_ZONE' }),
    );
  });
});

describe('round trips (fast-check)', () => {
  const years0to9999 = fc.double({
    min: Date.parse('0000-01-01T00:00:00Z'),
    max: Date.parse('9999-12-31T23:59:59Z'),
    noNaN: true,
  });
  /** A day short at each end, so that the local date in any zone is still in 0000 to 9999. */
  const inAnyZone = fc.double({
    min: Date.parse('0000-01-02T00:00:00Z'),
    max: Date.parse('9999-12-30T23:59:59Z'),
    noNaN: true,
  });
  const zones = fc.constantFrom(
    'UTC',
    'Europe/Paris',
    'America/New_York',
    'America/Los_Angeles',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/St_Johns',
  );

  it('RFC 3339, in any zone, names the instant to the second', () => {
    fc.assert(
      fc.property(inAnyZone, zones, (ms, timeZone) => {
        const text = daytimeText(ms, { format: 'rfc3339', timeZone });
        // An offset with seconds (local mean time) is cut to minutes; the instant stays exact to the second.
        expect(parseDaytime(text).getTime()).toBe(second(ms));
      }),
    );
  });

  it('every format in UTC names the instant to the second', () => {
    fc.assert(
      fc.property(years0to9999, fc.constantFrom(...DAYTIME_FORMATS), (ms, format) => {
        const text = daytimeText(ms, { format });
        expect(parseDaytime(text).getTime()).toBe(second(ms));
      }),
    );
  });

  it('ctime and RFC 867 in any zone read back to the same text (an hour that occurs twice may be either)', () => {
    fc.assert(
      fc.property(
        years0to9999,
        zones,
        fc.constantFrom('ctime', 'rfc867' as const),
        (ms, timeZone, format) => {
          const text = daytimeText(ms, { format, timeZone });
          expect(daytimeText(parseDaytime(text, { timeZone }).getTime(), { format, timeZone })).toBe(text);
        },
      ),
    );
  });
});
