import { lookup } from 'node:dns/promises';
import { UsageError } from '../../core/errors.js';
import { ipFamily } from '../../core/ip.js';
import { RCODE, RRTYPE, rcodeToText } from '../../dns/constants.js';
import { Name } from '../../dns/name.js';
import type { SoaRdata } from '../../dns/rdata/types.js';
import { type ResourceRecord, recordToText } from '../../dns/record.js';
import { applyDeltas, diffZonesSteps, type ZoneDelta } from '../../dns/transfer/diff.js';
import { ZoneJournal } from '../../dns/transfer/journal.js';
import type { TransferResult } from '../../dns/transfer/reader.js';
import { serialIsNewer } from '../../dns/transfer/serial.js';
import type { TsigKey } from '../../dns/tsig.js';
import { parseZone } from '../../dns/zone/parse.js';
import { Zone, type ZoneSet } from '../../dns/zone/zone.js';
import { DnsBadReplyError, DnsServerError } from '../../resolver/errors.js';
import { query } from '../../resolver/query.js';
import { zoneTransfer } from '../../resolver/transfer.js';
import type { Logger } from '../../runtime/logger.js';
import type { ZoneDataDir } from './data-dir.js';
import { NotifyDriver } from './notify-driver.js';
import { type AddressList, plainAddress } from './protocol/acl.js';
import type { NotifyTarget } from './protocol/notify.js';
import { SecondaryZoneTimers } from './protocol/secondary.js';
import type { NotifyNotice } from './protocol/server.js';
import { buildZoneInSlices, runSteps, Slicer, ZONE_STORE_DEFAULTS } from './zone-store.js';

export interface SecondarySpec {
  zone: Name;
  primary: NotifyTarget;
}

/** `HOST:PORT`, `[IPV6]:PORT`, `HOST` or a bare IPv6 address; the port defaults to 53. */
export function parseHostPort(text: string, what: string): NotifyTarget {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  let host: string;
  let port = '53';
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] ?? port;
  } else if (ipFamily(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    if (colon >= 0) port = text.slice(colon + 1);
  }
  const number = Number(port);
  if (host === '' || !/^\d{1,5}$/.test(port) || number < 1 || number > 65_535)
    throw new UsageError(`${what} expects HOST[:PORT] (port 1 to 65535), not ${JSON.stringify(text)}`);
  return { host, port: number };
}

/** `ZONE@PRIMARY[:PORT]`; ZONE with or without its final dot. */
export function parseSecondarySpec(text: string): SecondarySpec {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1)
    throw new UsageError(`--secondary expects ZONE@PRIMARY[:PORT], not ${JSON.stringify(text)}`);
  const zoneText = text.slice(0, at);
  let zone: Name;
  try {
    zone = Name.fromText(zoneText.endsWith('.') ? zoneText : `${zoneText}.`);
  } catch (error) {
    throw new UsageError(`--secondary ${text}: ${(error as Error).message}`, { cause: error });
  }
  return { zone, primary: parseHostPort(text.slice(at + 1), '--secondary') };
}

/** What the replication needs of the zone store (ZoneStore has it). */
export interface ZoneSwapper {
  readonly zones: ZoneSet;
  update(change: (next: ZoneSet) => void): void;
}

export interface ReplicationOptions {
  secondaries: readonly SecondarySpec[];
  notifyTargets: readonly NotifyTarget[];
  /** Signs transfers we ask for and NOTIFYs we send; required of NOTIFYs we take. */
  key?: TsigKey;
  dataDir: ZoneDataDir;
  store: ZoneSwapper;
  logger: Logger;
  /** Who may send NOTIFY (default: each secondary zone's primary). */
  allowNotify?: AddressList;
  /** Longest wait for a primary (connection, and between two messages of a transfer). */
  timeoutMs?: number;
}

interface SecondaryZone {
  spec: SecondarySpec;
  /** The primary's addresses (its name resolved once at start), for NOTIFY's source check. */
  primaryAddresses: Set<string>;
  timers: SecondaryZoneTimers;
  /** The copy held, even when expired (an IXFR starts from it). */
  zone: Zone | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Data-folder writes for this zone, one after the other. */
  writes: Promise<void>;
}

