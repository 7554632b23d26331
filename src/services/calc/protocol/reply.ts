/**
 * The wire: one request in (a line or a datagram), one line out.
 *
 *   request  := expression | json-object          (JSON when the first non-blank byte is "{")
 *   reply    := "OK " result LF
 *             | "ERROR " code " " (column | "-") " " message LF
 *   json     := {"ok":true,"expr":E,"result":R,"exact":B[,"id":I]} LF
 *             | {"ok":false[,"expr":E],"error":{"code":C,"message":M,"column":N|null}[,"id":I]} LF
 *
 * Columns are 1-based, in Unicode code points of the expression. docs/protocols/calc.md
 * has the whole grammar with examples.
 */
import {
  CalcBadInputError,
  CalcBadReplyError,
  CalcError,
  CalcTooLargeError,
  CalcTooLongError,
  errorLine,
  quote,
} from '../errors.js';
import { evaluateWith } from './evaluate.js';
import { fastRational, fastText } from './fast.js';
import { formatNumber } from './format.js';
import { firstInvalidUtf8, utf8Length } from './input.js';
import type { CalcLimits } from './limits.js';

export type CalcReply =
  | { ok: true; result: string; exact?: boolean; expr?: string; id?: string | number }
  | {
      ok: false;
      code: string;
      column: number | undefined;
      message: string;
      expr?: string;
      id?: string | number;
    };

export type Transport = 'stream' | 'datagram';

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();

/** A JSON id longer than this is refused (it is echoed back). */
const MAX_ID_LENGTH = 256;

interface Request {
  json: boolean;
  expr?: string;
  id?: string | number;
}

/**
 * The reply line (with its LF) to one request. Throws only on a bug, never for bad input.
 * `fast` false skips the fast path (fast.ts): the reply is the same, only slower.
 */
export function replyTo(
  request: Uint8Array | string,
  limits: CalcLimits,
  transport: Transport,
  fast = true,
): string {
  if (fast) {
    const quick = fastReply(request, limits);
    // An ASCII reply: its length in bytes is its length. Over the datagram limit, the general path says so.
    if (quick !== undefined && (transport === 'stream' || quick.length <= limits.maxDatagramReplyBytes)) {
      return quick;
    }
  }
  const bytes = typeof request === 'string' ? encoder.encode(request) : request;
  const seen: Request = { json: startsWithBrace(bytes) };
  let reply: string;
  try {
    const text = decodeRequest(bytes, seen.json, limits);
    if (seen.json) {
      const { expr, id } = parseJsonRequest(text);
      if (id !== undefined) seen.id = id;
      if (typeof expr !== 'string') throw new CalcBadInputError('a JSON request needs "expr", a string');
      seen.expr = expr;
    } else {
      seen.expr = text;
    }
    // A text request has had its fast path above; the expression of a JSON one has not.
    const result = evaluateWith(seen.expr, limits, fast && seen.json);
    reply = seen.json
      ? jsonLine({ ok: true, expr: seen.expr, result: result.text, exact: result.exact, id: seen.id })
      : `OK ${result.text}\n`;
  } catch (error) {
    if (!(error instanceof CalcError)) throw error;
    reply = errorReply(error, seen);
  }
  if (transport === 'datagram' && utf8Length(reply) > limits.maxDatagramReplyBytes) {
    const error = new CalcTooLargeError(
      `the reply would take ${utf8Length(reply)} bytes, over the datagram limit of ${limits.maxDatagramReplyBytes}; ask over TCP`,
    );
    // No echo of the expression: this reply must stay small.
    reply = errorReply(error, { json: seen.json, ...(seen.id === undefined ? {} : { id: seen.id }) });
  }
  return reply;
}

/** `OK <result>` LF for a plain request the fast path can answer, else undefined. */
function fastReply(request: Uint8Array | string, limits: CalcLimits): string | undefined {
  const value = fastRational(request, limits);
  if (value === undefined) return undefined;
  const text =
    fastText(value) ??
    formatNumber({ num: BigInt(value.num), den: BigInt(value.den), exact: true }, limits.significantDigits)
      .text;
  return `OK ${text}\n`;
}

