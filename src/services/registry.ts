/**
 * Every service `netkit serve` and `netkit start` know. An entry says how to build the
 * service from its options and where it listens by default (ports of 1024 or more, so no
 * privilege is needed; the standard port is named in the summary).
 */
import { ncCommandFor, parseEndpoint } from '../core/endpoint.js';
import { LocalError, UsageError } from '../core/errors.js';
import type { Limits } from '../core/limits.js';
import type { ServiceDefinition } from '../runtime/service.js';
import {
  createCalcDatagram,
  createCalcStream,
  DEFAULT_CALC_LIMITS,
  formatError as formatCalcError,
} from './calc/protocol.js';
import { CHAT_DEFAULTS } from './chat/protocol/defaults.js';
import { CHAT_LIMITS, CHAT_SERVICE_DEFAULTS, createChatService } from './chat/service.js';
import { createDaytimeDatagram, createDaytimeStream, type DaytimeOptions } from './daytime/protocol.js';
import { discardDatagram, discardStream } from './discard/protocol.js';
import { createDnsService, DNS_LIMITS } from './dns/service.js';
import { echoDatagram, echoStream } from './echo/protocol.js';
import { createSntpDatagram, SNTP_DEFAULTS, type SntpServerOptions } from './sntp/protocol.js';
import { timeDatagram, timeStream } from './time/protocol.js';
import {
  createWordsDatagram,
  createWordsStream,
  formatError as formatWordsError,
  WORDS_DEFAULTS,
} from './words/protocol.js';

/** A service-specific command-line option, declared as data so the CLI stays generic. */
export interface ServiceOption {
  /** As commander writes it: '--format <name>'. */
  flags: string;
  description: string;
  default?: string;
}

export interface ServiceEntry {
  name: string;
  summary: string;
  /** Default endpoints, used by `netkit serve NAME` without --listen and by `netkit start`. */
  defaultListen: string[];
  options?: ServiceOption[];
  /** The service's own defaults over DEFAULT_LIMITS (shown in its --help). */
  limits?: Partial<Limits>;
  /** Builds the service from its parsed options (keys as commander camel-cases them). */
  create(options: Record<string, unknown>): ServiceDefinition;
}

type ServiceParts = Omit<ServiceDefinition, 'name' | 'summary' | 'defaultListen'>;

/** Builds an entry; `tryCommand` gives the one-liner `netkit start` suggests for an endpoint. */
function makeEntry(
  name: string,
  summary: string,
  defaultListen: string[],
  tryCommand: (endpoint: string) => string,
  parts: (options: Record<string, unknown>) => ServiceParts,
  options?: ServiceOption[],
): ServiceEntry {
  return {
    name,
    summary,
    defaultListen,
    options,
    create: (values) => ({ name, summary, defaultListen, tryCommand, ...parts(values) }),
  };
}

/**
 * A service on TCP and UDP 127.0.0.1:PORT, built from its options by `parts`; `sample` is
 * the request `netkit start` suggests trying (with nc), or a function giving the whole command.
 */
function entry(
  name: string,
  summary: string,
  port: number,
  sample: string | undefined | ((endpoint: string) => string),
  parts: (options: Record<string, unknown>) => ServiceParts,
  options?: ServiceOption[],
): ServiceEntry {
  const tryCommand =
    typeof sample === 'function' ? sample : (endpoint: string) => ncCommandFor(endpoint, sample);
  return makeEntry(
    name,
    summary,
    [`tcp://127.0.0.1:${port}`, `udp://127.0.0.1:${port}`],
    tryCommand,
    parts,
    options,
  );
}

/** A service on UDP 127.0.0.1:PORT only (SNTP). */
function udpEntry(
  name: string,
  summary: string,
  port: number,
  tryCommand: (endpoint: string) => string,
  parts: (options: Record<string, unknown>) => ServiceParts,
  options?: ServiceOption[],
): ServiceEntry {
  return makeEntry(name, summary, [`udp://127.0.0.1:${port}`], tryCommand, parts, options);
}

/** Host and port of an inet endpoint URL, for one-liners that take them apart (rdate, nc). */
function hostPort(endpointText: string): { host: string; port: number; udp: boolean } {
  const endpoint = parseEndpoint(endpointText);
  if (endpoint.transport === 'unix') return { host: endpoint.path, port: 0, udp: false };
  return { host: endpoint.host, port: endpoint.port, udp: endpoint.transport === 'udp' };
}