export class Replication {
  private readonly journals = new Map<string, ZoneJournal>();
  private readonly secondaries = new Map<string, SecondaryZone>();
  private readonly notifier: NotifyDriver;
  private readonly primaryWrites = new Map<string, Promise<void>>();
  /** Per file zone: the change being journaled (changes are journaled in order). */
  private readonly primaryChanges = new Map<string, Promise<void>>();
  private stopped = false;
  /** When a refused NOTIFY from each address was last logged. */
  private readonly refusalsLogged = new Map<string, number>();
  private readonly timeoutMs: number;

  constructor(private readonly options: ReplicationOptions) {
    this.notifier = new NotifyDriver(options.notifyTargets, options.key, options.logger);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The journal IXFR is served from (for the server core). */
  journal(origin: Name): ZoneJournal | undefined {
    return this.journals.get(origin.key());
  }

  /**
   * Startup, after the zone files are loaded: their journals read back (kept only when they end
   * at the serial loaded) and NOTIFY sent for them; each secondary zone's kept copy served (or
   * SERVFAIL until the first transfer), with its journal if that ends at the copy's serial; and
   * every secondary's first check started.
   */
  async start(): Promise<void> {
    const { logger, dataDir, store } = this.options;
    for (const zone of store.zones) {
      if (this.isSecondaryOrigin(zone.origin))
        throw new UsageError(`${zone.origin.toText()} is given both as --zone and as --secondary`);
      const journal = this.readJournal(zone.origin);
      if (journal.lastSerial !== undefined && journal.lastSerial !== zone.soa.data.serial) {
        logger.info(
          { zone: zone.origin.toText(), journal: journal.lastSerial, serial: zone.soa.data.serial },
          'journal does not end at the serial loaded: cleared (IXFR from older serials falls back to AXFR)',
        );
        journal.clear();
        this.writePrimaryJournal(zone.origin, journal);
      }
      this.journals.set(zone.origin.key(), journal);
      // As BIND's notify on load: secondaries that missed a change while we were down catch up.
      this.notifier.zoneChanged(zone.soa as ResourceRecord<SoaRdata>);
    }
    for (const spec of this.options.secondaries) {
      const key = spec.zone.key();
      const secondary: SecondaryZone = {
        spec,
        primaryAddresses: await resolveAddresses(spec.primary.host),
        timers: new SecondaryZoneTimers(),
        zone: undefined,
        timer: undefined,
        writes: Promise.resolve(),
      };
      this.secondaries.set(key, secondary);
      const journal = this.readJournal(spec.zone);
      this.journals.set(key, journal);
      const saved = this.readSavedCopy(spec.zone);
      // A journal that does not end at the copy kept would serve IXFR onward from wrong data.
      if (journal.lastSerial !== undefined && journal.lastSerial !== saved?.zone.soa.data.serial)
        journal.clear();
      const now = Date.now();
      if (saved) {
        secondary.zone = saved.zone;
        secondary.timers.start(now, { soa: saved.zone.soa, confirmedAt: saved.confirmedAt });
        if (secondary.timers.serving) store.update((next) => next.add(saved.zone));
        else store.update((next) => next.markUnavailable(spec.zone));
        logger.info(
          {
            zone: spec.zone.toText(),
            serial: saved.zone.soa.data.serial,
            records: saved.zone.size,
            dir: dataDir.folder(spec.zone),
          },
          secondary.timers.serving
            ? 'secondary zone served from the data folder'
            : 'secondary zone in the data folder has expired',
        );
      } else {
        secondary.timers.start(now);
        store.update((next) => next.markUnavailable(spec.zone));
      }
      this.wake(secondary);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const secondary of this.secondaries.values()) clearTimeout(secondary.timer);
    this.notifier.close();
  }

  /**
   * A zone file changed (ZoneStore.onChange): the change becomes a journal entry when its serial
   * moved forward, and the secondaries are told. A change without a newer serial cannot be
   * served incrementally: the journal is cleared.
   */
  zoneFileChanged(previous: Zone | undefined, current: Zone): void {
    if (this.isSecondaryOrigin(current.origin)) return;
    const key = current.origin.key();
    // One change of a zone at a time, in order: each journal entry starts where the last ended.
    const before = this.primaryChanges.get(key) ?? Promise.resolve();
    const next = before
      .then(() => this.journalChange(previous, current))
      .catch((error: Error) => {
        this.options.logger.error(
          { zone: current.origin.toText(), err: error.message },
          'could not journal a change',
        );
      });
    this.primaryChanges.set(key, next);
  }

  /**
   * The difference worked out in slices (a million-record zone takes about a second), then
   * journaled; the secondaries are notified once IXFR can serve it. Until then an IXFR from the
   * old serial gets the whole zone (the journal does not reach the new serial yet).
   */
  private async journalChange(previous: Zone | undefined, current: Zone): Promise<void> {
    const key = current.origin.key();
    let journal = this.journals.get(key);
    if (!journal) {
      journal = new ZoneJournal(current.origin);
      this.journals.set(key, journal);
    }
    if (previous && serialIsNewer(current.soa.data.serial, previous.soa.data.serial)) {
      journal.append(await diffInSlices(previous, current));
    } else if (journal.deltas.length > 0) {
      journal.clear();
    }
    this.writePrimaryJournal(current.origin, journal);
    if (!previous || current.soa.data.serial !== previous.soa.data.serial)
      this.notifier.zoneChanged(current.soa as ResourceRecord<SoaRdata>);
  }

  /** A NOTIFY (from the server core): the RCODE to answer. */
  notify(notice: NotifyNotice): number {
    const { logger, allowNotify, key } = this.options;
    const secondary = this.secondaries.get(notice.zone.key());
    const zone = notice.zone.toText();
    if (!secondary) {
      if (this.shouldLogRefusal(notice.address))
        logger.info({ zone, from: notice.address }, 'NOTIFY for a zone we are not a secondary of: NOTAUTH');
      return RCODE.NOTAUTH;
    }
    const address = notice.address === undefined ? undefined : plainAddress(notice.address);
    const allowed = allowNotify
      ? allowNotify.allows(notice.address)
      : address !== undefined && secondary.primaryAddresses.has(address);
    if (!allowed) {
      if (this.shouldLogRefusal(notice.address))
        logger.warn({ zone, from: notice.address }, 'NOTIFY from an address not allowed: REFUSED');
      return RCODE.REFUSED;
    }
    if (key && notice.key?.name.key() !== key.name.key()) {
      if (this.shouldLogRefusal(notice.address))
        logger.warn(
          { zone, from: notice.address },
          `NOTIFY not signed with key ${key.name.toText()}: NOTAUTH`,
        );
      return RCODE.NOTAUTH;
    }
    logger.info(
      { zone, from: notice.address, serial: notice.serial },
      'NOTIFY received: checking the primary',
    );
    secondary.timers.notified(Date.now());
    this.wake(secondary);
    return RCODE.NOERROR;
  }

  /**
   * Refused NOTIFYs are logged once a minute an address at most: a flood of them (spoofed, say)
   * must not become a flood of log lines. The table is bounded: emptied past 1,000 addresses.
   */
  private shouldLogRefusal(address: string | undefined): boolean {
    const now = Date.now();
    const key = address ?? '';
    const last = this.refusalsLogged.get(key);
    if (last !== undefined && now - last < 60_000) return false;
    if (this.refusalsLogged.size >= 1000) this.refusalsLogged.clear();
    this.refusalsLogged.set(key, now);
    return true;
  }

  private isSecondaryOrigin(origin: Name): boolean {
    return this.options.secondaries.some((spec) => spec.zone.equals(origin));
  }

  private readJournal(origin: Name): ZoneJournal {
    const bytes = this.options.dataDir.read(origin, 'journal');
    if (!bytes) return new ZoneJournal(origin);
    try {
      return ZoneJournal.decode(new Uint8Array(bytes), origin);
    } catch (error) {
      this.options.logger.warn(
        { zone: origin.toText(), err: (error as Error).message },
        'journal in the data folder is unreadable: starting a new one',
      );
      return new ZoneJournal(origin);
    }
  }

  private readSavedCopy(origin: Name): { zone: Zone; confirmedAt: number } | undefined {
    const { dataDir, logger } = this.options;
    const text = dataDir.read(origin, 'zone');
    if (!text) return undefined;
    try {
      const parsed = parseZone(text.toString('utf8'), {
        origin: origin.toText(),
        file: dataDir.folder(origin),
      });
      const zone = Zone.fromRecords(origin, parsed.records);
      const state = dataDir.readState(origin);
      // Without a state file the copy counts as confirmed now: served until its expire time.
      return { zone, confirmedAt: state?.serial === zone.soa.data.serial ? state.confirmedAt : Date.now() };
    } catch (error) {
      logger.warn(
        { zone: origin.toText(), err: (error as Error).message },
        'kept copy unreadable: transferring anew',
      );
      return undefined;
    }
  }

  private writePrimaryJournal(origin: Name, journal: ZoneJournal): void {
    const key = origin.key();
    const bytes = journal.encode();
    const previous = this.primaryWrites.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.options.dataDir.write(origin, 'journal', bytes))
      .catch((error: Error) => {
        this.options.logger.error(
          { zone: origin.toText(), err: error.message },
          'could not write the journal',
        );
      });
    this.primaryWrites.set(key, next);
  }

