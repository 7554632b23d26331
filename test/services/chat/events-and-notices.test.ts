import { describe, expect, it } from 'vitest';
import { formatLine } from '../../../src/services/chat/protocol/events.js';
import { hubWith, linesTo, recipients, T } from './helpers.js';

describe('structured replies (for JSON clients) with the same lines for text clients', () => {
  it('a new nickname is a `you` event', () => {
    const hub = hubWith([]);
    hub.connect(1, T);
    const out = hub.receive(1, 'alice', T);
    const you = out.find((d) => d.type === 'send' && d.event.type === 'you');
    expect(you).toMatchObject({ to: 1, event: { type: 'you', nick: 'alice' }, line: '-- you are alice' });
  });

  it('/rooms lists rooms with member counts, sorted', () => {
    const hub = hubWith(['alice', 'bob']);
    hub.receive(2, '/join #zed', T);
    hub.receive(2, '/join #alpha', T);
    const out = hub.receive(1, '/rooms', T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      event: {
        type: 'rooms',
        rooms: [
          { name: '#alpha', members: 1 },
          { name: '#lobby', members: 2 },
          { name: '#zed', members: 1 },
        ],
      },
      line: '-- rooms: #alpha (1), #lobby (2), #zed (1)',
    });
  });

  it('/who names the members of a room, sorted', () => {
    const hub = hubWith(['carol', 'alice', 'Bob']);
    const out = hub.receive(1, '/who', T);
    expect(out[0]).toMatchObject({
      event: { type: 'who', room: '#lobby', nicks: ['alice', 'Bob', 'carol'] },
      line: '-- #lobby (3): alice, Bob, carol',
    });
  });

  it('formatLine covers every event kind', () => {
    expect(formatLine({ type: 'who', room: '#x', nicks: [] })).toBe('-- #x (0): ');
    expect(formatLine({ type: 'rooms', rooms: [] })).toBe('-- rooms: ');
  });
});

describe('join, part and quit notices in big rooms', () => {
  it('go to the whole room up to maxNoticeMembers members', () => {
    const hub = hubWith(['a1', 'a2'], { maxNoticeMembers: 3 });
    hub.connect(3, T);
    const out = hub.receive(3, 'a3', T);
    expect(recipients(out.filter((d) => d.type === 'send' && d.event.type === 'join'))).toEqual([1, 2, 3]);
  });

  it('go only to the client itself in a bigger room, while messages still reach everyone', () => {
    const hub = hubWith(['a1', 'a2', 'a3'], { maxNoticeMembers: 3 });
    hub.connect(4, T);
    const joined = hub.receive(4, 'a4', T);
    const joins = joined.filter((d) => d.type === 'send' && d.event.type === 'join');
    expect(recipients(joins)).toEqual([4]);
    expect(linesTo(joined, 4)).toContain('[13:45] #lobby -- a4 joined');
    const said = hub.receive(4, 'hello', T);
    expect(recipients(said)).toEqual([1, 2, 3, 4]);
    // a1 quits from a room of 4: nobody is told; a4 then leaves a room of 3: everyone is.
    expect(hub.disconnect(1, T)).toEqual([]);
    const parted = hub.receive(4, '/part', T);
    expect(recipients(parted.filter((d) => d.type === 'send' && d.event.type === 'part'))).toEqual([2, 3, 4]);
  });
});
