/**
 * A client for line-based request/reply services (calc, words, ...), on the socket API.
 * TCP and Unix: one connection, requests pipelined, replies matched in order (each reply
 * is one or more lines, assembled by the service's own parser). UDP: one datagram per
 * request and one per reply; an unanswered request is retried with a fresh source port
 * (so a late reply to an earlier try can never be taken for the answer to a later one).
 */
import { type Endpoint, formatEndpoint, type InetEndpoint } from '../core/endpoint.js';
import { LineFramer } from '../core/line-framer.js';
import { createConnection, type StreamSocket } from '../socket/index.js';
import { ConnectionClosedError, RequestTimeoutError } from './errors.js';
import { datagramExchange } from './exchange.js';

export { ConnectionClosedError, RequestTimeoutError } from './errors.js';

/** Builds one reply from the lines of a stream; returns it when complete. */
export interface ReplyAssembler<Reply> {
  push(line: string): Reply | undefined;
}

export interface RequestClientOptions<Reply> {
  /** How long to wait for each reply (each try, over UDP). */
  timeoutMs: number;
  /** UDP: further tries after the first goes unanswered. */
  retries: number;
  /** A fresh assembler for a stream connection. */
  newAssembler(): ReplyAssembler<Reply>;
  /** UDP: a whole reply datagram, decoded. */
  parseDatagram(text: string): Reply;
  /** Longest reply line accepted. */
  maxLineBytes?: number;
}

export interface RequestClient<Reply> {
  request(text: string): Promise<Reply>;
  close(): Promise<void>;
}

export async function openRequestClient<Reply>(
  endpoint: Endpoint,
  options: RequestClientOptions<Reply>,
): Promise<RequestClient<Reply>> {
  if (endpoint.transport === 'udp') return new DatagramRequestClient(endpoint, options);
  if (endpoint.transport === 'unix') {
    return new StreamRequestClient(await createConnection(endpoint.path), formatEndpoint(endpoint), options);
  }
  const connection = await createConnection([endpoint.host, endpoint.port], { timeoutMs: options.timeoutMs });
  connection.setTimeout(null);
  return new StreamRequestClient(connection, formatEndpoint(endpoint), options);
}

interface Pending<Reply> {
  resolve(reply: Reply): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

class StreamRequestClient<Reply> implements RequestClient<Reply> {
  private readonly pending: Pending<Reply>[] = [];
  private readonly assembler: ReplyAssembler<Reply>;
  private failure: unknown;

  constructor(
    private readonly connection: StreamSocket,
    private readonly name: string,
    private readonly options: RequestClientOptions<Reply>,
  ) {
    this.assembler = options.newAssembler();
    void this.readReplies();
  }

  request(text: string): Promise<Reply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new RequestTimeoutError(this.name, 1, this.options.timeoutMs)),
        this.options.timeoutMs,
      );
      this.pending.push({ resolve, reject, timer });
      this.connection.sendall(`${text}\n`).catch((error: unknown) => this.fail(error));
    });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async readReplies(): Promise<void> {
    const framer = new LineFramer(this.options.maxLineBytes ?? 1 << 20);
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const chunk = await this.connection.recv(65536);
        const events = chunk.length === 0 ? framer.finish() : framer.push(chunk);
        for (const event of events) {
          if (event.type !== 'line') continue;
          const reply = this.assembler.push(decoder.decode(event.line));
          if (reply === undefined) continue;
          const waiter = this.pending.shift();
          if (waiter) {
            clearTimeout(waiter.timer);
            waiter.resolve(reply);
          }
        }
        if (chunk.length === 0) break;
      }
      this.fail(new ConnectionClosedError(this.name));
    } catch (error) {
      this.fail(error);
    }
  }

  /** The connection is unusable: every waiting request fails with `error`. */
  private fail(error: unknown): void {
    this.failure ??= error;
    for (const waiter of this.pending.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(this.failure);
    }
    void this.connection.close();
  }
}

class DatagramRequestClient<Reply> implements RequestClient<Reply> {
  constructor(
    private readonly endpoint: InetEndpoint,
    private readonly options: RequestClientOptions<Reply>,
  ) {}

  request(text: string): Promise<Reply> {
    return datagramExchange(
      this.endpoint,
      this.options,
      () => text,
      (reply) => this.options.parseDatagram(new TextDecoder().decode(reply)),
    );
  }

  async close(): Promise<void> {}
}
