/**
 * The fast path (protocol/fast.ts: small exact rationals in JS numbers) against the general
 * path (BigInt rationals): it answers the everyday requests, gives up on everything it
 * cannot be sure of, and wherever it answers, the reply is byte for byte the general path's,
 * under any limits. Also the literals and helpers the general path's speed-ups touched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CalcError,
  type CalcLimits,
  type CalcOptions,
  calcReply,
  resolveCalcOptions,
} from '../../../src/services/calc/index.js';
import { bitLength } from '../../../src/services/calc/protocol/bigint.js';
import { evaluateWith } from '../../../src/services/calc/protocol/evaluate.js';
import { fastRational, fastText } from '../../../src/services/calc/protocol/fast.js';
import { replyTo } from '../../../src/services/calc/protocol/reply.js';

const DEFAULTS = resolveCalcOptions();
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** evaluateWith's answer, or the error it throws, as plain data. */
function outcome(expr: string, limits: CalcLimits, fast: boolean): unknown {
  try {
    return evaluateWith(expr, limits, fast);
  } catch (error) {
    if (!(error instanceof CalcError)) throw error;
    return { error: error.constructor.name, code: error.code, column: error.column, message: error.message };
  }
}

/** Every way a request reaches the core, with the fast path and without: the same answer. */
function expectSameAnswers(expr: string, limits: CalcLimits = DEFAULTS): void {
  const bytes = encode(expr);
  const json = encode(JSON.stringify({ expr, id: 7 }));
  for (const transport of ['stream', 'datagram'] as const) {
    for (const request of [bytes, expr, json]) {
      expect(replyTo(request, limits, transport, true)).toBe(replyTo(request, limits, transport, false));
    }
  }
  expect(outcome(expr, limits, true)).toEqual(outcome(expr, limits, false));
}

describe('calc fast path: what it answers', () => {
  const table: [string, number, number, string][] = [
    ['5 + 6', 11, 1, '11'],
    ['4 * 5', 20, 1, '20'],
    ['100 - 37', 63, 1, '63'],
    ['12345 * 6789', 83810205, 1, '83810205'],
    ['81 / 9', 9, 1, '9'],
    ['(+, 5, 6)', 11, 1, '11'],
    ['(+,1,2,3)', 6, 1, '6'],
    ['(*, (+, 1, 2), 4)', 12, 1, '12'],
    ['(-, -5, 3)', -8, 1, '-8'],
    ['(//, 7, 2)', 3, 1, '3'],
    ['(**, 2, 10)', 1024, 1, '1024'],
    ['(^, 2, -1)', 1, 2, '0.5'],
    ['0.1 + 0.2', 3, 10, '0.3'],
    ['7/2', 7, 2, '3.5'],
    ['-7/2', -7, 2, '-3.5'],
    ['1/8', 1, 8, '0.125'],
    ['.5 + 5.', 11, 2, '5.5'],
    ['007', 7, 1, '7'],
    ['1 / 3', 1, 3, '0.333333333333333333333333333333'],
    ['2 ** 10', 1024, 1, '1024'],
    ['2 ^ -2', 1, 4, '0.25'],
    ['2 ** 3 ** 2', 512, 1, '512'],
    ['-3 ** 2', -9, 1, '-9'],
    ['(-2) ** 2', 4, 1, '4'],
    ['(-1) ** 12345', -1, 1, '-1'],
    ['1 ** 0.5', 1, 1, '1'],
    ['0 ** 0', 1, 1, '1'],
    ['0 ** 0.5', 0, 1, '0'],
    ['--3', 3, 1, '3'],
    ['-0', 0, 1, '0'],
    ['0 * -5', 0, 1, '0'],
    ['-(3 - 3)', 0, 1, '0'],
    ['7 // -2', -4, 1, '-4'],
    ['-7 // 2', -4, 1, '-4'],
    ['-7 % 3', 2, 1, '2'],
    ['7 % -3', -2, 1, '-2'],
    ['7.5 % 2', 3, 2, '1.5'],
    ['-4 % 2', 0, 1, '0'],
    ['10 - 4 - 3', 3, 1, '3'],
    ['17 // 5 * 5', 15, 1, '15'],
    ['2 + 3 * 4', 14, 1, '14'],
    ['1/3 * 3', 1, 1, '1'],
    ['\t 5+6 \t', 11, 1, '11'],
    ['94906265 ** 2', 9007199136250225, 1, '9007199136250225'],
    ['2 ** 52 + (2 ** 52 - 1)', 9007199254740991, 1, '9007199254740991'],
    ['999999999999999 * 9', 8999999999999991, 1, '8999999999999991'],
    ['1 / 2 ** 49', 1, 2 ** 49, '0.0000000000000017763568394002504646778106689453125'],
  ];
  it.each(table)('%s is %d/%d, written %s', (expr, num, den, text) => {
    expect(fastRational(expr, DEFAULTS)).toEqual({ num, den });
    expect(fastRational(encode(expr), DEFAULTS)).toEqual({ num, den });
    expect(calcReply(expr)).toBe(`OK ${text}\n`);
    expectSameAnswers(expr);
  });

  it('writes terminating decimals itself and leaves the rest to the general formatter', () => {
    expect(fastText({ num: 3, den: 10 })).toBe('0.3');
    expect(fastText({ num: -1, den: 1_000_000_000_000_000 })).toBe('-0.000000000000001');
    expect(fastText({ num: 123456789, den: 1024 })).toBe('120563.2705078125');
    expect(fastText({ num: 1, den: 3 })).toBeUndefined(); // rounded
    expect(fastText({ num: 1, den: 2 ** 49 })).toBeUndefined(); // 49 places
    expect(fastText({ num: 2 ** 52, den: 5 })).toBeUndefined(); // digits past 2^53
  });
});

