/**
 * The replication flags of `netkit serve dns` read into what the server needs: secondary zones,
 * NOTIFY targets, TSIG keys, the data folder. Every mistake is a UsageError naming its flag.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { parseTsigKeyFile, parseTsigSpec, type TsigKey, TsigKeyError } from '../../dns/tsig.js';
import { defaultDataDir, ZoneDataDir } from './data-dir.js';
import { AddressList, DnsAclError } from './protocol/acl.js';
import type { NotifyTarget } from './protocol/notify.js';
import { parseHostPort, parseSecondarySpec, type SecondarySpec } from './replication.js';

export interface ReplicationFlags {
  /** `ZONE@PRIMARY[:PORT]` each. */
  secondaries?: string[];
  /** `HOST[:PORT]` each. */
  notify?: string[];
  /** `NAME:ALG:SECRET` each. */
  tsig?: string[];
  /** Key files (tsig-keygen, keymgr -t). */
  tsigFiles?: string[];
  /** Journals and secondary copies (default: defaultDataDir()). */
  dataDir?: string;
  /** `CIDR,...` allowed to send NOTIFY. */
  allowNotify?: string;
}

export interface ReplicationConfig {
  secondaries: SecondarySpec[];
  notifyTargets: NotifyTarget[];
  /** Every key known; the first signs what we send. */
  keys: TsigKey[];
  dataDir: ZoneDataDir;
  allowNotify?: AddressList;
}

export function replicationConfig(flags: ReplicationFlags): ReplicationConfig {
  const secondaries = (flags.secondaries ?? []).map(parseSecondarySpec);
  const seen = new Set<string>();
  for (const spec of secondaries) {
    if (seen.has(spec.zone.key())) throw new UsageError(`--secondary names ${spec.zone.toText()} twice`);
    seen.add(spec.zone.key());
  }
  const notifyTargets = (flags.notify ?? []).map((text) => parseHostPort(text, '--notify'));
  const keys: TsigKey[] = [];
  for (const spec of flags.tsig ?? []) {
    try {
      keys.push(parseTsigSpec(spec));
    } catch (error) {
      if (error instanceof TsigKeyError) throw new UsageError(`--tsig: ${error.message}`, { cause: error });
      throw error;
    }
  }
  for (const file of flags.tsigFiles ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--tsig-file ${file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      keys.push(...parseTsigKeyFile(text));
    } catch (error) {
      if (error instanceof TsigKeyError)
        throw new UsageError(`--tsig-file ${file}: ${error.message}`, { cause: error });
      throw error;
    }
  }
  let allowNotify: AddressList | undefined;
  if (flags.allowNotify !== undefined) {
    try {
      allowNotify = AddressList.parse(flags.allowNotify);
    } catch (error) {
      if (error instanceof DnsAclError)
        throw new UsageError(`--allow-notify: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return {
    secondaries,
    notifyTargets,
    keys,
    dataDir: new ZoneDataDir(flags.dataDir ?? defaultDataDir()),
    ...(allowNotify ? { allowNotify } : {}),
  };
}
