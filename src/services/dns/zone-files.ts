/**
 * The zone files `netkit serve dns` serves: `FILE` (the origin is the file's first `$ORIGIN`,
 * else its SOA's owner) or `ORIGIN=FILE`. ZoneStore (zone-store.ts) reads them, at start and on
 * every reload; `$INCLUDE` reads only files inside the zone file's folder (the reader of
 * `netkit zone`). Errors name the file: `FILE:LINE:COLUMN: reason` for what does not parse
 * (NK_DNS_ZONE), `FILE: reason` for records that do not make a zone (NK_DNS_ZONE_INVALID).
 */

import type { ZoneSet } from '../../dns/zone/zone.js';

export interface ZoneSpec {
  file: string;
  /** Given as ORIGIN=FILE; otherwise read from the file. */
  origin?: string;
}

/**
 * `ORIGIN=FILE` or `FILE`. A `=` counts only when what comes before it has no `/` and is not
 * empty (so `./a=b.zone` is a file name).
 */
export function parseZoneSpec(text: string): ZoneSpec {
  const equals = text.indexOf('=');
  if (equals > 0 && !text.slice(0, equals).includes('/')) {
    const origin = text.slice(0, equals);
    return { file: text.slice(equals + 1), origin: origin.endsWith('.') ? origin : `${origin}.` };
  }
  return { file: text };
}

/** For messages: a zone's name as text. */
export function zoneNames(zones: ZoneSet): string[] {
  return [...zones].map((zone) => zone.origin.toText());
}
