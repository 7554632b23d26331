/**
 * What the runtime offers services that are more than request/reply (the chat): sending to a
 * connection from elsewhere (SessionLink), sending UDP to any peer (DatagramLink), http://
 * endpoints, start/stop hooks, and the per-address connection cap.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatagramLink, ServiceDefinition, SessionLink } from '../../src/runtime/service.js';
import { tcpLineClient, udpLineClient } from '../helpers/line-client.js';
import { closeStarted, startTracked, tcpPort } from './fixtures.js';

afterEach(closeStarted);

const decoder = new TextDecoder();

/** A tiny broadcast service: each line goes to every connection and every UDP peer seen. */
function broadcastService(events: string[]): ServiceDefinition {
  const links = new Set<SessionLink>();
  const peers = new Map<string, { link: DatagramLink; address: string; port: number; family: 4 | 6 }>();
  const broadcast = (text: string) => {
    for (const link of links) link.push([{ type: 'send', data: `${text}\n` }]);
    for (const peer of peers.values()) peer.link.sendTo(peer, `${text}\n`);
  };
  return {
    name: 'broadcast',
    summary: 'test',
    defaultListen: [],
    stream: {
      framing: 'line',
      session: (_info, link) => ({
        open: () => {
          links.add(link!);
          return [];
        },
        receive: (line) => {
          const text = decoder.decode(line);
          if (text === 'queued?') return [{ type: 'send', data: `queued ${link!.queuedBytes()}\n` }];
          if (text === 'abort') link!.abort();
          else broadcast(text);
          return [];
        },
        closed: () => {
          links.delete(link!);
        },
      }),
    },
    datagram: {
      receive: (datagram, peer, _now, link) => {
        peers.set(`${peer.address}:${peer.port}`, { ...peer, link: link! });
        broadcast(decoder.decode(datagram));
        return [];
      },
    },
    http: {
      request: (req, res) => {
        res.end(`hello ${req.url}`);
      },
    },
    start: () => {
      events.push('start');
    },
    stop: () => {
      events.push('stop');
    },
    stats: () => ({ links: links.size }),
  };
}

describe('services that push', () => {
  it('a line from one connection reaches the others and UDP peers, through the links', async () => {
    const events: string[] = [];
    const server = await startTracked(broadcastService(events), {
      listen: ['tcp://127.0.0.1:0', 'udp://127.0.0.1:0'],
    });
    expect(events).toEqual(['start']);
    const a = await tcpLineClient(tcpPort(server.endpoints[0]!));
    const b = await tcpLineClient(tcpPort(server.endpoints[0]!));
    const u = await udpLineClient(tcpPort(server.endpoints[1]!));
    u.send('from udp');
    await a.waitFor(/^from udp$/);
    await b.waitFor(/^from udp$/);
    // Many lines in one tick still arrive whole and in order (they are corked together).
    for (let i = 0; i < 50; i++) a.send(`line ${i}`);
    await b.waitFor(/^line 49$/);
    expect(b.lines.filter((line) => line.startsWith('line '))).toEqual(
      Array.from({ length: 50 }, (_, i) => `line ${i}`),
    );
    await u.waitFor(/^line 49$/);
    a.send('queued?');
    expect(await a.waitFor(/^queued \d+$/)).toBe('queued 0');
    expect(server.serviceStats()).toEqual({ links: 2 });
    b.send('abort');
    await new Promise((resolve) => b.socket.once('close', resolve));
    for (const client of [a, u]) client.close();
    await server.close();
    expect(events).toEqual(['start', 'stop']);
  });

  it('serves http:// endpoints through the service handler', async () => {
    const server = await startTracked(broadcastService([]), { listen: ['http://127.0.0.1:0'] });
    expect(server.endpoints[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      request(`${server.endpoints[0]}/page`, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe('hello /page');
  });

  it('refuses http:// for a service without an http handler', async () => {
    const { http: _http, ...withoutHttp } = broadcastService([]);
    await expect(startTracked(withoutHttp, { listen: ['http://127.0.0.1:0'] })).rejects.toThrow(
      /invalid endpoint|does not serve http/,
    );
  });
});

describe('per-address connection cap', () => {
  it('refuses connections from an address past --max-per-address, and frees the slot on close', async () => {
    const server = await startTracked(broadcastService([]), {
      listen: ['tcp://127.0.0.1:0'],
      limits: { maxConnectionsPerAddress: 2 },
    });
    const port = tcpPort(server.endpoints[0]!);
    const first = await tcpLineClient(port);
    const second = await tcpLineClient(port);
    const third = await tcpLineClient(port);
    expect(await third.waitFor(/^error /)).toMatch(/^error NK_TOO_MANY_FROM_ADDRESS: /);
    first.close();
    await expect.poll(() => server.stats().connectionsOpen).toBe(1);
    const fourth = await tcpLineClient(port);
    fourth.send('still fine');
    await second.waitFor(/^still fine$/);
    expect(server.stats().connectionsRefused).toBe(1);
    for (const client of [second, third, fourth]) client.close();
  });
});
