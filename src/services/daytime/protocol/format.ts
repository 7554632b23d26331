/**
 * The daytime formats. RFC 867 leaves the syntax open ("there is no specific syntax for the
 * daytime"); these are the ones in use:
 * - ctime: `Tue Nov 24 21:05:03 2026`, C's ctime() without its newline, which is what the
 *   daytime service built into inetd (BSD, netkit-inetd, openbsd-inetd) sends: `%.24s\r\n`.
 * - rfc867: `Tuesday, November 24, 2026 21:05:03-UTC`, the RFC's own example form
 *   ("Weekday, Month Day, Year Time-Zone").
 * - rfc3339: `2026-11-24T21:05:03Z`, or `2026-11-24T22:05:03+01:00` in another zone.
 * All show whole seconds (truncated), in the configured zone (default UTC).
 */
import { DaytimeBadOptionError } from '../errors.js';
import { civilTime, MONTHS, WEEKDAYS } from './calendar.js';
import type { Zone } from './zone.js';

export const DAYTIME_FORMATS = ['ctime', 'rfc867', 'rfc3339'] as const;
export type DaytimeFormat = (typeof DAYTIME_FORMATS)[number];

const two = (value: number): string => String(value).padStart(2, '0');

/** ctime's layout: "%.3s %.3s%3d %.2d:%.2d:%.2d %d" (the day space-padded, the year as it is). */
function ctime(ms: number, zone: Zone): string {
  const t = civilTime(ms + zone.offsetMs(ms));
  const day = String(t.day).padStart(2, ' ');
  return `${WEEKDAYS[t.weekday]!.slice(0, 3)} ${MONTHS[t.month - 1]!.slice(0, 3)} ${day} ${two(t.hour)}:${two(t.minute)}:${two(t.second)} ${t.year}`;
}

function rfc867(ms: number, zone: Zone): string {
  const t = civilTime(ms + zone.offsetMs(ms));
  return `${WEEKDAYS[t.weekday]}, ${MONTHS[t.month - 1]} ${t.day}, ${t.year} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}-${zone.abbreviation(ms)}`;
}

/**
 * RFC 3339 section 5.6. Its offsets are hours and minutes, so an offset with seconds (a local
 * mean time before 1900 or so) is cut to whole minutes and the wall clock shown with it: the
 * text still names the exact instant.
 */
function rfc3339(ms: number, zone: Zone): string {
  const offsetMinutes = Math.trunc(zone.offsetMs(ms) / 60_000);
  const t = civilTime(ms + offsetMinutes * 60_000);
  if (t.year < 0 || t.year > 9999) {
    throw new DaytimeBadOptionError(`year ${t.year} cannot be written in RFC 3339 (0000 to 9999)`, {
      year: t.year,
    });
  }
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const offset = zone.isUtc ? 'Z' : `${sign}${two(Math.floor(absolute / 60))}:${two(absolute % 60)}`;
  return `${String(t.year).padStart(4, '0')}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}${offset}`;
}

export const FORMATTERS: Record<DaytimeFormat, (ms: number, zone: Zone) => string> = {
  ctime,
  rfc867,
  rfc3339,
};
