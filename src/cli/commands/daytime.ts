/**
 * `netkit daytime URL`: asks a daytime server (RFC 867) for the time and prints its line.
 * TCP and Unix: connect and read until the server closes; UDP: one datagram, retried.
 * With --json: {text, time}, time the ISO-8601 instant when the text is in a format
 * parseDaytime reads, else null.
 */
import type { Command } from 'commander';
import { datagramExchange, readUntilClose } from '../../client/exchange.js';
import { parseEndpoint } from '../../core/endpoint.js';
import { DaytimeBadReplyError, parseDaytime } from '../../services/daytime/index.js';
import { addClientOptions, type ClientFlags, clientSettings } from '../client-options.js';
import { printLine } from '../output.js';

/** A daytime line is short; anything longer is cut here. */
const MAX_REPLY_BYTES = 4096;

/** A server's text made safe for a terminal: control characters (but tab and newline) as \xNN. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) =>
    char === '\r' ? '' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function registerDaytime(program: Command): void {
  const command = program
    .command('daytime')
    .description('ask a daytime server (RFC 867) for the date and time: netkit daytime tcp://127.0.0.1:1313')
    .argument('<url>', 'tcp://HOST:PORT, udp://HOST:PORT or unix:/path');
  addClientOptions(command);
  command.action(async (url: string, flags: ClientFlags) => {
    const endpoint = parseEndpoint(url);
    const settings = clientSettings(flags);
    const bytes =
      endpoint.transport === 'udp'
        ? await datagramExchange(
            endpoint,
            { ...settings, maxBytes: MAX_REPLY_BYTES },
            () => '\n',
            (reply) => reply,
          )
        : await readUntilClose(endpoint, { timeoutMs: settings.timeoutMs, maxBytes: MAX_REPLY_BYTES });
    const text = new TextDecoder().decode(bytes).replace(/^[\s\0]+|[\s\0]+$/g, '');
    if (text === '') throw new DaytimeBadReplyError('the server sent no text');
    let time: string | null = null;
    try {
      time = parseDaytime(text).toISOString();
    } catch (error) {
      if (!(error instanceof DaytimeBadReplyError)) throw error;
    }
    if (flags.json) printLine(JSON.stringify({ text, time }));
    else printLine(printable(text));
  });
}
