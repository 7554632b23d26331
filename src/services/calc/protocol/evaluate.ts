/**
 * Evaluates a parsed expression. Exact rationals stay exact; anything irrational becomes
 * an approximation of `significantDigits + GUARD_DIGITS` digits. Every intermediate value
 * is checked against maxDigits, and a power's size is estimated from logarithms before it
 * is computed, so `9 ** 9 ** 9 ** 9` fails at once instead of filling memory.
 */
import { CalcDivisionByZeroError, CalcDomainError, CalcTooLargeError } from '../errors.js';
import { bitLength, exactRoot, log10Abs, log10Ratio, pow10 } from './bigint.js';
import { fastRational, fastText } from './fast.js';
import { formatNumber } from './format.js';
import { checkText, columnAt } from './input.js';
import { type CalcLimits, type CalcOptions, GUARD_DIGITS, resolveCalcOptions } from './limits.js';
import { type BinaryOperator, type FunctionName, type Node, parse } from './parser.js';
import {
  absolute,
  add,
  approximate,
  type CalcNumber,
  ceil,
  compare,
  divide,
  floor,
  floorDivide,
  fraction,
  isInteger,
  modulo,
  multiply,
  negate,
  ONE,
  powerApproximate,
  powerExact,
  roundToPlaces,
  scientific,
  sign,
  subtract,
} from './rational.js';
import { e, expOfFixed, ln10Fixed, lnFixed, pi, sqrtApproximate } from './real.js';

export interface CalcResult {
  /** The result as the wire shows it: in full when exact and terminating, else rounded. */
  text: string;
  /** True when `text` is exactly the value of the expression; false when it is rounded. */
  exact: boolean;
  /** The value computed: an exact fraction, or (value.exact false) an approximation. */
  value: CalcNumber;
}

/** Evaluates `expr`; throws a CalcError (a RemoteError) for anything wrong with it. */
export function evaluate(expr: string, options?: CalcOptions): CalcResult {
  return evaluateWith(expr, options === undefined ? DEFAULT_LIMITS : resolveCalcOptions(options));
}

/** The limits when no options are given, resolved once (nothing here changes them). */
const DEFAULT_LIMITS = resolveCalcOptions();

/**
 * `fast` false skips the fast path (fast.ts) and always takes the general one; the results
 * are the same either way, which the tests check by comparing the two.
 */
export function evaluateWith(expr: string, limits: CalcLimits, fast = true): CalcResult {
  if (fast) {
    const quick = fastRational(expr, limits);
    if (quick !== undefined) {
      const value: CalcNumber = { num: BigInt(quick.num), den: BigInt(quick.den), exact: true };
      const text = fastText(quick);
      return text === undefined ? result(value, limits) : { text, exact: true, value };
    }
  }
  checkText(expr, limits);
  const tree = parse(expr, limits);
  return result(new Evaluator(expr, limits).value(tree), limits);
}

/** `value` with its text; spelled out, as spreading formatNumber's answer costs more than computing it. */
function result(value: CalcNumber, limits: CalcLimits): CalcResult {
  const { text, exact } = formatNumber(value, limits.significantDigits);
  return { text, exact, value };
}

class Evaluator {
  /** Significant digits of approximations. */
  private readonly working: number;
  /** Every numerator and denominator must stay below this: 10^maxDigits. */
  private readonly bound: bigint;

  constructor(
    private readonly source: string,
    private readonly limits: CalcLimits,
  ) {
    this.working = limits.significantDigits + GUARD_DIGITS;
    this.bound = pow10(limits.maxDigits);
  }

  private column(at: number): number {
    return columnAt(this.source, at);
  }

