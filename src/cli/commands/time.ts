/**
 * `netkit time URL`: asks a time server (RFC 868) for its clock and prints it as ISO-8601
 * UTC with its offset from the local clock in seconds (the protocol has whole seconds, so
 * the offset is good to about a second). TCP and Unix: connect and read the 4 bytes until
 * the server closes; UDP: an empty datagram, retried. --json: {time, field (the 32-bit value sent), offsetSeconds}.
 */
import type { Command } from 'commander';
import { datagramExchange, readUntilClose } from '../../client/exchange.js';
import { parseEndpoint } from '../../core/endpoint.js';
import { wallClockMs } from '../../runtime/clock.js';
import { decodeTime } from '../../services/time/index.js';
import { addClientOptions, type ClientFlags, clientSettings } from '../client-options.js';
import { printLine } from '../output.js';

/** Whole seconds, `2026-11-24T21:05:03Z`. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function registerTime(program: Command): void {
  const command = program
    .command('time')
    .description(
      'ask a time server (RFC 868) for its clock and its offset from ours: netkit time tcp://127.0.0.1:3737',
    )
    .argument('<url>', 'tcp://HOST:PORT, udp://HOST:PORT or unix:/path');
  addClientOptions(command);
  command.action(async (url: string, flags: ClientFlags) => {
    const endpoint = parseEndpoint(url);
    const settings = clientSettings(flags);
    const sent = wallClockMs();
    const bytes =
      endpoint.transport === 'udp'
        ? await datagramExchange(
            endpoint,
            { ...settings, maxBytes: 64 },
            () => new Uint8Array(0),
            (reply) => reply,
          )
        : await readUntilClose(endpoint, { timeoutMs: settings.timeoutMs, maxBytes: 64 });
    const received = wallClockMs();
    const serverMs = decodeTime(bytes, received);
    // The server truncates to the second it is in: its clock read somewhere in [serverMs,
    // serverMs + 1000), while ours read the middle of the exchange; take the middles.
    const offsetSeconds = (serverMs + 500 - (sent + received) / 2) / 1000;
    const rounded = Math.round(offsetSeconds * 1000) / 1000;
    if (flags.json) {
      printLine(
        JSON.stringify({
          time: isoSeconds(serverMs),
          field: bytes.readUInt32BE(0),
          offsetSeconds: rounded,
        }),
      );
    } else {
      printLine(
        `${isoSeconds(serverMs)}  offset ${rounded >= 0 ? '+' : ''}${rounded.toFixed(3)} s from the local clock`,
      );
    }
  });
}
