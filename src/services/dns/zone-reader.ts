/**
 * Reading zone files from disk for the parser (which is pure): the file's text, and an
 * `$INCLUDE` reader that follows symlinks and refuses anything outside the zone file's own
 * folder (a zone file is outside input and must not read /etc/shadow). Used by `netkit zone`
 * and `netkit serve dns`.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { LocalError } from '../../core/errors.js';
import type { ZoneParseOptions } from '../../dns/zone/parse.js';

/** An `$INCLUDE` outside the zone file's folder, or a file that cannot be read. */
export class ZoneReadError extends LocalError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('NK_ZONE_READ', message, options);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ZoneReadError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        cause: error,
        details: { path },
      },
    );
  }
}

/** Parser options for FILE: its text, and an `$INCLUDE` reader kept inside FILE's folder. */
export function zoneFileOptions(file: string, origin?: string): { text: string; options: ZoneParseOptions } {
  const text = readText(file);
  return { text, options: zoneParseOptions(file, origin) };
}

/** The parser options for FILE alone (for a caller that reads FILE's text itself). */
export function zoneParseOptions(file: string, origin?: string): ZoneParseOptions {
  const folder = realpathSync(dirname(resolve(file)));
  const readInclude = (path: string, from: string) => {
    const wanted = isAbsolute(path) ? path : resolve(dirname(from), path);
    let real: string;
    try {
      real = realpathSync(wanted);
    } catch (error) {
      throw new ZoneReadError(
        `cannot read ${wanted}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    const inside = relative(folder, real);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
      throw new ZoneReadError(
        `${real} is outside the zone's folder ${folder}; $INCLUDE reads only files in it`,
        {
          details: { path: real, folder },
        },
      );
    return { path: real, text: readText(real) };
  };
  return { file, origin, readInclude };
}
