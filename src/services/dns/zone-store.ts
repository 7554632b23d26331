/**
 * The zones `netkit serve dns` answers from, and their reloading (issue 9): on SIGHUP and when a
 * zone file changes, the files whose bytes changed are parsed and indexed again, in slices of at
 * most `sliceMs` with the event loop free between them, so that queries keep being answered while
 * a large zone loads. The new zone is swapped in whole, in one assignment of a new ZoneSet: a
 * query sees the old set or the new one, never half of one. A file that does not load keeps its
 * last good zone serving, and its error is logged as the parser gives it (`FILE:LINE:COLUMN: reason`).
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { RRTYPE } from '../../dns/constants.js';
import type { Name } from '../../dns/name.js';
import type { ResourceRecord } from '../../dns/record.js';
import { serialIsNewer } from '../../dns/transfer/serial.js';
import { DnsZoneFileError, formatWarning } from '../../dns/zone/errors.js';
import { parseZoneRecords } from '../../dns/zone/parse.js';
import { DnsZoneError, type Zone, ZoneBuilder, ZoneSet } from '../../dns/zone/zone.js';
import type { Logger } from '../../runtime/logger.js';
import type { ZoneSpec } from './zone-files.js';
import { ZoneReadError, zoneParseOptions } from './zone-reader.js';

/** Named defaults of the store's timings. */
export const ZONE_STORE_DEFAULTS = {
  /** The longest stretch a reload keeps the event loop, in milliseconds. */
  sliceMs: 10,
  /** How long a zone file must stay quiet after a change before it is read (editors write in steps). */
  debounceMs: 200,
} as const;

/** Records (and hashed bytes) between two looks at the clock: reading it is not free. */
const RECORDS_PER_CHECK = 256;
const HASH_CHUNK_BYTES = 1 << 20;

export interface ZoneChange {
  origin: Name;
  previous: Zone | undefined;
  current: Zone;
  file: string;
}

export interface ReloadOutcome {
  file: string;
  origin?: string;
  status: 'loaded' | 'unchanged' | 'failed';
  error?: string;
  serial?: number;
  records?: number;
}

export interface ZoneStoreOptions {
  specs: ZoneSpec[];
  logger: Logger;
  /** The longest synchronous stretch of a reload (default 10 ms). */
  sliceMs?: number;
  /** File-change settle time (default 200 ms). */
  debounceMs?: number;
}

/** What the store knows of one zone file. */
interface Source {
  spec: ZoneSpec;
  /** The zone last loaded from it (kept serving when the file breaks). */
  zone?: Zone;
  /** Hash of the bytes that made `zone`: the file's and its $INCLUDEd files'. */
  hash?: string;
  /** The files `zone` $INCLUDEd, resolved: read again to see whether anything changed. */
  includes: string[];
}

/** A file read and parsed into a zone, not yet swapped in. */
interface Built {
  zone: Zone;
  hash: string;
  includes: string[];
  warnings: string[];
}

/** Gives the event loop a turn once `sliceMs` is used up. */
export class Slicer {
  private started = performance.now();
  constructor(private readonly sliceMs: number) {}

  async maybeYield(): Promise<void> {
    if (performance.now() - this.started < this.sliceMs) return;
    await new Promise(setImmediate);
    this.started = performance.now();
  }
}

/**
 * Runs a pure core's steps (a generator that yields between pieces of its work) to its end,
 * giving the event loop a turn whenever `slicer` says (none: all at once).
 */
export async function runSteps<T>(steps: Generator<void, T, void>, slicer: Slicer | undefined): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (slicer) await slicer.maybeYield();
  }
}

export class ZoneStore {
  private current = new ZoneSet();
  private readonly sources: Source[];
  private readonly logger: Logger;
  private readonly sliceMs: number;
  private readonly debounceMs: number;
  private readonly listeners: ((change: ZoneChange) => void)[] = [];
  /** The end of the reload running or queued last (reloads run one at a time). */
  private tail: Promise<unknown> = Promise.resolve();
  /** A reload asked for and not started yet: later requests join it. */
  private queued: { reasons: string[]; promise: Promise<ReloadOutcome[]> } | undefined;
  private watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly onSighup = () => this.reloadInBackground('SIGHUP');

