/** Federated hubs over an in-memory bus: no sockets, no Redis, `now` passed in. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatHub, type FederationMessage } from '../../../src/services/chat/protocol/hub.js';
import { FakeBus } from './federation-bus.js';
import { errorCodes, hubWith, linesTo, T } from './helpers.js';

/** Hubs a and b, alice (client 1) on a and bob (client 1) on b, their welcome lines taken. */
function twoHubs(): FakeBus {
  const bus = new FakeBus();
  bus.addHub('a');
  bus.addHub('b');
  bus.login('a', 1, 'alice');
  bus.login('b', 1, 'bob');
  bus.take('a', 1);
  bus.take('b', 1);
  return bus;
}

describe('federated hubs over a bus', () => {
  it('a user on each hub sees the other join, and their messages and actions cross', () => {
    const bus = new FakeBus();
    bus.addHub('a');
    bus.addHub('b');
    bus.login('a', 1, 'alice');
    bus.login('b', 1, 'bob');
    expect(bus.take('a', 1).slice(-2)).toEqual([
      '[13:45] #lobby -- alice joined',
      '[13:45] #lobby -- bob joined',
    ]);
    bus.say('a', 1, 'hello bob');
    bus.say('b', 1, '/me waves');
    const seenByBob = ['[13:45] #lobby <alice> hello bob', '[13:45] #lobby * bob waves'];
    expect(bus.take('b', 1).slice(-2)).toEqual(seenByBob);
    expect(bus.take('a', 1)).toEqual(seenByBob);
  });

  it('private messages cross, to the target only, with an echo to the sender', () => {
    const bus = twoHubs();
    bus.login('b', 2, 'carol');
    bus.take('a', 1);
    bus.take('b', 1);
    bus.take('b', 2);
    bus.say('a', 1, '/msg BOB psst');
    expect(bus.take('a', 1)).toEqual(['[13:45] *private* <alice> -> bob: psst']);
    expect(bus.take('b', 1)).toEqual(['[13:45] *private* <alice> -> bob: psst']);
    expect(bus.take('b', 2)).toEqual([]);
    bus.say('b', 1, '/msg alice back');
    expect(bus.take('a', 1)).toEqual(['[13:45] *private* <bob> -> alice: back']);
  });

  it('/who and /rooms count users on every hub', () => {
    const bus = twoHubs();
    bus.say('b', 1, '/join #dev');
    bus.say('a', 1, '/who');
    bus.say('a', 1, '/rooms');
    bus.say('a', 1, '/who #dev');
    expect(bus.take('a', 1)).toEqual([
      '-- #lobby (2): alice, bob',
      '-- rooms: #dev (1), #lobby (2)',
      '-- #dev (1): bob',
    ]);
  });

  it('joins, parts, nick changes and quits reach the other hub', () => {
    const bus = twoHubs();
    bus.say('a', 1, '/join #dev');
    bus.say('b', 1, '/join #dev');
    expect(bus.take('a', 1)).toEqual(['[13:45] #dev -- alice joined', '[13:45] #dev -- bob joined']);
    bus.say('b', 1, '/nick robert');
    expect(bus.take('a', 1)).toEqual(['[13:45] -- bob is now known as robert']);
    bus.say('b', 1, '/part #dev');
    expect(bus.take('a', 1)).toEqual(['[13:45] #dev -- robert left']);
    bus.say('b', 1, '/quit');
    expect(bus.take('a', 1)).toEqual(['[13:45] #lobby -- robert quit']);
    bus.say('a', 1, '/rooms');
    expect(bus.take('a', 1)).toEqual(['-- rooms: #dev (1), #lobby (1)']);
    expect(bus.nicks.has('bob')).toBe(false);
    expect(bus.nicks.has('robert')).toBe(false);
  });

  it('room history includes messages from other hubs', () => {
    const bus = twoHubs();
    bus.say('b', 1, 'from b');
    bus.login('a', 2, 'carol');
    expect(bus.take('a', 2)).toContain('[13:45] #lobby <bob> from b');
  });

  it('nicknames are unique across hubs, case-insensitively', () => {
    const bus = twoHubs();
    bus.connect('b', 2);
    bus.take('b', 2);
    bus.say('b', 2, 'ALICE');
    expect(bus.take('b', 2)).toEqual([
      'error NK_CHAT_NICK_TAKEN: the nickname ALICE is taken; choose another',
      '-- choose a nickname (a letter, then letters, digits, _ or -; at most 16):',
    ]);
    bus.say('b', 1, '/nick Alice');
    expect(errorCodes(bus.hubs.get('b')!.receive(1, '/nick Alice', T))).toEqual(['NK_CHAT_NICK_TAKEN']);
  });

  it('a claim the bus refuses (a hub not yet known) is an NK_CHAT_NICK_TAKEN; the lines sent meanwhile are handled after it', () => {
    const bus = new FakeBus();
    const a = bus.addHub('a');
    bus.nicks.set('alice', 'elsewhere');
    a.connect(1, T);
    const claim = a.receive(1, 'alice', T);
    expect(claim).toEqual([{ type: 'claim', to: 1, nick: 'alice' }]);
    expect(a.receive(1, 'alice2', T)).toEqual([]);
    expect(a.receive(1, 'hello', T)).toEqual([]);
    const refused = a.claimResult(1, 'alice', false, T);
    expect(linesTo(refused, 1)[0]).toBe(
      'error NK_CHAT_NICK_TAKEN: the nickname alice is taken; choose another',
    );
    expect(refused.at(-1)).toEqual({ type: 'claim', to: 1, nick: 'alice2' });
    bus.run('a', refused);
    expect(bus.take('a', 1).slice(-3)).toEqual([
      '-- you are alice2',
      '[13:45] #lobby -- alice2 joined',
      '[13:45] #lobby <alice2> hello',
    ]);
  });

  it('keeps at most 32 lines while a claim is pending', () => {
    const hub = new ChatHub({ floodRate: 0, federated: true });
    hub.connect(1, T);
    hub.receive(1, 'alice', T);
    for (let i = 0; i < 32; i++) expect(hub.receive(1, `line ${i}`, T)).toEqual([]);
    expect(errorCodes(hub.receive(1, 'one too many', T))).toEqual(['NK_CHAT_NICK_PENDING']);
    const out = hub.claimResult(1, 'alice', true, T);
    expect(linesTo(out, 1).filter((line) => line.includes('<alice> line'))).toHaveLength(32);
  });

  it('finish (a FIN after piped lines) closes the client only once its pending claim and lines are handled', () => {
    const bus = twoHubs();
    const a = bus.hubs.get('a')!;
    a.connect(2, T);
    expect(a.receive(2, 'nora', T)).toEqual([{ type: 'claim', to: 2, nick: 'nora' }]);
    a.receive(2, 'hi from nc', T);
    expect(a.finish(2, T)).toEqual([]);
    const out = a.claimResult(2, 'nora', true, T);
    expect(linesTo(out, 2).slice(-1)).toEqual(['[13:45] #lobby <nora> hi from nc']);
    expect(out.filter((d) => d.type === 'close')).toEqual([{ type: 'close', to: 2 }]);
    expect(a.nickOf(2)).toBeUndefined();
    bus.run('a', out);
    expect(bus.take('b', 1).slice(-2)).toEqual([
      '[13:45] #lobby <nora> hi from nc',
      '[13:45] #lobby -- nora quit',
    ]);
  });

  it('finish with nothing pending closes at once, as a lone hub always did', () => {
    const hub = hubWith(['alice', 'bob']);
    const out = hub.finish(1, T);
    expect(out[0]).toEqual({ type: 'close', to: 1 });
    expect(linesTo(out, 2)).toEqual(['[13:45] #lobby -- alice quit']);
    expect(hub.finish(1, T)).toEqual([]);
  });

  it('a client leaving with a claim pending releases it; a stale answer is ignored', () => {
    const hub = new ChatHub({ federated: true });
    hub.connect(1, T);
    hub.receive(1, 'alice', T);
    expect(hub.disconnect(1, T)).toEqual([{ type: 'release', nick: 'alice' }]);
    expect(hub.claimResult(1, 'alice', true, T)).toEqual([]);
  });

  it('a hub that vanishes: its users quit on the others, and their nicknames are free', () => {
    const bus = twoHubs();
    const a = bus.hubs.get('a')!;
    expect(a.remoteHubs()).toEqual(['b']);
    bus.run('a', a.remoteHubGone('b', T));
    expect(bus.take('a', 1)).toEqual(['[13:45] #lobby -- bob quit']);
    expect(a.remoteHubs()).toEqual([]);
    bus.nicks.delete('bob');
    bus.login('a', 2, 'bob');
    expect(a.nickOf(2)).toBe('bob');
  });

  it('a presence snapshot with `ask` is answered, and reconciles what was known', () => {
    const bus = twoHubs();
    const a = bus.hubs.get('a')!;
    bus.run('a', a.remoteHubGone('b', T));
    bus.take('a', 1);
    // b comes back (as after a Redis outage) and says who it has.
    bus.run('b', [{ type: 'publish', message: bus.hubs.get('b')!.presence(T, true) }]);
    expect(bus.take('a', 1)).toEqual(['[13:45] #lobby -- bob joined']);
    const answer = bus.published.at(-1)!;
    expect(answer).toMatchObject({
      type: 'presence',
      hub: 'a',
      ask: false,
      users: [{ nick: 'alice', rooms: ['#lobby'] }],
    });
  });

  it('settles a nickname given out twice while cut off: the losing client is closed with NK_CHAT_NICK_LOST', () => {
    const bus = twoHubs();
    bus.cutOff.add('a');
    bus.login('a', 2, 'carol');
    bus.cutOff.delete('a');
    bus.login('b', 2, 'carol');
    const a = bus.hubs.get('a')!;
    expect(a.nickOf(2)).toBe('carol');
    bus.run('a', a.nickLost('carol', T));
    expect(bus.take('a', 2).at(-1)).toMatch(/^error NK_CHAT_NICK_LOST: the nickname carol was given out/);
    expect(bus.closed).toEqual(['a/2']);
    expect(bus.nicks.get('carol')).toBe('b');
    expect(bus.take('b', 2)).not.toContain('[13:45] #lobby -- carol quit');
  });

  it.each<[string, unknown]>([
    ['not an object', 'hello'],
    ['null', null],
    ['an unknown type', { type: 'shout', hub: 'b', time: T }],
    ['no hub', { type: 'message', time: T, room: '#lobby', from: 'eve', text: 'hi' }],
    ['a bad hub id', { type: 'message', hub: 'b c', time: T, room: '#lobby', from: 'eve', text: 'hi' }],
    ['a bad time', { type: 'message', hub: 'b', time: 'now', room: '#lobby', from: 'eve', text: 'hi' }],
    ['a bad room', { type: 'message', hub: 'b', time: T, room: 'lobby', from: 'eve', text: 'hi' }],
    ['a bad nick', { type: 'message', hub: 'b', time: T, room: '#lobby', from: 'e ve', text: 'hi' }],
    [
      'control characters',
      { type: 'message', hub: 'b', time: T, room: '#lobby', from: 'eve', text: 'a\x1b[2Jb' },
    ],
    ['a line end', { type: 'private', hub: 'b', time: T, from: 'eve', to: 'alice', text: 'a\nb' }],
    [
      'too long a text',
      { type: 'message', hub: 'b', time: T, room: '#lobby', from: 'eve', text: 'x'.repeat(3000) },
    ],
    [
      'a bad presence',
      { type: 'presence', hub: 'b', time: T, ask: false, users: [{ nick: 'eve', rooms: 'x' }] },
    ],
    ['a presence without ask', { type: 'presence', hub: 'b', time: T, users: [] }],
  ])('drops and counts a malformed remote message: %s', (_, message) => {
    const hub = hubWith(['alice'], { federated: true });
    expect(() => hub.remote(message as FederationMessage, T)).not.toThrow();
    expect(hub.remote(message as FederationMessage, T)).toEqual([]);
    expect(hub.remoteDropped).toBe(2);
  });

  it('ignores remote events that contradict its own users', () => {
    const hub = hubWith(['alice'], { federated: true });
    const spoof: FederationMessage = {
      type: 'message',
      hub: 'b',
      time: T,
      room: '#lobby',
      from: 'ALICE',
      text: 'x',
    };
    expect(hub.remote(spoof, T)).toEqual([]);
    expect(hub.remote({ type: 'join', hub: 'b', time: T, room: '#lobby', nick: 'alice' }, T)).toEqual([]);
    expect(hub.remoteDropped).toBe(0);
  });
});