/** A core's option error (NK_DAYTIME_BAD_OPTION, NK_SNTP_BAD_OPTION, ...) as a usage error (exit 2). */
function asUsage<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof LocalError && !(error instanceof UsageError)) {
      throw new UsageError(`${error.message} [${error.code}]`, { cause: error, details: error.details });
    }
    throw error;
  }
}

/** A whole-number option (negative allowed), or undefined when not given. */
export function integerOption(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\s*$/.test(value) ? Number.NaN : Number(value);
  if (!Number.isSafeInteger(number)) {
    throw new UsageError(`${flag} expects a whole number, not ${JSON.stringify(value)}`);
  }
  return number;
}

/** A whole number of 0 or more, or undefined when not given. */
export function nonNegativeOption(flag: string, value: unknown): number | undefined {
  const number = integerOption(flag, value);
  if (number !== undefined && number < 0) throw new UsageError(`${flag} expects 0 or more, not ${number}`);
  return number;
}

/** A positive integer option given on the command line (commander passes strings). */
export function positiveIntOption(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${flag} expects a positive integer, not ${JSON.stringify(value)}`);
  }
  return number;
}

export const SERVICES: ServiceEntry[] = [
  entry('echo', 'echo (RFC 862): sends back what it receives; standard port 7', 7007, 'hello', () => ({
    stream: echoStream,
    datagram: echoDatagram,
  })),
  entry('discard', 'discard (RFC 863): reads and drops everything; standard port 9', 9009, undefined, () => ({
    stream: discardStream,
    datagram: discardDatagram,
  })),
  entry(
    'calc',
    'the lecture\'s calculator: "5 + 6" gives 11; exact big numbers, Python precedence, (+, 5, 6) form',
    5050,
    '2 ** 100 / 3',
    (values) => {
      const options = {
        significantDigits: positiveIntOption('--digits', values.digits),
        maxDigits: positiveIntOption('--max-digits', values.maxDigits),
        maxDepth: positiveIntOption('--max-depth', values.maxDepth),
        maxLength: positiveIntOption('--max-expression-length', values.maxExpressionLength),
      };
      return {
        stream: createCalcStream(options),
        datagram: createCalcDatagram(options),
        formatError: formatCalcError,
      };
    },
    [
      {
        flags: '--digits <n>',
        description: `significant digits of a rounded result (default ${DEFAULT_CALC_LIMITS.significantDigits})`,
      },
      {
        flags: '--max-digits <n>',
        description: `digits any value may have (default ${DEFAULT_CALC_LIMITS.maxDigits})`,
      },
      {
        flags: '--max-depth <n>',
        description: `nesting depth of an expression (default ${DEFAULT_CALC_LIMITS.maxDepth})`,
      },
      {
        flags: '--max-expression-length <n>',
        description: `characters in an expression (default ${DEFAULT_CALC_LIMITS.maxLength})`,
      },
    ],
  ),
  entry(
    'words',
    "the lecture's word server: each word's length in characters and its first character",
    5051,
    'hello naïve 👍🏽',
    (values) => {
      const options = { maxWords: positiveIntOption('--max-words', values.maxWords) };
      return {
        stream: createWordsStream(options),
        datagram: createWordsDatagram(options),
        formatError: formatWordsError,
      };
    },
    [
      {
        flags: '--max-words <n>',
        description: `words accepted in one request (default ${WORDS_DEFAULTS.maxWords})`,
      },
    ],
  ),
  entry(
    'daytime',
    'daytime (RFC 867): the date and time as a line of text; standard port 13',
    1313,
    (endpoint) => {
      const { host, port, udp } = hostPort(endpoint);
      return udp ? `echo | nc -u -w1 ${host} ${port}` : `nc -N ${host} ${port} </dev/null`;
    },
    (values) => {
      const options: DaytimeOptions = {
        format: values.format as DaytimeOptions['format'],
        timeZone: values.timeZone as string | undefined,
        lineEnd: values.lineEnd as DaytimeOptions['lineEnd'],
      };
      return asUsage(() => ({
        stream: createDaytimeStream(options),
        datagram: createDaytimeDatagram(options),
      }));
    },
    [
      { flags: '--format <ctime|rfc867|rfc3339>', description: 'how the time is written (default ctime)' },
      { flags: '--time-zone <zone>', description: 'an IANA time zone such as Europe/Paris (default UTC)' },
      { flags: '--line-end <crlf|lf>', description: 'how the line ends (default crlf)' },
    ],
  ),
  entry(
    'time',
    'time (RFC 868): seconds since 1900 as 4 bytes; standard port 37',
    3737,
    (endpoint) => {
      const { host, port, udp } = hostPort(endpoint);
      return `rdate -p ${udp ? '-u ' : ''}-o ${port} ${host}`;
    },
    () => ({ stream: timeStream, datagram: timeDatagram }),
  ),
  udpEntry(
    'sntp',
    'SNTP (RFC 4330): the time for NTP clients (chronyd, ntpdate, rdate -n), UDP only; standard port 123',
    12123,
    (endpoint) => {
      const { host, port } = hostPort(endpoint);
      return `rdate -p -n -o ${port} ${host}`;
    },
    (values) => {
      const refId = values.refId as string | undefined;
      const options: SntpServerOptions = {
        stratum: integerOption('--stratum', values.stratum),
        leap: integerOption('--leap', values.leap),
        precision: integerOption('--precision', values.precision),
        refId: refId,
      };
      return { datagram: asUsage(() => createSntpDatagram(options)) };
    },
    [
      { flags: '--stratum <n>', description: `stratum, 1 to 16 (default ${SNTP_DEFAULTS.stratum})` },
      {
        flags: '--ref-id <id>',
        description: `reference ID: an IPv4 address, or up to 4 letters for stratum 1 (default ${SNTP_DEFAULTS.refId})`,
      },
      { flags: '--leap <n>', description: `leap indicator, 0 to 3 (default ${SNTP_DEFAULTS.leap})` },
      {
        flags: '--precision <n>',
        description: `log2 of the clock's precision in seconds, -32 to 0 (default ${SNTP_DEFAULTS.precision})`,
      },
    ],
  ),
  chatEntry(),
  dnsEntry(),
];

