/**
 * Calculator: a client sends an expression (`5 + 6`, `(+, 5, 6)`, `{"expr":"2**100"}`),
 * the server answers one line (`OK 11`, `ERROR NK_CALC_DIV_ZERO 3 division by zero`).
 * Over TCP one request per line; over UDP one per datagram, trailing CR/LF ignored.
 * Pure: the arithmetic is exact BigInt rationals, with BigInt fixed point for irrationals;
 * no floating point decides a result and nothing here does I/O. docs/protocols/calc.md.
 * Everyday requests (`5 + 6`) take a fast path (protocol/fast.ts) that computes the same
 * rationals in safe integers and hands anything else to the general path.
 */
import type { NetkitError } from '../../core/errors.js';
import type { DatagramProtocol, StreamProtocol } from '../../runtime/service.js';
import { CalcError, CalcTooLongError, errorLine } from './errors.js';
import { type CalcOptions, resolveCalcOptions } from './protocol/limits.js';
import { replyTo } from './protocol/reply.js';

export { type CalcResult, evaluate } from './protocol/evaluate.js';
export {
  type CalcLimits,
  type CalcOptions,
  DEFAULT_CALC_LIMITS,
  resolveCalcOptions,
} from './protocol/limits.js';
export type { CalcNumber } from './protocol/rational.js';
export { type CalcReply, parseCalcReply } from './protocol/reply.js';

/** The limits when no options are given, resolved once (replyTo never changes them). */
const DEFAULT_LIMITS = resolveCalcOptions();

/** The reply line (LF-terminated) to one request line, as the TCP service sends it. */
export function calcReply(request: Uint8Array | string, options?: CalcOptions): string {
  return replyTo(request, options === undefined ? DEFAULT_LIMITS : resolveCalcOptions(options), 'stream');
}

/** The reply to one datagram (trailing CR/LF ignored), as the UDP service sends it. */
export function calcDatagramReply(datagram: Uint8Array | string, options?: CalcOptions): string {
  return replyTo(
    stripLineEnds(datagram),
    options === undefined ? DEFAULT_LIMITS : resolveCalcOptions(options),
    'datagram',
  );
}

/** For ServiceDefinition.formatError: any error as an ERROR line of the calc grammar. */
export function formatError(error: NetkitError): string {
  return errorLine(error.code, error instanceof CalcError ? error.column : undefined, error.message);
}

export function createCalcStream(options?: CalcOptions): StreamProtocol {
  const limits = resolveCalcOptions(options);
  return {
    framing: 'line',
    session: () => ({
      receive: (line) => [{ type: 'send', data: replyTo(line, limits, 'stream') }],
      // The connection stays open: the next line is a new request.
      lineTooLong: (limit) => [
        { type: 'send', data: formatError(new CalcTooLongError(`the line is longer than ${limit} bytes`)) },
      ],
    }),
  };
}

export function createCalcDatagram(options?: CalcOptions): DatagramProtocol {
  const limits = resolveCalcOptions(options);
  return {
    receive: (datagram) => [replyTo(stripLineEnds(datagram), limits, 'datagram')],
    tooLarge: (size, limit) => [
      formatError(new CalcTooLongError(`the datagram has ${size} bytes; the limit is ${limit}`)),
    ],
  };
}

export const calcStream: StreamProtocol = createCalcStream();
export const calcDatagram: DatagramProtocol = createCalcDatagram();

/** `echo '5 + 6' | nc -u` sends a newline; `printf '5+6\r\n'` a CRLF: neither is part of the request. */
function stripLineEnds(request: Uint8Array | string): Uint8Array | string {
  let end = request.length;
  if (typeof request === 'string') {
    while (end > 0 && (request[end - 1] === '\n' || request[end - 1] === '\r')) end--;
    return request.slice(0, end);
  }
  while (end > 0 && (request[end - 1] === 0x0a || request[end - 1] === 0x0d)) end--;
  return request.subarray(0, end);
}