function errorReply(error: CalcError, request: Request): string {
  if (!request.json) return errorLine(error.code, error.column, error.message);
  return jsonLine({
    ok: false,
    expr: request.expr,
    error: { code: error.code, message: error.message, column: error.column ?? null },
    id: request.id,
  });
}

/** JSON.stringify drops undefined members and escapes control characters: one line always. */
function jsonLine(value: object): string {
  return `${JSON.stringify(value)}\n`;
}

function startsWithBrace(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09) return byte === 0x7b;
  }
  return false;
}

/** The request as text: within the size limit and well-formed UTF-8. */
function decodeRequest(bytes: Uint8Array, json: boolean, limits: CalcLimits): string {
  if (bytes.length > limits.maxRequestBytes) {
    throw new CalcTooLongError(
      `the request has ${bytes.length} bytes; the limit is ${limits.maxRequestBytes}`,
      undefined,
      {
        limit: limits.maxRequestBytes,
      },
    );
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
    // A column counts code points of the expression, which a JSON request has not revealed yet.
    const column = json ? undefined : Array.from(decoder.decode(bytes.subarray(0, bad))).length + 1;
    throw new CalcBadInputError(`invalid UTF-8 (byte 0x${hex})`, column);
  }
  return decoder.decode(bytes);
}

function parseJsonRequest(text: string): { expr: unknown; id?: string | number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CalcBadInputError('the request starts with "{" but is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CalcBadInputError('a JSON request is an object');
  }
  const { expr, id } = value as Record<string, unknown>;
  if (id === undefined) return { expr };
  if (
    (typeof id === 'string' && id.length <= MAX_ID_LENGTH) ||
    (typeof id === 'number' && Number.isFinite(id))
  ) {
    return { expr, id };
  }
  throw new CalcBadInputError(`"id" must be a number or a string of at most ${MAX_ID_LENGTH} characters`);
}

const NUMBER = /^-?[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?$/;
const ERROR = /^ERROR ([A-Z][A-Z0-9_]*) ([1-9][0-9]*|-) (.*)$/;

/** A client's view of one reply line (text or JSON, LF or CRLF optional). */
export function parseCalcReply(line: string): CalcReply {
  const text = line.replace(/\r?\n$/, '');
  if (text.startsWith('{')) return parseJsonReply(text);
  if (text.startsWith('OK ')) {
    const result = text.slice(3);
    if (!NUMBER.test(result)) throw new CalcBadReplyError(`${quote(result)} is not a number`);
    return { ok: true, result };
  }
  const match = ERROR.exec(text);
  if (match === null) throw new CalcBadReplyError(`${quote(text)} is neither "OK ..." nor "ERROR ..."`);
  return {
    ok: false,
    code: match[1]!,
    column: match[2] === '-' ? undefined : Number(match[2]),
    message: match[3]!,
  };
}

function parseJsonReply(text: string): CalcReply {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CalcBadReplyError('invalid JSON');
  }
  const reply = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const extra = {
    ...(typeof reply.expr === 'string' ? { expr: reply.expr } : {}),
    ...(typeof reply.id === 'string' || typeof reply.id === 'number' ? { id: reply.id } : {}),
  };
  if (reply.ok === true && typeof reply.result === 'string' && NUMBER.test(reply.result)) {
    return { ok: true, result: reply.result, exact: reply.exact === true, ...extra };
  }
  const error = (typeof reply.error === 'object' && reply.error !== null ? reply.error : {}) as Record<
    string,
    unknown
  >;
  const { code, message, column } = error;
  const validColumn =
    column === null || (typeof column === 'number' && Number.isSafeInteger(column) && column > 0);
  if (reply.ok === false && typeof code === 'string' && typeof message === 'string' && validColumn) {
    return { ok: false, code, message, column: column === null ? undefined : (column as number), ...extra };
  }
  throw new CalcBadReplyError('a JSON reply without "ok" and "result" or "error"');
}
