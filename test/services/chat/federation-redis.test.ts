/**
 * Two federated hubs in this process, each with its own Redis connections, through a real
 * redis-server on loopback: users on each hub, messages and private messages cross,
 * nicknames stay unique; Redis killed: each hub serves its own users; Redis back on the
 * same port: the hubs reconnect and messages cross again.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Federation, startFederation } from '../../../src/services/chat/federation/index.js';
import { type ChatDelivery, ChatHub, type ClientId } from '../../../src/services/chat/protocol/hub.js';
import { freePort } from '../../helpers/netkit-process.js';
import { describeWithPeers, REDIS_SERVER } from '../../helpers/peers.js';
import { RedisServer } from './redis-server.js';

interface TestHub {
  hub: ChatHub;
  federation: Federation;
  lines: Map<ClientId, string[]>;
  logs: { level: number; msg: string }[];
  say(client: ClientId, line: string): void;
  seen(client: ClientId): string[];
}

async function startHub(url: string, prefix: string): Promise<TestHub> {
  const hub = new ChatHub({ federated: true, floodRate: 0 });
  const lines = new Map<ClientId, string[]>();
  const logs: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  let federation: Federation | undefined;
  const dispatch = (deliveries: ChatDelivery[]): void => {
    for (const d of deliveries) {
      if (d.type === 'send') lines.set(d.to, [...(lines.get(d.to) ?? []), d.line]);
      else if (d.type === 'close') dispatch(hub.disconnect(d.to, Date.now()));
      else federation?.handle(d);
    }
  };
  federation = await startFederation({ url, hub, dispatch, logger, clock: Date.now, prefix });
  return {
    hub,
    federation,
    lines,
    logs,
    say: (client, line) => dispatch(hub.receive(client, line, Date.now())),
    seen: (client) => lines.get(client) ?? [],
  };
}

function login(hub: TestHub, client: ClientId, nick: string): void {
  hub.hub.connect(client, Date.now());
  hub.say(client, nick);
}

/** Polls `check` every 20 ms until it holds; fails after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function lobbyCount(hub: TestHub): number {
  return hub.hub.roomList().find((room) => room.name === '#lobby')?.members ?? 0;
}

describeWithPeers('chat federation through a real redis-server', [REDIS_SERVER], () => {
  let redis: RedisServer;
  const hubs: TestHub[] = [];

  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
  });

  afterAll(async () => {
    await Promise.all(hubs.map((hub) => hub.federation.close()));
    await redis?.kill();
  });

  it('shares rooms between two hubs, survives losing Redis, and reconnects', {
    timeout: 60_000,
  }, async () => {
    const url = redis.url;
    const prefix = `netkit:test:${process.pid}`;
    const a = await startHub(url, prefix);
    hubs.push(a);
    const b = await startHub(url, prefix);
    hubs.push(b);

    login(a, 1, 'alice');
    login(b, 1, 'bob');
    await until('both hubs to see alice and bob', () => lobbyCount(a) === 2 && lobbyCount(b) === 2);
    expect(a.seen(1)).toContain('-- you are alice');

    a.say(1, 'hello bob');
    await until('bob to get the message', () =>
      b.seen(1).some((l) => l.endsWith('#lobby <alice> hello bob')),
    );
    b.say(1, '/me waves');
    await until('alice to see the action', () => a.seen(1).some((l) => l.endsWith('#lobby * bob waves')));
    b.say(1, '/msg alice psst');
    await until('the private message', () =>
      a.seen(1).some((l) => l.endsWith('*private* <bob> -> alice: psst')),
    );
    a.say(1, '/who');
    expect(a.seen(1).at(-1)).toBe('-- #lobby (2): alice, bob');

    // Unique across hubs: a name the hub knows is refused at once; a race goes to Redis.
    login(b, 2, 'ALICE');
    expect(b.seen(2)).toContain('error NK_CHAT_NICK_TAKEN: the nickname ALICE is taken; choose another');
    login(a, 3, 'carol');
    login(b, 3, 'Carol');
    const answered = (hub: TestHub) =>
      hub
        .seen(3)
        .some(
          (l) => l === '-- you are carol' || l === '-- you are Carol' || l.includes('NK_CHAT_NICK_TAKEN'),
        );
    await until('both carol claims to be answered', () => answered(a) && answered(b));
    const winners = [a, b].filter((hub) => hub.seen(3).some((l) => /^-- you are carol$/i.test(l)));
    expect(winners).toHaveLength(1);

    // Redis goes away: each hub goes on serving its own users.
    await redis?.kill();
    await until('both hubs to notice', () =>
      [a, b].every((hub) => hub.logs.some((l) => l.level === 40 && /lost Redis/.test(l.msg))),
    );
    login(a, 4, 'dave');
    await until('dave to get his nickname without Redis', () => a.seen(4).includes('-- you are dave'));
    a.say(1, 'anyone there?');
    await until('dave to see alice', () => a.seen(4).some((l) => l.endsWith('<alice> anyone there?')));
    b.say(1, 'only b hears this');
    expect(b.seen(1).at(-1)).toMatch(/<bob> only b hears this$/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(a.seen(1).some((l) => l.includes('only b hears this'))).toBe(false);
    for (const hub of [a, b]) expect(hub.logs.filter((l) => l.level === 40).length).toBe(1);

    // Redis back on the same port (empty): the hubs re-register and republish presence.
    await redis.start();
    await until(
      'b to learn of dave',
      () => b.hub.roomList().some((r) => r.name === '#lobby' && r.members >= 4),
      15_000,
    );
    a.say(1, 'back again');
    await until('bob to get messages again', () => b.seen(1).some((l) => l.endsWith('<alice> back again')));
    b.say(1, '/msg dave welcome back');
    await until('dave to get the private message', () =>
      a.seen(4).some((l) => l.endsWith('<bob> -> dave: welcome back')),
    );
    for (const hub of [a, b]) expect(hub.logs.some((l) => /Redis is back/.test(l.msg))).toBe(true);

    // Still unique after the outage: b refuses dave, now registered by a.
    login(b, 5, 'dave');
    expect(b.seen(5)).toContain('error NK_CHAT_NICK_TAKEN: the nickname dave is taken; choose another');
  });
});
