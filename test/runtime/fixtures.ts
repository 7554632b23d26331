/** Small services and socket helpers for the runtime's tests. */
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { type RunningService, startService } from '../../src/runtime/run-service.js';
import type { ServiceDefinition } from '../../src/runtime/service.js';

const decoder = new TextDecoder();

/** Line service: replies with each line in upper case; `quit` closes. */
export const upperService: ServiceDefinition = {
  name: 'upper',
  summary: 'upper-cases lines',
  defaultListen: ['tcp://127.0.0.1:0'],
  stream: {
    framing: 'line',
    session: () => ({
      receive: (line) => {
        const text = decoder.decode(line);
        if (text === 'quit') return [{ type: 'send', data: 'bye\n' }, { type: 'close' }];
        return [{ type: 'send', data: `${text.toUpperCase()}\n` }];
      },
    }),
  },
  datagram: { receive: (datagram) => [decoder.decode(datagram).toUpperCase()] },
};

export function tcpPort(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

/** A connected client that collects everything it receives. */
export interface Client {
  socket: Socket;
  received(): string;
  /** Resolves once the received text contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  closed: Promise<void>;
}

export function connectClient(options: { port: number; host?: string } | { path: string }): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect(options as never);
    let buffer = '';
    const waiters: (() => void)[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (const waiter of waiters.splice(0)) waiter();
    });
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => buffer,
        closed,
        waitFor(text, timeoutMs = 3000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(
              () =>
                fail(
                  new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(buffer)}`),
                ),
              timeoutMs,
            );
            const check = () => {
              if (buffer.includes(text)) {
                clearTimeout(timer);
                ok(buffer);
              } else waiters.push(check);
            };
            check();
          });
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** Sends datagrams and collects replies for `waitMs`. */
export async function udpExchange(
  port: number,
  host: string,
  messages: (string | Buffer)[],
  waitMs = 300,
): Promise<string[]> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const replies: string[] = [];
  socket.on('message', (message) => replies.push(message.toString('utf8')));
  for (const message of messages) {
    await new Promise<void>((resolve, reject) =>
      socket.send(message, port, host, (error) => (error ? reject(error) : resolve())),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  socket.close();
  return replies;
}

const running: RunningService[] = [];

/** startService, remembered so that closeStarted() (afterEach) stops it. */
export async function startTracked(...args: Parameters<typeof startService>): Promise<RunningService> {
  const service = await startService(...args);
  running.push(service);
  return service;
}

export async function closeStarted(): Promise<void> {
  await Promise.all(running.splice(0).map((service) => service.close(0)));
}
