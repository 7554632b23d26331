/**
 * Daytime (RFC 867): the date and time as a line of text. Over TCP the server sends the line
 * as soon as a client connects, then closes (whatever the client sends is ignored); over UDP
 * any datagram, empty or not, is answered with one datagram holding the line.
 *
 * The default line is what inetd's built-in daytime sends, ctime's form and CRLF:
 * `Tue Nov 24 21:05:03 2026\r\n`, in UTC. RFC 867's example form and RFC 3339 are options,
 * and so are any IANA time zone and a bare LF. docs/protocols/daytime.md has the details.
 * Pure: `now` is passed in, nothing here reads a clock.
 */
import type { DatagramProtocol, StreamProtocol } from '../../runtime/service.js';
import { DaytimeBadOptionError } from './errors.js';
import { FORMATTERS } from './protocol/format.js';
import {
  type DaytimeOptions,
  type ResolvedDaytimeOptions,
  resolveDaytimeOptions,
} from './protocol/options.js';

export { DAYTIME_FORMATS, type DaytimeFormat } from './protocol/format.js';
export {
  DAYTIME_DEFAULTS,
  type DaytimeLineEnd,
  type DaytimeOptions,
  type ResolvedDaytimeOptions,
  resolveDaytimeOptions,
} from './protocol/options.js';
export { type ParseDaytimeOptions, parseDaytime } from './protocol/parse.js';

function render(nowMs: number, resolved: ResolvedDaytimeOptions): string {
  if (!Number.isFinite(nowMs) || Math.abs(nowMs) > 8.64e15) {
    throw new DaytimeBadOptionError('nowMs must be a finite number of milliseconds within ±8.64e15', {
      nowMs: String(nowMs),
    });
  }
  // Whole milliseconds first (every format shows whole seconds): a tiny fraction before 1970
  // would vanish when the zone's offset is added, and land in the wrong second.
  return FORMATTERS[resolved.format](Math.floor(nowMs), resolved.zone) + resolved.lineEnd;
}

/** The line a daytime server sends at `nowMs` (milliseconds since the Unix epoch), line end included. */
export function daytimeText(nowMs: number, options: DaytimeOptions = {}): string {
  return render(nowMs, resolveDaytimeOptions(options));
}

/** TCP and Unix sockets: the line on connect, then close. The options are checked here, once. */
export function createDaytimeStream(options: DaytimeOptions = {}): StreamProtocol {
  const resolved = resolveDaytimeOptions(options);
  return {
    framing: 'raw',
    session: () => ({
      open: (now) => [{ type: 'send', data: render(now, resolved) }, { type: 'close' }],
      receive: () => [],
    }),
  };
}

/** UDP: any datagram gets one datagram with the line. The options are checked here, once. */
export function createDaytimeDatagram(options: DaytimeOptions = {}): DatagramProtocol {
  const resolved = resolveDaytimeOptions(options);
  return { receive: (_datagram, _peer, now) => [render(now, resolved)] };
}

/** The daytime service with the defaults (ctime, UTC, CRLF). */
export const daytimeStream: StreamProtocol = createDaytimeStream();
export const daytimeDatagram: DatagramProtocol = createDaytimeDatagram();