  value(node: Node): CalcNumber {
    switch (node.kind) {
      case 'number':
        return this.checked(node.value, node.at);
      case 'constant':
        return node.name === 'pi' ? pi(this.working) : e(this.working);
      case 'unary': {
        const operand = this.value(node.operand);
        return node.op === '-' ? negate(operand) : operand;
      }
      case 'chain': {
        let result = this.value(node.first);
        for (const link of node.rest)
          result = this.binary(link.op, result, this.value(link.operand), link.at);
        return result;
      }
      case 'power':
        return this.binary('**', this.value(node.base), this.value(node.exponent), node.at);
      case 'tuple': {
        const values = node.operands.map((operand) => this.value(operand));
        let result = values[0]!;
        for (const next of values.slice(1)) result = this.binary(node.op, result, next, node.at);
        return result;
      }
      case 'call':
        return this.checked(
          this.call(
            node.name,
            node.args.map((arg) => this.value(arg)),
            node.at,
          ),
          node.at,
        );
    }
  }

  /** `x` if its numerator and denominator are within maxDigits. */
  private checked(x: CalcNumber, at: number): CalcNumber {
    const magnitude = x.num < 0n ? -x.num : x.num;
    if (magnitude >= this.bound || x.den >= this.bound) {
      throw new CalcTooLargeError(
        `a value is over the limit of ${this.limits.maxDigits} digits`,
        this.column(at),
        {
          limit: this.limits.maxDigits,
        },
      );
    }
    return x;
  }

  private tooLarge(at: number, what: string): CalcTooLargeError {
    return new CalcTooLargeError(`${what}; the limit is ${this.limits.maxDigits} digits`, this.column(at), {
      limit: this.limits.maxDigits,
    });
  }

  /** An approximation as it is shown: operations that cut at a digit see what people see. */
  private settle(x: CalcNumber): CalcNumber {
    return x.exact ? x : approximate(x.num, x.den, this.limits.significantDigits);
  }

  private binary(op: BinaryOperator, a: CalcNumber, b: CalcNumber, at: number): CalcNumber {
    const digits = this.working;
    if ((op === '/' || op === '//' || op === '%') && b.num === 0n) {
      throw new CalcDivisionByZeroError(this.column(at), op === '%' ? 'modulo by zero' : undefined);
    }
    switch (op) {
      case '+':
        return this.checked(add(a, b, digits), at);
      case '-':
        return this.checked(subtract(a, b, digits), at);
      case '*':
        return this.checked(multiply(a, b, digits), at);
      case '/':
        return this.checked(divide(a, b, digits), at);
      case '//':
        return this.checked(floorDivide(this.settle(a), this.settle(b)), at);
      case '%':
        return this.checked(modulo(this.settle(a), this.settle(b), digits), at);
      case '**':
        return this.checked(this.power(a, b, at), at);
    }
  }

  private power(a: CalcNumber, b: CalcNumber, at: number): CalcNumber {
    const exact = a.exact && b.exact;
    const y = this.settle(b);
    if (a.num === 0n) {
      if (sign(y) < 0)
        throw new CalcDivisionByZeroError(this.column(at), '0 cannot be raised to a negative power');
      return { ...(sign(y) === 0 ? ONE : a), exact };
    }
    if (a.den === 1n && a.num === 1n) return { ...ONE, exact };
    if (isInteger(y)) return this.integerPower(a, y.num, exact, at);
    if (a.num < 0n) {
      throw new CalcDomainError('a negative number cannot be raised to a non-integer power', this.column(at));
    }
    if (exact) {
      // a^(p/q) is rational exactly when a is a perfect q-th power (p/q in lowest terms).
      const q = b.den;
      if (q <= BigInt(Math.max(bitLength(a.num), bitLength(a.den)))) {
        const rootNum = exactRoot(a.num, Number(q));
        const rootDen = rootNum === undefined ? undefined : exactRoot(a.den, Number(q));
        if (rootNum !== undefined && rootDen !== undefined) {
          return this.integerPower(fraction(rootNum, rootDen), b.num, true, at);
        }
      }
    }
    return this.realPower(a, b, at);
  }