describe('calc fast path: what it leaves to the general path', () => {
  const refused = [
    '',
    '   ',
    '2 ** 100',
    '2 ** 53',
    '2 ** 52 + 2 ** 52',
    '-(2 ** 52) - 2 ** 52',
    '94906266 ** 2',
    // Cross products past 2^53 whose sum is small: as doubles they would cancel to 0, not 2/15.
    '(3 * 2 ** 50 + 1) / 3 - (5 * 2 ** 50 + 1) / 5',
    '(2 ** 52 + (2 ** 52 - 1)) // (1/3)',
    '(2 ** 52 + (2 ** 52 - 1)) % (2/3)',
    // floor(q) × b is 2^53 + 1, which a double rounds to 2^53: the remainder would be -1, not -2.
    '(2 ** 52 + (2 ** 52 - 1)) % -3',
    '(2 ** 52 + (2 ** 52 - 1)) * 2 / 4',
    '4503599627370496 * 2',
    '1234567890123456',
    '0.1234567890123456',
    '1/0',
    '5 % 0',
    '5 // 0',
    '0 ** -1',
    '(/, 1, 0)',
    '8 ** (1/3)',
    '2 ** 0.5',
    '(-8) ** (1/3)',
    '(-1) ** 0.5',
    '2 ** 65',
    '(1/2) ** 64',
    'sqrt(2)',
    'pi',
    'e',
    '1e3',
    '1_000',
    '5 + * 6',
    '2 3',
    '1 .5',
    '1.2.3',
    '5..',
    '(1, 2)',
    '(-5, 3)',
    '(+, 5)',
    '(-, 1, 2, 3)',
    '(+, 1, 2,)',
    '((1)',
    '(1))',
    '2 *** 3',
    '{"expr":"5+6"}',
    '5 − 6',
    '5 + 6\r',
    '5 + 6\u0000',
  ];
  it.each(refused)('%j', (expr) => {
    expect(fastRational(expr, DEFAULTS)).toBeUndefined();
    expect(fastRational(encode(expr), DEFAULTS)).toBeUndefined();
    expectSameAnswers(expr);
  });

  it('gives up wherever a limit could be reached, and the general path reports it', () => {
    const cases: [string, CalcOptions][] = [
      ['((1))', { maxDepth: 1 }],
      ['--1', { maxDepth: 1 }],
      ['2 ** 2 ** 2', { maxDepth: 1 }],
      ['(+, (+, 1, 2), 3)', { maxDepth: 1 }],
      ['123 + 1', { maxLiteralDigits: 2 }],
      ['1.25', { maxLiteralDigits: 2 }],
      ['1 + 2', { maxLength: 4 }],
      ['1 + 2', { maxRequestBytes: 4 }],
      ['99 + 1', { maxDigits: 2 }],
      ['5 + 6', { maxDigits: 15 }],
      ['1 / 3', { significantDigits: 3 }],
      ['12345 * 6789', { maxDatagramReplyBytes: 8 }],
    ];
    for (const [expr, options] of cases) {
      const limits = resolveCalcOptions(options);
      expectSameAnswers(expr, limits);
    }
    expect(fastRational('((1))', resolveCalcOptions({ maxDepth: 1 }))).toBeUndefined();
    expect(fastRational('((1))', resolveCalcOptions({ maxDepth: 2 }))).toEqual({ num: 1, den: 1 });
    expect(fastRational('123', resolveCalcOptions({ maxLiteralDigits: 2 }))).toBeUndefined();
    expect(fastRational('5 + 6', resolveCalcOptions({ maxDigits: 15 }))).toBeUndefined();
    expect(fastRational('x'.repeat(300), DEFAULTS)).toBeUndefined();
    expect(calcReply('((1))', { maxDepth: 1 })).toBe(
      'ERROR NK_CALC_TOO_DEEP 2 nesting too deep: more than 1 levels\n',
    );
    expect(replyTo('12345 * 6789', resolveCalcOptions({ maxDatagramReplyBytes: 8 }), 'datagram')).toBe(
      'ERROR NK_CALC_TOO_LARGE - number too large: the reply would take 12 bytes, over the datagram limit of 8; ask over TCP\n',
    );
  });
});

