/**
 * The TCP session and the UDP handler without sockets: bytes in, actions or replies out.
 * `serve` does what src/runtime/stream-connection.ts does with a session (line framing, a
 * thrown RemoteError answered with its reply), so whole conversations run in memory.
 */
import { describe, expect, it } from 'vitest';
import { NetkitError, RemoteError } from '../../../src/core/errors.js';
import { LineFramer } from '../../../src/core/line-framer.js';
import type { DatagramPeer, StreamProtocol, StreamSession } from '../../../src/runtime/service.js';
import {
  createWordsDatagram,
  createWordsStream,
  formatError,
  parseWordsReply,
  type WordsReply,
  WordsReplyParser,
  wordsDatagram,
  wordsReply,
  wordsStream,
} from '../../../src/services/words/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const INFO = { id: 1, transport: 'tcp', remote: '127.0.0.1:5000', local: 'tcp://127.0.0.1:7' } as const;
const PEER: DatagramPeer = { address: '127.0.0.1', port: 5000, family: 4 };

const text = (data: Uint8Array | string) => (typeof data === 'string' ? data : decoder.decode(data));

/** The runtime's handling of one session step, as text. */
function step(run: () => ReturnType<StreamSession['receive']>): string {
  try {
    return run()
      .map((action) => (action.type === 'send' ? text(action.data) : '<close>'))
      .join('');
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    return text(error.reply ?? formatError(error));
  }
}

/** A conversation: the chunks a client sends, in order; everything the server sends back. */
function serve(chunks: Uint8Array[], protocol: StreamProtocol = wordsStream, maxLineBytes = 8192): string {
  expect(protocol.framing).toBe('line');
  const framer = new LineFramer(maxLineBytes);
  const session = protocol.session(INFO);
  let output = '';
  const handle = (events: ReturnType<LineFramer['push']>) => {
    for (const event of events) {
      output +=
        event.type === 'line'
          ? step(() => session.receive(event.line, 0))
          : step(() => session.lineTooLong!(event.limit, 0));
    }
  };
  for (const chunk of chunks) handle(framer.push(chunk));
  handle(framer.finish());
  return output;
}

describe('wordsStream: the session', () => {
  it('answers one line with one send action', () => {
    const session = wordsStream.session(INFO);
    expect(session.receive(encoder.encode('hello world'), 0)).toEqual([
      { type: 'send', data: 'OK 2\nhello\t5\th\nworld\t5\tw\n' },
    ]);
    expect(session.open).toBeUndefined();
    // No `end`: the runtime closes once the replies are flushed.
    expect(session.end).toBeUndefined();
  });

  it('throws a bad request as a RemoteError that carries the reply', () => {
    const session = wordsStream.session(INFO);
    let thrown: unknown;
    try {
      session.receive(encoder.encode('\u001b]0;pwned\u0007'), 0);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RemoteError);
    expect(thrown).toMatchObject({
      name: 'WordsBadInputError',
      code: 'NK_WORDS_BAD_INPUT',
      details: { codePoint: 'U+001B', column: 1 },
      reply: 'ERROR NK_WORDS_BAD_INPUT control character U+001B at column 1 is not allowed\n',
    });
  });

  it('serves line after line, CRLF or LF, with the last line unterminated', () => {
    expect(serve([encoder.encode('a b\r\n\nnaïve, café!\n{"words":"x"}')])).toBe(
      'OK 2\na\t1\ta\nb\t1\tb\n' +
        'ERROR NK_WORDS_EMPTY no words in the request\n' +
        'OK 2\nnaïve\t5\tn\ncafé\t4\tc\n' +
        '{"ok":true,"words":[{"word":"x","length":1,"first":"x"}]}\n',
    );
  });

  it('answers a line over the limit with an ERROR line and goes on (JSON after a JSON request)', () => {
    const long = 'x'.repeat(20);
    expect(serve([encoder.encode(`${long}\nok\n{"words":"j"}\n${long}\n`)], wordsStream, 14)).toBe(
      'ERROR NK_LINE_TOO_LONG line longer than 14 bytes\n' +
        'OK 1\nok\t2\to\n' +
        '{"ok":true,"words":[{"word":"j","length":1,"first":"j"}]}\n' +
        '{"ok":false,"error":{"code":"NK_LINE_TOO_LONG","message":"line longer than 14 bytes"}}\n',
    );
  });

  it('gives the same replies however the byte stream is cut', () => {
    const input = encoder.encode('naïve 👍🏽\r\n\u001b[0m\n{"words":"🇫🇷 x"}\n\xff\nhello, world\n');
    const whole = serve([input]);
    expect(whole.split('\n').length).toBeGreaterThan(8);
    for (let cut = 0; cut <= input.length; cut++) {
      expect(serve([input.subarray(0, cut), input.subarray(cut)])).toBe(whole);
    }
    expect(serve(Array.from(input, (byte) => Uint8Array.of(byte)))).toBe(whole);
  });

  it('talks to WordsReplyParser: a client reads exactly one reply per request', () => {
    const requests = ['hello world', '', '{"words":"a, b"}', 'x\u0000', 'one', '{bad'];
    const output = serve(requests.map((line) => encoder.encode(`${line}\n`)));
    const parser = new WordsReplyParser();
    const replies: WordsReply[] = [];
    for (const line of output.split('\n').slice(0, -1)) {
      const reply = parser.push(line);
      if (reply) replies.push(reply);
    }
    parser.finish();
    expect(
      replies.map((reply) => (reply.ok ? reply.words.map((w) => w.word).join(' ') : reply.code)),
    ).toEqual(['hello world', 'NK_WORDS_EMPTY', 'a b', 'NK_WORDS_BAD_INPUT', 'one', 'NK_WORDS_BAD_JSON']);
  });

  it('takes its limits as options', () => {
    expect(serve([encoder.encode('a b c\n')], createWordsStream({ maxWords: 2 }))).toBe(
      'ERROR NK_WORDS_TOO_MANY more than 2 words in one request\n',
    );
  });
});

