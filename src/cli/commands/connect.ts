/**
 * `netkit connect URL`: nc's client mode on the socket API. stdin goes to the socket and the
 * socket to stdout. Backpressure comes from the socket API: stdout is written before the
 * next recv(), so a slow stdout leaves data in the (bounded) receive buffer, which pauses the
 * socket and lets TCP flow control stop the peer; stdin is read no faster than sendall() drains.
 */
import { once } from 'node:events';
import type { Command } from 'commander';
import {
  type Endpoint,
  formatEndpoint,
  formatHostPort,
  type InetEndpoint,
  parseEndpoint,
} from '../../core/endpoint.js';
import { LocalError, UsageError } from '../../core/errors.js';
import { LineFramer } from '../../core/line-framer.js';
import {
  createConnection,
  type DatagramSocket,
  getaddrinfo,
  type PeerAddress,
  SHUT_WR,
  SOCK_DGRAM,
  type StreamSocket,
  socket,
} from '../../socket/index.js';

/** The largest UDP payload over IPv4, less the newline each datagram carries. */
const MAX_UDP_LINE = 65_507 - 1;
const NEWLINE = Buffer.from('\n');

interface ConnectOptions {
  timeout?: string;
  wait: string;
  verbose?: boolean;
}

export function registerConnect(program: Command): void {
  program
    .command('connect')
    .description('connect to URL and copy stdin to it and what it sends to stdout, as nc does')
    .argument('<url>', 'tcp://HOST:PORT, tcp://[IPv6]:PORT, udp://HOST:PORT or unix:/path')
    .option('--timeout <seconds>', 'TCP and Unix: give up connecting after this many seconds (default: none)')
    .option('--wait <seconds>', 'UDP: after stdin ends, wait this long for replies (as nc -q)', '1')
    .option('-v, --verbose', 'print "connected to ..." on stderr')
    .addHelpText(
      'after',
      `
TCP and Unix: when stdin ends, the write side is shut down (as nc -N) and netkit exits
once the peer closes the connection.
UDP: each line of stdin, newline included, is sent as one datagram (what line-based UDP
services such as a calculator expect, and what nc sends as you type); replies are printed
as they arrive until --wait seconds after stdin ends.
`,
    )
    .action(async (url: string, options: ConnectOptions) => {
      const endpoint = parseEndpoint(url);
      const timeoutMs = options.timeout === undefined ? null : parseSeconds(options.timeout, '--timeout');
      const waitMs = parseSeconds(options.wait, '--wait');
      if (endpoint.transport === 'udp') await connectDatagram(endpoint, waitMs, options.verbose);
      else await connectStream(endpoint, timeoutMs, options.verbose);
    });
}

function parseSeconds(text: string, flag: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`${flag} expects a number of seconds >= 0, not "${text}"`);
  }
  return Math.round(seconds * 1000);
}

function describePeer(endpoint: Endpoint, peer: PeerAddress): string {
  const url = formatEndpoint(endpoint);
  if (typeof peer === 'string' || endpoint.transport === 'unix' || endpoint.family !== 0) return url;
  return `${url} (${formatHostPort(peer[0], peer[1])})`;
}

/** Writes to stdout, waiting when its buffer is full (no recv() happens meanwhile). */
async function writeOut(chunk: Uint8Array): Promise<void> {
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}

/** When the reader of stdout goes away (| head), stop quietly, as nc does. */
function onStdoutBroken(stop: () => void): void {
  process.stdout.on('error', stop);
}

/** Stops reading stdin, so the process can exit even while stdin (a terminal) is still open. */
function stopStdin(): void {
  process.stdin.destroy();
}

async function connectStream(endpoint: Endpoint, timeoutMs: number | null, verbose?: boolean): Promise<void> {
  const target = endpoint.transport === 'unix' ? endpoint.path : ([endpoint.host, endpoint.port] as const);
  const s = await createConnection(target, { timeoutMs });
  s.setTimeout(null); // --timeout is for connecting only; an idle session may last
  if (verbose) process.stderr.write(`netkit: connected to ${describePeer(endpoint, s.getpeername())}\n`);
  let stdoutBroken = false;
  onStdoutBroken(() => {
    stdoutBroken = true;
    void s.close();
  });
  // Once the peer has closed, what stdin still had no longer matters (nc exits too), so
  // errors of the input side (stdin destroyed, broken pipe) are not reported.
  const input = copyStdinTo(s).catch(() => undefined);
  try {
    for await (const chunk of s) await writeOut(chunk);
  } catch (error) {
    // A broken stdout ends the session quietly, whatever the pending call then reports.
    if (!stdoutBroken) throw error;
  } finally {
    stopStdin();
    await s.close();
    await input;
  }
}

async function copyStdinTo(s: StreamSocket): Promise<void> {
  for await (const chunk of process.stdin) await s.sendall(chunk as Buffer);
  await s.shutdown(SHUT_WR);
}

async function connectDatagram(endpoint: InetEndpoint, waitMs: number, verbose?: boolean): Promise<void> {
  const candidates = await getaddrinfo(endpoint.host, endpoint.port, 0, SOCK_DGRAM);
  const [family, , , , address] = candidates[0]!;
  const s = socket(family, SOCK_DGRAM);
  // Connected, so only the server's datagrams are printed and ICMP "port unreachable" is reported.
  await s.connect(address);
  if (verbose) process.stderr.write(`netkit: connected to ${describePeer(endpoint, s.getpeername())}\n`);
  onStdoutBroken(() => void s.close());
  const replies = printReplies(s);
  replies.catch(() => undefined); // awaited below
  try {
    await sendLines(s, replies);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([waited, replies]).finally(() => clearTimeout(timer));
  } finally {
    stopStdin();
    await s.close();
  }
  await replies;
}

async function printReplies(s: DatagramSocket): Promise<void> {
  for await (const [data] of s) await writeOut(data);
}

/** One datagram per line of stdin. Stops early if receiving failed (the error is thrown by the caller). */
async function sendLines(s: DatagramSocket, replies: Promise<void>): Promise<void> {
  let failed = false;
  replies.catch(() => {
    failed = true;
    stopStdin();
  });
  const framer = new LineFramer(MAX_UDP_LINE);
  const send = async (events: ReturnType<LineFramer['push']>, newline: boolean) => {
    for (const event of events) {
      if (event.type === 'too-long') {
        throw new LocalError(
          'NK_DATAGRAM_TOO_LARGE',
          `a line of stdin is longer than ${event.limit} bytes and cannot be sent as one UDP datagram`,
          { details: { limit: event.limit } },
        );
      }
      await s.send(newline ? Buffer.concat([event.line, NEWLINE]) : event.line);
    }
  };
  try {
    for await (const chunk of process.stdin) await send(framer.push(chunk as Buffer), true);
  } catch (error) {
    if (!failed) throw error;
  }
  // A last line without a newline is sent as it is.
  if (!failed) await send(framer.finish(), false);
}
