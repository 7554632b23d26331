/** The daytime service's options, their named defaults, and their checks (NK_DAYTIME_BAD_OPTION, NK_DAYTIME_BAD_TIME_ZONE). */
import { DaytimeBadOptionError } from '../errors.js';
import { DAYTIME_FORMATS, type DaytimeFormat } from './format.js';
import { findZone, type Zone } from './zone.js';

export const DAYTIME_DEFAULTS = {
  /** What inetd's built-in daytime sends: ctime's 24 characters (`Tue Nov 24 21:05:03 2026`). */
  format: 'ctime',
  /**
   * UTC. inetd uses the host's local zone; a core reads no environment, and UTC reads the
   * same everywhere. Any IANA name (`Europe/Paris`) may be given instead.
   */
  timeZone: 'UTC',
  /** CRLF, as inetd sends (`%.24s\r\n`) and as Internet text lines end. */
  lineEnd: 'crlf',
} as const;

export type DaytimeLineEnd = 'crlf' | 'lf';

export interface DaytimeOptions {
  /** ctime (default), rfc867 or rfc3339. */
  format?: DaytimeFormat;
  /** An IANA time zone name (default UTC). */
  timeZone?: string;
  /** crlf (default) or lf. */
  lineEnd?: DaytimeLineEnd;
}

export interface ResolvedDaytimeOptions {
  format: DaytimeFormat;
  zone: Zone;
  lineEnd: '\r\n' | '\n';
}

export function resolveDaytimeOptions(options: DaytimeOptions = {}): ResolvedDaytimeOptions {
  const format = options.format ?? DAYTIME_DEFAULTS.format;
  if (!DAYTIME_FORMATS.includes(format)) {
    throw new DaytimeBadOptionError(
      `unknown daytime format ${JSON.stringify(format)}: use ${DAYTIME_FORMATS.join(', ')}`,
      { format },
    );
  }
  const lineEnd = options.lineEnd ?? DAYTIME_DEFAULTS.lineEnd;
  if (lineEnd !== 'crlf' && lineEnd !== 'lf') {
    throw new DaytimeBadOptionError(`unknown line end ${JSON.stringify(lineEnd)}: use crlf or lf`, {
      lineEnd,
    });
  }
  return {
    format,
    zone: findZone(options.timeZone ?? DAYTIME_DEFAULTS.timeZone),
    lineEnd: lineEnd === 'crlf' ? '\r\n' : '\n',
  };
}
