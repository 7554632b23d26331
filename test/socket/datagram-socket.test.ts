/** Every datagram socket method over real UDP loopback sockets, IPv4 and IPv6 (port 0). */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type DatagramSocket, type PeerAddress, SOCK_DGRAM, socket } from '../../src/socket/index.js';
import { freePort } from './helpers/processes.js';
import { codeOf, DATAGRAM_FAMILIES, track } from './helpers/sockets.js';

describe.each(DATAGRAM_FAMILIES)('$name socket', ({ family, bindAddress, skip }) => {
  const loopback = () => (bindAddress() as [string, number])[0];

  async function bound(options = {}): Promise<DatagramSocket> {
    const s = track(socket(family, SOCK_DGRAM, options));
    await s.bind(bindAddress());
    return s;
  }

  it.skipIf(skip)('binds to a real port; sendto and recvfrom carry data and the sender address', async () => {
    const server = await bound();
    const address = server.getsockname() as [string, number];
    expect(address[0]).toBe(loopback());
    expect(address[1]).toBeGreaterThan(0);
    const client = track(socket(family, SOCK_DGRAM));
    expect(client.getsockname()[1]).toBe(0);
    expect(await client.sendto('héllo', address)).toBe(6);
    // sendto bound the client to an ephemeral port, so it can receive the answer.
    const [data, from] = await server.recvfrom(1024);
    expect(data.toString()).toBe('héllo');
    // The client is bound to the wildcard address; the datagram came from loopback.
    expect(from).toEqual([loopback(), client.getsockname()[1]]);
    await server.sendto(new Uint8Array([1, 2, 3]), from);
    expect([...(await client.recv(1024))]).toEqual([1, 2, 3]);
  });

  it.skipIf(skip)('keeps datagram boundaries and cuts each to bufsize, discarding the rest', async () => {
    const server = await bound();
    const client = track(socket(family, SOCK_DGRAM));
    for (const text of ['first datagram', 'second', 'third one'])
      await client.sendto(text, server.getsockname());
    await sleep(20);
    expect((await server.recv(5)).toString()).toBe('first');
    expect((await server.recv(100)).toString()).toBe('second');
    expect((await server.recvfrom(0))[0].length).toBe(0);
    expect(server.stats().bufferedBytes).toBe(0);
  });

  it.skipIf(skip)('serves concurrent recvfrom calls in call order and waits for data', async () => {
    const server = await bound();
    const reads = [server.recv(100), server.recv(100), server.recv(100)];
    const client = track(socket(family, SOCK_DGRAM));
    for (const text of ['a', 'b', 'c']) await client.sendto(text, server.getsockname());
    expect((await Promise.all(reads)).map(String)).toEqual(['a', 'b', 'c']);
  });

  it.skipIf(skip)('connect() fixes the peer for send and recv, and getpeername reports it', async () => {
    const server = await bound();
    const client = track(socket(family, SOCK_DGRAM));
    await client.connect(server.getsockname());
    expect(client.getpeername()).toEqual(server.getsockname());
    expect(await client.send('via send')).toBe(8);
    await client.sendall('via sendall');
    const [first, from] = await server.recvfrom(100);
    expect(first.toString()).toBe('via send');
    expect((await server.recv(100)).toString()).toBe('via sendall');
    // A stranger's datagram is filtered out by the kernel; the server's answer is not.
    const stranger = track(socket(family, SOCK_DGRAM));
    await stranger.sendto('noise', client.getsockname());
    await server.sendto('answer', from);
    expect((await client.recv(100)).toString()).toBe('answer');
    expect(await codeOf(client.sendto('x', server.getsockname()))).toBe('NK_SOCKET_STATE');
  });

  it.skipIf(skip)('reports ICMP port unreachable on a connected socket as NK_CONN_REFUSED', async () => {
    const client = track(socket(family, SOCK_DGRAM));
    await client.connect([loopback(), await freePort('udp')]);
    client.setTimeout(2000);
    await client.send('anyone?');
    expect(await codeOf(client.recv(100))).toBe('NK_CONN_REFUSED');
  });

  it.skipIf(skip)('bounds its receive queue: drops new datagrams when full and counts them', async () => {
    const server = await bound({ datagramQueueLength: 5 });
    const client = track(socket(family, SOCK_DGRAM));
    for (let i = 0; i < 20; i++) await client.sendto(`d${i}`, server.getsockname());
    while (server.stats().dropped + 5 < 20) await sleep(10);
    expect(server.stats().dropped).toBe(15);
    const got = [];
    for (let i = 0; i < 5; i++) got.push((await server.recv(100)).toString());
    expect(got).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
  });

  it.skipIf(skip)('bounds its receive queue by bytes too', async () => {
    const server = await bound({ datagramQueueBytes: 3000 });
    const client = track(socket(family, SOCK_DGRAM));
    for (let i = 0; i < 5; i++) await client.sendto(Buffer.alloc(1000, i), server.getsockname());
    while (server.stats().dropped < 2) await sleep(10);
    expect(server.stats().bufferedBytes).toBe(3000);
    expect(server.stats().peakBufferedBytes).toBe(3000);
  });

  it.skipIf(skip)('iterates datagrams with for await until closed', async () => {
    const server = await bound();
    const client = track(socket(family, SOCK_DGRAM));
    const seen: [string, PeerAddress][] = [];
    const loop = (async () => {
      for await (const [data, from] of server) {
        seen.push([data.toString(), from]);
        if (seen.length === 3) await server.close();
      }
    })();
    for (const text of ['x', 'y', 'z']) await client.sendto(text, server.getsockname());
    await loop;
    expect(seen.map(([text]) => text)).toEqual(['x', 'y', 'z']);
    expect(seen[0]![1]).toEqual([loopback(), client.getsockname()[1]]);
  });

  it.skipIf(skip)('times out a recvfrom and stays usable', async () => {
    const server = await bound();
    server.setTimeout(50);
    expect(server.getTimeout()).toBe(50);
    const started = Date.now();
    expect(await codeOf(server.recvfrom(10))).toBe('NK_SOCKET_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const client = track(socket(family, SOCK_DGRAM));
    await client.sendto('after', server.getsockname());
    expect((await server.recv(10)).toString()).toBe('after');
  });

  it.skipIf(skip)(
    'rejects misuse with NK_SOCKET_STATE and use after close with NK_SOCKET_CLOSED',
    async () => {
      const fresh = track(socket(family, SOCK_DGRAM));
      expect(await codeOf(fresh.recvfrom(10))).toBe('NK_SOCKET_STATE'); // nothing can ever arrive
      expect(await codeOf(fresh.send('x'))).toBe('NK_SOCKET_STATE');
      expect(await codeOf(() => fresh.getpeername())).toBe('NK_SOCKET_STATE');
      expect(await codeOf(() => fresh.listen(1))).toBe('NK_SOCKET_STATE');
      expect(await codeOf(fresh.accept())).toBe('NK_SOCKET_STATE');
      const server = await bound();
      expect(await codeOf(server.bind(bindAddress()))).toBe('NK_SOCKET_STATE');
      const pending = codeOf(server.recvfrom(10));
      await server.close();
      expect(await pending).toBe('NK_SOCKET_CLOSED');
      expect(await codeOf(server.recvfrom(10))).toBe('NK_SOCKET_CLOSED');
      expect(await codeOf(server.sendto('x', [loopback(), 9]))).toBe('NK_SOCKET_CLOSED');
      expect(await codeOf(() => server.getsockname())).toBe('NK_SOCKET_CLOSED');
      await server.close();
    },
  );

  it.skipIf(skip)('reports a datagram too large for UDP with its errno', async () => {
    const client = track(socket(family, SOCK_DGRAM));
    const error = await client.sendto(Buffer.alloc(70_000), [loopback(), 9]).catch((e) => e);
    expect(error.code).toBe('NK_SOCKET_ERROR');
    expect(error.details.errno).toBe('EMSGSIZE');
  });
});