  /** Runs what the zone's timers say is due, and sets the timer for the next thing. */
  private wake(secondary: SecondaryZone): void {
    if (this.stopped) return;
    clearTimeout(secondary.timer);
    secondary.timer = undefined;
    const now = Date.now();
    for (const action of secondary.timers.poll(now)) {
      if (action.type === 'expire') {
        this.options.store.update((next) => next.markUnavailable(secondary.spec.zone));
        this.options.logger.warn(
          { zone: secondary.spec.zone.toText() },
          'secondary zone expired: answering SERVFAIL until the primary is reached',
        );
      } else {
        void this.check(secondary);
      }
    }
    const at = secondary.timers.nextWakeAt();
    if (at !== undefined)
      secondary.timer = setTimeout(() => this.wake(secondary), Math.max(0, at - Date.now()));
  }

  /** One check: the primary's SOA, then a transfer when its serial is newer than ours. */
  private async check(secondary: SecondaryZone): Promise<void> {
    const { logger, key } = this.options;
    const { zone: origin, primary } = secondary.spec;
    const started = Date.now();
    try {
      const reply = await query(origin, RRTYPE.SOA, {
        server: primary.host,
        port: primary.port,
        transport: 'udp',
        timeoutMs: Math.min(this.timeoutMs, 2000),
        retries: 2,
        recursionDesired: false,
        tsig: key,
      });
      const server = `${primary.host}:${primary.port}`;
      if (reply.reply.rcode !== RCODE.NOERROR)
        throw new DnsServerError(origin.toText(), server, reply.reply.rcode, rcodeToText(reply.reply.rcode));
      const soa = reply.reply.answer.find(
        (record) => record.type === RRTYPE.SOA && record.name.equals(origin),
      );
      if (!soa || !reply.reply.flags.aa)
        throw new DnsBadReplyError(`${server} gave no authoritative SOA for ${origin.toText()}`);
      const primarySerial = (soa.data as SoaRdata).serial;
      const held = secondary.zone;
      if (held && !serialIsNewer(primarySerial, held.soa.data.serial)) {
        this.confirmed(secondary, held, Date.now());
        return;
      }
      const result = await this.transfer(secondary, held);
      await this.apply(secondary, held, result, started);
    } catch (error) {
      if (this.stopped) return;
      secondary.timers.checkFailed(Date.now());
      logger.warn(
        { zone: origin.toText(), primary: `${primary.host}:${primary.port}`, err: (error as Error).message },
        secondary.zone ? 'refresh from the primary failed: retrying' : 'zone not loaded yet: retrying',
      );
      this.wake(secondary);
    }
  }

