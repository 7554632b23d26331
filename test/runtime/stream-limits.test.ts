import { afterEach, describe, expect, it } from 'vitest';
import { startService } from '../../src/runtime/run-service.js';
import { echoDatagram, echoStream } from '../../src/services/echo/protocol.js';
import { closeStarted, connectClient, startTracked, tcpPort, upperService } from './fixtures.js';

const start = startTracked;
afterEach(closeStarted);

describe('stream runtime limits', () => {
  it('answers an over-long line with an error and keeps the connection', async () => {
    const server = await start(upperService, { limits: { maxLineBytes: 16 } });
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.write(`${'x'.repeat(100)}\nok\n`);
    const text = await client.waitFor('OK\n');
    expect(text).toBe('error NK_LINE_TOO_LONG: line longer than 16 bytes\nOK\n');
    expect(server.stats().errors).toBe(1);
    client.socket.destroy();
  });

  it('counts a line of exactly the limit (CRLF ended) as fine', async () => {
    const server = await start(upperService, { limits: { maxLineBytes: 4 } });
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.write('abcd\r\nabcde\n');
    const text = await client.waitFor('error');
    expect(text.startsWith('ABCD\n')).toBe(true);
    client.socket.destroy();
  });

  it('stops reading from a peer that never reads, so memory stays bounded', async () => {
    const server = await start(
      {
        name: 'echo',
        summary: '',
        defaultListen: ['tcp://127.0.0.1:0'],
        stream: echoStream,
        datagram: echoDatagram,
      },
      {},
    );
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.pause(); // never read
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const total = 64 * 1024 * 1024;
    let written = 0;
    const deadline = Date.now() + 3000;
    // Write with our own backpressure until the pipe is full, bounded in count and time.
    while (written < total && Date.now() < deadline) {
      if (!client.socket.write(chunk)) {
        const drained = await Promise.race([
          new Promise<boolean>((resolve) => client.socket.once('drain', () => resolve(true))),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500)),
        ]);
        written += chunk.length;
        if (!drained) break;
      } else {
        written += chunk.length;
      }
    }
    const { bytesIn } = server.stats();
    // The server took in only what fits in socket buffers plus its own high-water marks.
    expect(written).toBeLessThan(total);
    expect(bytesIn).toBeLessThan(16 * 1024 * 1024);
    client.socket.destroy();
  });

  it('refuses connections over the limit with one line, and serves the others', async () => {
    const server = await start(upperService, { limits: { maxConnections: 2 } });
    const port = tcpPort(server.endpoints[0]!);
    const first = await connectClient({ port });
    const second = await connectClient({ port });
    first.socket.write('a\n');
    await first.waitFor('A\n');
    const third = await connectClient({ port });
    await third.closed;
    expect(third.received()).toBe(
      'error NK_TOO_MANY_CONNECTIONS: server full (2 connections); try again later\n',
    );
    second.socket.write('b\n');
    await second.waitFor('B\n');
    expect(server.stats()).toMatchObject({ connectionsRefused: 1, connectionsOpen: 2 });
    first.socket.destroy();
    second.socket.destroy();
  });

  it('closes an idle connection with a notice', async () => {
    const server = await start(upperService, { limits: { idleTimeoutMs: 200 } });
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.on('end', () => client.socket.end());
    await client.closed;
    expect(client.received()).toBe('error NK_IDLE_TIMEOUT: closing idle connection after 0.2 s\n');
  });

  it('replies after the peer half-closes (nc -N)', async () => {
    const server = await start(upperService);
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.end('last line without newline');
    await client.closed;
    expect(client.received()).toBe('LAST LINE WITHOUT NEWLINE\n');
  });

  it('closes when the session asks, after flushing its reply', async () => {
    const server = await start(upperService);
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.write('hi\nquit\nignored\n');
    await client.closed;
    expect(client.received()).toBe('HI\nbye\n');
  });
});

describe('graceful shutdown', () => {
  it('lets a request in flight finish, then closes', async () => {
    const server = await startService(upperService, {});
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.write('hel');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = server.close(3000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.socket.write('lo\nmore\n');
    client.socket.on('end', () => client.socket.end());
    await closing;
    await client.closed;
    expect(client.received()).toBe('HELLO\n');
  });

  it('drops a connection whose request never completes once the deadline passes', async () => {
    const server = await startService(upperService, {});
    const client = await connectClient({ port: tcpPort(server.endpoints[0]!) });
    client.socket.write('never ends');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close(300);
    await client.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(client.received()).toBe('');
  });

  it('stops accepting new connections at once', async () => {
    const server = await startService(upperService, {});
    const port = tcpPort(server.endpoints[0]!);
    await server.close(100);
    await expect(connectClient({ port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
