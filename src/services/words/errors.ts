/**
 * The word server's errors. Each has a stable `code` (docs/errors.md) and carries its wire
 * `reply` (an `ERROR CODE message` line, or the JSON error object for a JSON request), which
 * the runtime sends as it is. Messages never quote the peer's input: a bad request may hold
 * terminal escape sequences, and an error line must not carry them back.
 */
import { RemoteError } from '../../core/errors.js';
import { type ReplyFormat, renderError } from './protocol/wire.js';

/** A peer's bad request, answered on the wire in the format the request used. */
export class WordsError extends RemoteError {
  constructor(code: string, message: string, details: Record<string, unknown>, format: ReplyFormat) {
    super(code, message, { details, reply: renderError(code, message, format) });
  }
}

/** The request is not valid UTF-8 (`offset`: 0-based byte offset of the first bad sequence). */
export class WordsBadUtf8Error extends WordsError {
  constructor(offset: number, format: ReplyFormat = 'text') {
    super(
      'NK_WORDS_BAD_UTF8',
      `request is not valid UTF-8 (bad byte at offset ${offset})`,
      { offset },
      format,
    );
  }
}

/**
 * A character no word may hold: a C0 or C1 control other than white space (NUL, ESC, DEL...),
 * or, in a JSON request, an unpaired surrogate escape. `column` is 1-based, in code points,
 * within the line, or within the `"words"` string when `inJsonWords` is set.
 */
export class WordsBadInputError extends WordsError {
  constructor(codePoint: number, column: number, inJsonWords: boolean, format: ReplyFormat = 'text') {
    const hex = 'U+' + codePoint.toString(16).toUpperCase().padStart(4, '0');
    const what = codePoint >= 0xd800 && codePoint <= 0xdfff ? 'unpaired surrogate' : 'control character';
    const where = inJsonWords ? `column ${column} of "words"` : `column ${column}`;
    super(
      'NK_WORDS_BAD_INPUT',
      `${what} ${hex} at ${where} is not allowed`,
      { codePoint: hex, column },
      format,
    );
  }
}

/** The request holds no word: empty, only white space, or only punctuation. */
export class WordsEmptyError extends WordsError {
  constructor(format: ReplyFormat = 'text') {
    super('NK_WORDS_EMPTY', 'no words in the request', {}, format);
  }
}

/** More words in one request than the server's limit (--max-words). */
export class WordsTooManyError extends WordsError {
  constructor(limit: number, format: ReplyFormat = 'text') {
    super('NK_WORDS_TOO_MANY', `more than ${limit} words in one request`, { limit }, format);
  }
}

/** A request starting with `{` that is not `{"words": "..."}`. */
export class WordsBadJsonError extends WordsError {
  constructor(reason: string) {
    super('NK_WORDS_BAD_JSON', reason, {}, 'json');
  }
}

/** Over UDP: the reply would not fit in one datagram. */
export class WordsReplyTooLargeError extends WordsError {
  constructor(size: number, limit: number, format: ReplyFormat = 'text') {
    super(
      'NK_WORDS_REPLY_TOO_LARGE',
      `reply of ${size} bytes does not fit in one datagram (limit ${limit}); send fewer words`,
      { size, limit },
      format,
    );
  }
}

/** Client side: the server's reply does not follow the grammar. Nothing to answer. */
export class WordsBadReplyError extends RemoteError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('NK_WORDS_BAD_REPLY', `bad reply from the word server: ${reason}`, { details });
  }
}