  /** The primary confirmed the copy `zone` (the same serial, or just transferred). */
  private confirmed(secondary: SecondaryZone, zone: Zone, now: number): void {
    const wasServing = secondary.timers.serving;
    secondary.timers.checkSucceeded(now, zone.soa as ResourceRecord<SoaRdata>);
    if (!wasServing || secondary.zone !== zone) this.options.store.update((next) => next.add(zone));
    secondary.zone = zone;
    const state = JSON.stringify({ serial: zone.soa.data.serial, confirmedAt: now });
    this.persist(secondary, 'state.json', () => state);
    this.wake(secondary);
  }

  /** An AXFR, or an IXFR from the copy `held`, read to its end (TSIG checked on every message). */
  private transfer(secondary: SecondaryZone, held: Zone | undefined): Promise<TransferResult> {
    const { zone: origin, primary } = secondary.spec;
    return zoneTransfer(origin, {
      server: primary.host,
      port: primary.port,
      ...(held ? { from: held.soa as ResourceRecord<SoaRdata> } : {}),
      ...(this.options.key ? { tsig: this.options.key } : {}),
      timeoutMs: this.timeoutMs,
    });
  }

  /** A finished transfer: the new copy built, journaled, swapped in, kept, and notified on. */
  private async apply(
    secondary: SecondaryZone,
    held: Zone | undefined,
    result: TransferResult,
    started: number,
  ): Promise<void> {
    const { logger } = this.options;
    const origin = secondary.spec.zone;
    const journal = this.journals.get(origin.key())!;
    if (result.kind === 'current') {
      if (held) this.confirmed(secondary, held, Date.now());
      else throw new DnsBadReplyError(`the primary sent no zone for ${origin.toText()}`);
      return;
    }
    let zone: Zone;
    if (result.kind === 'ixfr') {
      if (!held) throw new DnsBadReplyError('an incremental transfer without a copy to apply it to');
      zone = await buildZoneInSlices(origin, applyDeltas([...held.transferRecords()], result.deltas));
      for (const delta of result.deltas) journal.append(delta);
    } else {
      zone = await buildZoneInSlices(origin, result.records);
      if (held && serialIsNewer(zone.soa.data.serial, held.soa.data.serial))
        journal.append(await diffInSlices(held, zone));
      else journal.clear();
    }
    logger.info(
      {
        zone: origin.toText(),
        from: held?.soa.data.serial,
        serial: zone.soa.data.serial,
        records: zone.size,
        ms: Date.now() - started,
        transfer: result.kind === 'ixfr' ? 'IXFR' : held ? 'AXFR (IXFR answered in full)' : 'AXFR',
      },
      'secondary zone transferred',
    );
    this.confirmed(secondary, zone, Date.now());
    const journalBytes = journal.encode();
    this.persist(secondary, 'journal', () => journalBytes);
    this.persist(secondary, 'zone', () => zoneFileText(zone));
    this.notifier.zoneChanged(zone.soa as ResourceRecord<SoaRdata>);
  }

