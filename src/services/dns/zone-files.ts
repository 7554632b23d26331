/**
 * Loads the zones `netkit serve dns` serves from files: `FILE` (the origin is the file's first
 * `$ORIGIN`, else its SOA's owner) or `ORIGIN=FILE`. Files are read here, once at start;
 * `$INCLUDE` reads only files inside the zone file's folder (the reader of `netkit zone`).
 * Errors name the file: `FILE:LINE:COLUMN: reason` for what does not parse (NK_DNS_ZONE),
 * `FILE: reason` for records that do not make a zone (NK_DNS_ZONE_INVALID).
 */

import { formatWarning } from '../../dns/zone/errors.js';
import { parseZone } from '../../dns/zone/parse.js';
import { DnsZoneError, Zone, ZoneSet } from '../../dns/zone/zone.js';
import { zoneFileOptions } from './zone-reader.js';

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

export interface LoadedZones {
  zones: ZoneSet;
  /** Warnings to log (TTLs made equal, TTLs over 2^31-1...), each naming its file. */
  warnings: string[];
}

export function loadZones(specs: readonly ZoneSpec[]): LoadedZones {
  const zones = new ZoneSet();
  const warnings: string[] = [];
  for (const spec of specs) {
    const { text, options } = zoneFileOptions(spec.file, spec.origin);
    const parsed = parseZone(text, {
      ...options,
      onWarning: (warning) => warnings.push(formatWarning(warning)),
    });
    let zone: Zone;
    try {
      zone = Zone.fromRecords(parsed.origin, parsed.records);
    } catch (error) {
      if (error instanceof DnsZoneError)
        throw new DnsZoneError(`${spec.file}: ${error.message}`, { cause: error, details: error.details });
      throw error;
    }
    if (zones.get(zone.origin))
      throw new DnsZoneError(`${spec.file}: zone ${zone.origin.toText()} is given twice`, {
        details: { zone: zone.origin.toText() },
      });
    for (const warning of zone.warnings) warnings.push(`${spec.file}: ${warning}`);
    zones.add(zone);
  }
  return { zones, warnings };
}

/** For messages: a zone's name as text. */
export function zoneNames(zones: ZoneSet): string[] {
  return [...zones].map((zone) => zone.origin.toText());
}
