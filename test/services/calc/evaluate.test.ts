/**
 * The calculator's language as tables: expression → text shown (and whether it is exact),
 * expression → error code and column.
 */
import { describe, expect, it } from 'vitest';
import { CalcError, type CalcErrorCode, evaluate } from '../../../src/services/calc/index.js';

function errorOf(expr: string, options = {}): CalcError {
  try {
    evaluate(expr, options);
  } catch (error) {
    if (error instanceof CalcError) return error;
    throw error;
  }
  throw new Error(`${expr} did not fail`);
}

const ROUNDED = false;
const EXACT = true;

describe('evaluate: results', () => {
  const table: [string, string, boolean][] = [
    // The brief's examples.
    ['5 + 6', '11', EXACT],
    ['4 * 5', '20', EXACT],
    ['5+6', '11', EXACT],
    ['\t5 +\t6 ', '11', EXACT],
    // Precedence and associativity, as Python.
    ['2 + 3 * 4', '14', EXACT],
    ['(2 + 3) * 4', '20', EXACT],
    ['10 - 4 - 3', '3', EXACT],
    ['100 / 10 / 5', '2', EXACT],
    ['2 * 3 % 4', '2', EXACT],
    ['17 // 5 * 5', '15', EXACT],
    ['-3 ** 2', '-9', EXACT],
    ['-2**2', '-4', EXACT],
    ['(-2)**2', '4', EXACT],
    ['2 ** -1', '0.5', EXACT],
    ['2**-2', '0.25', EXACT],
    ['2 ** 3 ** 2', '512', EXACT],
    ['(2 ** 3) ** 2', '64', EXACT],
    ['2 ^ 3 ^ 2', '512', EXACT],
    ['2 ^ 10', '1024', EXACT],
    ['-2 ^ 2', '-4', EXACT],
    ['2 ** -3 ** 2', '0.001953125', EXACT],
    ['--3', '3', EXACT],
    ['---3', '-3', EXACT],
    ['+-+3', '-3', EXACT],
    ['- - 3', '3', EXACT],
    ['2 - -3', '5', EXACT],
    ['2*-3', '-6', EXACT],
    ['-(2 + 3)', '-5', EXACT],
    ['((((7))))', '7', EXACT],
    // Floor division and modulo take the sign of the divisor, as Python.
    ['7 // 2', '3', EXACT],
    ['7//-2', '-4', EXACT],
    ['-7 // 2', '-4', EXACT],
    ['-7 // -2', '3', EXACT],
    ['7 % 3', '1', EXACT],
    ['-7%3', '2', EXACT],
    ['7 % -3', '-2', EXACT],
    ['-7 % -3', '-1', EXACT],
    ['7.5 // 2', '3', EXACT],
    ['7.5 % 2', '1.5', EXACT],
    ['-0.5 % 0.2', '0.1', EXACT],
    ['1 // 0.3', '3', EXACT],
    // Exact rationals.
    ['0.1 + 0.2', '0.3', EXACT],
    ['7/2', '3.5', EXACT],
    ['1/4 + 1/4', '0.5', EXACT],
    ['1/3 * 3', '1', EXACT],
    ['1/3 + 1/6', '0.5', EXACT],
    ['1/3', '0.333333333333333333333333333333', ROUNDED],
    ['2/3', '0.666666666666666666666666666667', ROUNDED],
    ['-1/3', '-0.333333333333333333333333333333', ROUNDED],
    ['1/7', '0.142857142857142857142857142857', ROUNDED],
    ['10**40/3', '3.33333333333333333333333333333e+39', ROUNDED],
    ['1/30000', '3.33333333333333333333333333333e-05', ROUNDED],
    ['1/3000', '0.000333333333333333333333333333333', ROUNDED],
    ['2**-10', '0.0009765625', EXACT],
    ['1e-20', '0.00000000000000000001', EXACT],
    ['2 * 10**40 / 3', '6.66666666666666666666666666667e+39', ROUNDED],
    ['(10**40 + 2) / 3', '3333333333333333333333333333333333333334', EXACT],
    ['1/(10**30+1)', '9.99999999999999999999999999999e-31', ROUNDED],
    // Big integers print in full.
    ['2**100', '1267650600228229401496703205376', EXACT],
    ['2**64 - 1', '18446744073709551615', EXACT],
    ['-(2**64)', '-18446744073709551616', EXACT],
    ['99999999999999999999 * 99999999999999999999', '9999999999999999999800000000000000000001', EXACT],
    ['10**30 + 1', '1000000000000000000000000000001', EXACT],
    ['3**40 // 3**38', '9', EXACT],
    // Literals.
    ['0', '0', EXACT],
    ['007', '7', EXACT],
    ['0.1', '0.1', EXACT],
    ['.5', '0.5', EXACT],
    ['5.', '5', EXACT],
    ['5.e1', '50', EXACT],
    ['1e3', '1000', EXACT],
    ['1E3', '1000', EXACT],
    ['1e+3', '1000', EXACT],
    ['2.5E-3', '0.0025', EXACT],
    ['.5e1', '5', EXACT],
    ['1_000', '1000', EXACT],
    ['1_000.000_1', '1000.0001', EXACT],
    ['1e1_0', '10000000000', EXACT],
    ['0e999999999999', '0', EXACT],
    ['0.000', '0', EXACT],
    ['123456789012345678901234567890.5', '123456789012345678901234567890.5', EXACT],
    // Functions and constants.
    ['abs(-3)', '3', EXACT],
    ['abs(3.5)', '3.5', EXACT],
    ['sqrt(16)', '4', EXACT],
    ['sqrt(2.25)', '1.5', EXACT],
    ['sqrt(1/4)', '0.5', EXACT],
    ['sqrt(0)', '0', EXACT],
    ['sqrt(2)', '1.41421356237309504880168872421', ROUNDED],
    ['sqrt(2)**2', '2', ROUNDED],
    ['sqrt(2) * sqrt(2)', '2', ROUNDED],
    ['sqrt(10**40)', '100000000000000000000', EXACT],
    ['min(3, 1, 2)', '1', EXACT],
    ['max(3, 1, 2)', '3', EXACT],
    ['max(7)', '7', EXACT],
    ['min(-1/2, -0.5)', '-0.5', EXACT],
    ['round(2.5)', '2', EXACT],
    ['round(3.5)', '4', EXACT],
    ['round(-2.5)', '-2', EXACT],
    ['round(0.5)', '0', EXACT],
    ['round(1.5)', '2', EXACT],
    ['round(2.675, 2)', '2.68', EXACT],
    ['round(3.14159, 2)', '3.14', EXACT],
    ['round(0.125, 2)', '0.12', EXACT],
    ['round(0.375, 2)', '0.38', EXACT],
    ['round(1234.5, -2)', '1200', EXACT],
    ['round(1250, -2)', '1200', EXACT],
    ['round(1350, -2)', '1400', EXACT],
    ['round(1/3, 5)', '0.33333', EXACT],
    ['round(pi, 4)', '3.1416', ROUNDED],
    ['floor(2.7)', '2', EXACT],
    ['floor(-2.5)', '-3', EXACT],
    ['ceil(2.1)', '3', EXACT],
    ['ceil(-2.1)', '-2', EXACT],
    ['floor(sqrt(2)**2)', '2', ROUNDED],
    ['pi', '3.14159265358979323846264338328', ROUNDED],
    ['e', '2.71828182845904523536028747135', ROUNDED],
    ['2 * pi', '6.28318530717958647692528676656', ROUNDED],
    ['pi - pi', '0', ROUNDED],
    ['abs(sqrt(16))', '4', EXACT],
    // Powers with fractional exponents: exact when the root is, else approximate.
    ['8 ** (1/3)', '2', EXACT],
    ['(27/8) ** (2/3)', '2.25', EXACT],
    ['16 ** 0.25', '2', EXACT],
    ['16 ** -0.5', '0.25', EXACT],
    ['(2**300) ** (1/300)', '2', EXACT],
    ['2 ** 0.5', '1.41421356237309504880168872421', ROUNDED],
    ['2 ^ 0.5', '1.41421356237309504880168872421', ROUNDED],
    ['10 ** 0.5', '3.16227766016837933199889354443', ROUNDED],
    ['e ** 1', '2.71828182845904523536028747135', ROUNDED],
    ['2 ** pi', '8.82497782707628762385642960421', ROUNDED],
    ['e ** 1000', '1.97007111401704699388887935224e+434', ROUNDED],
    ['0.5 ** 0.5', '0.707106781186547524400844362105', ROUNDED],
    ['(-8) ** 3', '-512', EXACT],
    ['(-sqrt(2)) ** -1', '-0.707106781186547524400844362105', ROUNDED],
    ['(-sqrt(2)) ** -3', '-0.353553390593273762200422181052', ROUNDED],
    ['(-sqrt(2)) ** 3', '-2.82842712474619009760337744842', ROUNDED],
    ['sqrt(2) ** -2', '0.5', ROUNDED],
    ['(-2) ** (sqrt(2)**2)', '4', ROUNDED],
    // Powers of 0 and 1.
    ['0 ** 0', '1', EXACT],
    ['0 ** 5', '0', EXACT],
    ['0 ** 0.5', '0', EXACT],
    ['1 ** (10**100)', '1', EXACT],
    ['(-1) ** (10**100 + 1)', '-1', EXACT],
    ['1 ** pi', '1', ROUNDED],
    // Tuple forms: operator first, spaces optional, operands any expression.
    ['(+, 5, 6)', '11', EXACT],
    ['(+,5,6)', '11', EXACT],
    ['( + , 5 , 6 )', '11', EXACT],
    ['(-, -5, 3)', '-8', EXACT],
    ['(-, 5, -3)', '8', EXACT],
    ['(*, 4, 5)', '20', EXACT],
    ['(/, 7, 2)', '3.5', EXACT],
    ['(//, 7, -2)', '-4', EXACT],
    ['(%, -7, 3)', '2', EXACT],
    ['(**, 2, 10)', '1024', EXACT],
    ['(^, 2, 10)', '1024', EXACT],
    ['(+, 1, 2, 3, 4)', '10', EXACT],
    ['(*, 2, 3, 4)', '24', EXACT],
    ['(+, (*, 2, 3), 4)', '10', EXACT],
    ['(+, 2*3, 4)', '10', EXACT],
    ['(*, (+, 1, 2), (-, 10, 4))', '18', EXACT],
    ['(+, 1, 2) * 3', '9', EXACT],
    ['sqrt((+, 9, 7))', '4', EXACT],
  ];
  it.each(table)('%s → %s', (expr, text, exact) => {
    const result = evaluate(expr);
    expect(result.text).toBe(text);
    expect(result.exact).toBe(exact);
  });

  it('prints results of any size in full when they are exact and terminate', () => {
    const result = evaluate('2**1000');
    expect(result.text).toBe((2n ** 1000n).toString());
    expect(evaluate('2**-100').text).toBe(
      `0.${'0'.repeat(30)}7888609052210118054117285652827862296732064351090230047702789306640625`,
    );
    expect(evaluate('9**9**2').text).toBe((9n ** 81n).toString());
  });

  it('keeps exact values exact and marks approximations', () => {
    expect(evaluate('1/3').value).toEqual({ num: 1n, den: 3n, exact: true });
    expect(evaluate('6/4').value).toEqual({ num: 3n, den: 2n, exact: true });
    expect(evaluate('-6/4').value).toEqual({ num: -3n, den: 2n, exact: true });
    expect(evaluate('sqrt(2)').value.exact).toBe(false);
    expect(evaluate('sqrt(2) * 0').value.exact).toBe(false);
  });

  it('shows as many significant digits as asked', () => {
    expect(evaluate('1/3', { significantDigits: 5 }).text).toBe('0.33333');
    expect(evaluate('2/3', { significantDigits: 1 }).text).toBe('0.7');
    expect(evaluate('pi', { significantDigits: 50 }).text).toBe(
      '3.1415926535897932384626433832795028841971693993751',
    );
    expect(evaluate('sqrt(2)', { significantDigits: 100 }).text).toBe(
      '1.414213562373095048801688724209698078569671875376948073176679737990732478462107038850387534327641573',
    );
    expect(evaluate('e', { significantDigits: 60 }).text).toBe(
      '2.71828182845904523536028747135266249775724709369995957496697',
    );
  });

  it('rounds an exact value correctly, and a tie of an approximation half to even', () => {
    // Exact values just above a tie round up (they are not ties).
    expect(evaluate('1.125 + 1/3 * 10**-40', { significantDigits: 3 }).text).toBe('1.13');
    expect(evaluate('1.125 - 1/3 * 10**-40', { significantDigits: 3 }).text).toBe('1.12');
    // `pi * 0` makes an approximation, whose value here is exactly a tie.
    expect(evaluate('pi * 0 + 1.125', { significantDigits: 3 }).text).toBe('1.12');
    expect(evaluate('pi * 0 + 1.135', { significantDigits: 3 }).text).toBe('1.14');
    expect(evaluate('pi * 0 + 2.5', { significantDigits: 1 }).text).toBe('2');
    expect(evaluate('pi * 0 + 3.5', { significantDigits: 1 }).text).toBe('4');
    expect(evaluate('pi * 0 - 0.25', { significantDigits: 1 }).text).toBe('-0.2');
  });
});

