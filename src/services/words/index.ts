/** The word server: its protocol core, reply parser and errors (docs/protocols/words.md). */

export {
  WordsBadInputError,
  WordsBadJsonError,
  WordsBadReplyError,
  WordsBadUtf8Error,
  WordsEmptyError,
  WordsError,
  WordsReplyTooLargeError,
  WordsTooManyError,
} from './errors.js';
export {
  createWordsDatagram,
  createWordsStream,
  describeWord,
  formatError,
  parseWordsReply,
  type ReplyFormat,
  splitWords,
  WORDS_DEFAULTS,
  type WordInfo,
  type WordsOptions,
  type WordsReply,
  WordsReplyParser,
  wordsDatagram,
  wordsReply,
  wordsStream,
} from './protocol.js';
