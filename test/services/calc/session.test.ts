/**
 * The service cores without sockets: a stream session fed bytes through the runtime's own
 * line framer (cut at every byte, the replies are the same), and the datagram core.
 */
import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../../src/core/line-framer.js';
import type { DatagramPeer, StreamAction } from '../../../src/runtime/service.js';
import {
  calcDatagram,
  calcStream,
  createCalcDatagram,
  createCalcStream,
} from '../../../src/services/calc/index.js';

const info = { id: 1, transport: 'tcp' as const, remote: '127.0.0.1:5000', local: 'tcp://127.0.0.1:7070' };
const peer: DatagramPeer = { address: '127.0.0.1', port: 5000, family: 4 };
const encode = (value: string): Uint8Array => new TextEncoder().encode(value);
const decode = (data: Uint8Array | string): string =>
  typeof data === 'string' ? data : new TextDecoder().decode(data);

/** What the runtime does with a line-framed stream: frames → session → actions. */
function converse(chunks: Uint8Array[], maxLineBytes = 8192, stream = calcStream): StreamAction[] {
  expect(stream.framing).toBe('line');
  const framer = new LineFramer(maxLineBytes);
  const session = stream.session(info);
  const actions: StreamAction[] = [...(session.open?.(0) ?? [])];
  const handle = (events: ReturnType<LineFramer['push']>) => {
    for (const event of events) {
      if (event.type === 'line') actions.push(...session.receive(event.line, 0));
      else actions.push(...session.lineTooLong!(event.limit, 0));
    }
  };
  for (const chunk of chunks) handle(framer.push(chunk));
  handle(framer.finish());
  actions.push(...(session.end?.(0) ?? [{ type: 'close' }]));
  return actions;
}

function sent(actions: StreamAction[]): string {
  return actions.map((action) => (action.type === 'send' ? decode(action.data) : '<close>')).join('');
}

const conversation = '5 + 6\n4*5\r\n(+, 5, 6)\n1/0\n\n2 3\n{"expr":"7/2","id":1}\n\u00e9\n2**100\r\n-7 % 3';
const expected = [
  'OK 11\n',
  'OK 20\n',
  'OK 11\n',
  'ERROR NK_CALC_DIV_ZERO 2 division by zero\n',
  'ERROR NK_CALC_SYNTAX 1 syntax error: empty expression\n',
  'ERROR NK_CALC_SYNTAX 3 syntax error: expected an operator or the end of the expression, found the number "3"\n',
  '{"ok":true,"expr":"7/2","result":"3.5","exact":true,"id":1}\n',
  'ERROR NK_CALC_SYNTAX 1 syntax error: expected a number, "(", a name or a function, found "é" (U+00E9)\n',
  'OK 1267650600228229401496703205376\n',
  'OK 2\n',
  '<close>',
].join('');

describe('calcStream', () => {
  it('answers each line with one line, in order, and closes when the peer is done', () => {
    const actions = converse([encode(conversation)]);
    expect(sent(actions)).toBe(expected);
    expect(actions.filter((action) => action.type === 'send')).toHaveLength(10);
  });

  it('gives the same replies however the bytes are cut', () => {
    const bytes = encode(conversation);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(sent(converse([bytes.subarray(0, cut), bytes.subarray(cut)]))).toBe(expected);
    }
    const oneByOne = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(sent(converse(oneByOne))).toBe(expected);
  });

  it('cuts inside a multi-byte character without harm', () => {
    const bytes = encode('\u221a2\n1\u22122\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(sent(converse([bytes.subarray(0, cut), bytes.subarray(cut)]))).toBe(
        'ERROR NK_CALC_SYNTAX 1 syntax error: expected a number, "(", a name or a function, found "\u221a" (U+221A)\n' +
          'ERROR NK_CALC_SYNTAX 2 syntax error: expected an operator or the end of the expression, found "\u2212" (U+2212; type "-")\n' +
          '<close>',
      );
    }
  });

  it('answers a line over the limit with one ERROR line and keeps the connection open', () => {
    const actions = converse([encode(`${'1'.repeat(100)}\n5 + 6\n`)], 64);
    expect(sent(actions)).toBe(
      'ERROR NK_CALC_TOO_LONG - request too long: the line is longer than 64 bytes\nOK 11\n<close>',
    );
  });

  it('keeps sessions independent and stateless', () => {
    const a = calcStream.session(info);
    const b = calcStream.session({ ...info, id: 2 });
    expect(a.receive(encode('1+1'), 0)).toEqual([{ type: 'send', data: 'OK 2\n' }]);
    expect(b.receive(encode('{"expr":"2"}'), 0)).toEqual([
      { type: 'send', data: '{"ok":true,"expr":"2","result":"2","exact":true}\n' },
    ]);
    expect(a.receive(encode('1+1'), 0)).toEqual([{ type: 'send', data: 'OK 2\n' }]);
  });

  it('takes its limits from options', () => {
    const stream = createCalcStream({ maxLength: 3, significantDigits: 3 });
    expect(sent(converse([encode('1/3\n1+1+1\n')], 8192, stream))).toBe(
      'OK 0.333\nERROR NK_CALC_TOO_LONG 4 request too long: the expression has 5 characters; the limit is 3\n<close>',
    );
  });
});

describe('calcDatagram', () => {
  const table: [string, string][] = [
    ['5 + 6', 'OK 11\n'],
    ['5 + 6\n', 'OK 11\n'],
    ['5 + 6\r\n', 'OK 11\n'],
    ['(+,5,6)\n', 'OK 11\n'],
    ['\n', 'ERROR NK_CALC_SYNTAX 1 syntax error: empty expression\n'],
    ['', 'ERROR NK_CALC_SYNTAX 1 syntax error: empty expression\n'],
    ['{"expr":"2**10"}\n', '{"ok":true,"expr":"2**10","result":"1024","exact":true}\n'],
    ['1\n2\n', 'ERROR NK_CALC_BAD_INPUT 2 bad input: control character U+000A\n'],
  ];
  it.each(table)('answers %j with %j', (datagram, reply) => {
    const replies = calcDatagram.receive(encode(datagram), peer, 0);
    expect(replies.map(decode)).toEqual([reply]);
  });

  it('answers a datagram over the size limit instead of dropping it', () => {
    expect(calcDatagram.tooLarge!(9000, 8192, peer, 0)).toEqual([
      'ERROR NK_CALC_TOO_LONG - request too long: the datagram has 9000 bytes; the limit is 8192\n',
    ]);
  });

  it('takes its limits from options', () => {
    const datagram = createCalcDatagram({ maxDatagramReplyBytes: 10 });
    expect(datagram.receive(encode('2**10'), peer, 0)).toEqual(['OK 1024\n']);
    expect(datagram.receive(encode('2**30'), peer, 0)).toEqual([
      'ERROR NK_CALC_TOO_LARGE - number too large: the reply would take 14 bytes, over the datagram limit of 10; ask over TCP\n',
    ]);
  });
});
