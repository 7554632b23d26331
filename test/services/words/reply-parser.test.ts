/** WordsReplyParser: the client's side of the grammar, line by line, and parseWordsReply for datagrams. */
import { describe, expect, it } from 'vitest';
import { parseWordsReply, type WordsReply, WordsReplyParser } from '../../../src/services/words/index.js';

function readAll(lines: string[], parser = new WordsReplyParser()): WordsReply[] {
  const replies: WordsReply[] = [];
  for (const line of lines) {
    const reply = parser.push(line);
    if (reply) replies.push(reply);
  }
  parser.finish();
  return replies;
}

describe('WordsReplyParser', () => {
  it('reads OK N and N word lines, errors and JSON, one after the other', () => {
    const lines = [
      'OK 2',
      'hello\t5\th',
      '👍🏽\t1\t👍🏽',
      'ERROR NK_WORDS_EMPTY no words in the request',
      '{"ok":true,"words":[{"word":"naïve","length":5,"first":"n"}]}',
      '{"ok":false,"error":{"code":"NK_WORDS_BAD_JSON","message":"request is not valid JSON"}}',
      'OK 1',
      'x\t1\tx',
      'ERROR NK_IDLE_TIMEOUT',
    ];
    expect(readAll(lines)).toEqual([
      {
        ok: true,
        words: [
          { word: 'hello', length: 5, first: 'h' },
          { word: '👍🏽', length: 1, first: '👍🏽' },
        ],
      },
      { ok: false, code: 'NK_WORDS_EMPTY', message: 'no words in the request' },
      { ok: true, words: [{ word: 'naïve', length: 5, first: 'n' }] },
      { ok: false, code: 'NK_WORDS_BAD_JSON', message: 'request is not valid JSON' },
      { ok: true, words: [{ word: 'x', length: 1, first: 'x' }] },
      { ok: false, code: 'NK_IDLE_TIMEOUT', message: '' },
    ]);
  });

  it('emits a reply only with its last line, and knows when it is in the middle of one', () => {
    const parser = new WordsReplyParser();
    expect(parser.push('OK 2')).toBeUndefined();
    expect(parser.hasPartial).toBe(true);
    expect(parser.push(new TextEncoder().encode('a\t1\ta'))).toBeUndefined();
    expect(parser.push('b\t1\tb')).toEqual({
      ok: true,
      words: [
        { word: 'a', length: 1, first: 'a' },
        { word: 'b', length: 1, first: 'b' },
      ],
    });
    expect(parser.hasPartial).toBe(false);
  });

  it('reports a reply cut short at the end of the stream', () => {
    const parser = new WordsReplyParser();
    parser.push('OK 3');
    parser.push('a\t1\ta');
    expect(() => parser.finish()).toThrow(
      'bad reply from the word server: the reply ends after 1 words, 2 missing',
    );
    expect(parser.hasPartial).toBe(false);
  });

  it.each([
    ['an unknown line', ['HELLO']],
    ['a lower-case ok', ['ok 1']],
    ['a count with a sign', ['OK +1']],
    ['a count with a leading zero', ['OK 01']],
    ['a word line with two fields', ['OK 1', 'a\t1']],
    ['a word line with four fields', ['OK 1', 'a\t1\ta\tb']],
    ['a zero length', ['OK 1', 'a\t0\ta']],
    ['a length that is not a number', ['OK 1', 'a\tone\ta']],
    ['a length over the code units', ['OK 1', 'ab\t3\ta']],
    ['a first character that does not begin the word', ['OK 1', 'abc\t3\tb']],
    ['an empty word', ['OK 1', '\t1\t']],
    ['a line holding an LF', ['OK 1\nx\t1\tx']],
    ['a count over the limit', ['OK 100001']],
    ['an error code in lower case', ['ERROR nk_x boom']],
    ['bad JSON', ['{oops']],
    ['JSON without ok', ['{"words":[]}']],
    ['a JSON word without a length', ['{"ok":true,"words":[{"word":"a","first":"a"}]}']],
    [
      'a JSON word with a fractional length',
      ['{"ok":true,"words":[{"word":"ab","length":1.5,"first":"a"}]}'],
    ],
    ['a JSON error without a message', ['{"ok":false,"error":{"code":"X"}}']],
  ])('refuses %s with NK_WORDS_BAD_REPLY', (_, lines) => {
    expect(() => readAll(lines)).toThrow(expect.objectContaining({ code: 'NK_WORDS_BAD_REPLY' }));
  });

  it('refuses invalid UTF-8', () => {
    expect(() => new WordsReplyParser().push(Uint8Array.of(0x4f, 0x4b, 0xff))).toThrow(
      expect.objectContaining({ code: 'NK_WORDS_BAD_REPLY' }),
    );
  });

  it('takes its own word limit, and starts afresh after an error', () => {
    const parser = new WordsReplyParser(2);
    expect(() => parser.push('OK 3')).toThrow(expect.objectContaining({ code: 'NK_WORDS_BAD_REPLY' }));
    expect(() => parser.push('{"ok":true,"words":[1,2,3]}')).toThrow(/3 words, over the limit of 2/);
    parser.push('OK 1');
    expect(() => parser.push('garbled')).toThrow(expect.objectContaining({ code: 'NK_WORDS_BAD_REPLY' }));
    expect(parser.hasPartial).toBe(false);
    expect(parser.push('ERROR NK_X y')).toEqual({ ok: false, code: 'NK_X', message: 'y' });
  });

  it('accepts OK 0 (the server never sends it: an empty request is NK_WORDS_EMPTY)', () => {
    expect(new WordsReplyParser().push('OK 0')).toEqual({ ok: true, words: [] });
  });
});

describe('parseWordsReply (one datagram)', () => {
  it('reads exactly one reply, with or without the final LF', () => {
    expect(parseWordsReply('OK 1\nhi\t2\th\n')).toEqual({
      ok: true,
      words: [{ word: 'hi', length: 2, first: 'h' }],
    });
    expect(parseWordsReply('ERROR NK_WORDS_EMPTY no words')).toEqual({
      ok: false,
      code: 'NK_WORDS_EMPTY',
      message: 'no words',
    });
  });

  it.each([
    ['nothing', ''],
    ['a cut reply', 'OK 2\nhi\t2\th\n'],
    ['two replies', 'OK 1\nhi\t2\th\nOK 1\nhi\t2\th\n'],
    ['an extra line', 'ERROR NK_X y\n\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parseWordsReply(text)).toThrow(expect.objectContaining({ code: 'NK_WORDS_BAD_REPLY' }));
  });
});
