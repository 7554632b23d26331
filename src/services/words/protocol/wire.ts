/**
 * The word server's replies, as text (one line per word, after an `OK N` header) or as one
 * line of JSON. docs/protocols/words.md is the grammar; WordsReplyParser reads it back.
 * A word never contains white space or a control character (splitting and validation see to
 * that), so a TAB and an LF are always separators here.
 */

/** What the server says about one word. */
export interface WordInfo {
  /** The word as the client sent it (not normalised). */
  word: string;
  /** Extended grapheme clusters (UAX #29): characters as a person sees them. */
  length: number;
  /** The first grapheme cluster. */
  first: string;
}

/** A request starting with `{` is answered in JSON, any other in text. */
export type ReplyFormat = 'text' | 'json';

export function renderWords(words: readonly WordInfo[], format: ReplyFormat): string {
  if (format === 'json') return JSON.stringify({ ok: true, words }) + '\n';
  // String concatenation: V8 builds a rope, cheaper than an array and join for short replies.
  let reply = 'OK ' + words.length + '\n';
  for (const { word, length, first } of words) reply += word + '\t' + length + '\t' + first + '\n';
  return reply;
}

export function renderError(code: string, message: string, format: ReplyFormat): string {
  if (format === 'json') return JSON.stringify({ ok: false, error: { code, message } }) + '\n';
  return 'ERROR ' + code + ' ' + oneLine(message) + '\n';
}

// Control characters and Unicode line/paragraph separators: never sent inside an error line.
const LINE_BREAKERS = /[\p{Cc}\u2028\u2029]+/gu;

/** A message on one line without control characters, whatever it came from. */
export function oneLine(message: string): string {
  return message.replace(LINE_BREAKERS, ' ');
}
