/**
 * The calculator's named limits. Each has a default here and can be overridden per call
 * (`evaluate(expr, { maxDigits: 2000 })`) or per service (`createCalcStream(options)`).
 * Every one of them turns a hostile request into a quick error instead of a hang.
 */
import { LocalError } from '../../../core/errors.js';

export const DEFAULT_CALC_LIMITS = {
  /** Longest expression, in characters (UTF-16 code units). */
  maxLength: 1024,
  /** Longest request (a line without its end, or a datagram), in bytes; JSON escapes make it longer than its expression. */
  maxRequestBytes: 8192,
  /** Deepest nesting of parentheses, calls, tuples, unary signs and powers' exponents. At most 1000. */
  maxDepth: 64,
  /** Most digits written in one number literal (before and after the point, and in the exponent). */
  maxLiteralDigits: 1000,
  /** Most decimal digits in the numerator or the denominator of any value, intermediate or final. */
  maxDigits: 10_000,
  /** Significant digits shown for a result that is not exact (rounded half to even). 1 to 1000. */
  significantDigits: 30,
  /** Largest reply to a datagram, in bytes; a longer result is refused (ask over TCP) so the service amplifies no floods. */
  maxDatagramReplyBytes: 1232,
} as const;

export type CalcLimits = { -readonly [K in keyof typeof DEFAULT_CALC_LIMITS]: number };

/** Any of the limits; the rest keep their defaults. */
export type CalcOptions = Partial<CalcLimits>;

/** Digits carried beyond the displayed ones while computing approximations. */
export const GUARD_DIGITS = 20;

/** Upper bounds an option may take (deeper nesting would run out of stack). */
const MAXIMA: Partial<CalcLimits> = { maxDepth: 1000, significantDigits: 1000 };

/** Options with defaults filled in; a bad value is the caller's error (NK_CALC_BAD_OPTION). */
export function resolveCalcOptions(options: CalcOptions = {}): CalcLimits {
  const limits: CalcLimits = { ...DEFAULT_CALC_LIMITS };
  for (const key of Object.keys(DEFAULT_CALC_LIMITS) as (keyof CalcLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const maximum = MAXIMA[key] ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || value < 1 || value > maximum) {
      throw new LocalError(
        'NK_CALC_BAD_OPTION',
        `calc option ${key} must be an integer from 1 to ${maximum}`,
        {
          details: { option: key, value },
        },
      );
    }
    limits[key] = value;
  }
  return limits;
}