  constructor(options: ZoneStoreOptions) {
    this.sources = options.specs.map((spec) => ({ spec, includes: [] }));
    this.logger = options.logger;
    this.sliceMs = options.sliceMs ?? ZONE_STORE_DEFAULTS.sliceMs;
    this.debounceMs = options.debounceMs ?? ZONE_STORE_DEFAULTS.debounceMs;
  }

  /** The zones to answer from: never changed once swapped in; hold it for a query's whole answer. */
  get zones(): ZoneSet {
    return this.current;
  }

  /** Startup: loads every file, unsliced; throws the first error (the server does not start on a broken zone). */
  async loadAll(): Promise<void> {
    const next = new ZoneSet();
    const built: Built[] = [];
    for (const source of this.sources) {
      const result = (await this.build(source, undefined))!; // no slicer: never 'unchanged'
      if (next.get(result.zone.origin))
        throw new DnsZoneError(`${source.spec.file}: zone ${result.zone.origin.toText()} is given twice`, {
          details: { zone: result.zone.origin.toText() },
        });
      next.add(result.zone);
      built.push(result);
    }
    this.sources.forEach((source, i) => {
      const result = built[i]!;
      Object.assign(source, { zone: result.zone, hash: result.hash, includes: result.includes });
      for (const warning of result.warnings) this.logger.warn(warning);
    });
    this.current = next;
  }

  /**
   * Reloads the files whose bytes (or their $INCLUDEd files' bytes) changed, in slices; returns
   * what became of each file. A reload asked for while one runs runs once after it.
   */
  reload(reason: string): Promise<ReloadOutcome[]> {
    if (this.queued) {
      if (!this.queued.reasons.includes(reason)) this.queued.reasons.push(reason);
      return this.queued.promise;
    }
    const reasons = [reason];
    const promise = this.tail.then(() => {
      this.queued = undefined;
      return this.reloadNow(reasons.join(', '));
    });
    this.queued = { reasons, promise };
    this.tail = promise.catch(() => undefined);
    return promise;
  }

  /** Applies `change` to a copy of the current set and swaps the copy in (for replication). */
  update(change: (next: ZoneSet) => void): void {
    const next = this.current.clone();
    change(next);
    this.current = next;
  }