describe('federated nickname changes', () => {
  it('/nick asks the bus first; granted, the old name is released after the change is published', () => {
    const hub = hubWith(['alice'], { federated: true });
    // hubWith's claim is still pending: answer it.
    hub.claimResult(1, 'alice', true, T);
    const asked = hub.receive(1, '/nick al', T);
    expect(asked).toEqual([{ type: 'claim', to: 1, nick: 'al' }]);
    const out = hub.claimResult(1, 'al', true, T);
    expect(out.filter((d) => d.type !== 'send')).toEqual([
      { type: 'publish', message: { type: 'nick', hub: '', time: T, from: 'alice', to: 'al' } },
      { type: 'release', nick: 'alice' },
    ]);
    expect(hub.localNicks()).toEqual(['al']);
  });

  it('a change of case needs no claim', () => {
    const hub = hubWith(['alice'], { federated: true });
    hub.claimResult(1, 'alice', true, T);
    expect(hub.receive(1, '/nick ALICE', T).map((d) => d.type)).toEqual(['send', 'publish']);
  });
});

describe('remote messages as input from outside', () => {
  it('never throw, whatever they hold', () => {
    const hub = hubWith(['alice'], { federated: true });
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(() => hub.remote(value as FederationMessage, T)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom(
            'message',
            'action',
            'join',
            'part',
            'quit',
            'nick',
            'private',
            'presence',
            'bye',
          ),
          hub: fc.constantFrom('b', 'c', ''),
          time: fc.oneof(fc.constant(T), fc.double()),
          room: fc.oneof(fc.constant('#lobby'), fc.string()),
          nick: fc.oneof(fc.constant('eve'), fc.constant('alice'), fc.string()),
          from: fc.oneof(fc.constant('eve'), fc.string()),
          to: fc.oneof(fc.constant('alice'), fc.string()),
          text: fc.string(),
          ask: fc.boolean(),
          users: fc.array(fc.record({ nick: fc.string(), rooms: fc.array(fc.string()) })),
        }),
        (value) => {
          for (const d of hub.remote(value as FederationMessage, T))
            if (d.type === 'send') expect(d.line).not.toMatch(/[\x00-\x1f\x7f]/);
        },
      ),
    );
  });
});

describe('a hub that is not federated', () => {
  it('emits no federation deliveries', () => {
    const hub = hubWith(['alice', 'bob']);
    const out = [
      ...hub.receive(1, 'hi', T),
      ...hub.receive(1, '/me waves', T),
      ...hub.receive(1, '/join #x', T),
      ...hub.receive(1, '/nick al', T),
      ...hub.receive(1, '/msg bob hi', T),
      ...hub.disconnect(1, T),
    ];
    expect(out.every((d) => d.type === 'send' || d.type === 'close')).toBe(true);
  });
});