/** Small numbers as literals: integers, and decimals with a few places. */
const smallLiteral = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map(String),
  fc.integer({ min: 0, max: 10 ** 8 }).map(String),
  fc.constantFrom(
    '0',
    '1',
    '007',
    '94906265',
    '94906266',
    '999999999999999',
    '1125899906842624',
    '6755399441055745',
    '4503599627370496',
  ),
  fc
    .tuple(fc.stringMatching(/^[0-9]{0,4}$/), fc.stringMatching(/^[0-9]{0,3}$/))
    .filter(([whole, part]) => whole.length + part.length > 0)
    .map(([whole, part]) => `${whole}.${part}`),
);
const operator = fc.constantFrom('+', '-', '*', '/', '//', '%', '**', '^');
const blank = fc.constantFrom('', '', ' ', '\t', '  ');

/** Expressions of small numbers in every form the fast path reads (and some it does not). */
const smallExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => {
  const sub = tie('expr');
  return {
    expr: fc.oneof(
      { maxDepth: 4, depthSize: 'small' },
      smallLiteral,
      fc.tuple(sub, blank, operator, blank, sub).map((parts) => parts.join('')),
      fc.tuple(fc.constantFrom('-', '+', '- '), sub).map(([sign, x]) => `${sign}${x}`),
      fc.tuple(blank, sub, blank).map(([a, x, b]) => `(${a}${x}${b})`),
      fc
        .tuple(operator, fc.array(sub, { minLength: 1, maxLength: 4 }), blank)
        .map(([op, operands, space]) => `(${op},${space}${operands.join(`,${space}`)})`),
      fc.tuple(sub, fc.integer({ min: -70, max: 70 })).map(([x, n]) => `(${x}) ** ${n}`),
    ),
  };
}).expr;

/** The limits, mostly the defaults, sometimes small enough to be reached. */
const limitsArbitrary: fc.Arbitrary<CalcLimits> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(DEFAULTS) },
  fc
    .record(
      {
        maxDepth: fc.integer({ min: 1, max: 5 }),
        maxLiteralDigits: fc.integer({ min: 1, max: 20 }),
        maxLength: fc.integer({ min: 1, max: 40 }),
        maxRequestBytes: fc.integer({ min: 1, max: 40 }),
        maxDigits: fc.integer({ min: 1, max: 24 }),
        significantDigits: fc.integer({ min: 1, max: 40 }),
        maxDatagramReplyBytes: fc.integer({ min: 1, max: 40 }),
      },
      { requiredKeys: [] },
    )
    .map((options) => resolveCalcOptions(options)),
);