/** The authoritative DNS server: UDP and TCP on 5353, the example zones unless --zone is given. */
function dnsEntry(): ServiceEntry {
  const dns = makeEntry(
    'dns',
    'an authoritative DNS server for zone files (UDP and TCP, AXFR, EDNS, NSID); standard port 53',
    ['udp://127.0.0.1:5353', 'tcp://127.0.0.1:5353'],
    (endpoint) => {
      const { host, port, udp } = hostPort(endpoint);
      return udp
        ? `netkit dig @${host} -p ${port} example.test MX`
        : `dig @${host} -p ${port} +tcp example.test MX`;
    },
    (values) => {
      const zones = values.zone as string[] | undefined;
      return createDnsService({
        zones: zones && zones.length > 0 ? zones : undefined,
        minimalResponses: values.minimalResponses === true,
        nsid: values.nsid as string | undefined,
        axfrAllow: values.axfrAllow as string | undefined,
        replyCache: nonNegativeOption('--reply-cache', values.replyCache),
        rrlRate: nonNegativeOption('--rrl-rate', values.rrlRate),
        rrlSlip: nonNegativeOption('--rrl-slip', values.rrlSlip),
        secondaries: values.secondary as string[] | undefined,
        notify: values.notify as string[] | undefined,
        tsig: values.tsig as string[] | undefined,
        tsigFiles: values.tsigFile as string[] | undefined,
        dataDir: values.dataDir as string | undefined,
        allowNotify: values.allowNotify as string | undefined,
      });
    },
    [
      {
        flags: '--zone <file...>',
        description:
          "zone files to serve, FILE or ORIGIN=FILE (origin: the file's $ORIGIN, else its SOA's owner); default: examples/dns",
      },
      {
        flags: '--minimal-responses',
        description: 'only the records a question needs (no MX/SRV target addresses), as NSD',
      },
      { flags: '--nsid <text>', description: 'the name server ID (RFC 5001) given to queries that ask' },
      {
        flags: '--reply-cache <n>',
        description:
          'encoded UDP replies kept by query, 0 for none (default 10000); emptied when the zones change',
      },
      {
        flags: '--rrl-rate <n>',
        description:
          'response rate limiting: identical UDP responses per second per client network (/24, /56); 0 or unset: off',
      },
      {
        flags: '--rrl-slip <n>',
        description:
          'with --rrl-rate, every n-th limited response goes out truncated so clients retry over TCP (default 2; 0 drops all)',
      },
      {
        flags: '--axfr-allow <cidrs>',
        description:
          'addresses that may transfer zones (AXFR, IXFR): CIDR,... or none (default 127.0.0.0/8,::1); with TSIG keys, transfers must also be signed with one; CIDR@KEY: from there, only with that key',
      },
      {
        flags: '--secondary <zone@primary...>',
        description:
          'serve ZONE as a secondary of PRIMARY[:PORT] (default port 53): transferred (IXFR, else AXFR), refreshed on its SOA timers and on NOTIFY, kept in --data-dir',
      },
      {
        flags: '--notify <host:port...>',
        description: 'secondaries to send NOTIFY to when a zone changes (retried until acknowledged)',
      },
      {
        flags: '--tsig <name:alg:secret...>',
        description:
          'TSIG key (RFC 8945; alg hmac-sha256, hmac-sha512, hmac-sha1...; secret in base64): transfers must be signed with it; NOTIFYs and our own transfers are signed with the first key',
      },
      {
        flags: '--tsig-file <file...>',
        description: "TSIG keys from a file as `tsig-keygen` (BIND) or Knot's `keymgr -t` writes them",
      },
      {
        flags: '--data-dir <dir>',
        description:
          'journals (what IXFR is served from) and secondary zone copies (default $XDG_STATE_HOME/netkit/dns, else ~/.local/state/netkit/dns)',
      },
      {
        flags: '--allow-notify <cidrs>',
        description: "addresses a secondary takes NOTIFY from (default: each zone's primary)",
      },
    ],
  );
  return { ...dns, limits: DNS_LIMITS };
}

