/**
 * Every service `netkit serve` and `netkit start` know. An entry says how to build the
 * service from its options and where it listens by default (ports of 1024 or more, so no
 * privilege is needed; the standard port is named in the summary).
 */
import { ncCommandFor } from '../core/endpoint.js';
import { UsageError } from '../core/errors.js';
import type { ServiceDefinition } from '../runtime/service.js';
import {
  createCalcDatagram,
  createCalcStream,
  DEFAULT_CALC_LIMITS,
  formatError as formatCalcError,
} from './calc/protocol.js';
import { discardDatagram, discardStream } from './discard/protocol.js';
import { echoDatagram, echoStream } from './echo/protocol.js';
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
  /** Builds the service from its parsed options (keys as commander camel-cases them). */
  create(options: Record<string, unknown>): ServiceDefinition;
}

type ServiceParts = Omit<ServiceDefinition, 'name' | 'summary' | 'defaultListen'>;

/**
 * A service on TCP and UDP 127.0.0.1:PORT, built from its options by `parts`; `sample` is
 * the request `netkit start` suggests trying.
 */
function entry(
  name: string,
  summary: string,
  port: number,
  sample: string | undefined,
  parts: (options: Record<string, unknown>) => ServiceParts,
  options?: ServiceOption[],
): ServiceEntry {
  const defaultListen = [`tcp://127.0.0.1:${port}`, `udp://127.0.0.1:${port}`];
  const tryCommand = (endpoint: string) => ncCommandFor(endpoint, sample);
  return {
    name,
    summary,
    defaultListen,
    options,
    create: (values) => ({ name, summary, defaultListen, tryCommand, ...parts(values) }),
  };
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
];

export function findService(name: string): ServiceEntry | undefined {
  return SERVICES.find((entry) => entry.name === name);
}
