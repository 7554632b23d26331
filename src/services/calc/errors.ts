/**
 * The calculator's errors: one RemoteError subclass per stable code (docs/errors.md). Each
 * carries the 1-based column (in Unicode code points of the expression) where the problem
 * is, when there is one, and the ERROR line to answer with, so the runtime replies in the
 * calc grammar even when one escapes a session.
 *
 * A message is a summary ("syntax error"), then optionally ": " and the detail; summaries
 * contain no ": ", which lets renderCalcError put the column between the two.
 */
import { type ErrorDetails, RemoteError } from '../../core/errors.js';

export type CalcErrorCode =
  | 'NK_CALC_SYNTAX'
  | 'NK_CALC_DIV_ZERO'
  | 'NK_CALC_TOO_LARGE'
  | 'NK_CALC_TOO_LONG'
  | 'NK_CALC_TOO_DEEP'
  | 'NK_CALC_UNKNOWN_FUNCTION'
  | 'NK_CALC_UNKNOWN_NAME'
  | 'NK_CALC_ARITY'
  | 'NK_CALC_DOMAIN'
  | 'NK_CALC_BAD_INPUT'
  | 'NK_CALC_BAD_REPLY';

/** Control characters (C0, DEL, C1) and line separators, which a one-line reply must not carry. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` with every character that could break a line escaped as \uXXXX. */
export function oneLine(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A piece of the peer's input for a message: quoted, escaped and cut short. */
export function quote(text: string, max = 24): string {
  const points = Array.from(text);
  const cut = points.length > max ? `${points.slice(0, max).join('')}…` : text;
  return JSON.stringify(cut);
}

/** The wire's error line: `ERROR <code> <column or -> <message>` and LF. */
export function errorLine(code: string, column: number | undefined, message: string): string {
  return `ERROR ${code} ${column ?? '-'} ${oneLine(message)}\n`;
}

export abstract class CalcError extends RemoteError {
  declare readonly code: CalcErrorCode;
  /** 1-based column in code points of the expression, or undefined when no place is to blame. */
  readonly column: number | undefined;
  /** The message without its detail, e.g. "syntax error". */
  readonly summary: string;

  constructor(
    code: CalcErrorCode,
    summary: string,
    detail: string | undefined,
    column: number | undefined,
    details: ErrorDetails = {},
  ) {
    const message = detail === undefined ? summary : `${summary}: ${detail}`;
    super(code, message, {
      details: column === undefined ? details : { column, ...details },
      reply: errorLine(code, column, message),
    });
    this.column = column;
    this.summary = summary;
  }
}

/** NK_CALC_SYNTAX: the text is not an expression; says what was expected and what was found. */
export class CalcSyntaxError extends CalcError {
  constructor(detail: string, column: number, info: { expected?: string; found?: string } = {}) {
    super('NK_CALC_SYNTAX', 'syntax error', detail, column, info);
  }
}

/** NK_CALC_DIV_ZERO: division or modulo by zero, or 0 to a negative power. */
export class CalcDivisionByZeroError extends CalcError {
  constructor(column: number | undefined, detail?: string) {
    super('NK_CALC_DIV_ZERO', 'division by zero', detail, column);
  }
}

/** NK_CALC_TOO_LARGE: a literal, an intermediate value or the result is over the size limit. */
export class CalcTooLargeError extends CalcError {
  constructor(detail: string, column?: number, details: ErrorDetails = {}) {
    super('NK_CALC_TOO_LARGE', 'number too large', detail, column, details);
  }
}

/** NK_CALC_TOO_LONG: the expression, the request line or the datagram is over its length limit. */
export class CalcTooLongError extends CalcError {
  constructor(detail: string, column?: number, details: ErrorDetails = {}) {
    super('NK_CALC_TOO_LONG', 'request too long', detail, column, details);
  }
}

/** NK_CALC_TOO_DEEP: parentheses, calls, signs or powers nested deeper than the limit. */
export class CalcTooDeepError extends CalcError {
  constructor(limit: number, column: number) {
    super('NK_CALC_TOO_DEEP', 'nesting too deep', `more than ${limit} levels`, column, { limit });
  }
}

/** NK_CALC_UNKNOWN_FUNCTION: a call of a name that is not one of the functions. */
export class CalcUnknownFunctionError extends CalcError {
  constructor(name: string, column: number, hint?: string) {
    super('NK_CALC_UNKNOWN_FUNCTION', 'unknown function', withHint(quote(name), hint), column, { name });
  }
}

/** NK_CALC_UNKNOWN_NAME: a name that is neither a constant nor a function. */
export class CalcUnknownNameError extends CalcError {
  constructor(name: string, column: number, hint?: string) {
    super('NK_CALC_UNKNOWN_NAME', 'unknown name', withHint(quote(name), hint), column, { name });
  }
}

/** NK_CALC_ARITY: a function or a tuple with the wrong number of operands. */
export class CalcArityError extends CalcError {
  constructor(detail: string, column: number) {
    super('NK_CALC_ARITY', 'wrong number of arguments', detail, column);
  }
}

/** NK_CALC_DOMAIN: an argument outside a function's domain (sqrt(-4), (-8) ** 0.5). */
export class CalcDomainError extends CalcError {
  constructor(detail: string, column: number) {
    super('NK_CALC_DOMAIN', 'math domain error', detail, column);
  }
}

/** NK_CALC_BAD_INPUT: not text (invalid UTF-8, control characters) or a malformed JSON request. */
export class CalcBadInputError extends CalcError {
  constructor(detail: string, column?: number) {
    super('NK_CALC_BAD_INPUT', 'bad input', detail, column);
  }
}

/** NK_CALC_BAD_REPLY: a client got a line that is not a calc reply. */
export class CalcBadReplyError extends CalcError {
  constructor(detail: string) {
    super('NK_CALC_BAD_REPLY', 'bad reply', detail, undefined);
  }
}

function withHint(text: string, hint: string | undefined): string {
  return hint === undefined ? text : `${text} (${hint})`;
}

/** Code points shown around the column when the expression is too long for one line. */
const RENDER_WIDTH = 72;

/**
 * An error for people: the expression, then a caret under the column and the message.
 *
 *     5 + * 6
 *         ^ syntax error at column 5: expected a number, "(", a name or a function, found "*"
 *
 * Works on a CalcError or on a parsed ERROR reply ({ column, message }). A long expression
 * is cut to a window around the column; control characters show as U+FFFD.
 */
export function renderCalcError(
  expr: string,
  error: { column?: number | undefined; message: string },
): string {
  const message = oneLine(error.message);
  if (error.column === undefined) return message;
  const split = message.indexOf(': ');
  const located =
    split < 0
      ? `${message} at column ${error.column}`
      : `${message.slice(0, split)} at column ${error.column}${message.slice(split)}`;
  let points = Array.from(expr, (c) => (c === '\t' ? ' ' : c.replace(UNPRINTABLE, '\ufffd')));
  let caret = error.column - 1;
  if (points.length > RENDER_WIDTH) {
    const start = Math.max(0, Math.min(caret - RENDER_WIDTH / 2, points.length - RENDER_WIDTH));
    const end = start + RENDER_WIDTH;
    const window = points.slice(start, end);
    if (start > 0) window.unshift('…');
    if (end < points.length) window.push('…');
    caret = caret - start + (start > 0 ? 1 : 0);
    points = window;
  }
  return `${points.join('')}\n${' '.repeat(Math.max(0, caret))}^ ${located}`;
}
