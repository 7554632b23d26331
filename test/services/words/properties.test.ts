/**
 * Properties (fast-check). The oracle is written apart from the code under test: its own
 * Segmenter, the iterator instead of containing(), an array of clusters, no fast path, and
 * Unicode property escapes instead of the core's tables. Hand-checked counts are in
 * split.test.ts; together they pin the core down.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/core/errors.js';
import {
  describeWord,
  parseWordsReply,
  splitWords,
  WordsError,
  wordsReply,
  wordsStream,
} from '../../../src/services/words/index.js';
import { invalidUtf8Offset } from '../../../src/services/words/protocol/request.js';

const encoder = new TextEncoder();
const oracle = new Intl.Segmenter('en', { granularity: 'grapheme' });
const clusters = (text: string) => Array.from(oracle.segment(text), (s) => s.segment);
const PUNCTUATION_FIRST = /^\p{P}/u;
const FORBIDDEN = /(?![\t-\r\u0085])\p{Cc}/u;

function referenceWords(text: string): string[] {
  return text.split(/\p{White_Space}+/u).flatMap((token) => {
    const parts = clusters(token);
    let start = 0;
    let end = parts.length;
    while (start < end && PUNCTUATION_FIRST.test(parts[start]!)) start++;
    while (end > start && PUNCTUATION_FIRST.test(parts[end - 1]!)) end--;
    return start < end ? [parts.slice(start, end).join('')] : [];
  });
}

/** Text that exercises the rules: any graphemes and code points, spaces, punctuation, marks, emoji. */
const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\u2028', '\u0085', '\u200b', '\u1680', '\r\n'),
  fc.constantFrom('.', ',', '"', '«', '»', '—', '…', '¿', '(', ')', '「', '_', '-', "'", '#'),
  fc.constantFrom('\u0301', '\u0308', '\u094d', '\u200d', '\ufe0f', '\u{1f3fd}', '\u1161', '\u11ab'),
  fc.constantFrom('\ufeff', '{', '\u001b', '\u0000', '\u009b'),
  fc.constantFrom('👍🏽', '🇫🇷', '🇩', '👨‍👩‍👧‍👦', '$', '+', '°', 'नमस्ते', 'ﾊﾟ', 'e\u0301', '\u1112', '한'),
);
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
const ALLOWED_CODES = [
  'NK_WORDS_BAD_UTF8',
  'NK_WORDS_BAD_INPUT',
  'NK_WORDS_EMPTY',
  'NK_WORDS_TOO_MANY',
  'NK_WORDS_BAD_JSON',
];

describe('properties', () => {
  it('splitWords agrees with the reference splitter', () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(splitWords(input)).toEqual(referenceWords(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('every reply parses, and says what the reference says', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 12 }), (input, maxWords) => {
        const reply = parseWordsReply(wordsReply(encoder.encode(input), { maxWords }));
        // The decoder drops a leading byte-order mark.
        const body = input.startsWith('\ufeff') ? input.slice(1) : input;
        const expected = referenceWords(body);
        if (FORBIDDEN.test(input)) {
          expect(reply).toMatchObject({ ok: false, code: 'NK_WORDS_BAD_INPUT' });
        } else if (body.startsWith('{')) {
          expect(reply.ok || ALLOWED_CODES.includes(reply.code)).toBe(true);
        } else if (expected.length === 0) {
          expect(reply).toMatchObject({ ok: false, code: 'NK_WORDS_EMPTY' });
        } else if (expected.length > maxWords) {
          expect(reply).toMatchObject({ ok: false, code: 'NK_WORDS_TOO_MANY' });
        } else {
          expect(reply).toEqual({
            ok: true,
            words: expected.map((word) => ({
              word,
              length: clusters(word).length,
              first: clusters(word)[0],
            })),
          });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('splitting, joining with spaces and splitting again gives the same words', () => {
    fc.assert(
      fc.property(text, (input) => {
        const words = splitWords(input);
        expect(splitWords(words.join(' '))).toEqual(words);
      }),
      { numRuns: 1000 },
    );
  });

  it('needs no normalisation: NFC, NFD and the text as sent have the same length', () => {
    fc.assert(
      fc.property(text, (input) => {
        for (const word of splitWords(input)) {
          const { length } = describeWord(word);
          expect(describeWord(word.normalize('NFC')).length).toBe(length);
          expect(describeWord(word.normalize('NFD')).length).toBe(length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('describeWord counts what the reference counts, for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(text, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-composite' })),
        (word) => {
          const parts = clusters(word);
          expect(describeWord(word)).toEqual({ word, length: parts.length, first: parts[0] ?? '' });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a JSON request says what the same text says, and refuses unpaired surrogates', () => {
    const codeUnits = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(fc.oneof(text, codeUnits), (words) => {
        const reply = JSON.parse(wordsReply(encoder.encode(JSON.stringify({ words }))));
        if (/\p{Cs}/u.test(words)) {
          expect(reply.error.code).toBe('NK_WORDS_BAD_INPUT');
          return;
        }
        const asText = parseWordsReply(wordsReply(encoder.encode(` ${words}`)));
        expect(reply.ok).toBe(asText.ok);
        if (reply.ok && asText.ok) expect(reply.words).toEqual(asText.words);
        if (!reply.ok && !asText.ok) expect(reply.error.code).toBe(asText.code);
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes give a well-formed reply, never anything but a words error', () => {
    const session = wordsStream.session({ id: 1, transport: 'tcp', remote: 'peer', local: 'tcp://x' });
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ maxLength: 64 }).map((tail) => Uint8Array.from([0x7b, ...tail])),
      text.map((input) => encoder.encode(input)),
    );
    fc.assert(
      fc.property(bytes, (request) => {
        const reply = parseWordsReply(wordsReply(request));
        if (!reply.ok) expect(ALLOWED_CODES).toContain(reply.code);
        try {
          session.receive(request, 0);
        } catch (error) {
          expect(error).toBeInstanceOf(WordsError);
          expect(error).toBeInstanceOf(RemoteError);
          expect(typeof (error as WordsError).reply).toBe('string');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('no reply carries a control character other than TAB and LF', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), text, (request, input) => {
        for (const reply of [wordsReply(request), wordsReply(encoder.encode(input))]) {
          expect(reply).not.toMatch(/(?![\t\n])\p{Cc}/u);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('invalidUtf8Offset agrees with the fatal decoder', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const valid = (bytes: Uint8Array) => {
      try {
        decoder.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 16 }),
      fc
        .array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 3 }).map((s) => [...encoder.encode(s)]),
            fc.uint8Array({ maxLength: 2 }).map((b) => [...b]),
          ),
        )
        .map((parts) => Uint8Array.from(parts.flat())),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        const offset = invalidUtf8Offset(input);
        expect(offset === -1).toBe(valid(input));
        if (offset >= 0) expect(valid(input.subarray(0, offset))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
