/**
 * One-shot exchanges for the classic services' clients (echo, daytime, time, SNTP), on the
 * socket API. UDP: one request datagram, the first acceptable reply; an unanswered request
 * is sent again from a fresh source port (a late reply to an earlier try is never taken for
 * the answer to a later one). TCP and Unix: connect, optionally send, read until the server
 * closes.
 */
import { type Endpoint, formatEndpoint, type InetEndpoint } from '../core/endpoint.js';
import { ipFamily } from '../core/ip.js';
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
import { RequestTimeoutError } from './errors.js';

export interface ExchangeOptions {
  /** How long to wait for a reply (each try, over UDP; the whole read, over TCP). */
  timeoutMs: number;
  /** UDP: further tries after the first goes unanswered. */
  retries: number;
  /** Largest reply accepted (bytes). */
  maxBytes?: number;
}

/** The address family to use for a UDP endpoint: the literal's, or the first the resolver gives. */
async function udpFamily(endpoint: InetEndpoint): Promise<typeof AF_INET | typeof AF_INET6> {
  const literal = ipFamily(endpoint.host);
  if (literal !== 0) return literal === 6 ? AF_INET6 : AF_INET;
  const [first] = await getaddrinfo(endpoint.host, endpoint.port, 0, SOCK_DGRAM);
  return first?.[0] === AF_INET6 ? AF_INET6 : AF_INET;
}

/**
 * UDP request/reply. `makeRequest` builds each try's datagram (SNTP stamps it with the send
 * time); `accept` reads a reply to it and returns the result, or undefined to ignore that
 * datagram and keep waiting (a reply to something else); what it throws ends the exchange.
 */
export async function datagramExchange<Request extends Uint8Array | string, Result>(
  endpoint: InetEndpoint,
  options: ExchangeOptions,
  makeRequest: () => Request,
  accept: (reply: Buffer, request: Request) => Result | undefined,
): Promise<Result> {
  const family = await udpFamily(endpoint);
  const tries = 1 + options.retries;
  for (let attempt = 1; attempt <= tries; attempt++) {
    const udp = socket(family, SOCK_DGRAM);
    try {
      // connect(): only datagrams from the server are received, and a closed port is reported.
      await udp.connect([endpoint.host, endpoint.port]);
      const request = makeRequest();
      const deadline = Date.now() + options.timeoutMs;
      await udp.send(request);
      for (;;) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        udp.setTimeout(remaining);
        const reply = await udp.recv(options.maxBytes ?? 65536);
        const result = accept(reply, request);
        if (result !== undefined) return result;
      }
    } catch (error) {
      if (!(error instanceof SocketTimeoutError)) throw error;
    } finally {
      await udp.close();
    }
  }
  throw new RequestTimeoutError(formatEndpoint(endpoint), tries, options.timeoutMs);
}

/** Connects to a TCP or Unix endpoint (within the timeout) and returns the socket, with no timeout set. */
export async function connectStream(endpoint: Endpoint, timeoutMs: number): Promise<StreamSocket> {
  const connection =
    endpoint.transport === 'unix'
      ? await createConnection(endpoint.path, { timeoutMs })
      : await createConnection([endpoint.host, endpoint.port], { timeoutMs });
  connection.setTimeout(null);
  return connection;
}

/**
 * TCP or Unix: connects, sends `request` if any, and reads until the server closes (or
 * `maxBytes` have come). No close within the timeout is NK_REQUEST_TIMEOUT.
 */
export async function readUntilClose(
  endpoint: Endpoint,
  options: Omit<ExchangeOptions, 'retries'> & { request?: Uint8Array | string },
): Promise<Buffer> {
  const started = Date.now();
  const connection = await connectStream(endpoint, options.timeoutMs);
  const maxBytes = options.maxBytes ?? 1 << 20;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    if (options.request !== undefined && options.request.length > 0)
      await connection.sendall(options.request);
    while (total < maxBytes) {
      const remaining = options.timeoutMs - (Date.now() - started);
      if (remaining <= 0) throw new RequestTimeoutError(formatEndpoint(endpoint), 1, options.timeoutMs);
      connection.setTimeout(remaining);
      let chunk: Buffer;
      try {
        chunk = await connection.recv(65536);
      } catch (error) {
        if (error instanceof SocketTimeoutError) {
          throw new RequestTimeoutError(formatEndpoint(endpoint), 1, options.timeoutMs);
        }
        throw error;
      }
      if (chunk.length === 0) break;
      chunks.push(chunk);
      total += chunk.length;
    }
  } finally {
    await connection.close();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}
