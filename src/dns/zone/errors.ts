/**
 * Zone-file errors. A zone file is input from outside (an operator's file, an $INCLUDE, a
 * transfer turned into text): a mistake in it is the input's fault, not a misuse of the API,
 * so DnsZoneFileError is a RemoteError, as DnsDecodeError is for wire bytes. (Records that
 * parse but do not make a servable zone are zone.ts's DnsZoneError, NK_DNS_ZONE_INVALID.)
 * It carries nothing to answer on the wire: a server that cannot load a zone logs the message and does not serve it.
 */
import { type NetkitErrorOptions, RemoteError } from '../../core/errors.js';

/** Where in a zone file: file as given, line and column from 1. */
export interface ZonePosition {
  file: string;
  line: number;
  column: number;
}

/** A zone file that does not parse; the message is `FILE:LINE:COLUMN: message`. */
export class DnsZoneFileError extends RemoteError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The message without the position. */
  readonly reason: string;

  constructor(position: ZonePosition, reason: string, options: NetkitErrorOptions = {}) {
    super('NK_DNS_ZONE', `${position.file}:${position.line}:${position.column}: ${reason}`, {
      ...options,
      details: { file: position.file, line: position.line, column: position.column, ...options.details },
    });
    this.file = position.file;
    this.line = position.line;
    this.column = position.column;
    this.reason = reason;
  }
}

/** Something the parser accepted but changed or doubts (BIND prints these and loads the zone). */
export interface ZoneWarning extends ZonePosition {
  message: string;
}

export function formatWarning(warning: ZoneWarning): string {
  return `${warning.file}:${warning.line}:${warning.column}: ${warning.message}`;
}