  /** Called after each swap a file reload made, once per zone changed. */
  onChange(listener: (change: ZoneChange) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Reloads on SIGHUP and when a zone file changes. The folders are watched, not the files:
   * editors and deploy tools replace a file by renaming a new one over it, which ends a watch
   * on the file itself.
   */
  watch(): void {
    if (this.closed || this.watchers.length > 0) return;
    process.on('SIGHUP', this.onSighup);
    const names = new Map<string, Set<string>>();
    for (const source of this.sources)
      for (const path of [resolve(source.spec.file), ...source.includes]) {
        const folder = dirname(path);
        const set = names.get(folder) ?? new Set();
        set.add(basename(path));
        names.set(folder, set);
      }
    for (const [folder, files] of names) {
      try {
        const watcher = watch(folder, { persistent: false }, (_event, filename) => {
          // Some platforms give no name: any change in the folder may be ours then.
          if (filename === null || files.has(filename.toString())) this.changed();
        });
        watcher.on('error', (error) => this.logger.warn({ err: error, folder }, 'zone folder watch failed'));
        this.watchers.push(watcher);
      } catch (error) {
        this.logger.warn({ err: error, folder }, 'cannot watch the zone folder; SIGHUP still reloads');
      }
    }
  }

  /** Stops watching; a reload under way finishes its slices but swaps nothing in. */
  close(): void {
    this.closed = true;
    process.off('SIGHUP', this.onSighup);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    clearTimeout(this.debounce);
  }

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.reloadInBackground('file change');
    }, this.debounceMs);
  }

  /** A reload nobody awaits: what it could not handle (a listener that threw) is logged, not thrown. */
  private reloadInBackground(reason: string): void {
    this.reload(reason).catch((error: unknown) =>
      this.logger.error({ err: error, reason }, 'zone reload failed'),
    );
  }

  private async reloadNow(reason: string): Promise<ReloadOutcome[]> {
    const started = performance.now();
    const outcomes: ReloadOutcome[] = [];
    const changes: { origin: string; file: string; serial: string; records: number }[] = [];
    for (const source of this.sources) {
      if (this.closed) break;
      const { file } = source.spec;
      let built: Built | undefined;
      try {
        built = await this.build(source, new Slicer(this.sliceMs));
        if (built !== undefined) this.checkOrigin(source, built.zone);
      } catch (error) {
        const message = messageOf(file, error);
        // The message as the parser gives it, so that editors and grep find FILE:LINE:COLUMN.
        this.logger.error({ file, code: (error as { code?: string }).code }, message);
        outcomes.push({ file, origin: source.zone?.origin.toText(), status: 'failed', error: message });
        continue;
      }
      if (built === undefined || this.closed) {
        const zone = source.zone;
        outcomes.push({
          file,
          origin: zone?.origin.toText(),
          status: 'unchanged',
          serial: zone?.soa.data.serial,
          records: zone?.size,
        });
        continue;
      }
      const { zone } = built;
      const previous = source.zone?.origin.equals(zone.origin) ? source.zone : undefined;
      for (const warning of built.warnings) this.logger.warn(warning);
      const serial = zone.soa.data.serial;
      if (previous && !serialIsNewer(serial, previous.soa.data.serial))
        this.logger.warn(
          { file, zone: zone.origin.toText(), previousSerial: previous.soa.data.serial },
          `${file}: zone ${zone.origin.toText()} changed but serial ${serial} not increased: secondaries will not notice`,
        );
      // The swap: one assignment of a new set, built from the current one (which update() may
      // have changed while this file loaded).
      const next = this.current.clone();
      if (source.zone && !previous) next.remove(source.zone.origin);
      next.add(zone);
      this.current = next;
      Object.assign(source, { zone, hash: built.hash, includes: built.includes });
      for (const listener of this.listeners) {
        try {
          listener({ origin: zone.origin, previous, current: zone, file });
        } catch (error) {
          // The zone is served already; one listener's failure must not hide it from the others.
          this.logger.error({ err: error, file, zone: zone.origin.toText() }, 'zone change listener failed');
        }
      }
      outcomes.push({ file, origin: zone.origin.toText(), status: 'loaded', serial, records: zone.size });
      changes.push({
        origin: zone.origin.toText(),
        file,
        serial: `${previous?.soa.data.serial ?? '-'} → ${serial}`,
        records: zone.size,
      });
    }
    const ms = Math.round(performance.now() - started);
    const failed = outcomes.filter((outcome) => outcome.status === 'failed').length;
    this.logger.info(
      { reason, zones: changes, unchanged: outcomes.length - changes.length - failed, failed, ms },
      'zones reloaded',
    );
    return outcomes;
  }

  /** A file whose origin changed must not take another file's zone. */
  private checkOrigin(source: Source, zone: Zone): void {
    for (const other of this.sources)
      if (other !== source && other.zone?.origin.equals(zone.origin))
        throw new DnsZoneError(
          `${source.spec.file}: zone ${zone.origin.toText()} is already loaded from ${other.spec.file}`,
        );
  }

  /**
   * Reads `source`'s file and builds its zone; undefined when a reload (`slicer` given) finds
   * the same bytes as last time. The hash covers the file and the files it $INCLUDEd last time:
   * which files are included depends only on the bytes read, so the same bytes give the same zone.
   */
  private async build(source: Source, slicer: Slicer | undefined): Promise<Built | undefined> {
    const { file, origin } = source.spec;
    const bytes = await readBytes(file);
    const fileDigest = await digestInSlices(bytes, slicer);
    if (slicer && source.hash !== undefined) {
      const digests = [fileDigest];
      for (const include of source.includes)
        digests.push(await digestInSlices(await readBytes(include).catch(() => new Uint8Array(0)), slicer));
      if (combine([file, ...source.includes], digests) === source.hash) return undefined;
    }

    const includes: string[] = [];
    const includeDigests: string[] = [];
    const warnings: string[] = [];
    const options = zoneParseOptions(file, origin);
    const readInclude = options.readInclude!;
    let builder: ZoneBuilder | undefined;
    /** Records read before the origin is known (absolute names, no $ORIGIN yet). */
    const early: ResourceRecord[] = [];
    const records = parseZoneRecords(bytes.toString('utf8'), {
      ...options,
      // Included files are read as the parser meets them (synchronously: they are small, as a
      // rule, beside the file that includes them), and hashed for the next reload.
      readInclude: (path, from) => {
        const read = readInclude(path, from);
        if (typeof read !== 'string') {
          includes.push(read.path);
          includeDigests.push(createHash('sha256').update(read.text).digest('hex'));
        }
        return read;
      },
      onWarning: (warning) => warnings.push(formatWarning(warning)),
      onOrigin: (name) => {
        builder ??= new ZoneBuilder(name);
      },
    });
    try {
      let count = 0;
      for (const record of records) {
        // As parseZone does: without an origin, the first SOA's owner is the zone's.
        if (!builder && record.type === RRTYPE.SOA) builder = new ZoneBuilder(record.name);
        if (!builder) early.push(record);
        else {
          for (const before of early.splice(0)) builder.add(before);
          builder.add(record);
        }
        if (slicer && ++count % RECORDS_PER_CHECK === 0) await slicer.maybeYield();
      }
      if (!builder)
        throw new DnsZoneFileError(
          { file, line: 1, column: 1 },
          'no origin: give one, or start the file with $ORIGIN or an SOA record',
        );
      for (const before of early.splice(0)) builder.add(before);
      const zone = await runSteps(builder.finishSteps(), slicer);
      for (const warning of zone.warnings) warnings.push(`${file}: ${warning}`);
      const hash = combine([file, ...includes], [fileDigest, ...includeDigests]);
      return { zone, hash, includes, warnings };
    } catch (error) {
      if (error instanceof DnsZoneError && !error.message.startsWith(`${file}: `))
        throw new DnsZoneError(`${file}: ${error.message}`, { cause: error, details: error.details });
      throw error;
    }
  }
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
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

