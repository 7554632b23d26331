/**
 * `netkit serve dns`: an authoritative DNS server for zone files, on UDP and TCP, on the shared
 * runtime. The zones are loaded in start() and reloaded on SIGHUP or a file change (zone-store.ts);
 * the protocol core (protocol/server.ts) answers from them. Without --zone it serves the example
 * zones of examples/dns (what `netkit start` runs).
 */
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../core/errors.js';
import type { Limits } from '../../core/limits.js';
import { RCODE } from '../../dns/constants.js';
import { keyring } from '../../dns/tsig.js';
import type { Logger } from '../../runtime/logger.js';
import type { ServiceDefinition } from '../../runtime/service.js';
import { AddressList, DnsAclError, LOOPBACK_ACL } from './protocol/acl.js';
import { DnsServerCore } from './protocol/server.js';
import { MAX_NSID_BYTES } from './protocol/transfer.js';
import { Replication } from './replication.js';
import { type ReplicationFlags, replicationConfig } from './replication-config.js';
import { parseZoneSpec, type ZoneSpec, zoneNames } from './zone-files.js';
import { ZoneStore } from './zone-store.js';

/** The runtime limits DNS starts from (flags override them). */
export const DNS_LIMITS: Partial<Limits> = {
  // For DNS over TCP, --max-line-bytes is the largest message taken (the 2-byte length allows 65535).
  maxLineBytes: 65_535,
  // EDNS lets a query be as large as the client likes; real ones are far under this.
  maxDatagramBytes: 65_535,
  // RFC 7766 §6.2.3: a server should close idle connections after seconds, not minutes
  // (Knot: 10 s; NSD: 120 s).
  idleTimeoutMs: 10_000,
  // A per-source token bucket would throttle a benchmark from 127.0.0.1, and is not how DNS
  // limits floods: response rate limiting (--rrl-rate, a later slice) is. Off by default.
  udpRatePerSecond: 0,
};

/** The zones served when none is given: examples/dns (found beside dist/ or src/). */
export const EXAMPLE_ZONES: ZoneSpec[] = [
  { file: fileURLToPath(new URL('../../../examples/dns/example.zone', import.meta.url)) },
  { file: fileURLToPath(new URL('../../../examples/dns/reverse.zone', import.meta.url)) },
];

/** The zones and answers, and the replication flags (secondaries, NOTIFY, TSIG, data folder). */
export interface DnsServiceOptions extends ReplicationFlags {
  /** Zone files (`FILE` or `ORIGIN=FILE`); default EXAMPLE_ZONES. */
  zones?: (string | ZoneSpec)[];
  minimalResponses?: boolean;
  /** NSID (RFC 5001) text. */
  nsid?: string;
  /** `CIDR,CIDR,...` allowed to transfer (default loopback). */
  axfrAllow?: string;
  /** Encoded UDP replies kept by query; 0 turns the cache off. */
  replyCache?: number;
  /** Response rate limiting: identical responses per second per client network (0: off). */
  rrlRate?: number;
  /** Every n-th limited response goes out truncated (0: all dropped). */
  rrlSlip?: number;
}

export function createDnsService(
  options: DnsServiceOptions = {},
): Pick<ServiceDefinition, 'stream' | 'datagram' | 'start' | 'stop' | 'stats' | 'limits' | 'formatError'> {
  const replication = replicationConfig(options);
  // A secondary alone serves no example zones.
  const defaultZones = replication.secondaries.length > 0 ? [] : EXAMPLE_ZONES;
  const specs = (options.zones ?? defaultZones).map((zone) =>
    typeof zone === 'string' ? parseZoneSpec(zone) : zone,
  );
  let axfrAllow: AddressList;
  try {
    axfrAllow = AddressList.parse(options.axfrAllow ?? LOOPBACK_ACL);
  } catch (error) {
    if (error instanceof DnsAclError)
      throw new UsageError(`--axfr-allow: ${error.message}`, { cause: error });
    throw error;
  }
  const configuredKeys = new Set(replication.keys.map((key) => key.name.key()));
  for (const keyName of axfrAllow.keyNames())
    if (!configuredKeys.has(keyName.key()))
      throw new UsageError(
        `--axfr-allow names the key ${keyName.toText()}, which no --tsig or --tsig-file gives`,
      );
  let nsid: Uint8Array | undefined;
  if (options.nsid !== undefined) {
    nsid = new TextEncoder().encode(options.nsid);
    if (nsid.length > MAX_NSID_BYTES)
      throw new UsageError(`--nsid is ${nsid.length} bytes; ${MAX_NSID_BYTES} at most`);
  }
  let store: ZoneStore | undefined;
  let serviceLogger: Logger | undefined;
  let replicator: Replication | undefined;
  const keys = replication.keys;
  const core = new DnsServerCore(
    () => {
      if (!store) throw new Error('dns service used before start()');
      return store.zones;
    },
    {
      minimalResponses: options.minimalResponses,
      nsid,
      axfrAllow,
      replyCacheEntries: options.replyCache,
      rrl: { ratePerSecond: options.rrlRate ?? 0, slip: options.rrlSlip },
      keys: keys.length > 0 ? keyring(keys) : undefined,
      transferKeyRequired: keys.length > 0,
      journal: (origin) => replicator?.journal(origin),
      notify: (notice) => replicator?.notify(notice) ?? RCODE.NOTAUTH,
      defer: (task, delayMs) => {
        setTimeout(task, delayMs);
      },
      onEvent: (event) => {
        if (event.kind === 'transfer') serviceLogger?.info(event, `${event.type} of ${event.zone} given`);
        else if (event.kind === 'transfer-refused')
          serviceLogger?.warn(event, `${event.type} of ${event.zone} refused: ${event.reason}`);
        else serviceLogger?.warn(event, `TSIG failed: ${event.error}, ${event.reason}`);
      },
    },
  );
  return {
    limits: DNS_LIMITS,
    stream: core.stream(),
    datagram: core.datagram(),
    // DNS peers speak DNS only: the runtime's error lines (idle, server full) would be read as a
    // message length. Those cases close the connection with nothing sent.
    formatError: () => new Uint8Array(0),
    async start({ logger }) {
      serviceLogger = logger;
      const loading = new ZoneStore({ specs, logger });
      await loading.loadAll();
      store = loading;
      const replicating = new Replication({
        secondaries: replication.secondaries,
        notifyTargets: replication.notifyTargets,
        key: keys[0],
        dataDir: replication.dataDir,
        store: loading,
        logger,
        ...(replication.allowNotify ? { allowNotify: replication.allowNotify } : {}),
      });
      // A changed zone file becomes a journal entry (IXFR) and a NOTIFY.
      store.onChange((change) => replicating.zoneFileChanged(change.previous, change.current));
      await replicating.start();
      replicator = replicating;
      // SIGHUP and a change of a zone file reload it (zone-store.ts).
      store.watch();
      logger.info(
        {
          zones: zoneNames(store.zones),
          secondaries: replication.secondaries.map((spec) => spec.zone.toText()),
          axfrAllow: axfrAllow.text,
          tsigKeys: keys.map((key) => key.name.toText()),
          dataDir: replication.dataDir.root,
        },
        'zones loaded',
      );
    },
    async stop() {
      store?.close();
      replicator?.stop();
      await replicator?.flush();
    },
    stats: () => ({
      ...core.counters,
      replyCacheHits: core.cache.hits,
      rrlDropped: core.rrl.dropped,
      rrlSlipped: core.rrl.slipped,
    }),
  };
}