describe('wordsDatagram', () => {
  const receive = (datagram: Uint8Array, protocol = wordsDatagram): string[] => {
    try {
      return protocol.receive(datagram, PEER, 0).map(text);
    } catch (error) {
      if (!(error instanceof RemoteError) || error.reply === undefined) throw error;
      return [text(error.reply)];
    }
  };

  it('answers each datagram with one datagram; a trailing CR/LF (echo | nc -u) is white space', () => {
    expect(receive(encoder.encode('hello world\n'))).toEqual(['OK 2\nhello\t5\th\nworld\t5\tw\n']);
    expect(receive(encoder.encode('hello world\r\n'))).toEqual(['OK 2\nhello\t5\th\nworld\t5\tw\n']);
    expect(receive(encoder.encode('{"words":"hi"}\n'))).toEqual([
      '{"ok":true,"words":[{"word":"hi","length":2,"first":"h"}]}\n',
    ]);
  });

  it('is one request per datagram, even with LFs inside', () => {
    expect(receive(encoder.encode('a\nb\n'))).toEqual(['OK 2\na\t1\ta\nb\t1\tb\n']);
  });

  it('answers bad input with an ERROR datagram', () => {
    expect(receive(encoder.encode('\n'))).toEqual(['ERROR NK_WORDS_EMPTY no words in the request\n']);
    expect(receive(Uint8Array.of(0xc3))).toEqual([
      'ERROR NK_WORDS_BAD_UTF8 request is not valid UTF-8 (bad byte at offset 0)\n',
    ]);
  });

  it('answers a datagram over the size limit', () => {
    expect(wordsDatagram.tooLarge!(9000, 8192, PEER, 0)).toEqual([
      'ERROR NK_DATAGRAM_TOO_LARGE datagram of 9000 bytes is over the limit of 8192\n',
    ]);
  });

  it('refuses a reply that would not fit in one datagram, and sends one that does as bytes', () => {
    const small = createWordsDatagram({ maxDatagramReplyBytes: 32 });
    expect(receive(encoder.encode('aa bb cc dd'), small)).toEqual([
      'ERROR NK_WORDS_REPLY_TOO_LARGE reply of 33 bytes does not fit in one datagram (limit 32); send fewer words\n',
    ]);
    const replies = small.receive(encoder.encode('aa bb'), PEER, 0);
    expect(replies[0]).toBeInstanceOf(Uint8Array);
    expect(replies.map(text)).toEqual(['OK 2\naa\t2\ta\nbb\t2\tb\n']);
    expect(parseWordsReply(replies[0]!)).toMatchObject({ ok: true });
    const exact = createWordsDatagram({ maxDatagramReplyBytes: 33 });
    expect(receive(encoder.encode('aa bb cc dd'), exact)[0]).toMatch(/^OK 4\n/);
  });

  it('says the same as wordsReply and as the stream session', () => {
    for (const request of ['x y', '', '{"words":"z"}', '\u0007']) {
      const bytes = encoder.encode(request);
      expect(receive(bytes)).toEqual([wordsReply(bytes)]);
      expect(serve([encoder.encode(`${request}\n`)])).toBe(wordsReply(bytes));
    }
  });
});

describe('formatError', () => {
  it('words the runtime errors in the ERROR grammar, on one line', () => {
    expect(formatError(new NetkitError('NK_IDLE_TIMEOUT', 'closing idle connection after 300 s'))).toBe(
      'ERROR NK_IDLE_TIMEOUT closing idle connection after 300 s\n',
    );
    expect(formatError(new NetkitError('NK_INTERNAL', 'two\nlines\u001b[1m\u2028x'))).toBe(
      'ERROR NK_INTERNAL two lines [1m x\n',
    );
  });
});