describe('calc fast path: the same answers as the general path', () => {
  it('on random expressions of small numbers, under random limits', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(smallExpression, limitsArbitrary, (expr, limits) => {
        runs++;
        if (limits === DEFAULTS && fastRational(expr, limits) !== undefined) answered++;
        expectSameAnswers(expr, limits);
      }),
      { numRuns: 3000 },
    );
    // The comparison is worth something only if the fast path answers a good share.
    expect(answered).toBeGreaterThan(runs / 5);
  });

  it('on random strings of the bytes it reads, and of any others', () => {
    const fastAlphabet = fc.constantFrom(...' \t0123456789.+-*/%^(),'.split(''));
    const near = fc.constantFrom(...'0123456789+-*/(),. e_x{é\u0000'.split(''), '**', '//', '(+,', '(-,');
    const strings = fc.oneof(
      fc.string({ unit: fastAlphabet, maxLength: 24 }),
      fc.array(near, { maxLength: 16 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary', maxLength: 24 }),
    );
    fc.assert(
      fc.property(strings, limitsArbitrary, (expr, limits) => expectSameAnswers(expr, limits)),
      { numRuns: 3000 },
    );
  });

  it('on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => {
        for (const transport of ['stream', 'datagram'] as const) {
          expect(replyTo(bytes, DEFAULTS, transport, true)).toBe(replyTo(bytes, DEFAULTS, transport, false));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('after a request it gave up on, and between byte and text requests', () => {
    // The fast path keeps state between the calls of one pass; nothing may leak into the next.
    const sequence = ['(((1', '5 + 6', '12345 * 6789', '1/0', '0.5', '2 ** 100', '(+, 5, 6)', '7/2'];
    const expected = sequence.map((expr) => replyTo(expr, DEFAULTS, 'stream', false));
    for (let round = 0; round < 3; round++) {
      expect(sequence.map((expr) => calcReply(expr))).toEqual(expected);
      expect(sequence.map((expr) => calcReply(encode(expr)))).toEqual(expected);
    }
  });
});

describe('calc general path: number literals and bit lengths', () => {
  // Replies of the lexer before it scanned character codes; each form of literal and its errors.
  const table: [string, string][] = [
    ['0', 'OK 0\n'],
    ['007', 'OK 7\n'],
    ['0.0', 'OK 0\n'],
    ['00.500', 'OK 0.5\n'],
    ['1.e5', 'OK 100000\n'],
    ['.5e-2', 'OK 0.005\n'],
    ['1E3', 'OK 1000\n'],
    ['1e+3', 'OK 1000\n'],
    ['1e-0', 'OK 1\n'],
    ['1e0_0', 'OK 1\n'],
    ['1_000e1_0', 'OK 10000000000000\n'],
    ['1e00000000000000000003', 'OK 1000\n'],
    ['0e999999999', 'OK 0\n'],
    ['12345678901234567890', 'OK 12345678901234567890\n'],
    ['123456789012345.6', 'OK 123456789012345.6\n'],
    ['0.1234567890123456', 'OK 0.1234567890123456\n'],
    ['9007199254740993', 'OK 9007199254740993\n'],
    ['1_2_3.4_5e-1_0', 'OK 0.000000012345\n'],
    [
      '1e999999999',
      'ERROR NK_CALC_TOO_LARGE 1 number too large: "1e999999999" is over the limit of 10000 digits\n',
    ],
    [
      '1e-1000000000000000000',
      'ERROR NK_CALC_TOO_LARGE 1 number too large: "1e-1000000000000000000" is over the limit of 10000 digits\n',
    ],
    [
      '1e99999999999999999999',
      'ERROR NK_CALC_TOO_LARGE 1 number too large: "1e99999999999999999999" is over the limit of 10000 digits\n',
    ],
    ['1.5e-10000', 'ERROR NK_CALC_TOO_LARGE 1 number too large: a value is over the limit of 10000 digits\n'],
    [
      '1.5e-11000',
      'ERROR NK_CALC_TOO_LARGE 1 number too large: "1.5e-11000" is over the limit of 10000 digits\n',
    ],
    ['1__0', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number: "_" may only stand between two digits\n'],
    ['1_', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number: "_" may only stand between two digits\n'],
    ['1._5', 'ERROR NK_CALC_SYNTAX 3 syntax error: invalid number: "_" may only stand between two digits\n'],
    ['5_e3', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number: "_" may only stand between two digits\n'],
    ['1e3_', 'ERROR NK_CALC_SYNTAX 4 syntax error: invalid number: "_" may only stand between two digits\n'],
    ['1e', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number "1e": the exponent needs digits\n'],
    ['1e-', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number "1e-": the exponent needs digits\n'],
    ['1e_1', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number "1e_": the exponent needs digits\n'],
    ['2ee3', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number "2ee": the exponent needs digits\n'],
    ['2E', 'ERROR NK_CALC_SYNTAX 2 syntax error: invalid number "2E": the exponent needs digits\n'],
    [
      '1.2.3',
      'ERROR NK_CALC_SYNTAX 4 syntax error: expected an operator or the end of the expression, found the number ".3"\n',
    ],
    ['e5', 'ERROR NK_CALC_UNKNOWN_NAME 1 unknown name: "e5" (the constants are pi and e)\n'],
    [
      '0x10',
      'ERROR NK_CALC_SYNTAX 2 syntax error: expected an operator or the end of the expression, found the name "x10"\n',
    ],
    [
      `1${'0'.repeat(1000)}`,
      'ERROR NK_CALC_TOO_LARGE 1 number too large: the literal has 1001 digits; the limit is 1000\n',
    ],
    [`1${'0'.repeat(999)}`, `OK 1${'0'.repeat(999)}\n`],
  ];
  it.each(table)('%s → %s', (expr, reply) => {
    expect(calcReply(expr)).toBe(reply);
  });

  it('bitLength is exact at every power of two, where a double rounds up', () => {
    const bits = (n: bigint): number => (n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length);
    for (let k = 0; k < 1100; k++) {
      const power = 1n << BigInt(k);
      for (const n of [power - 1n, power, power + 1n, -(power - 1n), power - (power >> 54n), power * 3n]) {
        expect(bitLength(n)).toBe(bits(n));
      }
    }
  });
});
