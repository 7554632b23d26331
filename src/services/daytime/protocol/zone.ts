/**
 * Time zones through Intl.DateTimeFormat (the IANA database that ships with Node): the UTC
 * offset and the short name at an instant. Formatters are costly to make, so each zone's are
 * made once and kept (a handful of zones in any real process; the cache is bounded anyway).
 */
import { DaytimeBadTimeZoneError } from '../errors.js';

export interface Zone {
  /** The canonical name: every alias of UTC (Etc/UTC, GMT, Zulu...) is 'UTC'. */
  name: string;
  isUtc: boolean;
  /** Local time minus UTC at `utcMs`, in milliseconds (whole seconds: old local mean times have them). */
  offsetMs(utcMs: number): number;
  /** The short name at `utcMs` as Intl writes it in en-US: UTC, PST, GMT+1, GMT+5:30. */
  abbreviation(utcMs: number): string;
}

const UTC: Zone = { name: 'UTC', isUtc: true, offsetMs: () => 0, abbreviation: () => 'UTC' };

const MAX_CACHED = 64;
const cache = new Map<string, Zone>();

/**
 * Intl refuses instants outside a Date's range (an offset there is the offset at the edge), and
 * truncates a fractional millisecond towards zero; flooring keeps an instant just before a
 * change of offset on the right side of it, as the calendar does.
 */
const clampMs = (ms: number): number => Math.max(-8.64e15, Math.min(8.64e15, Math.floor(ms)));

const LONG_OFFSET = /^GMT(?:([+-])(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function zoneName(formatter: Intl.DateTimeFormat, ms: number): string {
  return formatter.formatToParts(clampMs(ms)).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

function makeZone(timeZone: string): Zone {
  let long: Intl.DateTimeFormat;
  try {
    long = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  } catch (error) {
    throw new DaytimeBadTimeZoneError(timeZone, error);
  }
  const name = long.resolvedOptions().timeZone;
  if (name === 'UTC') return UTC;
  const short = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
  return {
    name,
    isUtc: false,
    offsetMs: (utcMs) => {
      const match = LONG_OFFSET.exec(zoneName(long, utcMs));
      if (!match || match[1] === undefined) return 0;
      const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
      return (match[1] === '-' ? -seconds : seconds) * 1000;
    },
    abbreviation: (utcMs) => zoneName(short, utcMs),
  };
}

/** The zone of an IANA name (`Europe/Paris`, `UTC`); anything else is NK_DAYTIME_BAD_TIME_ZONE. */
export function findZone(timeZone: string): Zone {
  if (typeof timeZone !== 'string' || timeZone === '') throw new DaytimeBadTimeZoneError(String(timeZone));
  if (timeZone === 'UTC') return UTC;
  let zone = cache.get(timeZone);
  if (!zone) {
    zone = makeZone(timeZone);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(timeZone, zone);
  }
  return zone;
}

/**
 * The instant at which the zone's clocks show `wallMs` (wall-clock fields read as UTC). In a
 * gap (clocks jumping forward) or an overlap (back), one of the candidates, as ctime's
 * inverse mktime does: the best a text without an offset allows.
 */
export function localToUtc(zone: Zone, wallMs: number): number {
  if (zone.isUtc) return wallMs;
  const guess = wallMs - zone.offsetMs(wallMs);
  return wallMs - zone.offsetMs(guess);
}
