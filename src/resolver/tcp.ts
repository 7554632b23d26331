/**
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message with a 2-byte length before it;
 * one connection carries several queries, pipelined, told apart by their IDs; a zone
 * transfer's replies arrive as a stream of messages with the query's ID.
 */
import { connect, type Socket } from 'node:net';
import { ConnectionClosedError } from '../client/errors.js';
import { formatHostPort } from '../core/endpoint.js';
import { LocalError } from '../core/errors.js';
import { decodeMessage, type Message } from '../dns/message.js';
import { DnsBadReplyError, DnsTimeoutError } from './errors.js';
import { repliesTo } from './match.js';

export interface DnsTcpReply {
  message: Message;
  bytes: Uint8Array;
}

interface Waiter {
  query: Message;
  /** Called with each reply to this query (one for a query, many for a transfer). */
  onReply(reply: DnsTcpReply): void;
  onError(error: Error): void;
}

export interface DnsTcpConnection {
  readonly endpoint: string;
  /** Sends a query and resolves with its reply (other queries may be in flight). */
  send(query: Message, bytes: Uint8Array, timeoutMs: number): Promise<DnsTcpReply>;
  /** Sends a query whose replies are several messages (AXFR); `onReply` gets each one. */
  stream(query: Message, bytes: Uint8Array, waiter: Omit<Waiter, 'query'>): () => void;
  close(): void;
}

export function openDnsTcp(
  server: string,
  port: number,
  options: { timeoutMs: number },
): Promise<DnsTcpConnection> {
  const endpoint = formatHostPort(server, port);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: server, port });
    const waiters = new Map<number, Waiter>();
    let buffered: Buffer = Buffer.alloc(0);
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DnsTimeoutError(`a TCP connection`, [endpoint], 1, options.timeoutMs));
    }, options.timeoutMs);
    const failAll = (error: Error) => {
      closed = true;
      for (const waiter of waiters.values()) waiter.onError(error);
      waiters.clear();
    };
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
      failAll(error);
    });
    socket.on('close', () => failAll(new ConnectionClosedError(endpoint)));
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const bytes = new Uint8Array(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        let message: Message;
        try {
          message = decodeMessage(bytes);
        } catch (error) {
          // Over TCP the peer is the server itself: a malformed reply is its failure.
          failAll(
            new DnsBadReplyError(`malformed reply from ${endpoint}: ${(error as Error).message}`, {
              cause: error,
            }),
          );
          socket.destroy();
          return;
        }
        const waiter = waiters.get(message.id);
        if (waiter && repliesTo(waiter.query, message)) waiter.onReply({ message, bytes });
      }
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      const write = (bytes: Uint8Array) => {
        const frame = Buffer.allocUnsafe(2 + bytes.length);
        frame.writeUInt16BE(bytes.length, 0);
        frame.set(bytes, 2);
        socket.write(frame);
      };
      resolve({
        endpoint,
        send(query, bytes, timeoutMs) {
          return new Promise((done, fail) => {
            if (closed) {
              fail(new ConnectionClosedError(endpoint));
              return;
            }
            // Replies are told apart by ID: two queries in flight with one ID cannot be.
            if (waiters.has(query.id)) {
              fail(
                new LocalError(
                  'NK_DNS_ID_IN_USE',
                  `query ID ${query.id} is already in flight on ${endpoint}`,
                ),
              );
              return;
            }
            const timeout = setTimeout(() => {
              waiters.delete(query.id);
              fail(
                new DnsTimeoutError(
                  query.question[0]?.name.toText() ?? 'the query',
                  [endpoint],
                  1,
                  timeoutMs,
                ),
              );
            }, timeoutMs);
            waiters.set(query.id, {
              query,
              onReply: (reply) => {
                clearTimeout(timeout);
                waiters.delete(query.id);
                done(reply);
              },
              onError: (error) => {
                clearTimeout(timeout);
                fail(error);
              },
            });
            write(bytes);
          });
        },
        stream(query, bytes, waiter) {
          if (closed) {
            waiter.onError(new ConnectionClosedError(endpoint));
            return () => {};
          }
          waiters.set(query.id, { query, ...waiter });
          write(bytes);
          return () => waiters.delete(query.id);
        },
        close() {
          closed = true;
          waiters.clear();
          socket.destroy();
        },
      });
    });
  });
}
