/**
 * The word server (the lecture's): for each word of a request, its length in characters
 * (extended grapheme clusters) and its first character. One request per line over TCP and
 * Unix sockets, one per datagram over UDP; replies are `OK N` and N lines
 * `WORD<TAB>LENGTH<TAB>FIRST`, or `ERROR CODE message`, or one line of JSON for a JSON request.
 * docs/protocols/words.md is the grammar. Pure: bytes in, replies out.
 */
import { DatagramTooLargeError, LineTooLongError, type NetkitError } from '../../core/errors.js';
import type { DatagramProtocol, Payload, StreamProtocol } from '../../runtime/service.js';
import { WordsReplyTooLargeError } from './errors.js';
import { resolveWordsOptions, type WordsOptions } from './protocol/defaults.js';
import { answerRequest, requestFormat } from './protocol/request.js';
import { type ReplyFormat, renderError } from './protocol/wire.js';

export { WORDS_DEFAULTS, type WordsOptions } from './protocol/defaults.js';
export { parseWordsReply, type WordsReply, WordsReplyParser } from './protocol/reply-parser.js';
export { wordsReply } from './protocol/request.js';
export { describeWord, splitWords } from './protocol/split.js';
export type { ReplyFormat, WordInfo } from './protocol/wire.js';

const ENCODER = new TextEncoder();

export function createWordsStream(options: WordsOptions = {}): StreamProtocol {
  const resolved = resolveWordsOptions(options);
  return {
    framing: 'line',
    session: () => {
      // The format of the last request: a line too long to read is answered in it.
      let format: ReplyFormat = 'text';
      return {
        receive: (line) => {
          format = requestFormat(line);
          return [{ type: 'send', data: answerRequest(line, resolved) }];
        },
        lineTooLong: (limit) => {
          const error = new LineTooLongError(limit);
          return [{ type: 'send', data: renderError(error.code, error.message, format) }];
        },
      };
    },
  };
}

export function createWordsDatagram(options: WordsOptions = {}): DatagramProtocol {
  const resolved = resolveWordsOptions(options);
  const limit = resolved.maxDatagramReplyBytes;
  return {
    receive: (datagram) => {
      // A trailing CR or LF (`echo word | nc -u`) is white space, so it is already ignored.
      const reply = answerRequest(datagram, resolved);
      // UTF-8 takes at most 3 bytes per UTF-16 code unit: most replies need no encoding here.
      if (reply.length * 3 <= limit) return [reply];
      const bytes = ENCODER.encode(reply);
      if (bytes.length > limit)
        throw new WordsReplyTooLargeError(bytes.length, limit, requestFormat(datagram));
      return [bytes];
    },
    tooLarge: (size, limit) => {
      const error = new DatagramTooLargeError(size, limit);
      return [renderError(error.code, error.message, 'text')];
    },
  };
}

/** The word server with the default limits. */
export const wordsStream: StreamProtocol = createWordsStream();
export const wordsDatagram: DatagramProtocol = createWordsDatagram();

/**
 * For ServiceDefinition.formatError: the errors the runtime words itself (server full, idle,
 * internal error) as an `ERROR CODE message` line, so a client reads one grammar throughout.
 */
export function formatError(error: NetkitError): Payload {
  return renderError(error.code, error.message, 'text');
}
