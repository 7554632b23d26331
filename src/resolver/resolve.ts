/**
 * The everyday lookups, as dnspython's dns.resolver does them with the system's settings:
 * `resolve(name, type)` follows the search list and ndots of /etc/resolv.conf, tries each
 * name server in turn for `attempts` rounds of `timeout`, follows CNAME chains, and ends in
 * typed records with their TTLs or in a typed error (NXDOMAIN, no data, a server error, a
 * timeout). `resolveReverse(ip)` asks for the PTR names of an address.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { RCODE, RRCLASS, RRTYPE, rcodeToText, requireType, typeToText } from '../dns/constants.js';
import type { Message } from '../dns/message.js';
import { Name } from '../dns/name.js';
import type { NameRdata, Rdata } from '../dns/rdata/types.js';
import type { ResourceRecord } from '../dns/record.js';
import { parseResolvConf, type ResolverConfig } from '../dns/resolv-conf.js';
import { DnsNoDataError, DnsNxDomainError, DnsServerError, DnsTimeoutError } from './errors.js';
import { query } from './query.js';

export interface ResolveOptions {
  /** Settings to use instead of /etc/resolv.conf's. */
  config?: Partial<ResolverConfig>;
  /** Name servers' port (default 53). */
  port?: number;
  /** Apply the search list to names without a final dot (default true). */
  search?: boolean;
  rrclass?: number;
  udpPayloadSize?: number;
  dnssecOk?: boolean;
  /** Where the settings are read from (default /etc/resolv.conf). */
  resolvConfPath?: string;
}

export interface Answer<T extends Rdata = Rdata> {
  /** The name that was asked for (after the search list). */
  qname: Name;
  /** Where the CNAME chain ended: the owner of `records`. */
  canonicalName: Name;
  type: number;
  records: ResourceRecord<T>[];
  /** The CNAME records followed, in order. */
  cnames: ResourceRecord<NameRdata>[];
  /** The smallest TTL of the records and the chain: how long the answer may be kept. */
  ttl: number;
  /** The last reply. */
  message: Message;
  server: string;
}

const MAX_CNAME_HOPS = 16;

export async function systemResolverConfig(path = '/etc/resolv.conf'): Promise<ResolverConfig> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // No file: glibc's defaults (the local name server).
  }
  return parseResolvConf(text, {
    hostname: hostname(),
    env: { LOCALDOMAIN: process.env.LOCALDOMAIN, RES_OPTIONS: process.env.RES_OPTIONS },
  });
}

/** The names tried for `text`, in glibc's order (res_search). */
export function searchCandidates(
  text: string,
  config: Pick<ResolverConfig, 'search' | 'ndots' | 'noTldQuery'>,
): Name[] {
  if (text.endsWith('.')) return [Name.fromText(text)];
  const asIs = Name.fromText(`${text}.`);
  const dots = (text.match(/(?<!\\)\./g) ?? []).length;
  const searched = config.search
    .filter((domain) => domain !== '' && domain !== '.')
    .map((domain) => Name.fromText(`${text}.${domain}.`));
  if (dots >= config.ndots) return [asIs, ...searched];
  return dots === 0 && config.noTldQuery ? searched : [...searched, asIs];
}

export async function resolve<T extends Rdata = Rdata>(
  name: string | Name,
  type: number | string = RRTYPE.A,
  options: ResolveOptions = {},
): Promise<Answer<T>> {
  const rrtype = typeof type === 'number' ? type : requireType(type);
  const config = { ...(await systemResolverConfig(options.resolvConfPath)), ...options.config };
  const text = typeof name === 'string' ? name : name.toText();
  const candidates =
    options.search === false
      ? [Name.fromText(text.endsWith('.') ? text : `${text}.`)]
      : searchCandidates(text, config);
  let noData: DnsNoDataError | undefined;
  let serverError: DnsServerError | DnsTimeoutError | undefined;
  let nxDomain: DnsNxDomainError | undefined;
  for (const candidate of candidates) {
    try {
      return (await resolveName(candidate, rrtype, config, options)) as Answer<T>;
    } catch (error) {
      if (error instanceof DnsNoDataError) noData ??= error;
      else if (error instanceof DnsNxDomainError) nxDomain = error;
      else if (error instanceof DnsServerError || error instanceof DnsTimeoutError) serverError ??= error;
      else throw error;
    }
  }
  // glibc's order: "no data" for some name beats a server failure beats "no such name".
  throw noData ?? serverError ?? nxDomain ?? new DnsNxDomainError(text);
}

