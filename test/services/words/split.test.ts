/**
 * Splitting and describing words: hand-checked tables (each count below was worked out by
 * hand from UAX #29 and the Unicode Character Database, then confirmed with Intl.Segmenter).
 */
import { describe, expect, it } from 'vitest';
import { describeWord, splitWords } from '../../../src/services/words/index.js';
import { describeToken } from '../../../src/services/words/protocol/split.js';

/** Unicode 15.1 added rule GB9c: a virama between consonants joins them in one cluster. */
const CONJUNCTS = Number(process.versions.unicode) >= 15.1;

describe('describeWord: length in grapheme clusters, first cluster', () => {
  it.each([
    // [label, word, length, first]
    ['ASCII', 'hello', 5, 'h'],
    ['one letter', 'a', 1, 'a'],
    ['precomposed ï (NFC)', 'na\u00efve', 5, 'n'],
    ['i + U+0308 (NFD)', 'nai\u0308ve', 5, 'n'],
    ['NFD é first', 'e\u0301t\u00e9', 3, 'e\u0301'],
    ['Latin-1 and Latin Extended', 'Łódź', 4, 'Ł'],
    ['thumbs up, skin tone', '👍🏽', 1, '👍🏽'],
    ['thumbs up, skin tone, then text', '👍🏽ok', 3, '👍🏽'],
    ['flag (two regional indicators)', '🇫🇷', 1, '🇫🇷'],
    ['two flags', '🇫🇷🇩🇪', 2, '🇫🇷'],
    ['three regional indicators: a pair and a lone one', '🇫🇷🇩', 2, '🇫🇷'],
    ['England (tag sequence)', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', 1, '🏴󠁧󠁢󠁥󠁮󠁧󠁿'],
    ['family (ZWJ sequence)', '👨‍👩‍👧‍👦', 1, '👨‍👩‍👧‍👦'],
    ['technologist with skin tone (ZWJ)', '👩🏽‍💻', 1, '👩🏽‍💻'],
    ['rainbow flag (VS16 + ZWJ)', '🏳️‍🌈', 1, '🏳️‍🌈'],
    ['heart with VS16', '❤️', 1, '❤️'],
    ['keycap', '1️⃣', 1, '1️⃣'],
    ['Hangul syllables', '한국어', 3, '한'],
    ['Hangul jamo L V T + L V T', '\u1112\u1161\u11ab\u1100\u1173\u11af', 2, '\u1112\u1161\u11ab'],
    ['Thai with above-vowels', 'สวัสดี', 4, 'ส'],
    ['Thai', 'ภาษาไทย', 7, 'ภ'],
    ['Devanagari with a conjunct', 'नमस्ते', CONJUNCTS ? 3 : 4, 'न'],
    ['Devanagari vowel sign on the first', 'हिन्दी', CONJUNCTS ? 2 : 3, 'हि'],
    ['Hebrew with points (RTL)', 'שָׁלוֹם', 4, 'שָׁ'],
    ['Arabic (RTL)', 'مرحبا', 5, 'م'],
    ['CJK', '日本語', 3, '日'],
    ['halfwidth katakana + sound mark', 'ﾊﾟ', 1, 'ﾊﾟ'],
    [
      'a letter under many marks',
      'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319',
      1,
      'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319',
    ],
    ['zero width space is a character of its own', 'a\u200bb', 3, 'a'],
    ['empty', '', 0, ''],
  ])('%s: %s', (_, word, length, first) => {
    expect(describeWord(word)).toEqual({ word, length, first });
  });

  it('echoes the word as sent: NFD stays NFD', () => {
    expect(describeWord('nai\u0308ve').word).toBe('nai\u0308ve');
    expect(splitWords('nai\u0308ve caf\u00e9')).toEqual(['nai\u0308ve', 'caf\u00e9']);
  });

  it('fast path: every code unit from ! to ~ and U+00A0..U+02FF is a cluster of its own, next to any other', () => {
    const simple: string[] = [];
    for (let code = 0x21; code < 0x300; code++) {
      if (code <= 0x7e || code >= 0xa0) simple.push(String.fromCharCode(code));
    }
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    // Each string holds every pair (a, b) and (b, a) for one a: all pairs are covered.
    for (const a of simple) {
      const text = simple.map((b) => a + b).join('');
      let clusters = 0;
      for (const _ of segmenter.segment(text)) clusters++;
      expect(clusters, `U+${a.charCodeAt(0).toString(16)}`).toBe(text.length);
    }
  });
});

describe('splitWords: white space', () => {
  // All of Unicode's White_Space (PropList.txt): 25 code points.
  const WHITE_SPACE = [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
    0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  ];

  it.each(WHITE_SPACE.map((code) => [code.toString(16).padStart(4, '0'), String.fromCharCode(code)]))(
    'U+%s separates words',
    (_, space) => {
      expect(splitWords(`a${space}b${space}${space}c`)).toEqual(['a', 'b', 'c']);
      expect(splitWords(`${space}word${space}`)).toEqual(['word']);
    },
  );

  it.each([
    ['ZERO WIDTH SPACE', '\u200b'],
    ['WORD JOINER', '\u2060'],
    ['ZERO WIDTH NO-BREAK SPACE inside a line', '\ufeff'],
    ['MONGOLIAN VOWEL SEPARATOR (not White_Space since Unicode 6.3)', '\u180e'],
  ])('%s does not separate words', (_, character) => {
    expect(splitWords(`a${character}b c`)).toEqual([`a${character}b`, 'c']);
  });

  it('splits CJK on the ideographic space, and mixed scripts on any space', () => {
    expect(splitWords('日本語\u3000テキスト')).toEqual(['日本語', 'テキスト']);
    expect(splitWords('שלום\u00a0world\u2028مرحبا\tनमस्ते')).toEqual(['שלום', 'world', 'مرحبا', 'नमस्ते']);
  });

  it('keeps a combining mark after a space as a word of its own (it cannot reach across the space)', () => {
    expect(splitWords('a \u0301b')).toEqual(['a', '\u0301b']);
    expect(describeWord('\u0301b')).toEqual({ word: '\u0301b', length: 2, first: '\u0301' });
  });
});

describe('splitWords: punctuation', () => {
  it.each([
    ['hello, world!', ['hello', 'world']],
    ['"quoted" (yes) [no] {maybe}', ['quoted', 'yes', 'no', 'maybe']],
    ["don't e-mail U.S.A rock'n'roll", ["don't", 'e-mail', 'U.S.A', "rock'n'roll"]],
    ['U.S.A. etc.', ['U.S.A', 'etc']],
    ['wait... — what?!', ['wait', 'what']],
    ['... — … ‽ ¡¿', []],
    ['¿Qué? ¡Hola!', ['Qué', 'Hola']],
    ['«\u00a0Bonjour\u00a0»', ['Bonjour']],
    ['„Guten Tag“', ['Guten', 'Tag']],
    ['「引用」と漢字。', ['引用」と漢字']],
    [
      '#tag @user 50% _private_ *bold* /path/ C# -5',
      ['tag', 'user', '50', 'private', 'bold', 'path', 'C', '5'],
    ],
    // Symbols (S*) are not punctuation: kept, at the ends too.
    ['$5 €100 1+1=2 <3 x^2 `code` a|b ~ +', ['$5', '€100', '1+1=2', '<3', 'x^2', '`code`', 'a|b', '~', '+']],
    ['C++ 20°', ['C++', '20°']],
    ['(👍🏽) 🇫🇷! "👨‍👩‍👧‍👦"', ['👍🏽', '🇫🇷', '👨‍👩‍👧‍👦']],
  ])('%j → %j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it('strips a punctuation cluster whole, with the marks on it, and never takes a mark off a letter', () => {
    expect(describeToken(',\u0301hello')).toEqual({ word: 'hello', length: 5, first: 'h' });
    expect(describeToken('hello,\u0301')).toEqual({ word: 'hello', length: 5, first: 'h' });
    expect(describeToken('.\u0301')).toBeUndefined();
    expect(describeToken('(e\u0301)')).toEqual({ word: 'e\u0301', length: 1, first: 'e\u0301' });
  });

  it('describes a token after stripping: length and first are of the word that is sent back', () => {
    expect(describeToken('"naïve",')).toEqual({ word: 'naïve', length: 5, first: 'n' });
    expect(describeToken('«नमस्ते»')).toEqual(describeWord('नमस्ते'));
    expect(describeToken('...')).toBeUndefined();
  });
});
