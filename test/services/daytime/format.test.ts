/**
 * The daytime line in each format and zone. The expected strings were written by Python
 * (time.strftime and zoneinfo, which reads the system's IANA database, not ICU's), so they
 * share nothing with the core's calendar or with Intl.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalError } from '../../../src/core/errors.js';
import {
  DAYTIME_DEFAULTS,
  DaytimeBadTimeZoneError,
  type DaytimeOptions,
  daytimeText,
  resolveDaytimeOptions,
} from '../../../src/services/daytime/index.js';
import { civilTime, daysFromCivil } from '../../../src/services/daytime/protocol/calendar.js';

const at = (iso: string): number => Date.parse(iso);

describe('defaults', () => {
  it("are inetd's: ctime's 24 characters and CRLF, in UTC", () => {
    expect(DAYTIME_DEFAULTS).toEqual({ format: 'ctime', timeZone: 'UTC', lineEnd: 'crlf' });
    expect(daytimeText(at('2026-11-24T21:05:03.999Z'))).toBe('Tue Nov 24 21:05:03 2026\r\n');
  });
});

// [instant, zone, ctime, rfc867 without its zone name, rfc3339], from Python (see the header).
const GOLDEN: [string, string, string, string, string][] = [
  [
    '2026-11-24T21:05:03Z',
    'UTC',
    'Tue Nov 24 21:05:03 2026',
    'Tuesday, November 24, 2026 21:05:03',
    '2026-11-24T21:05:03Z',
  ],
  [
    '2026-11-04T01:02:03Z',
    'UTC',
    'Wed Nov  4 01:02:03 2026',
    'Wednesday, November 4, 2026 01:02:03',
    '2026-11-04T01:02:03Z',
  ],
  [
    '1982-02-22T17:37:43Z',
    'UTC',
    'Mon Feb 22 17:37:43 1982',
    'Monday, February 22, 1982 17:37:43',
    '1982-02-22T17:37:43Z',
  ],
  [
    '2000-02-29T12:00:00Z',
    'UTC',
    'Tue Feb 29 12:00:00 2000',
    'Tuesday, February 29, 2000 12:00:00',
    '2000-02-29T12:00:00Z',
  ],
  [
    '2036-02-07T06:28:16Z',
    'UTC',
    'Thu Feb  7 06:28:16 2036',
    'Thursday, February 7, 2036 06:28:16',
    '2036-02-07T06:28:16Z',
  ],
  [
    '0001-01-01T00:00:00Z',
    'UTC',
    'Mon Jan  1 00:00:00 1',
    'Monday, January 1, 1 00:00:00',
    '0001-01-01T00:00:00Z',
  ],
  [
    '9999-12-31T23:59:59Z',
    'UTC',
    'Fri Dec 31 23:59:59 9999',
    'Friday, December 31, 9999 23:59:59',
    '9999-12-31T23:59:59Z',
  ],
  [
    '2026-11-24T21:05:03Z',
    'Europe/Paris',
    'Tue Nov 24 22:05:03 2026',
    'Tuesday, November 24, 2026 22:05:03',
    '2026-11-24T22:05:03+01:00',
  ],
  [
    '2026-07-01T12:00:00Z',
    'America/Los_Angeles',
    'Wed Jul  1 05:00:00 2026',
    'Wednesday, July 1, 2026 05:00:00',
    '2026-07-01T05:00:00-07:00',
  ],
  [
    '2026-11-24T21:05:03Z',
    'Asia/Kolkata',
    'Wed Nov 25 02:35:03 2026',
    'Wednesday, November 25, 2026 02:35:03',
    '2026-11-25T02:35:03+05:30',
  ],
  [
    '2026-11-24T21:05:03Z',
    'Asia/Kathmandu',
    'Wed Nov 25 02:50:03 2026',
    'Wednesday, November 25, 2026 02:50:03',
    '2026-11-25T02:50:03+05:45',
  ],
  [
    '2026-01-01T00:00:00Z',
    'Australia/Lord_Howe',
    'Thu Jan  1 11:00:00 2026',
    'Thursday, January 1, 2026 11:00:00',
    '2026-01-01T11:00:00+11:00',
  ],
  // Paris kept local mean time (+00:09:21) until 1891: ctime shows it; RFC 3339 offsets have no seconds.
  [
    '1850-01-01T00:00:00Z',
    'Europe/Paris',
    'Tue Jan  1 00:09:21 1850',
    'Tuesday, January 1, 1850 00:09:21',
    '1850-01-01T00:09:00+00:09',
  ],
];

describe.each(GOLDEN)('%s in %s', (iso, timeZone, ctime, rfc867, rfc3339) => {
  const ms = at(iso) + 0.75;
  const text = (options: DaytimeOptions) => daytimeText(ms, { timeZone, lineEnd: 'lf', ...options });

  it('ctime', () => expect(text({ format: 'ctime' })).toBe(`${ctime}\n`));
  it('rfc867', () => expect(text({ format: 'rfc867' })).toMatch(new RegExp(`^${rfc867}-[A-Z]`)));
  it('rfc3339', () => expect(text({ format: 'rfc3339' })).toBe(`${rfc3339}\n`));
});

describe('the zone name of the RFC 867 form', () => {
  it.each([
    ['2026-11-24T21:05:03Z', 'UTC', 'Tuesday, November 24, 2026 21:05:03-UTC'],
    ['2026-01-15T12:00:00Z', 'America/Los_Angeles', 'Thursday, January 15, 2026 04:00:00-PST'],
    ['2026-07-15T12:00:00Z', 'America/New_York', 'Wednesday, July 15, 2026 08:00:00-EDT'],
    ['2026-11-24T21:05:03Z', 'Europe/Paris', 'Tuesday, November 24, 2026 22:05:03-GMT+1'],
    ['2026-11-24T21:05:03Z', 'Asia/Kolkata', 'Wednesday, November 25, 2026 02:35:03-GMT+5:30'],
  ])('%s in %s', (iso, timeZone, expected) => {
    expect(daytimeText(at(iso), { format: 'rfc867', timeZone })).toBe(`${expected}\r\n`);
  });
});

describe('time zones', () => {
  it('follows daylight saving time across the change (Europe/Paris, 2026-03-29)', () => {
    const options = { format: 'rfc3339', timeZone: 'Europe/Paris', lineEnd: 'lf' } as const;
    expect(daytimeText(at('2026-03-29T00:59:59Z'), options)).toBe('2026-03-29T01:59:59+01:00\n');
    expect(daytimeText(at('2026-03-29T01:00:00Z'), options)).toBe('2026-03-29T03:00:00+02:00\n');
  });

  it('takes every alias of UTC as UTC, and IANA names in any case', () => {
    for (const timeZone of ['Etc/UTC', 'GMT', 'Zulu', 'UCT']) {
      expect(resolveDaytimeOptions({ timeZone }).zone.name).toBe('UTC');
      expect(daytimeText(0, { format: 'rfc3339', timeZone })).toBe('1970-01-01T00:00:00Z\r\n');
    }
    expect(resolveDaytimeOptions({ timeZone: 'europe/paris' }).zone.name).toBe('Europe/Paris');
  });

  it.each(['Mars/Olympus_Mons', 'CEST', '+01:00', '', 'Europe/Paris ', 'Z'])(
    'refuses %j with NK_DAYTIME_BAD_TIME_ZONE',
    (timeZone) => {
      let error: unknown;
      try {
        resolveDaytimeOptions({ timeZone });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DaytimeBadTimeZoneError);
      expect(error).toBeInstanceOf(LocalError);
      expect(error).toMatchObject({ code: 'NK_DAYTIME_BAD_TIME_ZONE', details: { timeZone } });
    },
  );
});

describe('bad options and times', () => {
  it.each([{ format: 'iso' }, { format: 'CTIME' }, { lineEnd: 'cr' }])(
    'refuses %j with NK_DAYTIME_BAD_OPTION',
    (options) => {
      expect(() => resolveDaytimeOptions(options as DaytimeOptions)).toThrow(
        expect.objectContaining({ code: 'NK_DAYTIME_BAD_OPTION' }),
      );
    },
  );

  it('refuses a time that is not one, and a year RFC 3339 cannot write', () => {
    expect(() => daytimeText(Number.NaN)).toThrow(expect.objectContaining({ code: 'NK_DAYTIME_BAD_OPTION' }));
    expect(() => daytimeText(9e15)).toThrow(expect.objectContaining({ code: 'NK_DAYTIME_BAD_OPTION' }));
    expect(() => daytimeText(at('+010000-01-01T00:00:00Z'), { format: 'rfc3339' })).toThrow(
      expect.objectContaining({ code: 'NK_DAYTIME_BAD_OPTION' }),
    );
    // ctime writes any year, as C's does.
    expect(daytimeText(at('+010000-01-01T00:00:00Z'))).toBe('Sat Jan  1 00:00:00 10000\r\n');
    expect(daytimeText(-8.64e15)).toBe('Tue Apr 20 00:00:00 -271821\r\n');
  });
});

describe('the calendar, against Date as an oracle', () => {
  it('civilTime agrees with Date.prototype.getUTC* over the whole range of a Date', () => {
    fc.assert(
      fc.property(fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }), (ms) => {
        // Date truncates a fractional millisecond towards zero; an instant before 1970 belongs to the earlier one.
        const date = new Date(Math.floor(ms));
        expect(civilTime(ms)).toEqual({
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
          hour: date.getUTCHours(),
          minute: date.getUTCMinutes(),
          second: date.getUTCSeconds(),
          weekday: date.getUTCDay(),
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('daysFromCivil agrees with Date.UTC', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -270_000, max: 270_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (year, month, day) => {
          const date = new Date(0);
          date.setUTCFullYear(year, month - 1, day);
          expect(daysFromCivil(year, month, day) * 86_400_000).toBe(date.getTime());
        },
      ),
    );
  });
});