/** The PTR names of an address. */
export async function resolveReverse(
  address: string,
  options: ResolveOptions = {},
): Promise<Answer<NameRdata>> {
  return resolve<NameRdata>(Name.fromAddress(address), RRTYPE.PTR, { ...options, search: false });
}

/** One absolute name, no search list; follows CNAMEs, re-asking for a target the reply lacks. */
async function resolveName(
  qname: Name,
  type: number,
  config: ResolverConfig,
  options: ResolveOptions,
): Promise<Answer> {
  const cnames: ResourceRecord<NameRdata>[] = [];
  let current = qname;
  for (let asked = 0; asked <= MAX_CNAME_HOPS; asked++) {
    const { message, server } = await askServers(current, type, config, options);
    const rcode = message.rcode;
    if (rcode === RCODE.NXDOMAIN) throw new DnsNxDomainError(current.toText());
    if (rcode !== RCODE.NOERROR)
      throw new DnsServerError(current.toText(), server, rcode, rcodeToText(rcode));
    // Walk the chain through the answer section.
    let advanced = false;
    for (let hops = 0; hops <= MAX_CNAME_HOPS; hops++) {
      const records = message.answer.filter((rr) => rr.type === type && rr.name.equals(current));
      if (records.length > 0) {
        const ttl = Math.min(...records.map((rr) => rr.ttl), ...cnames.map((rr) => rr.ttl));
        return { qname, canonicalName: current, type, records, cnames, ttl, message, server };
      }
      if (type === RRTYPE.CNAME || type === RRTYPE.ANY) break;
      const cname = message.answer.find((rr) => rr.type === RRTYPE.CNAME && rr.name.equals(current)) as
        | ResourceRecord<NameRdata>
        | undefined;
      if (!cname) break;
      if (cnames.length >= MAX_CNAME_HOPS || cnames.some((seen) => seen.name.equals(cname.data.target)))
        throw new DnsServerError(
          qname.toText(),
          server,
          RCODE.SERVFAIL,
          'a CNAME loop or an over-long chain',
        );
      cnames.push(cname);
      current = cname.data.target;
      advanced = true;
    }
    // The chain left this reply: ask for where it points. Nothing new in it: no data.
    if (!advanced) throw new DnsNoDataError(current.toText(), typeToText(type));
  }
  throw new DnsServerError(
    qname.toText(),
    'the resolver',
    RCODE.SERVFAIL,
    `a CNAME chain longer than ${MAX_CNAME_HOPS}`,
  );
}

/** Tries each server in turn, `attempts` rounds; a server error or a timeout moves on. */
async function askServers(
  name: Name,
  type: number,
  config: ResolverConfig,
  options: ResolveOptions,
): Promise<{ message: Message; server: string }> {
  const servers = [...config.nameservers];
  if (config.rotate && servers.length > 1) {
    const start = Math.floor(Math.random() * servers.length);
    servers.push(...servers.splice(0, start));
  }
  const timeoutMs = Math.max(1000, config.timeoutMs);
  const attempts = Math.max(1, config.attempts);
  let failure: DnsServerError | undefined;
  for (let round = 0; round < attempts; round++) {
    for (const server of servers) {
      try {
        const result = await query(name, type, {
          server,
          port: options.port,
          transport: config.useVc ? 'tcp' : 'udp',
          timeoutMs,
          retries: 0,
          udpPayloadSize: options.udpPayloadSize ?? (config.edns0 ? 1232 : 0),
          dnssecOk: options.dnssecOk,
          rrclass: options.rrclass ?? RRCLASS.IN,
        });
        const rcode = result.reply.rcode;
        // These say something about the name; the rest are the server's trouble.
        if (rcode === RCODE.NOERROR || rcode === RCODE.NXDOMAIN) return { message: result.reply, server };
        failure = new DnsServerError(name.toText(), server, rcode, rcodeToText(rcode));
      } catch (error) {
        if (!(error instanceof DnsTimeoutError) && !(error instanceof Error && 'code' in error)) throw error;
      }
    }
  }
  throw failure ?? new DnsTimeoutError(name.toText(), servers, attempts, timeoutMs);
}
