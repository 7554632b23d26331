/** wordsReply: bytes of one request in, the exact reply text out (text and JSON, errors). */
import { describe, expect, it } from 'vitest';
import { WORDS_DEFAULTS, wordsReply } from '../../../src/services/words/index.js';
import { invalidUtf8Offset } from '../../../src/services/words/protocol/request.js';

const encoder = new TextEncoder();
const reply = (text: string, options = {}) => wordsReply(encoder.encode(text), options);
const bytes = (...values: number[]) => Uint8Array.from(values);

describe('wordsReply: text requests', () => {
  it.each([
    ['hello world', 'OK 2\nhello\t5\th\nworld\t5\tw\n'],
    ['  hello,   world!  ', 'OK 2\nhello\t5\th\nworld\t5\tw\n'],
    ['naïve 👍🏽 🇫🇷', 'OK 3\nnaïve\t5\tn\n👍🏽\t1\t👍🏽\n🇫🇷\t1\t🇫🇷\n'],
    ['한국어\u3000日本語', 'OK 2\n한국어\t3\t한\n日本語\t3\t日\n'],
    ['שלום مرحبا', 'OK 2\nשלום\t4\tש\nمرحبا\t5\tم\n'],
    // A tab or a CR inside a line is white space, like the trailing CR/LF of a datagram.
    ['a\tb\r\n', 'OK 2\na\t1\ta\nb\t1\tb\n'],
    ['x\u0085y', 'OK 2\nx\t1\tx\ny\t1\ty\n'],
  ])('%j', (text, expected) => {
    expect(reply(text)).toBe(expected);
  });

  it('drops a leading byte-order mark', () => {
    expect(wordsReply(bytes(0xef, 0xbb, 0xbf, 0x68, 0x69))).toBe('OK 1\nhi\t2\th\n');
  });

  it('answers an empty, blank or punctuation-only request with NK_WORDS_EMPTY', () => {
    for (const text of ['', '   ', '\t\u3000\u00a0', '... — !!!', '"" ()']) {
      expect(reply(text)).toBe('ERROR NK_WORDS_EMPTY no words in the request\n');
    }
  });

  it('refuses control characters, naming the column, never echoing them', () => {
    expect(reply('ok \u001b[2Jboom')).toBe(
      'ERROR NK_WORDS_BAD_INPUT control character U+001B at column 4 is not allowed\n',
    );
    expect(reply('\u0000')).toBe(
      'ERROR NK_WORDS_BAD_INPUT control character U+0000 at column 1 is not allowed\n',
    );
    expect(reply('a\u007f')).toBe(
      'ERROR NK_WORDS_BAD_INPUT control character U+007F at column 2 is not allowed\n',
    );
    // C1: CSI (U+009B) is an escape sequence introducer on some terminals.
    expect(reply('👍🏽 \u009b31m')).toBe(
      'ERROR NK_WORDS_BAD_INPUT control character U+009B at column 4 is not allowed\n',
    );
    // Information separators are controls, not Unicode White_Space (Python's split() disagrees).
    expect(reply('a\u001fb')).toMatch(/^ERROR NK_WORDS_BAD_INPUT control character U\+001F at column 2 /);
  });

  it('refuses invalid UTF-8 with the offset of the first bad byte', () => {
    expect(wordsReply(bytes(0x61, 0x20, 0xc3, 0x28))).toBe(
      'ERROR NK_WORDS_BAD_UTF8 request is not valid UTF-8 (bad byte at offset 2)\n',
    );
    expect(wordsReply(bytes(0xff))).toBe(
      'ERROR NK_WORDS_BAD_UTF8 request is not valid UTF-8 (bad byte at offset 0)\n',
    );
  });

  it('limits the words per request', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(reply(words(WORDS_DEFAULTS.maxWords))).toMatch(/^OK 1000\n/);
    expect(reply(words(WORDS_DEFAULTS.maxWords + 1))).toBe(
      'ERROR NK_WORDS_TOO_MANY more than 1000 words in one request\n',
    );
    expect(reply('a b c', { maxWords: 2 })).toBe(
      'ERROR NK_WORDS_TOO_MANY more than 2 words in one request\n',
    );
    // Punctuation-only tokens are not words and do not count.
    expect(reply('a ... b —', { maxWords: 2 })).toBe('OK 2\na\t1\ta\nb\t1\tb\n');
  });

  it('refuses a bad option with a LocalError', () => {
    expect(() => reply('a', { maxWords: 0 })).toThrow(
      expect.objectContaining({ code: 'NK_WORDS_BAD_OPTION' }),
    );
  });
});

