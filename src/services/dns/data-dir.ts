/**
 * The DNS server's state on disk (`--data-dir`): per zone, a folder holding
 *
 * - `journal`: the zone's recent changes (ZoneJournal.encode), what IXFR is served from;
 * - `zone`: the zone as last served, as a zone file: a secondary's copy (served at the next
 *   start, before the primary is asked), and a primary's last version (so that a change made to
 *   the zone file while the server was down still becomes a journal entry);
 * - `state.json`: when the primary last confirmed a secondary's copy (the expire timer).
 *
 * Files are written whole to a temporary name and renamed, so a crash leaves the old file or
 * the new one, never half. The default folder follows the XDG base directory spec:
 * `$XDG_STATE_HOME/netkit/dns`, else `~/.local/state/netkit/dns`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Name } from '../../dns/name.js';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const state =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'netkit', 'dns');
}

export interface SecondaryState {
  serial: number;
  /** Wall-clock ms when the primary last confirmed the copy. */
  confirmedAt: number;
}

let temporaryCounter = 0;

export class ZoneDataDir {
  constructor(readonly root: string) {}

  /** The zone's folder: its name in lower case, `root` for the root zone; other bytes %-escaped. */
  folder(origin: Name): string {
    const text = origin.toText().toLowerCase().replace(/\.$/, '');
    const safe =
      text === ''
        ? 'root'
        : text.replace(/[^a-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    // A name of dots only would be '.' or '..' as a folder: escape its first dot.
    return join(this.root, 'zones', /^\.+$/.test(safe) ? `%2e${safe.slice(1)}` : safe);
  }

  read(origin: Name, file: 'journal' | 'zone' | 'state.json'): Buffer | undefined {
    try {
      return readFileSync(join(this.folder(origin), file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  readState(origin: Name): SecondaryState | undefined {
    const bytes = this.read(origin, 'state.json');
    if (!bytes) return undefined;
    try {
      const state = JSON.parse(bytes.toString('utf8')) as Partial<SecondaryState>;
      if (typeof state.serial === 'number' && typeof state.confirmedAt === 'number')
        return { serial: state.serial, confirmedAt: state.confirmedAt };
    } catch {
      // A damaged state file: treated as none (the zone is checked with the primary at once).
    }
    return undefined;
  }

  /** Writes one file whole (temporary name, then rename). */
  async write(
    origin: Name,
    file: 'journal' | 'zone' | 'state.json',
    data: Uint8Array | string,
  ): Promise<void> {
    const folder = this.folder(origin);
    mkdirSync(folder, { recursive: true });
    const temporary = join(folder, `.${file}.${process.pid}.${++temporaryCounter}`);
    await writeFile(temporary, data);
    await rename(temporary, join(folder, file));
  }
}
