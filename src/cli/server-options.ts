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
  idleTimeout?: string;
  udpRate?: string;
  udpBurst?: string;
  shutdownGrace?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function addServerOptions(command: Command, { listen = true } = {}): Command {
  if (listen)
    command.option(
      '-l, --listen <url>',
      'endpoint to listen on (repeatable): tcp://HOST:PORT, udp://HOST:PORT, unix:/path',
      collect,
    );
  command
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS as string[]).default('info'))
    .option(
      '--max-line-bytes <n>',
      `longest line accepted over streams (default ${DEFAULT_LIMITS.maxLineBytes})`,
    )
    .option(
      '--max-datagram-bytes <n>',
      `largest datagram accepted (default ${DEFAULT_LIMITS.maxDatagramBytes})`,
    )
    .option(
      '--max-connections <n>',
      `concurrent stream connections (default ${DEFAULT_LIMITS.maxConnections})`,
    )
    .option(
      '--idle-timeout <seconds>',
      `close a silent connection after this long, 0 for never (default ${DEFAULT_LIMITS.idleTimeoutMs / 1000})`,
    )
    .option(
      '--udp-rate <n>',
      `UDP requests per second per source address, 0 for no limit (default ${DEFAULT_LIMITS.udpRatePerSecond})`,
    )
    .option('--udp-burst <n>', `UDP burst allowed above the rate (default ${DEFAULT_LIMITS.udpRateBurst})`)
    .option(
      '--shutdown-grace <seconds>',
      `on SIGINT/SIGTERM, wait this long for requests in flight (default ${DEFAULT_LIMITS.shutdownGraceMs / 1000})`,
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
    idleTimeoutMs: number('--idle-timeout', flags.idleTimeout, 1000),
    udpRatePerSecond: number('--udp-rate', flags.udpRate),
    udpRateBurst: number('--udp-burst', flags.udpBurst),
    shutdownGraceMs: number('--shutdown-grace', flags.shutdownGrace, 1000),
  };
}

export function loggerFromFlags(flags: ServerFlags): Logger {
  return createLogger({ level: flags.logLevel as LevelWithSilent });
}