  /** Writes a file of the zone's folder after the writes before it (the data made when it runs). */
  private persist(
    secondary: SecondaryZone,
    file: 'journal' | 'zone' | 'state.json',
    data: () => Uint8Array | string | Promise<string>,
  ): void {
    const origin = secondary.spec.zone;
    secondary.writes = secondary.writes
      .then(async () => this.options.dataDir.write(origin, file, await data()))
      .catch((error: Error) => {
        this.options.logger.error(
          { zone: origin.toText(), file, err: error.message },
          'could not write to the data folder',
        );
      });
  }

  /** Resolves once every pending data-folder write is done (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.primaryChanges.values()]);
    await Promise.all([
      ...[...this.secondaries.values()].map((s) => s.writes),
      ...this.primaryWrites.values(),
    ]);
  }
}

/** diffZones, the event loop given a turn every ~10 ms. */
function diffInSlices(from: Zone, to: Zone): Promise<ZoneDelta> {
  return runSteps(diffZonesSteps(from, to), new Slicer(ZONE_STORE_DEFAULTS.sliceMs));
}

/**
 * The zone as a zone file for the data folder: absolute names, one record per line, in the
 * order a transfer sends them (no sort), made a slice at a time.
 */
async function zoneFileText(zone: Zone): Promise<string> {
  const slicer = new Slicer(ZONE_STORE_DEFAULTS.sliceMs);
  const parts = [`$ORIGIN ${zone.origin.toText()}\n`];
  let lines: string[] = [];
  for (const record of zone.transferRecords()) {
    lines.push(recordToText(record));
    if (lines.length === 1024) {
      parts.push(`${lines.join('\n')}\n`);
      lines = [];
      await slicer.maybeYield();
    }
  }
  parts.push(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return parts.join('');
}

async function resolveAddresses(host: string): Promise<Set<string>> {
  if (ipFamily(host) !== 0) return new Set([plainAddress(host)]);
  try {
    const addresses = await lookup(host, { all: true });
    return new Set(addresses.map((entry) => plainAddress(entry.address)));
  } catch {
    return new Set();
  }
}
