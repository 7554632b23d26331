/**
 * `netkit echo URL [TEXT...]`: sends text to an echo server (RFC 862) and prints what comes
 * back. TCP and Unix: the text (or all of stdin) is sent as it is, replies are printed as they
 * come, and once the input ends the client waits for the server to send the rest and close.
 * UDP: one datagram per line (TEXT, or each line of stdin), retried when unanswered; each
 * reply is printed as one line. --json: {sent, received} per line (UDP) or for the whole
 * exchange (TCP).
 */
import type { Command } from 'commander';
import { connectStream, datagramExchange } from '../../client/exchange.js';
import { RequestTimeoutError } from '../../client/request-client.js';
import { formatEndpoint, parseEndpoint } from '../../core/endpoint.js';
import { SHUT_WR, type StreamSocket } from '../../socket/index.js';
import { addClientOptions, type ClientFlags, clientSettings, forEachInputLine } from '../client-options.js';
import { printLine } from '../output.js';
import { printable } from './daytime.js';

/** Reads until the server closes; each chunk goes to `onChunk`. */
async function readAll(connection: StreamSocket, onChunk: (chunk: Buffer) => void): Promise<void> {
  for (;;) {
    const chunk = await connection.recv(65536);
    if (chunk.length === 0) return;
    onChunk(chunk);
  }
}

export function registerEcho(program: Command): void {
  const command = program
    .command('echo')
    .description('send text to an echo server (RFC 862) and print what comes back')
    .argument('<url>', 'tcp://HOST:PORT, udp://HOST:PORT or unix:/path')
    .argument('[text...]', 'the text (words are joined with spaces); none: stdin');
  addClientOptions(command);
  command.action(async (url: string, words: string[], flags: ClientFlags) => {
    const endpoint = parseEndpoint(url);
    const settings = clientSettings(flags);
    const text = words.length > 0 ? words.join(' ') : undefined;
    if (endpoint.transport === 'udp') {
      const ask = async (line: string) => {
        const reply = await datagramExchange(
          endpoint,
          settings,
          () => line,
          (bytes) => new TextDecoder().decode(bytes),
        );
        const received = reply.replace(/\r?\n$/, '');
        if (flags.json) printLine(JSON.stringify({ sent: line, received }));
        else printLine(printable(received));
      };
      if (text !== undefined) await ask(text);
      else await forEachInputLine('echo> ', ask);
      return;
    }
    const connection = await connectStream(endpoint, settings.timeoutMs);
    const decoder = new TextDecoder();
    let received = '';
    let sent = '';
    const sentDecoder = new TextDecoder();
    const reading = readAll(connection, (chunk) => {
      if (flags.json) received += decoder.decode(chunk, { stream: true });
      else process.stdout.write(chunk);
    });
    // A failed read ends the exchange; it is reported below.
    reading.catch(() => undefined);
    try {
      if (text !== undefined) {
        sent = `${text}\n`;
        await connection.sendall(sent);
      } else {
        for await (const chunk of process.stdin) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          if (flags.json) sent += sentDecoder.decode(bytes, { stream: true });
          await connection.sendall(bytes);
        }
      }
      await connection.shutdown(SHUT_WR);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new RequestTimeoutError(formatEndpoint(endpoint), 1, settings.timeoutMs)),
          settings.timeoutMs,
        );
      });
      try {
        await Promise.race([reading, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      await connection.close();
    }
    if (flags.json)
      printLine(JSON.stringify({ sent: sent + sentDecoder.decode(), received: received + decoder.decode() }));
  });
}
