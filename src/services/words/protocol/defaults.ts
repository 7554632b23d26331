/**
 * Named defaults for the word server's own limits (the runtime's limits, such as the line
 * and datagram sizes, live in src/core/limits.ts). Each is meant to have a flag of the same
 * name on `netkit serve words`.
 */
import { LocalError } from '../../../core/errors.js';

export const WORDS_DEFAULTS = {
  /** Words in one request; one more is answered with NK_WORDS_TOO_MANY (--max-words). */
  maxWords: 1000,
  /**
   * Largest reply datagram, in bytes: the most a UDP/IPv4 datagram can carry
   * (65,535 − 20 for the IP header − 8 for the UDP header). A bigger reply is answered with
   * NK_WORDS_REPLY_TOO_LARGE. With the default limits a reply is under 25 KB in text and
   * 55 KB in JSON; this only matters when --max-datagram-bytes or --max-words is raised.
   */
  maxDatagramReplyBytes: 65_507,
  /** Words a client's WordsReplyParser accepts in one reply (`OK N` with N above is refused). */
  maxReplyWords: 100_000,
} as const;

export interface WordsOptions {
  maxWords?: number;
  maxDatagramReplyBytes?: number;
}

export type ResolvedWordsOptions = Required<WordsOptions>;

export function resolveWordsOptions(options: WordsOptions = {}): ResolvedWordsOptions {
  const resolved = {
    maxWords: options.maxWords ?? WORDS_DEFAULTS.maxWords,
    maxDatagramReplyBytes: options.maxDatagramReplyBytes ?? WORDS_DEFAULTS.maxDatagramReplyBytes,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new LocalError('NK_WORDS_BAD_OPTION', `${name} must be a positive integer, not ${value}`, {
        details: { name, value },
      });
    }
  }
  return resolved;
}
