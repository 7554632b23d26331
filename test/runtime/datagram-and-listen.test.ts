import '../helpers/dns-invalid-mock.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startService } from '../../src/runtime/run-service.js';
import { closeStarted, connectClient, startTracked, tcpPort, udpExchange, upperService } from './fixtures.js';

const start = startTracked;
afterEach(closeStarted);

describe('UDP', () => {
  it('replies to the sender, over IPv4 and IPv6', async () => {
    const server = await start(upperService, { listen: ['udp://127.0.0.1:0', 'udp://[::1]:0'] });
    expect(await udpExchange(tcpPort(server.endpoints[0]!), '127.0.0.1', ['abc'])).toEqual(['ABC']);
    expect(await udpExchange(tcpPort(server.endpoints[1]!), '::1', ['def'])).toEqual(['DEF']);
  });

  it('drops datagrams over the size limit and counts them', async () => {
    const server = await start(upperService, {
      listen: ['udp://127.0.0.1:0'],
      limits: { maxDatagramBytes: 8 },
    });
    const replies = await udpExchange(tcpPort(server.endpoints[0]!), '127.0.0.1', ['123456789', 'ok']);
    expect(replies).toEqual(['OK']);
    expect(server.stats()).toMatchObject({ datagramsDropped: 1, requests: 1 });
  });

  it('limits the rate per source address', async () => {
    const server = await start(upperService, {
      listen: ['udp://127.0.0.1:0'],
      limits: { udpRatePerSecond: 1, udpRateBurst: 5 },
    });
    const messages = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const replies = await udpExchange(tcpPort(server.endpoints[0]!), '127.0.0.1', messages);
    expect(replies.length).toBeGreaterThanOrEqual(5);
    expect(replies.length).toBeLessThanOrEqual(6);
    expect(server.stats().datagramsDropped).toBe(40 - replies.length);
  });
});

describe('listen errors', () => {
  it('reports a port in use with NK_ADDR_IN_USE', async () => {
    const server = await start(upperService);
    await expect(startService(upperService, { listen: [server.endpoints[0]!] })).rejects.toMatchObject({
      code: 'NK_ADDR_IN_USE',
      message: `${server.endpoints[0]}: address already in use`,
    });
  });

  it('reports an address not on this host', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to this machine. Binding sends no traffic.
    await expect(startService(upperService, { listen: ['tcp://192.0.2.1:0'] })).rejects.toMatchObject({
      code: 'NK_ADDR_NOT_AVAILABLE',
    });
  });

  it('reports an unknown host name', async () => {
    await expect(
      startService(upperService, { listen: ['tcp://no-such-host.invalid:0'] }),
    ).rejects.toMatchObject({
      code: 'NK_HOST_NOT_FOUND',
    });
  });

  it('closes the endpoints it opened when a later one fails', async () => {
    const blocker = await start(upperService, { listen: ['udp://127.0.0.1:0'] });
    const udp = blocker.endpoints[0]!;
    const failed = startService(upperService, { listen: ['tcp://127.0.0.1:0', udp] });
    await expect(failed).rejects.toMatchObject({ code: 'NK_ADDR_IN_USE' });
  });
});

describe('Unix sockets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-unix-'));

  it('serves on a Unix socket and removes the file on close', async () => {
    const path = join(dir, 'serve.sock');
    const server = await startService(upperService, { listen: [`unix:${path}`] });
    const client = await connectClient({ path });
    client.socket.write('unix\n');
    await client.waitFor('UNIX\n');
    client.socket.destroy();
    await server.close(0);
    expect(existsSync(path)).toBe(false);
  });

  it('replaces a stale socket file left by a server that died', async () => {
    const path = join(dir, 'stale.sock');
    // A child binds the socket and is killed with SIGKILL, leaving the file behind.
    const child = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(path)).toBe(true);
    const server = await start(upperService, { listen: [`unix:${path}`] });
    const client = await connectClient({ path });
    client.socket.write('again\n');
    await client.waitFor('AGAIN\n');
    client.socket.destroy();
    expect(server.endpoints).toEqual([`unix:${path}`]);
  });

  it('never steals a live socket', async () => {
    const path = join(dir, 'live.sock');
    const other = createServer((socket) => {
      socket.on('error', () => {});
      socket.end('other\n');
    });
    await new Promise<void>((resolve) => other.listen(path, resolve));
    await expect(startService(upperService, { listen: [`unix:${path}`] })).rejects.toMatchObject({
      code: 'NK_ADDR_IN_USE',
    });
    const client = await connectClient({ path });
    await client.closed;
    expect(client.received()).toBe('other\n');
    await new Promise((resolve) => other.close(resolve));
  });

  it('never deletes a path that is not a socket', async () => {
    const path = join(dir, 'regular-file');
    writeFileSync(path, 'keep me');
    await expect(startService(upperService, { listen: [`unix:${path}`] })).rejects.toMatchObject({
      code: 'NK_ADDR_IN_USE',
    });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });
});