/** SHA-256 of `bytes`, in chunks with the event loop given turns (a zone file may be 40 MB). */
async function digestInSlices(bytes: Uint8Array, slicer: Slicer | undefined): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.length; at += HASH_CHUNK_BYTES) {
    hash.update(bytes.subarray(at, at + HASH_CHUNK_BYTES));
    if (slicer) await slicer.maybeYield();
  }
  return hash.digest('hex');
}

/** One hash for a zone's files: each path with its content's digest. */
function combine(paths: string[], digests: string[]): string {
  const hash = createHash('sha256');
  paths.forEach((path, i) => {
    hash.update(`${path}\0${digests[i]}\n`);
  });
  return hash.digest('hex');
}

function messageOf(file: string, error: unknown): string {
  if (error instanceof DnsZoneFileError || error instanceof DnsZoneError) return error.message;
  if (error instanceof ZoneReadError) return `${file}: ${error.message}`;
  return `${file}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * A zone built from records without holding the event loop more than `sliceMs` at a time (a
 * secondary's transfer of a million records is indexed while queries are answered).
 */
export async function buildZoneInSlices(
  origin: Name,
  records: Iterable<ResourceRecord>,
  sliceMs: number = ZONE_STORE_DEFAULTS.sliceMs,
): Promise<Zone> {
  const slicer = new Slicer(sliceMs);
  const builder = new ZoneBuilder(origin);
  let count = 0;
  for (const record of records) {
    builder.add(record);
    if ((++count & 255) === 0) await slicer.maybeYield();
  }
  return runSteps(builder.finishSteps(), slicer);
}
