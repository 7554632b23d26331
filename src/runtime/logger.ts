/**
 * Structured logs (pino) on stderr: JSON lines when stderr is a file or pipe, colourised
 * human-readable lines (pino-pretty) when it is a terminal. stdout stays for what a
 * command prints as its result.
 */
import { type LevelWithSilent, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export const LOG_LEVELS: readonly LevelWithSilent[] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Force human-readable output on or off; default: on when stderr is a terminal. */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const human = options.pretty ?? process.stderr.isTTY === true;
  if (human) {
    return pino(
      { level },
      pretty({ destination: 2, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }),
    );
  }
  return pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true }));
}

/** A logger that drops everything, for library users who pass none and for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
