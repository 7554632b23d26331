/**
 * Large transfers arrive complete and in order, and nothing buffers without bound: a reader
 * that falls behind pauses the socket (the buffered bytes stay under the high-water mark
 * plus one chunk), and a writer to a slow reader waits in sendall() with a bounded write buffer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  type AddressFamily,
  AF_INET,
  AF_UNIX,
  SOCKET_DEFAULTS,
  type SocketAddress,
} from '../../src/socket/index.js';
import { connectedPair, unixPath } from './helpers/sockets.js';

/** libuv reads at most 64 KiB at a time: how far past the mark one 'data' event can go. */
const READ_CHUNK = 64 * 1024;
/** Node's default writable high-water mark for sockets. */
const NODE_WRITE_MARK = 16 * 1024;
const TOTAL = 20 * 1024 * 1024;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const CASES: { name: string; family: AddressFamily; address: () => SocketAddress }[] = [
  { name: 'TCP over IPv4', family: AF_INET, address: () => ['127.0.0.1', 0] },
  { name: 'Unix stream', family: AF_UNIX, address: () => unixPath() },
];

describe.each(CASES)('$name: 20 MB with a slow reader', ({ family, address }) => {
  it('pauses the socket, bounds both buffers, and delivers every byte in order', async () => {
    const [client, conn] = await connectedPair(family, address());
    const payload = randomBytes(TOTAL);
    let sent = false;
    const sending = conn.sendall(payload).then(() => {
      sent = true;
    });

    // The reader does nothing for a while: the sender must be held back, not buffered for.
    await sleep(400);
    const stalled = client.stats();
    const mark = SOCKET_DEFAULTS.receiveHighWaterMark;
    expect(stalled.readPauses).toBeGreaterThanOrEqual(1);
    expect(stalled.bufferedBytes).toBeGreaterThanOrEqual(mark);
    expect(stalled.bufferedBytes).toBeLessThan(mark + READ_CHUNK);
    expect(sent).toBe(false);
    expect(conn.stats().bytesSent).toBeLessThan(TOTAL);

    // Now read it all, in uneven pieces, pausing now and then.
    const hash = createHash('sha256');
    let received = 0;
    let reads = 0;
    while (received < TOTAL) {
      const data = await client.recv(1000 + (reads % 7) * 20_000);
      expect(data.length).toBeGreaterThan(0);
      hash.update(data);
      received += data.length;
      if (++reads % 200 === 0) await sleep(1);
    }
    await sending;
    await conn.close();
    expect((await client.recv(10)).length).toBe(0);
    expect(received).toBe(TOTAL);
    expect(hash.digest('hex')).toBe(sha256(payload));

    const reader = client.stats();
    expect(reader.bytesReceived).toBe(TOTAL);
    expect(reader.peakBufferedBytes).toBeLessThan(mark + READ_CHUNK);
    const writer = conn.stats();
    expect(writer.bytesSent).toBe(TOTAL);
    expect(writer.peakWriteBufferedBytes).toBeLessThanOrEqual(
      SOCKET_DEFAULTS.sendChunkBytes + NODE_WRITE_MARK,
    );
  });

  it('honours a smaller receiveHighWaterMark', async () => {
    const mark = 8 * 1024;
    const [client, conn] = await connectedPair(family, address(), { receiveHighWaterMark: mark });
    const sending = conn.sendall(Buffer.alloc(4 * 1024 * 1024, 7));
    await sleep(200);
    expect(client.stats().readPauses).toBeGreaterThanOrEqual(1);
    expect(client.stats().bufferedBytes).toBeLessThan(mark + READ_CHUNK);
    let received = 0;
    while (received < 4 * 1024 * 1024) {
      const data = await client.recv(65536);
      expect(data.every((byte) => byte === 7)).toBe(true);
      received += data.length;
    }
    await sending;
    expect(client.stats().peakBufferedBytes).toBeLessThan(mark + READ_CHUNK);
  });

  it('sends 20 MB through concurrent sendall() calls without interleaving them', async () => {
    const [client, conn] = await connectedPair(family, address());
    const a = Buffer.alloc(TOTAL / 2, 'a');
    const b = Buffer.alloc(TOTAL / 2, 'b');
    const sending = Promise.all([client.sendall(a), client.sendall(b)]).then(() => client.shutdown(1));
    const chunks: Buffer[] = [];
    for await (const chunk of conn) chunks.push(chunk);
    await sending;
    const all = Buffer.concat(chunks);
    expect(all.length).toBe(TOTAL);
    expect(all.subarray(0, TOTAL / 2).every((byte) => byte === 0x61)).toBe(true);
    expect(all.subarray(TOTAL / 2).every((byte) => byte === 0x62)).toBe(true);
  });
});
