/** The wire grammar: request → reply line, JSON mode, the client's parser and the caret renderer. */
import { describe, expect, it } from 'vitest';
import { LineTooLongError, NetkitError } from '../../../src/core/errors.js';
import {
  CalcBadReplyError,
  CalcDivisionByZeroError,
  CalcSyntaxError,
  calcDatagramReply,
  calcReply,
  evaluate,
  formatError,
  parseCalcReply,
  renderCalcError,
} from '../../../src/services/calc/index.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('calcReply: text requests', () => {
  const table: [string | Uint8Array, string][] = [
    ['5 + 6', 'OK 11\n'],
    ['4 * 5', 'OK 20\n'],
    ['(+, 5, 6)', 'OK 11\n'],
    ['2**100', 'OK 1267650600228229401496703205376\n'],
    ['1/3', 'OK 0.333333333333333333333333333333\n'],
    ['-7 % 3', 'OK 2\n'],
    ['1/0', 'ERROR NK_CALC_DIV_ZERO 2 division by zero\n'],
    [
      '5 + * 6',
      'ERROR NK_CALC_SYNTAX 5 syntax error: expected a number, "(", a name or a function, found "*"\n',
    ],
    ['', 'ERROR NK_CALC_SYNTAX 1 syntax error: empty expression\n'],
    ['sqrt(-4)', 'ERROR NK_CALC_DOMAIN 1 math domain error: sqrt of a negative number\n'],
    [text('1 + 2\u0007'), 'ERROR NK_CALC_BAD_INPUT 6 bad input: control character U+0007\n'],
    [bytes(0x35, 0x2b, 0xff), 'ERROR NK_CALC_BAD_INPUT 3 bad input: invalid UTF-8 (byte 0xFF)\n'],
    [
      text('√ 2'),
      'ERROR NK_CALC_SYNTAX 1 syntax error: expected a number, "(", a name or a function, found "√" (U+221A)\n',
    ],
    [
      bytes(0xe2, 0x88, 0x9a, 0x20, 0xc0, 0xaf),
      'ERROR NK_CALC_BAD_INPUT 3 bad input: invalid UTF-8 (byte 0xC0)\n',
    ],
    [bytes(0xed, 0xa0, 0x80), 'ERROR NK_CALC_BAD_INPUT 1 bad input: invalid UTF-8 (byte 0xED)\n'],
    [bytes(0xf4, 0x90, 0x80, 0x80), 'ERROR NK_CALC_BAD_INPUT 1 bad input: invalid UTF-8 (byte 0xF4)\n'],
    [bytes(0x31, 0xe2, 0x88), 'ERROR NK_CALC_BAD_INPUT 2 bad input: invalid UTF-8 (byte 0xE2)\n'],
    [bytes(0x31, 0x0d, 0x0a), 'ERROR NK_CALC_BAD_INPUT 2 bad input: control character U+000D\n'],
    [
      text('1'.repeat(1025)),
      'ERROR NK_CALC_TOO_LONG 1025 request too long: the expression has 1025 characters; the limit is 1024\n',
    ],
    [
      text('1'.repeat(8193)),
      'ERROR NK_CALC_TOO_LONG - request too long: the request has 8193 bytes; the limit is 8192\n',
    ],
  ];
  it.each(table)('%s → %s', (request, reply) => {
    expect(calcReply(request)).toBe(reply);
  });

  it('answers every request with exactly one line', () => {
    for (const request of ['1\u2028', '\u2029', 'x\u0085', 'a'.repeat(100)]) {
      const reply = calcReply(request);
      expect(reply.indexOf('\n')).toBe(reply.length - 1);
      expect(reply).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    }
  });
});

