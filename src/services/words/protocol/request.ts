/**
 * One request in, one reply out: decoding, validation, splitting and rendering, shared by
 * the TCP session and the UDP handler. A request is UTF-8 text, or JSON when its first byte
 * (after an optional byte-order mark) is `{`.
 */

import { firstInvalidUtf8 } from '../../../core/utf8.js';
import {
  WordsBadInputError,
  WordsBadJsonError,
  WordsBadUtf8Error,
  WordsEmptyError,
  WordsError,
  WordsTooManyError,
} from '../errors.js';
import { type ResolvedWordsOptions, resolveWordsOptions, type WordsOptions } from './defaults.js';
import { describeWords } from './split.js';
import { type ReplyFormat, renderWords } from './wire.js';

// Fatal: bad UTF-8 is an error, never U+FFFD. The decoder drops a leading byte-order mark.
const DECODER = new TextDecoder('utf-8', { fatal: true });
const OPEN_BRACE = 0x7b;

/**
 * Controls a word may not hold: C0 and C1 except the white space among them (TAB, LF, VT,
 * FF, CR, NEL), and DEL. White space separates words, so no control reaches a reply.
 */
const FORBIDDEN = /[\0-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]/;
/** The same, plus the unpaired surrogates a JSON string can hold (`"\ud800"`). */
const FORBIDDEN_OR_SURROGATE = /[\0-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]|\p{Cs}/u;

export function requestFormat(request: Uint8Array): ReplyFormat {
  const bom = request[0] === 0xef && request[1] === 0xbb && request[2] === 0xbf;
  return request[bom ? 3 : 0] === OPEN_BRACE ? 'json' : 'text';
}

/** The reply to one request; a bad request throws a WordsError carrying its reply. */
export function answerRequest(request: Uint8Array, options: ResolvedWordsOptions): string {
  const format = requestFormat(request);
  const line = decode(request, format);
  checkCharacters(line, FORBIDDEN, false, format);
  let text = line;
  if (format === 'json') {
    text = jsonWords(line);
    checkCharacters(text, FORBIDDEN_OR_SURROGATE, true, format);
  }
  const words = describeWords(text, options.maxWords, () => {
    throw new WordsTooManyError(options.maxWords, format);
  });
  if (words.length === 0) throw new WordsEmptyError(format);
  return renderWords(words, format);
}

/**
 * The reply to one request as the server sends it, an error reply included. Pure: the same
 * bytes always give the same text. Throws nothing but a bug.
 */
export function wordsReply(request: Uint8Array, options: WordsOptions = {}): string {
  try {
    return answerRequest(request, resolveWordsOptions(options));
  } catch (error) {
    if (error instanceof WordsError) return error.reply as string;
    throw error;
  }
}

function decode(request: Uint8Array, format: ReplyFormat): string {
  try {
    return DECODER.decode(request);
  } catch {
    throw new WordsBadUtf8Error(invalidUtf8Offset(request), format);
  }
}

function checkCharacters(text: string, forbidden: RegExp, inJsonWords: boolean, format: ReplyFormat): void {
  const index = text.search(forbidden);
  if (index < 0) return;
  const codePoint = text.codePointAt(index)!;
  let column = 1;
  // A surrogate pair is one column; an unpaired surrogate is one too.
  for (let i = 0; i < index; i += text.codePointAt(i)! > 0xffff ? 2 : 1) column++;
  throw new WordsBadInputError(codePoint, column, inJsonWords, format);
}

/** `{"words": "..."}`: the string to split. Other members are ignored (room to grow). */
function jsonWords(line: string): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // JSON.parse's message quotes the input; ours does not.
    throw new WordsBadJsonError('request is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WordsBadJsonError('a JSON request is an object: {"words": "..."}');
  }
  const words = (value as Record<string, unknown>).words;
  if (typeof words !== 'string') throw new WordsBadJsonError('"words" must be a string');
  return words;
}

/** The offset of the first byte that is not well-formed UTF-8, or -1 (shared with calc). */
export const invalidUtf8Offset = firstInvalidUtf8;
