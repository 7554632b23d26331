/**
 * Every stream socket method over real loopback sockets: TCP over IPv4 and IPv6 (port 0)
 * and Unix sockets in a temporary folder.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AF_UNIX, SHUT_WR, SOCK_STREAM, socket } from '../../src/socket/index.js';
import { codeOf, connectedPair, listening, STREAM_FAMILIES, track } from './helpers/sockets.js';

describe.each(STREAM_FAMILIES)('$name socket', ({ family, bindAddress, skip }) => {
  const isUnix = family === AF_UNIX;

  it.skipIf(skip)(
    'binds (port 0 becomes a real port), connects and accepts with matching addresses',
    async () => {
      const server = await listening(family, bindAddress());
      const bound = server.getsockname();
      if (isUnix) expect(typeof bound).toBe('string');
      else expect((bound as [string, number])[1]).toBeGreaterThan(0);
      const client = track(socket(family, SOCK_STREAM));
      await client.connect(bound);
      const [conn, addr] = await server.accept();
      track(conn);
      expect(client.getpeername()).toEqual(bound);
      expect(conn.getsockname()).toEqual(bound);
      if (isUnix) {
        expect(addr).toBe(''); // an unbound Unix client has no name, as Python reports
      } else {
        expect(addr).toEqual(client.getsockname());
        expect(conn.getpeername()).toEqual(addr);
      }
    },
  );

  it.skipIf(skip)('send returns the byte count; recv returns at most bufsize of what arrived', async () => {
    const [client, conn] = await connectedPair(family, bindAddress());
    expect(await client.send('héllo world')).toBe(12);
    let got = Buffer.alloc(0);
    while (got.length < 12) got = Buffer.concat([got, await conn.recv(100)]);
    expect(got.toString()).toBe('héllo world');
    await conn.sendall(new Uint8Array([1, 2, 3, 4, 5, 6]));
    await sleep(20);
    expect([...(await client.recv(4))]).toEqual([1, 2, 3, 4]);
    expect([...(await client.recv(100))]).toEqual([5, 6]);
    expect((await client.recv(0)).length).toBe(0);
  });

  it.skipIf(skip)('recv waits until data arrives', async () => {
    const [client, conn] = await connectedPair(family, bindAddress());
    let done = false;
    const pending = conn.recv(10).then((data) => {
      done = true;
      return data;
    });
    await sleep(50);
    expect(done).toBe(false);
    await client.sendall('late');
    expect((await pending).toString()).toBe('late');
  });

  it.skipIf(skip)('recv gives an empty result at end of stream, every time', async () => {
    const [client, conn] = await connectedPair(family, bindAddress());
    await client.sendall('last words');
    await client.close();
    let text = '';
    for (let data = await conn.recv(3); data.length > 0; data = await conn.recv(3)) text += data.toString();
    expect(text).toBe('last words');
    expect((await conn.recv(10)).length).toBe(0);
    expect((await conn.recvfrom(10))[0].length).toBe(0);
  });

  it.skipIf(skip)('serves concurrent recv calls in call order', async () => {
    const [client, conn] = await connectedPair(family, bindAddress());
    const reads = [conn.recv(4), conn.recv(4), conn.recv(4), conn.recv(4)];
    await client.sendall('aaaabbbbcccc');
    await client.close();
    expect((await Promise.all(reads)).map(String)).toEqual(['aaaa', 'bbbb', 'cccc', '']);
  });

  it.skipIf(skip)(
    'half-closes with shutdown(SHUT_WR): the peer sees end of stream and can still answer',
    async () => {
      const [client, conn] = await connectedPair(family, bindAddress());
      await client.sendall('question');
      await client.shutdown(SHUT_WR);
      const chunks: Buffer[] = [];
      for await (const chunk of conn) chunks.push(chunk);
      expect(Buffer.concat(chunks).toString()).toBe('question');
      await conn.sendall('answer');
      await conn.close();
      expect((await client.recv(100)).toString()).toBe('answer');
      expect(await codeOf(client.send('more'))).toBe('NK_SOCKET_STATE');
    },
  );

  it.skipIf(skip)('recvfrom returns the data with the peer address', async () => {
    const [client, conn] = await connectedPair(family, bindAddress());
    await conn.sendall('x');
    const [data, from] = await client.recvfrom(10);
    expect(data.toString()).toBe('x');
    expect(from).toEqual(client.getpeername());
  });

  it.skipIf(skip)('queues connections until accept(), in arrival order, and iterates them', async () => {
    const server = await listening(family, bindAddress());
    for (const name of ['first', 'second', 'third']) {
      const client = track(socket(family, SOCK_STREAM));
      await client.connect(server.getsockname());
      await client.sendall(name);
      await client.shutdown(SHUT_WR);
    }
    const names: string[] = [];
    for await (const [conn] of server.connections()) {
      track(conn);
      const parts: Buffer[] = [];
      for await (const chunk of conn) parts.push(chunk);
      names.push(Buffer.concat(parts).toString());
      if (names.length === 3) await server.close();
    }
    expect(names).toEqual(['first', 'second', 'third']);
  });

  it.skipIf(skip)('resets connections beyond backlog + 1 waiting for accept(), and counts them', async () => {
    const server = track(socket(family, SOCK_STREAM));
    await server.bind(bindAddress());
    server.listen(1);
    // Connect one at a time, so the queue fills in a known order.
    const outcomes: Promise<string>[] = [];
    for (let i = 0; i < 4; i++) {
      const client = track(socket(family, SOCK_STREAM));
      const connected = client.connect(server.getsockname());
      // The reset may beat the end of the handshake (connect fails) or come after it (recv fails).
      outcomes.push(
        connected.then(
          async () => (await client.recv(100)).toString() || 'end of stream',
          (error: { code: string }) => error.code,
        ),
      );
      await connected.catch(() => undefined);
    }
    while (server.stats().dropped < 2) await sleep(10);
    expect(server.stats().dropped).toBe(2);
    for (let i = 0; i < 2; i++) {
      const [conn] = await server.accept();
      await track(conn).sendall('welcome');
    }
    const results = await Promise.all(outcomes.map((outcome) => outcome.catch((e) => e.code)));
    expect(results.slice(0, 2)).toEqual(['welcome', 'welcome']);
    // A reset TCP connection reports it; a Unix one can only be closed.
    for (const result of results.slice(2)) {
      expect(result).toBe(isUnix ? 'end of stream' : 'NK_CONN_RESET');
    }
  });

  it.skipIf(skip)(
    'close() rejects pending calls and later ones with NK_SOCKET_CLOSED; closing twice is fine',
    async () => {
      const [client, conn, server] = await connectedPair(family, bindAddress());
      // codeOf() is attached at once: a rejection must not go unhandled while close() runs.
      const pendingRecv = codeOf(conn.recv(10));
      const pendingAccept = codeOf(server.accept());
      await conn.close();
      await server.close();
      expect(await pendingRecv).toBe('NK_SOCKET_CLOSED');
      expect(await pendingAccept).toBe('NK_SOCKET_CLOSED');
      await conn.close();
      expect(await codeOf(conn.recv(1))).toBe('NK_SOCKET_CLOSED');
      expect(await codeOf(conn.sendall('x'))).toBe('NK_SOCKET_CLOSED');
      expect(await codeOf(() => conn.getsockname())).toBe('NK_SOCKET_CLOSED');
      expect(await codeOf(() => server.listen())).toBe('NK_SOCKET_CLOSED');
      // What was sent before close() still arrives, then the end of stream.
      expect((await client.recv(10)).length).toBe(0);
    },
  );

  it.skipIf(skip || !isUnix)('creates the socket file at bind() and removes it at close()', async () => {
    const path = bindAddress() as string;
    const server = await listening(family, path);
    expect(existsSync(path)).toBe(true);
    await server.close();
    expect(existsSync(path)).toBe(false);
  });
});