describe('wordsReply: JSON requests', () => {
  it('answers on one line of JSON', () => {
    expect(reply('{"words":"hello, 👍🏽"}')).toBe(
      '{"ok":true,"words":[{"word":"hello","length":5,"first":"h"},{"word":"👍🏽","length":1,"first":"👍🏽"}]}\n',
    );
    expect(reply('{"words":"a\\nb"}  \r\n')).toBe(
      '{"ok":true,"words":[{"word":"a","length":1,"first":"a"},{"word":"b","length":1,"first":"b"}]}\n',
    );
  });

  it('ignores members other than "words"', () => {
    expect(reply('{"id":7,"words":"x"}')).toBe('{"ok":true,"words":[{"word":"x","length":1,"first":"x"}]}\n');
  });

  it.each([
    ['{oops', 'request is not valid JSON'],
    ['{"words":["a"]}', '"words" must be a string'],
    ['{}', '"words" must be a string'],
    ['{"words":"a"} trailing', 'request is not valid JSON'],
  ])('%j → NK_WORDS_BAD_JSON', (text, message) => {
    expect(JSON.parse(reply(text))).toEqual({ ok: false, error: { code: 'NK_WORDS_BAD_JSON', message } });
  });

  it('answers errors in JSON, escaped controls and unpaired surrogates included', () => {
    const error = (text: string) => JSON.parse(reply(text)).error;
    expect(error('{"words":""}')).toEqual({ code: 'NK_WORDS_EMPTY', message: 'no words in the request' });
    expect(error('{"words":"ok \\u001b[31m"}')).toEqual({
      code: 'NK_WORDS_BAD_INPUT',
      message: 'control character U+001B at column 4 of "words" is not allowed',
    });
    expect(error('{"words":"👍🏽 \\udc00"}')).toEqual({
      code: 'NK_WORDS_BAD_INPUT',
      message: 'unpaired surrogate U+DC00 at column 4 of "words" is not allowed',
    });
    expect(error('{"words":"\\u0085x \\u009b"}').code).toBe('NK_WORDS_BAD_INPUT');
    // A raw control is refused before the JSON is parsed, with its column in the line.
    expect(error('{"words":"\u001b"}')).toEqual({
      code: 'NK_WORDS_BAD_INPUT',
      message: 'control character U+001B at column 11 is not allowed',
    });
    expect(error('{"x":"\u0090"}')).toEqual({
      code: 'NK_WORDS_BAD_INPUT',
      message: 'control character U+0090 at column 7 is not allowed',
    });
    expect(JSON.parse(wordsReply(bytes(0x7b, 0xc0, 0x80))).error.code).toBe('NK_WORDS_BAD_UTF8');
  });

  it('survives deeply nested JSON', () => {
    expect(JSON.parse(reply(`{"a":${'['.repeat(4000)}${']'.repeat(4000)}}`)).error.code).toBe(
      'NK_WORDS_BAD_JSON',
    );
  });

  it('is text when the line does not start with `{`', () => {
    expect(reply(' {"words":"a"}')).toBe('OK 1\nwords":"a\t9\tw\n');
  });
});

describe('invalidUtf8Offset (Unicode table 3-7)', () => {
  it.each([
    [[0x41, 0xe2, 0x82, 0xac], -1],
    [[0xf0, 0x9f, 0x91, 0x8d], -1],
    [[0x80], 0],
    [[0x41, 0xc0, 0xaf], 1], // overlong '/'
    [[0xe0, 0x80, 0xaf], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate U+D800
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0xf5, 0x80, 0x80, 0x80], 0],
    [[0x41, 0x42, 0xe2, 0x82], 2], // truncated
    [[0xc3, 0xa9, 0xc3], 2],
  ])('%j → %d', (input, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(input))).toBe(offset);
  });
});
