/**
 * Every limit is a named default, can be overridden, and turns hostile input into a quick
 * error: no exponential parse, no huge allocation, no deep recursion.
 */
import { describe, expect, it } from 'vitest';
import { LocalError } from '../../../src/core/errors.js';
import {
  CalcError,
  type CalcOptions,
  calcDatagramReply,
  calcReply,
  DEFAULT_CALC_LIMITS,
  evaluate,
  parseCalcReply,
} from '../../../src/services/calc/index.js';

function codeOf(expr: string, options?: CalcOptions): string {
  try {
    evaluate(expr, options);
  } catch (error) {
    if (error instanceof CalcError) return error.code;
    throw error;
  }
  return 'OK';
}

/** The code of the reply to a request, or OK. */
function replyCode(request: string | Uint8Array): string {
  const reply = parseCalcReply(calcReply(request));
  return reply.ok ? 'OK' : reply.code;
}

/** Milliseconds `run` takes, after one warm-up run (so the JIT is not what is measured). */
function timed(run: () => unknown): number {
  run();
  const start = performance.now();
  run();
  return performance.now() - start;
}

const MB = 1 << 20;

describe('calc limits', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_CALC_LIMITS).toEqual({
      maxLength: 1024,
      maxRequestBytes: 8192,
      maxDepth: 64,
      maxLiteralDigits: 1000,
      maxDigits: 10_000,
      significantDigits: 30,
      maxDatagramReplyBytes: 1232,
    });
  });

  it('lets every limit be overridden', () => {
    expect(codeOf('1+1+1+1+1+1', { maxLength: 10 })).toBe('NK_CALC_TOO_LONG');
    expect(codeOf('1+1+1+1+1', { maxLength: 10 })).toBe('OK');
    expect(codeOf('((1))', { maxDepth: 1 })).toBe('NK_CALC_TOO_DEEP');
    expect(codeOf('((1))', { maxDepth: 2 })).toBe('OK');
    expect(codeOf('123456', { maxLiteralDigits: 5 })).toBe('NK_CALC_TOO_LARGE');
    expect(codeOf('12345', { maxLiteralDigits: 5 })).toBe('OK');
    expect(codeOf('1.2345e1', { maxLiteralDigits: 5 })).toBe('NK_CALC_TOO_LARGE');
    expect(codeOf('10**5', { maxDigits: 5 })).toBe('NK_CALC_TOO_LARGE');
    expect(codeOf('10**4', { maxDigits: 5 })).toBe('OK');
    expect(codeOf('99999 + 1', { maxDigits: 5 })).toBe('NK_CALC_TOO_LARGE');
    expect(codeOf('1/100000', { maxDigits: 5 })).toBe('NK_CALC_TOO_LARGE');
    expect(codeOf('10**20000', { maxDigits: 30_000 })).toBe('OK');
    expect(evaluate('1/3', { significantDigits: 3 }).text).toBe('0.333');
    expect(parseCalcReply(calcReply('1+1', { maxRequestBytes: 2 }))).toMatchObject({
      code: 'NK_CALC_TOO_LONG',
    });
    expect(parseCalcReply(calcDatagramReply('2**100', { maxDatagramReplyBytes: 20 }))).toMatchObject({
      code: 'NK_CALC_TOO_LARGE',
    });
  });

  it('refuses bad options as the caller’s error', () => {
    for (const options of [
      { maxDepth: 0 },
      { maxDepth: 1001 },
      { maxDigits: 1.5 },
      { significantDigits: -1 },
    ]) {
      let thrown: unknown;
      try {
        evaluate('1', options as CalcOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(LocalError);
      expect((thrown as LocalError).code).toBe('NK_CALC_BAD_OPTION');
    }
  });

  it('survives the deepest nesting it allows', () => {
    const deep = `${'('.repeat(1000)}1${')'.repeat(1000)}`;
    expect(evaluate(deep, { maxDepth: 1000, maxLength: 5000 }).text).toBe('1');
    const signs = `${'-'.repeat(1000)}1`;
    expect(evaluate(signs, { maxDepth: 1000, maxLength: 5000 }).text).toBe('1');
    const powers = `1${'**1'.repeat(999)}`;
    expect(evaluate(powers, { maxDepth: 1000, maxLength: 5000 }).text).toBe('1');
  });

  it('runs long flat chains without recursion', () => {
    const chain = Array.from({ length: 50_000 }, () => '1').join('+');
    expect(evaluate(chain, { maxLength: chain.length }).text).toBe('50000');
  });

  const hostile: [string, () => string, string][] = [
    ['9**9**9**9', () => codeOf('9**9**9**9'), 'NK_CALC_TOO_LARGE'],
    ['9 ** 9 ** 9 ** 9 ** 9', () => codeOf('9 ** 9 ** 9 ** 9 ** 9'), 'NK_CALC_TOO_LARGE'],
    ['10 ** 100000', () => codeOf('10 ** 100000'), 'NK_CALC_TOO_LARGE'],
    ['(10**9999) ** (10**9999)', () => codeOf('(10**9999) ** (10**9999)'), 'NK_CALC_TOO_LARGE'],
    ['2 ** (10**9999 + 0.5)', () => codeOf('2 ** (10**9999 + 0.5)'), 'NK_CALC_TOO_LARGE'],
    ['1.5 ** -(10**999)', () => codeOf('1.5 ** -(10**999)'), 'NK_CALC_TOO_LARGE'],
    [
      '(1 + sqrt(2)/10**20) ** 10**9000',
      () => codeOf('(1 + sqrt(2)/10**20) ** 10**9000'),
      'NK_CALC_TOO_LARGE',
    ],
    ['pi ** pi ** pi ** pi', () => codeOf('pi ** pi ** pi ** pi'), 'NK_CALC_TOO_LARGE'],
    ['1e999999999999999', () => codeOf('1e999999999999999'), 'NK_CALC_TOO_LARGE'],
    ['round(1/3, 10**100)', () => codeOf('round(1/3, 10**100)'), 'NK_CALC_TOO_LARGE'],
    ['10k-deep parentheses', () => codeOf(`${'('.repeat(10_000)}1${')'.repeat(10_000)}`), 'NK_CALC_TOO_LONG'],
    [
      '10k-deep parentheses, length allowed',
      () => codeOf(`${'('.repeat(10_000)}1${')'.repeat(10_000)}`, { maxLength: MB }),
      'NK_CALC_TOO_DEEP',
    ],
    [
      '10k unclosed parentheses, length allowed',
      () => codeOf('('.repeat(10_000), { maxLength: MB }),
      'NK_CALC_TOO_DEEP',
    ],
    [
      '10k minus signs, length allowed',
      () => codeOf(`${'-'.repeat(10_000)}1`, { maxLength: MB }),
      'NK_CALC_TOO_DEEP',
    ],
    [
      '5k powers, length allowed',
      () => codeOf(`2${'**2'.repeat(5000)}`, { maxLength: MB }),
      'NK_CALC_TOO_DEEP',
    ],
    ['10k nested calls', () => codeOf(`${'abs('.repeat(10_000)}1`, { maxLength: MB }), 'NK_CALC_TOO_DEEP'],
    ['10k nested tuples', () => codeOf(`${'(+,'.repeat(10_000)}1`, { maxLength: MB }), 'NK_CALC_TOO_DEEP'],
    ['1 MB expression', () => codeOf('1+'.repeat(MB / 2)), 'NK_CALC_TOO_LONG'],
    [
      '1 MB of digits, length allowed',
      () => codeOf('9'.repeat(MB), { maxLength: 2 * MB }),
      'NK_CALC_TOO_LARGE',
    ],
    ['1 MB request', () => replyCode(new Uint8Array(MB).fill(0x31)), 'NK_CALC_TOO_LONG'],
    ['1 MB JSON request', () => replyCode(`{"expr":"${'1'.repeat(MB)}"}`), 'NK_CALC_TOO_LONG'],
    ['8 KB of "{"', () => JSON.parse(calcReply('{'.repeat(8000))).error.code, 'NK_CALC_BAD_INPUT'],
    [
      'JSON nested 4000 deep',
      () => JSON.parse(calcReply(`{"expr":${'['.repeat(4000)}${']'.repeat(4000)}}`)).error.code,
      'NK_CALC_BAD_INPUT',
    ],
    ['8 KB of binary', () => replyCode(new Uint8Array(8000).fill(0xff)), 'NK_CALC_BAD_INPUT'],
    ['8 KB of NUL', () => replyCode(new Uint8Array(8000)), 'NK_CALC_TOO_LONG'],
    ['1 KB of NUL', () => replyCode(new Uint8Array(1000)), 'NK_CALC_BAD_INPUT'],
  ];
  it.each(hostile)('answers %s with an error within 50 ms', (_, run, expected) => {
    expect(run()).toBe(expected);
    expect(timed(run)).toBeLessThan(50);
  });
});
