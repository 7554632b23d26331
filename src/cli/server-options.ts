/**
 * The flags every server command shares: where to listen, how much to log, and one flag
 * per runtime limit (defaults from src/core/limits.ts).
 */
import { type Command, Option } from 'commander';
import type { LevelWithSilent } from 'pino';
import { UsageError } from '../core/errors.js';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.js';
import { createLogger, LOG_LEVELS, type Logger } from '../runtime/logger.js';

export interface ServerFlags {
  listen?: string[];
  logLevel: string;
  maxLineBytes?: string;
  maxDatagramBytes?: string;
  maxConnections?: string;
  maxPerAddress?: string;
  maxQueue?: string;
  idleTimeout?: string;
  udpRate?: string;
  udpBurst?: string;
  shutdownGrace?: string;
  workers?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function addServerOptions(
  command: Command,
  {
    listen = true,
    workers = false,
    defaults = DEFAULT_LIMITS as Limits,
  }: { listen?: boolean; workers?: boolean; defaults?: Limits } = {},
): Command {
  if (listen)
    command.option(
      '-l, --listen <url>',
      'endpoint to listen on (repeatable): tcp://HOST:PORT, udp://HOST:PORT, unix:/path (chat also http://HOST:PORT)',
      collect,
    );
  command
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS as string[]).default('info'))
    .option('--max-line-bytes <n>', `longest line accepted over streams (default ${defaults.maxLineBytes})`)
    .option('--max-datagram-bytes <n>', `largest datagram accepted (default ${defaults.maxDatagramBytes})`)
    .option('--max-connections <n>', `concurrent stream connections (default ${defaults.maxConnections})`)
    .option(
      '--max-per-address <n>',
      `concurrent stream connections from one address, 0 for no cap (default ${defaults.maxConnectionsPerAddress})`,
    )
    .option(
      '--max-queue <bytes>',
      `bytes queued for a peer that is not reading before it is dropped (default ${defaults.maxQueueBytes})`,
    )
    .option(
      '--idle-timeout <seconds>',
      `close a silent connection after this long, 0 for never (default ${defaults.idleTimeoutMs / 1000})`,
    )
    .option(
      '--udp-rate <n>',
      `UDP requests per second per source address, 0 for no limit (default ${defaults.udpRatePerSecond})`,
    )
    .option('--udp-burst <n>', `UDP burst allowed above the rate (default ${defaults.udpRateBurst})`)
    .option(
      '--shutdown-grace <seconds>',
      `on SIGINT/SIGTERM, wait this long for requests in flight (default ${defaults.shutdownGraceMs / 1000})`,
    );
  if (workers)
    command.option(
      '--workers <n>',
      'processes sharing the listeners (node:cluster), for CPU-bound services such as dns (default 1)',
    );
  return command;
}

function number(flag: string, text: string | undefined, scale = 1): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${flag} expects a number of 0 or more, not ${JSON.stringify(text)}`);
  }
  return Math.round(value * scale);
}

export function limitsFromFlags(flags: ServerFlags): Partial<Limits> {
  return {
    maxLineBytes: number('--max-line-bytes', flags.maxLineBytes),
    maxDatagramBytes: number('--max-datagram-bytes', flags.maxDatagramBytes),
    maxConnections: number('--max-connections', flags.maxConnections),
    maxConnectionsPerAddress: number('--max-per-address', flags.maxPerAddress),
    maxQueueBytes: number('--max-queue', flags.maxQueue),
    idleTimeoutMs: number('--idle-timeout', flags.idleTimeout, 1000),
    udpRatePerSecond: number('--udp-rate', flags.udpRate),
    udpRateBurst: number('--udp-burst', flags.udpBurst),
    shutdownGraceMs: number('--shutdown-grace', flags.shutdownGrace, 1000),
  };
}

/** --workers: a whole number of 1 or more (default 1: no cluster). */
export function workersFromFlags(flags: ServerFlags): number {
  if (flags.workers === undefined) return 1;
  const value = Number(flags.workers);
  if (flags.workers.trim() === '' || !Number.isInteger(value) || value < 1) {
    throw new UsageError(
      `--workers expects a whole number of 1 or more, not ${JSON.stringify(flags.workers)}`,
    );
  }
  return value;
}

export function loggerFromFlags(flags: ServerFlags): Logger {
  return createLogger({ level: flags.logLevel as LevelWithSilent });
}
