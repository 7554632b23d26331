/**
 * Reads the word server's replies back, for clients: push lines as they arrive (without
 * their LF), get each reply once its last line is in. Text and JSON replies may be mixed on
 * one connection, as a client may mix its requests. Anything off the grammar is a
 * WordsBadReplyError; the parser then starts afresh at the next line.
 */
import { WordsBadReplyError } from '../errors.js';
import { WORDS_DEFAULTS } from './defaults.js';
import type { WordInfo } from './wire.js';

export type WordsReply = { ok: true; words: WordInfo[] } | { ok: false; code: string; message: string };

const DECODER = new TextDecoder('utf-8', { fatal: true });
const OK_LINE = /^OK (0|[1-9][0-9]*)$/;
const ERROR_LINE = /^ERROR ([A-Z][A-Z0-9_]*)(?: ([^\n]*))?$/;
const COUNT = /^[1-9][0-9]*$/;

export class WordsReplyParser {
  private expected = 0;
  private words: WordInfo[] = [];

  constructor(private readonly maxWords: number = WORDS_DEFAULTS.maxReplyWords) {}

  /** True in the middle of a text reply (`OK N` read, not all N word lines yet). */
  get hasPartial(): boolean {
    return this.expected > 0;
  }

  /** One line, without its line end. Returns the reply this line completes, if any. */
  push(line: string | Uint8Array): WordsReply | undefined {
    try {
      return this.take(typeof line === 'string' ? line : decodeLine(line));
    } catch (error) {
      this.expected = 0;
      this.words = [];
      throw error;
    }
  }

  /** At the end of the stream: a reply cut short is an error. */
  finish(): void {
    if (this.expected === 0) return;
    const missing = this.expected;
    const received = this.words.length;
    this.expected = 0;
    this.words = [];
    throw new WordsBadReplyError(`the reply ends after ${received} words, ${missing} missing`, {
      received,
      missing,
    });
  }

  private take(line: string): WordsReply | undefined {
    if (line.includes('\n')) throw new WordsBadReplyError('a line holds an LF');
    if (this.expected > 0) {
      this.words.push(parseWordLine(line));
      if (--this.expected > 0) return undefined;
      const words = this.words;
      this.words = [];
      return { ok: true, words };
    }
    if (line.startsWith('{')) return parseJsonReply(line, this.maxWords);
    const ok = OK_LINE.exec(line);
    if (ok) {
      const count = Number(ok[1]);
      if (count > this.maxWords) {
        throw new WordsBadReplyError(`${count} words announced, over the limit of ${this.maxWords}`);
      }
      if (count === 0) return { ok: true, words: [] };
      this.expected = count;
      return undefined;
    }
    const error = ERROR_LINE.exec(line);
    if (error) return { ok: false, code: error[1]!, message: error[2] ?? '' };
    throw new WordsBadReplyError('expected `OK N`, `ERROR CODE message` or a JSON object');
  }
}

/**
 * A whole reply in one piece, as a UDP datagram carries it (the final LF may be missing).
 * More or less than exactly one reply is an error.
 */
export function parseWordsReply(reply: string | Uint8Array, maxWords?: number): WordsReply {
  const text = typeof reply === 'string' ? reply : decodeLine(reply);
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const parser = new WordsReplyParser(maxWords);
  let result: WordsReply | undefined;
  for (const line of lines) {
    if (result !== undefined) throw new WordsBadReplyError('more than one reply in one datagram');
    result = parser.push(line);
  }
  parser.finish();
  return result!;
}

function decodeLine(bytes: Uint8Array): string {
  try {
    return DECODER.decode(bytes);
  } catch {
    throw new WordsBadReplyError('not valid UTF-8');
  }
}

function parseWordLine(line: string): WordInfo {
  const fields = line.split('\t');
  if (fields.length !== 3) throw new WordsBadReplyError('a word line has three TAB-separated fields');
  const [word, count, first] = fields as [string, string, string];
  if (!COUNT.test(count)) throw new WordsBadReplyError('a word length is a positive decimal number');
  const length = Number(count);
  // A length beyond the code units or a first character that does not begin the word is
  // a garbled line (the exact count is the server's business: it depends on its Unicode).
  if (word === '' || first === '' || !word.startsWith(first) || length > word.length) {
    throw new WordsBadReplyError('a word line does not describe its word');
  }
  return { word, length, first };
}

function parseJsonReply(line: string, maxWords: number): WordsReply {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new WordsBadReplyError('a line starting with `{` is not valid JSON');
  }
  if (!isRecord(value) || typeof value.ok !== 'boolean') {
    throw new WordsBadReplyError('a JSON reply is an object with a boolean "ok"');
  }
  if (!value.ok) {
    const error = value.error;
    if (!isRecord(error) || typeof error.code !== 'string' || typeof error.message !== 'string') {
      throw new WordsBadReplyError('a JSON error reply has "error": {"code", "message"}');
    }
    return { ok: false, code: error.code, message: error.message };
  }
  if (!Array.isArray(value.words)) throw new WordsBadReplyError('a JSON reply has a "words" array');
  if (value.words.length > maxWords) {
    throw new WordsBadReplyError(`${value.words.length} words, over the limit of ${maxWords}`);
  }
  const words = value.words.map((item: unknown): WordInfo => {
    if (!isRecord(item) || typeof item.word !== 'string' || typeof item.first !== 'string') {
      throw new WordsBadReplyError('a JSON word is {"word", "length", "first"}');
    }
    const { word, length, first } = item;
    if (
      typeof length !== 'number' ||
      !Number.isSafeInteger(length) ||
      length < 1 ||
      length > word.length ||
      first === '' ||
      !word.startsWith(first)
    ) {
      throw new WordsBadReplyError('a JSON word does not describe its word');
    }
    return { word, length, first };
  });
  return { ok: true, words };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
