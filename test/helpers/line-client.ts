/** Line-based TCP and UDP test clients that collect what arrives and wait for a line. */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';

export interface LineClient {
  readonly lines: string[];
  send(line: string | Buffer): void;
  /** Resolves with the first line (from the start) matching `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

function collector(): {
  lines: string[];
  push(line: string): void;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
} {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  return {
    lines,
    push(line) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    },
    waitFor(pattern, timeoutMs = 5000) {
      const found = lines.find((line) => pattern.test(line));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no line matching ${pattern} in:\n${lines.join('\n')}`));
        }, timeoutMs);
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
      });
    },
  };
}

/** A TCP client on 127.0.0.1:port; resolves once connected. */
export function tcpLineClient(port: number, host = '127.0.0.1'): Promise<LineClient & { socket: Socket }> {
  const lines = collector();
  const socket = connect({ host, port });
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const part of parts) lines.push(part);
  });
  socket.on('error', () => {});
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        lines: lines.lines,
        waitFor: lines.waitFor,
        send: (line) => socket.write(typeof line === 'string' ? `${line}\n` : line),
        close: () => socket.destroy(),
      }),
    );
  });
}

/** A UDP client sending to 127.0.0.1:port: each send is one datagram, each datagram one or more lines. */
export function udpLineClient(port: number, host = '127.0.0.1'): Promise<LineClient & { socket: UdpSocket }> {
  const lines = collector();
  const socket = createSocket('udp4');
  socket.on('message', (message) => {
    for (const line of message.toString('utf8').replace(/\n$/, '').split('\n')) lines.push(line);
  });
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        socket,
        lines: lines.lines,
        waitFor: lines.waitFor,
        send: (line) => socket.send(typeof line === 'string' ? Buffer.from(line) : line, port, host),
        close: () => socket.close(),
      }),
    );
  });
}
