/**
 * Client side: the instant a daytime reply names, for the formats this server writes and the
 * common ones it meets: RFC 3339, ctime (inetd; also with a zone before the year, as
 * date(1) writes it), RFC 867's example form, and NIST's (`61048 26-01-08 15:20:12 00 0 0
 * 140.3 UTC(NIST) *`, from time.nist.gov). Best effort: RFC 867 fixes no syntax, and a
 * text without an offset is read in `timeZone` (default UTC).
 */
import { DaytimeBadReplyError } from '../errors.js';
import { civilFromDays, civilToMs, daysInMonth, MONTHS, WEEKDAYS } from './calendar.js';
import { findZone, localToUtc, type Zone } from './zone.js';

export interface ParseDaytimeOptions {
  /** The zone of a reply that names none (ctime) or names one we cannot place (CET): an IANA name, default UTC. */
  timeZone?: string;
}

/** A reply longer than this is no daytime line. */
const MAX_REPLY_CHARS = 1024;

const SHORT_WEEKDAYS = WEEKDAYS.map((name) => name.slice(0, 3));
const SHORT_MONTHS = MONTHS.map((name) => name.slice(0, 3));

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const CTIME = new RegExp(
  `^(${SHORT_WEEKDAYS.join('|')}) (${SHORT_MONTHS.join('|')}) +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) (?:([A-Za-z][\\w+:-]{0,15}) )?(-?\\d{1,6})$`,
);
const RFC867 = new RegExp(
  `^(${WEEKDAYS.join('|')}), (${MONTHS.join('|')}) (\\d{1,2}), (-?\\d{1,6}) (\\d{2}):(\\d{2}):(\\d{2})(?:[- ]([A-Za-z][\\w+:-]{0,15}))?$`,
);
const NIST = /^(\d{5}) (\d{2})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) .*UTC\(NIST\)/;

/** Offsets (minutes east of UTC) of the names Intl writes for US zones, and of UTC's names. */
const ABBREVIATIONS: Record<string, number> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  HDT: -540,
};
const NUMERIC_ZONE = /^(?:GMT|UTC)([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/;

/** Offset in milliseconds of a zone name as the reply gives it, or undefined when we cannot place it. */
function abbreviationOffsetMs(name: string): number | undefined {
  const known = ABBREVIATIONS[name.toUpperCase()];
  if (known !== undefined) return known * 60_000;
  const match = NUMERIC_ZONE.exec(name);
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return (match[1] === '-' ? -seconds : seconds) * 1000;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * Wall-clock milliseconds (fields read as UTC) after checking every field's range. The weekday
 * is not checked: the date says it all, and RFC 867's own example ("Tuesday, February 22,
 * 1982") names the wrong one (that day was a Monday).
 */
function wallMs(fields: Fields): number {
  const { year, month, day, hour, minute, second } = fields;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    throw new DaytimeBadReplyError('no such date');
  // 60: a leap second (RFC 3339 section 5.7), read as the first second of the next minute.
  if (hour > 23 || minute > 59 || second > 60) throw new DaytimeBadReplyError('no such time of day');
  return civilToMs(year, month, day, hour, minute, second);
}

/** The instant of wall-clock `wall`, given a zone name from the reply (if any) and the caller's zone. */
function placeInZone(wall: number, name: string | undefined, fallback: Zone): number {
  if (name === undefined) return localToUtc(fallback, wall);
  const offset = abbreviationOffsetMs(name);
  if (offset !== undefined) return wall - offset;
  if (!fallback.isUtc) return localToUtc(fallback, wall);
  throw new DaytimeBadReplyError('a time zone name we cannot place (give the timeZone option)', {
    zone: name.length,
  });
}

function parseText(text: string, zone: Zone): number | undefined {
  let m = RFC3339.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, fraction, offset] = m;
    const wall = wallMs({ year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +s! });
    const fractionMs = fraction ? Number(`0${fraction}`) * 1000 : 0;
    if (offset === 'Z' || offset === 'z') return wall + fractionMs;
    const sign = offset!.startsWith('-') ? -1 : 1;
    const minutes = Number(offset!.slice(1, 3)) * 60 + Number(offset!.slice(4, 6));
    if (minutes >= 24 * 60) throw new DaytimeBadReplyError('an offset of a day or more');
    return wall - sign * minutes * 60_000 + fractionMs;
  }
  m = CTIME.exec(text);
  if (m) {
    const [, , mo, d, h, mi, s, name, y] = m;
    const wall = wallMs({
      year: +y!,
      month: SHORT_MONTHS.indexOf(mo!) + 1,
      day: +d!,
      hour: +h!,
      minute: +mi!,
      second: +s!,
    });
    return placeInZone(wall, name, zone);
  }
  m = RFC867.exec(text);
  if (m) {
    const [, , mo, d, y, h, mi, s, name] = m;
    const wall = wallMs({
      year: +y!,
      month: MONTHS.indexOf(mo!) + 1,
      day: +d!,
      hour: +h!,
      minute: +mi!,
      second: +s!,
    });
    return placeInZone(wall, name, zone);
  }
  m = NIST.exec(text);
  if (m) {
    // The Modified Julian Day names the date; MJD 40587 is 1970-01-01. yy-mm-dd must agree with it.
    const [, mjd, yy, mo, d, h, mi, s] = m;
    const date = civilFromDays(+mjd! - 40_587);
    if (date.year % 100 !== +yy! || date.month !== +mo! || date.day !== +d!) {
      throw new DaytimeBadReplyError('the NIST date does not match its Modified Julian Day');
    }
    return wallMs({ ...date, hour: +h!, minute: +mi!, second: +s! });
  }
  return undefined;
}

/**
 * The instant a daytime reply names (a string, or the bytes as they came; surrounding white
 * space and the line end are ignored). A reply in no format we read, or with an impossible
 * date, is a DaytimeBadReplyError (NK_DAYTIME_BAD_REPLY).
 */
export function parseDaytime(reply: string | Uint8Array, options: ParseDaytimeOptions = {}): Date {
  const zone = findZone(options.timeZone ?? 'UTC');
  const raw = typeof reply === 'string' ? reply : new TextDecoder().decode(reply);
  if (raw.length > MAX_REPLY_CHARS) {
    throw new DaytimeBadReplyError(`${raw.length} characters, more than a daytime line (${MAX_REPLY_CHARS})`);
  }
  const text = raw.replace(/^[\s\0]+|[\s\0]+$/g, '');
  const ms = parseText(text, zone);
  if (ms === undefined) {
    throw new DaytimeBadReplyError('not in a format we read (ctime, RFC 867, RFC 3339, NIST)', {
      length: text.length,
    });
  }
  if (!(Math.abs(ms) <= 8.64e15)) throw new DaytimeBadReplyError('a date outside the range of a Date');
  return new Date(ms);
}