  private integerPower(a: CalcNumber, n: bigint, exact: boolean, at: number): CalcNumber {
    if (a.den === 1n && (a.num === 1n || a.num === -1n)) {
      return { num: (n & 1n) === 0n ? 1n : a.num, den: 1n, exact };
    }
    const count = Math.abs(Number(n));
    if (a.exact) {
      const digits = count * Math.max(log10Abs(a.num), log10Abs(a.den));
      if (digits > this.limits.maxDigits + 1)
        throw this.tooLarge(at, `the power would have ${about(digits)} digits`);
      const result = powerExact(a, n);
      return exact ? result : approximate(result.num, result.den, this.working);
    }
    const magnitude = count * Math.abs(log10Ratio(a.num, a.den));
    if (magnitude > this.limits.maxDigits + 1) {
      throw this.tooLarge(at, `the power would have ${about(magnitude)} digits`);
    }
    const { m, exp } = powerApproximate(a, n, this.working);
    // The estimate is a float; this bound is exact, and checked before 10^exp is built.
    if (!(Math.abs(exp) <= this.limits.maxDigits + this.working)) {
      throw this.tooLarge(at, 'the power would have too many digits');
    }
    return scientific(m, exp);
  }

  /** a^b = exp(b ln a) for a > 0 and b not an integer. */
  private realPower(a: CalcNumber, b: CalcNumber, at: number): CalcNumber {
    const logA = Math.abs(log10Ratio(a.num, a.den));
    const logB = log10Abs(b.num) - log10Abs(b.den);
    // The result has about logA × 10^logB digits; multiplied in log space, neither overflows.
    const magnitude = 10 ** (Math.log10(logA) + logB);
    if (magnitude > this.limits.maxDigits + 1) {
      throw this.tooLarge(at, `the power would have ${about(magnitude)} digits`);
    }
    const F = this.working + GUARD_DIGITS;
    // ln a must be good to the digits of b beyond F for b × ln a to be good to F.
    const extra = Math.max(0, Math.ceil(logB)) + 2;
    const L = (b.num * lnFixed(a.num, a.den, F + extra)) / (b.den * pow10(extra));
    // The float estimate misses when a is within about 1e-15 of 1; this check does not.
    const limit = BigInt(this.limits.maxDigits + this.working + 2) * ln10Fixed(F);
    if (L > limit || -L > limit) throw this.tooLarge(at, 'the power would have too many digits');
    return expOfFixed(L, F, this.working);
  }

  private call(name: FunctionName, args: CalcNumber[], at: number): CalcNumber {
    const x = args[0]!;
    switch (name) {
      case 'abs':
        return absolute(x);
      case 'floor':
        return floor(this.settle(x));
      case 'ceil':
        return ceil(this.settle(x));
      case 'min':
      case 'max': {
        const wanted = name === 'min' ? -1 : 1;
        return args.reduce((best, next) => (compare(next, best) === wanted ? next : best));
      }
      case 'round':
        return this.round(x, args[1], at);
      case 'sqrt':
        return this.sqrt(x, at);
    }
  }

  /** Python's round: half to even, to `places` decimal places (0 when absent). */
  private round(x: CalcNumber, places: CalcNumber | undefined, at: number): CalcNumber {
    if (places === undefined) return roundToPlaces(this.settle(x), 0);
    const n = this.settle(places);
    if (!isInteger(n))
      throw new CalcDomainError("round's second argument must be an integer", this.column(at));
    if (n.num > BigInt(this.limits.maxDigits) || -n.num > BigInt(this.limits.maxDigits)) {
      throw this.tooLarge(at, "round's second argument is over the limit");
    }
    const rounded = roundToPlaces(this.settle(x), Number(n.num));
    return { ...rounded, exact: x.exact && places.exact };
  }

  private sqrt(x: CalcNumber, at: number): CalcNumber {
    if (x.num < 0n) throw new CalcDomainError('sqrt of a negative number', this.column(at));
    if (x.num === 0n) return x;
    if (x.exact) {
      const num = exactRoot(x.num, 2);
      const den = num === undefined ? undefined : exactRoot(x.den, 2);
      if (num !== undefined && den !== undefined) return fraction(num, den);
    }
    return sqrtApproximate(x.num, x.den, this.working);
  }
}

/** An estimated count of digits for a message. */
function about(digits: number): string {
  if (!Number.isFinite(digits)) return 'too many';
  return digits < 1e15 ? `about ${Math.round(digits)}` : `about ${digits.toExponential(1)}`;
}