describe('calcReply: JSON requests', () => {
  it('answers JSON with one line of JSON', () => {
    expect(calcReply('{"expr":"5 + 6"}')).toBe('{"ok":true,"expr":"5 + 6","result":"11","exact":true}\n');
    expect(calcReply(' {"expr":"1/3"}')).toBe(
      '{"ok":true,"expr":"1/3","result":"0.333333333333333333333333333333","exact":false}\n',
    );
    expect(calcReply('{"expr":"1/0"}')).toBe(
      '{"ok":false,"expr":"1/0","error":{"code":"NK_CALC_DIV_ZERO","message":"division by zero","column":2}}\n',
    );
    expect(calcReply('{"expr":"2 +\\n3"}')).toBe(
      '{"ok":false,"expr":"2 +\\n3","error":{"code":"NK_CALC_BAD_INPUT","message":"bad input: control character U+000A","column":4}}\n',
    );
  });

  it('echoes an id, and ignores members it does not know', () => {
    expect(calcReply('{"id":7,"expr":"2*3","precision":5}')).toBe(
      '{"ok":true,"expr":"2*3","result":"6","exact":true,"id":7}\n',
    );
    expect(JSON.parse(calcReply('{"id":"a","expr":"x"}'))).toEqual({
      ok: false,
      expr: 'x',
      error: {
        code: 'NK_CALC_UNKNOWN_NAME',
        message: 'unknown name: "x" (the constants are pi and e)',
        column: 1,
      },
      id: 'a',
    });
    expect(JSON.parse(calcReply('{"id":"b"}'))).toMatchObject({
      ok: false,
      id: 'b',
      error: { code: 'NK_CALC_BAD_INPUT' },
    });
  });

  const bad: [string, string][] = [
    ['{', 'bad input: the request starts with "{" but is not valid JSON'],
    ['{"expr":"1"', 'bad input: the request starts with "{" but is not valid JSON'],
    ['{}', 'bad input: a JSON request needs "expr", a string'],
    ['{"expr":5}', 'bad input: a JSON request needs "expr", a string'],
    ['{"expr":null}', 'bad input: a JSON request needs "expr", a string'],
    ['{"expr":"1","id":{}}', 'bad input: "id" must be a number or a string of at most 256 characters'],
    [
      `{"expr":"1","id":"${'x'.repeat(257)}"}`,
      'bad input: "id" must be a number or a string of at most 256 characters',
    ],
    ['{"expr":"\\ud800"}', 'bad input: unpaired surrogate U+D800'],
  ];
  it.each(bad)('refuses %s', (request, message) => {
    const reply = JSON.parse(calcReply(request));
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('NK_CALC_BAD_INPUT');
    expect(reply.error.message).toBe(message);
  });

  it('answers an oversized or undecodable JSON request in JSON, with no column', () => {
    const long = JSON.parse(calcReply(`{"expr":"${'1'.repeat(9000)}"}`));
    expect(long).toEqual({
      ok: false,
      error: {
        code: 'NK_CALC_TOO_LONG',
        message: 'request too long: the request has 9011 bytes; the limit is 8192',
        column: null,
      },
    });
    const binary = JSON.parse(calcReply(bytes(0x7b, 0xff)));
    expect(binary.error).toEqual({
      code: 'NK_CALC_BAD_INPUT',
      message: 'bad input: invalid UTF-8 (byte 0xFF)',
      column: null,
    });
  });
});

describe('calcDatagramReply', () => {
  it('ignores trailing line ends, as `echo 5+6 | nc -u` sends them', () => {
    expect(calcDatagramReply(text('5 + 6\n'))).toBe('OK 11\n');
    expect(calcDatagramReply(text('5 + 6\r\n'))).toBe('OK 11\n');
    expect(calcDatagramReply(text('5 + 6\n\n\r\n'))).toBe('OK 11\n');
    expect(calcDatagramReply('5 + 6\n')).toBe('OK 11\n');
    expect(calcDatagramReply(text('\n'))).toBe('ERROR NK_CALC_SYNTAX 1 syntax error: empty expression\n');
    expect(calcDatagramReply(text('5\n+ 6'))).toBe(
      'ERROR NK_CALC_BAD_INPUT 2 bad input: control character U+000A\n',
    );
  });

  it('refuses a reply too big for a datagram, so the service amplifies no floods', () => {
    expect(calcDatagramReply('2**3000')).toMatch(/^OK \d{904}\n$/);
    expect(calcDatagramReply('2**10000')).toBe(
      'ERROR NK_CALC_TOO_LARGE - number too large: the reply would take 3015 bytes, over the datagram limit of 1232; ask over TCP\n',
    );
    expect(calcReply('2**10000')).toMatch(/^OK \d{3011}\n$/);
    const json = JSON.parse(calcDatagramReply(`{"id":1,"expr":"2**10000 + ${'0+'.repeat(100)}0"}`));
    expect(json).toEqual({
      ok: false,
      error: {
        code: 'NK_CALC_TOO_LARGE',
        message:
          'number too large: the reply would take 3277 bytes, over the datagram limit of 1232; ask over TCP',
        column: null,
      },
      id: 1,
    });
  });
});

