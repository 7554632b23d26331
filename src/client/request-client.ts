/**
 * A client for line-based request/reply services (calc, words, ...), on the socket API.
 * TCP and Unix: one connection, requests pipelined, replies matched in order (each reply
 * is one or more lines, assembled by the service's own parser). UDP: one datagram per
 * request and one per reply; an unanswered request is retried with a fresh source port
 * (so a late reply to an earlier try can never be taken for the answer to a later one).
 */
import { type Endpoint, formatEndpoint, type InetEndpoint } from '../core/endpoint.js';
import { NetkitError } from '../core/errors.js';
import { ipFamily } from '../core/ip.js';
import { LineFramer } from '../core/line-framer.js';
import {
  AF_INET,
  AF_INET6,
  createConnection,
  getaddrinfo,
  SOCK_DGRAM,
  SocketTimeoutError,
  type StreamSocket,
  socket,
} from '../socket/index.js';

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

export class RequestTimeoutError extends NetkitError {
  constructor(endpoint: string, tries: number, timeoutMs: number) {
    const what =
      tries > 1 ? ` after ${tries} tries of ${timeoutMs / 1000} s` : ` within ${timeoutMs / 1000} s`;
    super('NK_REQUEST_TIMEOUT', `no reply from ${endpoint}${what}`, {
      details: { endpoint, tries, timeoutMs },
    });
  }
}

export class ConnectionClosedError extends NetkitError {
  constructor(endpoint: string) {
    super('NK_CONN_CLOSED', `${endpoint} closed the connection before replying`, { details: { endpoint } });
  }
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

  async request(text: string): Promise<Reply> {
    const { host, port } = this.endpoint;
    const family =
      ipFamily(host) || ((await getaddrinfo(host, port, 0, SOCK_DGRAM))[0]?.[0] === AF_INET6 ? 6 : 4);
    const tries = 1 + this.options.retries;
    for (let attempt = 1; attempt <= tries; attempt++) {
      const udp = socket(family === 6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
      try {
        // connect(): only datagrams from the server are received, and a closed port is reported.
        await udp.connect([host, port]);
        udp.setTimeout(this.options.timeoutMs);
        await udp.send(text);
        const reply = await udp.recv(65536);
        return this.options.parseDatagram(new TextDecoder().decode(reply));
      } catch (error) {
        if (!(error instanceof SocketTimeoutError)) throw error;
      } finally {
        await udp.close();
      }
    }
    throw new RequestTimeoutError(formatEndpoint(this.endpoint), tries, this.options.timeoutMs);
  }

  async close(): Promise<void> {}
}
