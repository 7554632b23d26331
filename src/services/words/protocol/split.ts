/**
 * Splitting a request into words, and what a word's length and first character are.
 * - Characters are extended grapheme clusters (UAX #29), as Intl.Segmenter finds them.
 * - Words are separated by Unicode White_Space (all 25 code points, not JavaScript's \s).
 * - Leading and trailing punctuation (General_Category P*) is stripped from each token, a
 *   whole grapheme cluster at a time; a token of punctuation only is not a word.
 * docs/protocols/words.md states the rules with examples.
 *
 * Speed: one Segmenter for the process, regexes compiled once, and a fast path for words
 * whose every code unit is known to be a grapheme cluster by itself.
 */
import type { WordInfo } from './wire.js';

// Grapheme segmentation is not tailored by locale; naming one keeps it from depending on
// the environment's default locale.
const SEGMENTER = new Intl.Segmenter('en', { granularity: 'grapheme' });

const WHITE_SPACE_RUN = /\p{White_Space}+/u;
// The White_Space code points below U+0080: TAB, LF, VT, FF, CR, SPACE.
const ASCII_WHITE_SPACE_RUN = /[\t-\r ]+/;
const STARTS_WITH_PUNCTUATION = /^\p{P}/u;

/**
 * Below U+0300 every code unit from `!` to `~` and from U+00A0 is a grapheme cluster of its
 * own whatever surrounds it: the first code point that can join a neighbour (Extend) is
 * U+0300 COMBINING GRAVE ACCENT. Controls are left out (CR LF is one cluster).
 * test/services/words/split.test.ts checks every pair of these against Intl.Segmenter.
 */
const TABLE_SIZE = 0x300;
const SINGLE = 1;
const PUNCTUATION = 2;
const CLASSES = new Uint8Array(TABLE_SIZE);
for (let code = 0; code < TABLE_SIZE; code++) {
  const single = (code >= 0x21 && code <= 0x7e) || code >= 0xa0;
  const punctuation = STARTS_WITH_PUNCTUATION.test(String.fromCharCode(code));
  CLASSES[code] = (single ? SINGLE : 0) | (punctuation ? PUNCTUATION : 0);
}

/** True when each code unit of `text` is a grapheme cluster by itself. */
function isSimple(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= TABLE_SIZE || (CLASSES[code]! & SINGLE) === 0) return false;
  }
  return true;
}

function isPunctuationCode(code: number): boolean {
  return (CLASSES[code]! & PUNCTUATION) !== 0;
}

function startsWithPunctuation(cluster: string): boolean {
  const code = cluster.charCodeAt(0);
  return code < TABLE_SIZE ? isPunctuationCode(code) : STARTS_WITH_PUNCTUATION.test(cluster);
}

/**
 * Calls `visit` with each grapheme cluster of `text` and its index. Stepping with
 * `containing()` measured about a third faster than `for...of` over the segments.
 */
function forEachCluster(text: string, visit: (cluster: string, index: number) => void): void {
  const segments = SEGMENTER.segment(text);
  let index = 0;
  while (index < text.length) {
    const { segment } = segments.containing(index)!;
    visit(segment, index);
    index += segment.length;
  }
}

/** The length in grapheme clusters and the first cluster of `word`, taken as it is. */
export function describeWord(word: string): WordInfo {
  if (isSimple(word)) return { word, length: word.length, first: word.slice(0, 1) };
  let length = 0;
  let first = '';
  forEachCluster(word, (cluster) => {
    if (length === 0) first = cluster;
    length++;
  });
  return { word, length, first };
}

/**
 * One white-space-free token: strips the clusters at either end that begin with a
 * punctuation code point, then describes what is left; undefined if nothing is.
 */
export function describeToken(token: string): WordInfo | undefined {
  if (isSimple(token)) {
    let start = 0;
    let end = token.length;
    while (start < end && isPunctuationCode(token.charCodeAt(start))) start++;
    while (end > start && isPunctuationCode(token.charCodeAt(end - 1))) end--;
    if (start === end) return undefined;
    const word = end - start === token.length ? token : token.slice(start, end);
    return { word, length: end - start, first: word[0]! };
  }
  // One pass over the clusters: remember the first and last that are not punctuation.
  let count = 0;
  let firstKept = -1;
  let lastKept = -1;
  let first = '';
  let start = 0;
  let end = 0;
  forEachCluster(token, (cluster, index) => {
    if (!startsWithPunctuation(cluster)) {
      if (firstKept < 0) {
        firstKept = count;
        first = cluster;
        start = index;
      }
      lastKept = count;
      end = index + cluster.length;
    }
    count++;
  });
  if (firstKept < 0) return undefined;
  const word = end - start === token.length ? token : token.slice(start, end);
  return { word, length: lastKept - firstKept + 1, first };
}

/** The white-space-separated tokens of `text`, without empty ones. */
function tokens(text: string, asciiOnly: boolean): string[] {
  const parts = text.split(asciiOnly ? ASCII_WHITE_SPACE_RUN : WHITE_SPACE_RUN);
  // Leading or trailing white space leaves one empty token at that end.
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 0 && parts[0] === '') parts.shift();
  return parts;
}

/**
 * The words of `text` with their lengths and first characters, at most `limit` of them;
 * `onTooMany` is called (and must throw) when there are more.
 */
export function describeWords(text: string, limit: number, onTooMany: () => never): WordInfo[] {
  const words: WordInfo[] = [];
  for (const token of tokens(text, isAscii(text))) {
    const info = describeToken(token);
    if (info === undefined) continue;
    if (words.length === limit) onTooMany();
    words.push(info);
  }
  return words;
}

/** The words of `text`, as the server sees them (no limit, no validation of characters). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const token of tokens(text, isAscii(text))) {
    const info = describeToken(token);
    if (info !== undefined) words.push(info.word);
  }
  return words;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}