describe('parseCalcReply', () => {
  it('reads what calcReply writes', () => {
    expect(parseCalcReply('OK 11\n')).toEqual({ ok: true, result: '11' });
    expect(parseCalcReply('OK -1.5e-07')).toEqual({ ok: true, result: '-1.5e-07' });
    expect(parseCalcReply('ERROR NK_CALC_DIV_ZERO 2 division by zero\r\n')).toEqual({
      ok: false,
      code: 'NK_CALC_DIV_ZERO',
      column: 2,
      message: 'division by zero',
    });
    expect(parseCalcReply('ERROR NK_IDLE_TIMEOUT - closing idle connection after 300 s\n')).toEqual({
      ok: false,
      code: 'NK_IDLE_TIMEOUT',
      column: undefined,
      message: 'closing idle connection after 300 s',
    });
    expect(parseCalcReply(calcReply('{"expr":"7/2","id":"x"}'))).toEqual({
      ok: true,
      result: '3.5',
      exact: true,
      expr: '7/2',
      id: 'x',
    });
    expect(parseCalcReply(calcReply('{"expr":"1/0"}'))).toEqual({
      ok: false,
      code: 'NK_CALC_DIV_ZERO',
      column: 2,
      message: 'division by zero',
      expr: '1/0',
    });
    expect(parseCalcReply(calcReply('{"expr":'))).toMatchObject({ ok: false, column: undefined });
  });

  const bad = [
    '',
    'OK',
    'OK ',
    'OK 1 2',
    'OK 0x10',
    'OK 1e5',
    'OK NaN',
    'ok 11',
    'ERROR',
    'ERROR NK_CALC_SYNTAX',
    'ERROR NK_CALC_SYNTAX 0 column zero',
    'ERROR nk_calc 1 lower case',
    'error NK_CALC_SYNTAX: message',
    '{',
    '{}',
    '{"ok":true}',
    '{"ok":true,"result":"eleven"}',
    '{"ok":false,"error":{"code":"X"}}',
    '{"ok":false,"error":{"code":"X","message":"m","column":0}}',
    'OK 11\nOK 12',
  ];
  it.each(bad)('refuses %j with NK_CALC_BAD_REPLY', (line) => {
    expect(() => parseCalcReply(line)).toThrow(CalcBadReplyError);
  });
});

describe('formatError', () => {
  it('writes any error in the calc grammar, for the runtime', () => {
    expect(formatError(new LineTooLongError(8192))).toBe(
      'ERROR NK_LINE_TOO_LONG - line longer than 8192 bytes\n',
    );
    expect(formatError(new NetkitError('NK_INTERNAL', 'internal server error'))).toBe(
      'ERROR NK_INTERNAL - internal server error\n',
    );
    expect(formatError(new CalcDivisionByZeroError(3))).toBe('ERROR NK_CALC_DIV_ZERO 3 division by zero\n');
    expect(formatError(new NetkitError('NK_X', 'two\nlines'))).toBe('ERROR NK_X - two\\u000alines\n');
  });

  it('is what a calc error carries as its reply', () => {
    const error = new CalcSyntaxError('empty expression', 1);
    expect(error.reply).toBe(formatError(error));
    expect(error.reply).toBe('ERROR NK_CALC_SYNTAX 1 syntax error: empty expression\n');
  });
});

describe('renderCalcError', () => {
  function render(expr: string): string {
    try {
      evaluate(expr);
    } catch (error) {
      return renderCalcError(expr, error as CalcSyntaxError);
    }
    throw new Error('no error');
  }

  it('puts a caret under the column', () => {
    expect(render('5 + * 6')).toBe(
      '5 + * 6\n    ^ syntax error at column 5: expected a number, "(", a name or a function, found "*"',
    );
    expect(render('1/0')).toBe('1/0\n ^ division by zero at column 2');
    expect(render('5 +')).toBe(
      '5 +\n   ^ syntax error at column 4: expected a number, "(", a name or a function, found the end of the expression',
    );
    expect(render('😀 + 1')).toMatch(/^😀 \+ 1\n\^ syntax error at column 1: /);
    expect(render('1 +\t😀')).toMatch(/^1 \+ 😀\n {4}\^ syntax error at column 5: /);
  });

  it('works from a parsed reply too', () => {
    const reply = parseCalcReply(calcReply('2 3'));
    if (reply.ok) throw new Error('expected an error');
    expect(renderCalcError('2 3', reply)).toBe(
      '2 3\n  ^ syntax error at column 3: expected an operator or the end of the expression, found the number "3"',
    );
    expect(renderCalcError('', { message: 'request too long: x' })).toBe('request too long: x');
  });

  it('shows control characters as one replacement character each', () => {
    expect(renderCalcError('1+\u00002', { column: 3, message: 'bad input: control character U+0000' })).toBe(
      '1+\ufffd2\n  ^ bad input at column 3: control character U+0000',
    );
  });

  it('cuts a long expression to a window around the column', () => {
    const expr = `${'1+'.repeat(200)}*${'+1'.repeat(200)}`;
    const [line, caret] = render(expr).split('\n') as [string, string];
    expect(Array.from(line).length).toBeLessThanOrEqual(74);
    expect(line.startsWith('…') && line.endsWith('…')).toBe(true);
    expect(Array.from(line)[caret.indexOf('^')]).toBe('*');
    const [startLine, startCaret] = render(`*${'+1'.repeat(200)}`).split('\n') as [string, string];
    expect(startLine.startsWith('*+1')).toBe(true);
    expect(startCaret.startsWith('^ ')).toBe(true);
    const [endLine, endCaret] = render(`${'1+'.repeat(200)}`).split('\n') as [string, string];
    expect(endLine.startsWith('…') && !endLine.endsWith('…')).toBe(true);
    expect(endCaret.indexOf('^')).toBe(Array.from(endLine).length);
  });
});