/** The chat: TCP and UDP on 7777, the web page and WebSocket on http 7778. */
function chatEntry(): ServiceEntry {
  const chat = makeEntry(
    'chat',
    'a chat hub: nicknames, #rooms, private messages; TCP (nc), UDP and a web page with WebSocket',
    ['tcp://127.0.0.1:7777', 'udp://127.0.0.1:7777', 'http://127.0.0.1:7778'],
    (endpoint) => {
      if (endpoint.startsWith('http')) return `open ${endpoint}/ in a browser`;
      const { host, port, udp } = hostPort(endpoint);
      return udp ? `netkit chat ${endpoint} --nick bob` : `nc ${host} ${port}   (type a nickname first)`;
    },
    (values) => {
      const seconds = (flag: string, value: unknown) => {
        const number = positiveIntOption(flag, value);
        return number === undefined ? undefined : number * 1000;
      };
      const floodRate = values.floodRate === undefined ? undefined : Number(values.floodRate);
      if (floodRate !== undefined && (!Number.isFinite(floodRate) || floodRate < 0))
        throw new UsageError(
          `--flood-rate expects a number of 0 or more, not ${JSON.stringify(values.floodRate)}`,
        );
      const history = integerOption('--history', values.history);
      const noticeLimit = integerOption('--notice-limit', values.noticeLimit);
      for (const [flag, value] of [
        ['--history', history],
        ['--notice-limit', noticeLimit],
      ] as const)
        if (value !== undefined && value < 0) throw new UsageError(`${flag} expects 0 or more, not ${value}`);
      return asUsage(() =>
        createChatService({
          floodRate,
          floodBurst: positiveIntOption('--flood-burst', values.floodBurst),
          historySize: history,
          maxNickLength: positiveIntOption('--max-nick-length', values.maxNickLength),
          maxNoticeMembers: noticeLimit,
          udpTimeoutMs: seconds('--udp-timeout', values.udpTimeout),
          redis: values.redis as string | undefined,
        }),
      );
    },
    [
      {
        flags: '--flood-rate <n>',
        description: `messages per second per user, 0 for no flood control (default ${CHAT_DEFAULTS.floodRate})`,
      },
      {
        flags: '--flood-burst <n>',
        description: `messages a user may send at once before the rate applies (default ${CHAT_DEFAULTS.floodBurst})`,
      },
      {
        flags: '--history <n>',
        description: `messages a room shows to whoever joins it (default ${CHAT_DEFAULTS.historySize})`,
      },
      {
        flags: '--max-nick-length <n>',
        description: `longest nickname in characters (default ${CHAT_DEFAULTS.maxNickLength})`,
      },
      {
        flags: '--notice-limit <n>',
        description: `rooms with more members get no join/part notices (default ${CHAT_DEFAULTS.maxNoticeMembers})`,
      },
      {
        flags: '--redis <url>',
        description:
          'share rooms and nicknames with the other hubs on this Redis (redis://HOST:PORT[/db]); default: alone',
      },
      {
        flags: '--udp-timeout <seconds>',
        description: `forget a UDP user silent this long (default ${CHAT_SERVICE_DEFAULTS.udpTimeoutMs / 1000})`,
      },
    ],
  );
  return { ...chat, limits: CHAT_LIMITS };
}

export function findService(name: string): ServiceEntry | undefined {
  return SERVICES.find((entry) => entry.name === name);
}