describe('evaluate: errors', () => {
  const table: [string, CalcErrorCode, number | undefined][] = [
    // Syntax, with the 1-based column of what was found.
    ['5 + * 6', 'NK_CALC_SYNTAX', 5],
    ['2 3', 'NK_CALC_SYNTAX', 3],
    ['', 'NK_CALC_SYNTAX', 1],
    ['   ', 'NK_CALC_SYNTAX', 1],
    ['5 +', 'NK_CALC_SYNTAX', 4],
    ['(5', 'NK_CALC_SYNTAX', 3],
    ['5)', 'NK_CALC_SYNTAX', 2],
    ['()', 'NK_CALC_SYNTAX', 2],
    ['* 5', 'NK_CALC_SYNTAX', 1],
    ['5 * * 6', 'NK_CALC_SYNTAX', 5],
    ['2 ** ** 3', 'NK_CALC_SYNTAX', 6],
    ['5 − 3', 'NK_CALC_SYNTAX', 3],
    ['5 × 3', 'NK_CALC_SYNTAX', 3],
    ['５ + 3', 'NK_CALC_SYNTAX', 1],
    ['5 = 5', 'NK_CALC_SYNTAX', 3],
    ['😀 + 1', 'NK_CALC_SYNTAX', 1],
    ['1 + 😀', 'NK_CALC_SYNTAX', 5],
    ['😀😀 $', 'NK_CALC_SYNTAX', 1],
    ['1 + 2 $', 'NK_CALC_SYNTAX', 7],
    ['2x', 'NK_CALC_SYNTAX', 2],
    ['2 pi', 'NK_CALC_SYNTAX', 3],
    ['2(3)', 'NK_CALC_SYNTAX', 2],
    ['(2)(3)', 'NK_CALC_SYNTAX', 4],
    ['1.2.3', 'NK_CALC_SYNTAX', 4],
    ['1__0', 'NK_CALC_SYNTAX', 2],
    ['1_', 'NK_CALC_SYNTAX', 2],
    ['1_.5', 'NK_CALC_SYNTAX', 2],
    ['1._5', 'NK_CALC_SYNTAX', 3],
    ['1e', 'NK_CALC_SYNTAX', 2],
    ['1e+', 'NK_CALC_SYNTAX', 2],
    ['1e_5', 'NK_CALC_SYNTAX', 2],
    ['_1', 'NK_CALC_UNKNOWN_NAME', 1],
    ['.', 'NK_CALC_SYNTAX', 1],
    ['0x10', 'NK_CALC_SYNTAX', 2],
    ['max(1,)', 'NK_CALC_SYNTAX', 7],
    ['max(,1)', 'NK_CALC_SYNTAX', 5],
    ['max(1 2)', 'NK_CALC_SYNTAX', 7],
    ['sqrt 4', 'NK_CALC_SYNTAX', 6],
    ['sqrt', 'NK_CALC_SYNTAX', 5],
    ['(+, 5, 6', 'NK_CALC_SYNTAX', 9],
    ['(+, 5, 6,)', 'NK_CALC_SYNTAX', 10],
    ['(+ 5, 6)', 'NK_CALC_SYNTAX', 5],
    ['(-5, 3)', 'NK_CALC_SYNTAX', 4],
    ['(+,)', 'NK_CALC_SYNTAX', 4],
    ['(5 +, 6)', 'NK_CALC_SYNTAX', 5],
    // Arithmetic.
    ['1/0', 'NK_CALC_DIV_ZERO', 2],
    ['1 // 0', 'NK_CALC_DIV_ZERO', 3],
    ['5 % 0', 'NK_CALC_DIV_ZERO', 3],
    ['1 / (2 - 2)', 'NK_CALC_DIV_ZERO', 3],
    ['1 / (pi - pi)', 'NK_CALC_DIV_ZERO', 3],
    ['0 ** -1', 'NK_CALC_DIV_ZERO', 3],
    ['0 ** -0.5', 'NK_CALC_DIV_ZERO', 3],
    ['(/, 1, 0)', 'NK_CALC_DIV_ZERO', 2],
    ['sqrt(-4)', 'NK_CALC_DOMAIN', 1],
    ['sqrt(-1/4)', 'NK_CALC_DOMAIN', 1],
    ['(-8) ** (1/3)', 'NK_CALC_DOMAIN', 6],
    ['(-2) ** 0.5', 'NK_CALC_DOMAIN', 6],
    ['(-2) ** pi', 'NK_CALC_DOMAIN', 6],
    ['round(2.5, 0.5)', 'NK_CALC_DOMAIN', 1],
    // Names.
    ['x + 1', 'NK_CALC_UNKNOWN_NAME', 1],
    ['1 + PI', 'NK_CALC_UNKNOWN_NAME', 5],
    ['E', 'NK_CALC_UNKNOWN_NAME', 1],
    ['inf', 'NK_CALC_UNKNOWN_NAME', 1],
    ['foo(1)', 'NK_CALC_UNKNOWN_FUNCTION', 1],
    ['1 + Sqrt(4)', 'NK_CALC_UNKNOWN_FUNCTION', 5],
    ['log(2)', 'NK_CALC_UNKNOWN_FUNCTION', 1],
    ['pi(2)', 'NK_CALC_UNKNOWN_FUNCTION', 1],
    ['__proto__(1)', 'NK_CALC_UNKNOWN_FUNCTION', 1],
    ['constructor', 'NK_CALC_UNKNOWN_NAME', 1],
    // Arity.
    ['sqrt()', 'NK_CALC_ARITY', 1],
    ['sqrt(1, 2)', 'NK_CALC_ARITY', 1],
    ['abs(1, 2)', 'NK_CALC_ARITY', 1],
    ['max()', 'NK_CALC_ARITY', 1],
    ['min()', 'NK_CALC_ARITY', 1],
    ['round()', 'NK_CALC_ARITY', 1],
    ['round(1, 2, 3)', 'NK_CALC_ARITY', 1],
    ['1 + floor(1, 2)', 'NK_CALC_ARITY', 5],
    ['(+, 5)', 'NK_CALC_ARITY', 1],
    ['(-, 1, 2, 3)', 'NK_CALC_ARITY', 1],
    ['(**, 2, 3, 2)', 'NK_CALC_ARITY', 1],
    // Limits.
    ['9 ** 9 ** 9 ** 9', 'NK_CALC_TOO_LARGE', 8],
    ['10 ** 100000', 'NK_CALC_TOO_LARGE', 4],
    ['10 ** 10000', 'NK_CALC_TOO_LARGE', 4],
    ['2 ** 0.5 ** -100', 'NK_CALC_TOO_LARGE', 3],
    ['1e10000', 'NK_CALC_TOO_LARGE', 1],
    ['1 + 1e-10000', 'NK_CALC_TOO_LARGE', 5],
    ['1e99999999999999999999', 'NK_CALC_TOO_LARGE', 1],
    ['10**9999 * 10', 'NK_CALC_TOO_LARGE', 10],
    ['round(1, 10**6)', 'NK_CALC_TOO_LARGE', 1],
    ['e ** 30000', 'NK_CALC_TOO_LARGE', 3],
    ['sqrt(2) ** 100000', 'NK_CALC_TOO_LARGE', 9],
    ['(1 + sqrt(2)/10**40) ** (10**45)', 'NK_CALC_TOO_LARGE', 22],
    ['1.0000001 ** 1000000000', 'NK_CALC_TOO_LARGE', 11],
    ['-'.repeat(65) + '1', 'NK_CALC_TOO_DEEP', 65],
    ['('.repeat(65) + '1' + ')'.repeat(65), 'NK_CALC_TOO_DEEP', 65],
    ['2' + '**2'.repeat(65), 'NK_CALC_TOO_DEEP', 2 + 3 * 64],
    ['abs('.repeat(65) + '1' + ')'.repeat(65), 'NK_CALC_TOO_DEEP', 4 * 64 + 4],
    ['1'.repeat(1025), 'NK_CALC_TOO_LONG', 1025],
    ['1 + 2\u0000', 'NK_CALC_BAD_INPUT', 6],
    ['1 +\n2', 'NK_CALC_BAD_INPUT', 4],
    ['1 +\r2', 'NK_CALC_BAD_INPUT', 4],
    ['\u007f', 'NK_CALC_BAD_INPUT', 1],
    ['1\u0085', 'NK_CALC_BAD_INPUT', 2],
    ['😀\ud800', 'NK_CALC_BAD_INPUT', 2],
    ['\udc00', 'NK_CALC_BAD_INPUT', 1],
  ];
  it.each(table)('%s → %s at column %s', (expr, code, column) => {
    const error = errorOf(expr);
    expect(error.code).toBe(code);
    expect(error.column).toBe(column);
    expect(error.details.column).toBe(column);
  });

  it('explains syntax errors with what was expected and what was found', () => {
    expect(errorOf('5 + * 6').message).toBe(
      'syntax error: expected a number, "(", a name or a function, found "*"',
    );
    expect(errorOf('2 3').message).toBe(
      'syntax error: expected an operator or the end of the expression, found the number "3"',
    );
    expect(errorOf('(5').message).toBe(
      'syntax error: expected an operator or ")", found the end of the expression',
    );
    expect(errorOf('max(1 2)').message).toBe(
      'syntax error: expected an operator, "," or ")", found the number "2"',
    );
    expect(errorOf('5 − 3').message).toBe(
      'syntax error: expected an operator or the end of the expression, found "−" (U+2212; type "-")',
    );
    expect(errorOf('1e').message).toBe('syntax error: invalid number "1e": the exponent needs digits');
    expect(errorOf('').message).toBe('syntax error: empty expression');
    expect(errorOf('5 + * 6').details).toMatchObject({
      expected: 'a number, "(", a name or a function',
      found: '"*"',
    });
  });

  it('words the other errors for people', () => {
    expect(errorOf('1/0').message).toBe('division by zero');
    expect(errorOf('1%0').message).toBe('division by zero: modulo by zero');
    expect(errorOf('sqrt(-4)').message).toBe('math domain error: sqrt of a negative number');
    expect(errorOf('PI').message).toBe('unknown name: "PI" (names are case-sensitive: did you mean "pi"?)');
    expect(errorOf('Sqrt(4)').message).toBe(
      'unknown function: "Sqrt" (names are case-sensitive: did you mean "sqrt"?)',
    );
    expect(errorOf('pi(2)').message).toBe('unknown function: "pi" (pi is a constant, not a function)');
    expect(errorOf('round()').message).toBe('wrong number of arguments: round takes 1 or 2 arguments, got 0');
    expect(errorOf('max()').message).toBe('wrong number of arguments: max takes at least 1 argument, got 0');
    expect(errorOf('abs(1,2)').message).toBe('wrong number of arguments: abs takes 1 argument, got 2');
    expect(errorOf('(-, 1)').message).toBe('wrong number of arguments: (-, ...) takes two operands, got 1');
    expect(errorOf('10 ** 100000').message).toBe(
      'number too large: the power would have about 100000 digits; the limit is 10000 digits',
    );
    expect(errorOf('a'.repeat(30)).message).toBe(
      `unknown name: "${'a'.repeat(24)}…" (the constants are pi and e)`,
    );
  });

  it('counts columns in code points, not UTF-16 units', () => {
    expect(errorOf('"😀" + 1').column).toBe(1);
    expect(errorOf('1 + 😀 + 2').column).toBe(5);
    expect(errorOf('1 + 2 + x # 😀').column).toBe(9);
  });

  it('reports the leftmost problem', () => {
    expect(errorOf('1 + * $').column).toBe(5);
    expect(errorOf('x + 1/0').code).toBe('NK_CALC_UNKNOWN_NAME');
    expect(errorOf('1/0 + 2**99999').code).toBe('NK_CALC_DIV_ZERO');
  });
});
