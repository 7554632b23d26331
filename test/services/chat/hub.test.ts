/** The chat hub as tables: lines in, deliveries out, no sockets, `now` passed in. */
import { describe, expect, it } from 'vitest';
import { ChatHub, formatLine } from '../../../src/services/chat/hub.js';
import { closed, errorCodes, hubWith, linesTo, recipients, T } from './helpers.js';

describe('connecting and choosing a nickname', () => {
  it('greets a new client and asks for a nickname', () => {
    const hub = new ChatHub();
    expect(linesTo(hub.connect(1, T), 1)).toEqual([
      '-- welcome to netkit chat; type /help for the commands',
      '-- choose a nickname (a letter, then letters, digits, _ or -; at most 16):',
    ]);
    expect(hub.connect(1, T)).toEqual([]);
  });

  it('takes the first line as the nickname and joins #lobby', () => {
    const hub = new ChatHub();
    hub.connect(1, T);
    expect(linesTo(hub.receive(1, 'alice', T), 1)).toEqual([
      '-- you are alice',
      '[13:45] #lobby -- alice joined',
    ]);
    expect(hub.nickOf(1)).toBe('alice');
  });

  it('accepts /nick NAME as the first line too, and /help before a nickname', () => {
    const hub = new ChatHub();
    hub.connect(1, T);
    expect(linesTo(hub.receive(1, '/help', T), 1)[0]).toBe('-- commands:');
    expect(linesTo(hub.receive(1, '/nick  Bob ', T), 1)[0]).toBe('-- you are Bob');
  });

  it.each([
    ['', []],
    ['   ', []],
    ['1abc', ['NK_CHAT_NICK_INVALID']],
    ['al ice', ['NK_CHAT_NICK_INVALID']],
    ['a'.repeat(17), ['NK_CHAT_NICK_INVALID']],
    ['al\x1b[31mice', ['NK_CHAT_NICK_INVALID']],
    ['ünïcode', ['NK_CHAT_NICK_INVALID']],
    ['/join #x', ['NK_CHAT_NO_NICK']],
    ['/nick', ['NK_CHAT_BAD_ARGUMENTS']],
  ])('refuses %j as a nickname and asks again', (line, codes) => {
    const hub = new ChatHub();
    hub.connect(1, T);
    const out = hub.receive(1, line, T);
    expect(errorCodes(out)).toEqual(codes);
    if (codes.length > 0) expect(linesTo(out, 1).at(-1)).toMatch(/^-- choose a nickname/);
    expect(hub.nickOf(1)).toBeUndefined();
  });

  it.each(['a', 'Z9', 'a_b-c', 'x'.repeat(16)])('accepts the nickname %j', (nick) => {
    const hub = new ChatHub();
    hub.connect(1, T);
    hub.receive(1, nick, T);
    expect(hub.nickOf(1)).toBe(nick);
  });

  it('never quotes an invalid nickname back', () => {
    const hub = new ChatHub();
    hub.connect(1, T);
    expect(linesTo(hub.receive(1, 'bad<nick>', T), 1)[0]).toBe(
      'error NK_CHAT_NICK_INVALID: invalid nickname: only letters (A-Z, a-z), digits, _ and - are allowed',
    );
  });

  it('/quit before a nickname closes the client', () => {
    const hub = new ChatHub();
    hub.connect(1, T);
    expect(closed(hub.receive(1, '/quit', T))).toEqual([1]);
    expect(hub.clientCount).toBe(0);
  });
});

describe('nickname races', () => {
  it('two clients wanting the same name: the first line wins, the second is asked again', () => {
    const hub = new ChatHub();
    hub.connect(1, T);
    hub.connect(2, T);
    expect(errorCodes(hub.receive(1, 'alice', T))).toEqual([]);
    const refused = hub.receive(2, 'ALICE', T);
    expect(linesTo(refused, 2)).toEqual([
      'error NK_CHAT_NICK_TAKEN: the nickname ALICE is taken; choose another',
      '-- choose a nickname (a letter, then letters, digits, _ or -; at most 16):',
    ]);
    expect(recipients(refused)).toEqual([2]);
    expect(hub.nickOf(2)).toBeUndefined();
    hub.receive(2, 'alice2', T);
    expect(hub.nickOf(2)).toBe('alice2');
  });

  it('a nickname is free again once its holder changes it or leaves', () => {
    const hub = hubWith(['alice', 'bob']);
    expect(errorCodes(hub.receive(2, '/nick Alice', T))).toEqual(['NK_CHAT_NICK_TAKEN']);
    hub.receive(1, '/nick carol', T);
    expect(errorCodes(hub.receive(2, '/nick Alice', T))).toEqual([]);
    expect(hub.nickOf(2)).toBe('Alice');
    hub.disconnect(2, T);
    hub.connect(3, T);
    hub.receive(3, 'alice', T);
    expect(hub.nickOf(3)).toBe('alice');
  });

  it('a client may change the case of its own nickname', () => {
    const hub = hubWith(['alice']);
    expect(linesTo(hub.receive(1, '/nick ALICE', T), 1)).toEqual(['[13:45] -- alice is now known as ALICE']);
    expect(linesTo(hub.receive(1, '/nick ALICE', T), 1)).toEqual(['-- you are already ALICE']);
  });
});

describe('commands', () => {
  it.each([
    ['hello there', { 1: ['[13:45] #lobby <alice> hello there'], 2: ['[13:45] #lobby <alice> hello there'] }],
    [
      '//etc/passwd',
      { 1: ['[13:45] #lobby <alice> /etc/passwd'], 2: ['[13:45] #lobby <alice> /etc/passwd'] },
    ],
    ['/me waves', { 1: ['[13:45] #lobby * alice waves'], 2: ['[13:45] #lobby * alice waves'] }],
    ['/ME waves', { 1: ['[13:45] #lobby * alice waves'], 2: ['[13:45] #lobby * alice waves'] }],
    ['/nick al', { 1: ['[13:45] -- alice is now known as al'], 2: ['[13:45] -- alice is now known as al'] }],
    ['/join #dev', { 1: ['[13:45] #dev -- alice joined'], 2: [] }],
    ['/join #lobby', { 1: ['-- now talking in #lobby'], 2: [] }],
    [
      '/part',
      {
        1: ['[13:45] #lobby -- alice left', '-- you are in no room; type /join #name'],
        2: ['[13:45] #lobby -- alice left'],
      },
    ],
    [
      '/part #lobby',
      {
        1: ['[13:45] #lobby -- alice left', '-- you are in no room; type /join #name'],
        2: ['[13:45] #lobby -- alice left'],
      },
    ],
    ['/rooms', { 1: ['-- rooms: #lobby (2)'], 2: [] }],
    ['/who', { 1: ['-- #lobby (2): alice, bob'], 2: [] }],
    ['/who #LOBBY', { 1: ['-- #lobby (2): alice, bob'], 2: [] }],
    [
      '/msg bob psst',
      { 1: ['[13:45] *private* <alice> -> bob: psst'], 2: ['[13:45] *private* <alice> -> bob: psst'] },
    ],
    [
      '/msg BOB  two  words ',
      {
        1: ['[13:45] *private* <alice> -> bob: two  words '],
        2: ['[13:45] *private* <alice> -> bob: two  words '],
      },
    ],
    ['/msg alice me', { 1: ['[13:45] *private* <alice> -> alice: me'], 2: [] }],
    ['/quit', { 1: ['-- bye'], 2: ['[13:45] #lobby -- alice quit'] }],
    ['', { 1: [], 2: [] }],
    ['  ', { 1: [], 2: [] }],
  ])('alice sends %j', (line, expected) => {
    const hub = hubWith(['alice', 'bob']);
    const out = hub.receive(1, line, T);
    expect({ 1: linesTo(out, 1), 2: linesTo(out, 2) }).toEqual(expected);
  });

  it('/help lists every command', () => {
    const hub = hubWith(['alice']);
    const help = linesTo(hub.receive(1, '/help', T), 1).join('\n');
    for (const command of ['/nick', '/join', '/part', '/rooms', '/who', '/msg', '/me', '/quit', '/help'])
      expect(help).toContain(command);
  });

  it.each([
    ['/frobnicate', 'NK_CHAT_UNKNOWN_COMMAND', 'unknown command /frobnicate; type /help for the commands'],
    ['/', 'NK_CHAT_UNKNOWN_COMMAND', 'unknown command /; type /help for the commands'],
    ['/nick', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /nick NAME'],
    ['/nick a b', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /nick NAME'],
    ['/nick bob', 'NK_CHAT_NICK_TAKEN', 'the nickname bob is taken; choose another'],
    ['/nick -x', 'NK_CHAT_NICK_INVALID', 'invalid nickname: it must start with a letter (A-Z, a-z)'],
    ['/join', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /join #room'],
    ['/join dev', 'NK_CHAT_BAD_ROOM', 'invalid room name: a room name starts with #, as in #lobby'],
    [
      '/join #a.b',
      'NK_CHAT_BAD_ROOM',
      'invalid room name: # then 1 to 32 letters (A-Z, a-z), digits, _ or - are allowed',
    ],
    [
      '/join #' + 'x'.repeat(33),
      'NK_CHAT_BAD_ROOM',
      'invalid room name: # then 1 to 32 letters (A-Z, a-z), digits, _ or - are allowed',
    ],
    ['/part #dev', 'NK_CHAT_NOT_IN_ROOM', 'you are not in #dev; type /join #dev'],
    ['/part #a #b', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /part [#room]'],
    ['/who #nowhere', 'NK_CHAT_NO_SUCH_ROOM', 'there is no room #nowhere'],
    ['/who #a #b', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /who [#room]'],
    ['/msg', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /msg NICK text'],
    ['/msg bob', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /msg NICK text'],
    ['/msg bob   ', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /msg NICK text'],
    ['/msg carol hi', 'NK_CHAT_NO_SUCH_NICK', 'nobody is called carol'],
    ['/msg #lobby hi', 'NK_CHAT_NICK_INVALID', 'invalid nickname: it must start with a letter (A-Z, a-z)'],
    ['/me', 'NK_CHAT_BAD_ARGUMENTS', 'usage: /me action'],
  ])('%j is an error to its sender only', (line, code, message) => {
    const hub = hubWith(['alice', 'bob']);
    const out = hub.receive(1, line, T);
    expect(linesTo(out, 1)).toEqual([`error ${code}: ${message}`]);
    expect(recipients(out)).toEqual([1]);
  });

  it.each([
    ['hello', 'you are not in a room; type /join #name'],
    ['/me waves', 'you are not in a room; type /join #name'],
    ['/part', 'you are not in a room; type /join #name'],
    ['/who', 'you are not in a room; type /join #name'],
  ])('%j outside every room is NK_CHAT_NOT_IN_ROOM', (line, message) => {
    const hub = hubWith(['alice']);
    hub.receive(1, '/part', T);
    expect(linesTo(hub.receive(1, line, T), 1)).toEqual([`error NK_CHAT_NOT_IN_ROOM: ${message}`]);
  });

  it('truncates a long unknown command name', () => {
    const hub = hubWith(['alice']);
    const [line] = linesTo(hub.receive(1, '/' + 'x'.repeat(100), T), 1);
    expect(line).toBe(
      `error NK_CHAT_UNKNOWN_COMMAND: unknown command /${'x'.repeat(32)}…; type /help for the commands`,
    );
  });
});

describe('rooms', () => {
  it('messages reach only the members of the current room; /join switches back', () => {
    const hub = hubWith(['alice', 'bob', 'carol']);
    hub.receive(1, '/join #dev', T);
    hub.receive(2, '/join #Dev', T);
    const out = hub.receive(1, 'in dev', T);
    expect(recipients(out)).toEqual([1, 2]);
    expect(linesTo(out, 2)).toEqual(['[13:45] #dev <alice> in dev']);
    expect(linesTo(hub.receive(1, '/join #lobby', T), 1)).toEqual(['-- now talking in #lobby']);
    expect(recipients(hub.receive(1, 'in lobby', T))).toEqual([1, 2, 3]);
  });

  it('/part of the current room falls back to the previous one', () => {
    const hub = hubWith(['alice', 'bob']);
    hub.receive(1, '/join #dev', T);
    const out = hub.receive(1, '/part', T);
    expect(linesTo(out, 1)).toEqual(['[13:45] #dev -- alice left', '-- now talking in #lobby']);
    expect(linesTo(out, 2)).toEqual([]);
  });

  it('/rooms lists rooms sorted with their sizes; an empty room is forgotten, #lobby never', () => {
    const hub = hubWith(['alice', 'bob']);
    hub.receive(1, '/join #zeta', T);
    hub.receive(2, '/join #Alpha', T);
    expect(linesTo(hub.receive(1, '/rooms', T), 1)).toEqual(['-- rooms: #Alpha (1), #lobby (2), #zeta (1)']);
    hub.receive(1, '/part #zeta', T);
    hub.receive(1, '/part #lobby', T);
    hub.receive(2, '/part #lobby', T);
    expect(hub.roomList()).toEqual([
      { name: '#Alpha', members: 1 },
      { name: '#lobby', members: 0 },
    ]);
  });

  it('a nick change is told once to each client sharing a room', () => {
    const hub = hubWith(['alice', 'bob', 'carol']);
    hub.receive(1, '/join #dev', T);
    hub.receive(2, '/join #dev', T);
    hub.receive(3, '/part', T);
    const out = hub.receive(1, '/nick al', T);
    expect(linesTo(out, 1)).toEqual(['[13:45] -- alice is now known as al']);
    expect(linesTo(out, 2)).toEqual(['[13:45] -- alice is now known as al']);
    expect(linesTo(out, 3)).toEqual([]);
    expect(linesTo(hub.receive(2, 'hi', T), 1)).toEqual(['[13:45] #dev <bob> hi']);
  });

  it('disconnecting tells every room the client was in, and frees nothing twice', () => {
    const hub = hubWith(['alice', 'bob']);
    hub.receive(1, '/join #dev', T);
    hub.receive(2, '/join #dev', T);
    const out = hub.disconnect(1, T + 60_000);
    expect(linesTo(out, 2)).toEqual(['[13:46] #lobby -- alice quit', '[13:46] #dev -- alice quit']);
    expect(hub.disconnect(1, T)).toEqual([]);
    expect(hub.receive(1, 'ghost', T)).toEqual([]);
    expect(hub.clientCount).toBe(1);
  });

  it('a client that leaves before choosing a nickname is forgotten silently', () => {
    const hub = hubWith(['alice']);
    hub.connect(2, T);
    expect(hub.disconnect(2, T)).toEqual([]);
    expect(hub.clientCount).toBe(1);
  });
});

describe('history on joining', () => {
  it('shows the last 20 messages (plain and /me) with their own times, not notices', () => {
    const hub = hubWith(['alice', 'bob']);
    hub.receive(1, '/join #dev', T);
    for (let i = 0; i < 25; i++)
      hub.receive(1, i % 5 === 4 ? `/me acts ${i}` : `message ${i}`, T + i * 60_000);
    hub.receive(1, '/nick al', T);
    const lines = linesTo(hub.receive(2, '/join #dev', T + 3_600_000), 2);
    expect(lines[0]).toBe('[14:45] #dev -- bob joined');
    expect(lines[1]).toBe('-- the last 20 messages in #dev:');
    expect(lines).toHaveLength(22);
    expect(lines[2]).toBe('[13:50] #dev <alice> message 5');
    expect(lines[6]).toBe('[13:54] #dev * alice acts 9');
    expect(lines[21]).toBe('[14:09] #dev * alice acts 24');
  });

  it('says "message" for one, shows nothing for an empty room, and keeps historySize', () => {
    const hub = hubWith(['alice', 'bob'], { historySize: 1 });
    hub.receive(1, '/join #dev', T);
    expect(linesTo(hub.receive(2, '/join #dev', T), 2)).toEqual(['[13:45] #dev -- bob joined']);
    hub.receive(1, 'one', T);
    hub.receive(1, 'two', T);
    hub.receive(2, '/part', T);
    expect(linesTo(hub.receive(2, '/join #dev', T), 2)).toEqual([
      '[13:45] #dev -- bob joined',
      '-- the last message in #dev:',
      '[13:45] #dev <alice> two',
    ]);
  });

  it('#lobby history is shown to a new client after its nickname; private messages are never kept', () => {
    const hub = hubWith(['alice', 'bob']);
    hub.receive(1, 'hi all', T);
    hub.receive(1, '/msg bob secret', T);
    hub.connect(3, T);
    const lines = linesTo(hub.receive(3, 'carol', T), 3);
    expect(lines).toEqual([
      '-- you are carol',
      '[13:45] #lobby -- carol joined',
      '-- the last message in #lobby:',
      '[13:45] #lobby <alice> hi all',
    ]);
  });
});

describe('private messages', () => {
  it('reach only their target, plus the echo to the sender', () => {
    const hub = hubWith(['alice', 'bob', 'carol']);
    hub.receive(3, '/join #dev', T);
    const out = hub.receive(1, '/msg Carol meet at 5', T);
    expect(recipients(out).sort()).toEqual([1, 3]);
    expect(out.map((d) => (d.type === 'send' ? d.event : d))).toEqual([
      { type: 'private', time: T, from: 'alice', to: 'carol', text: 'meet at 5' },
      { type: 'private', time: T, from: 'alice', to: 'carol', text: 'meet at 5' },
    ]);
  });
});

describe('line limit', () => {
  it('a line over maxLineBytes is an error to its sender only, not relayed', () => {
    const hub = hubWith(['alice', 'bob']);
    const out = hub.receive(1, 'x'.repeat(2049), T);
    expect(linesTo(out, 1)).toEqual([
      'error NK_CHAT_LINE_TOO_LONG: line longer than 2048 bytes; it was not sent',
    ]);
    expect(recipients(out)).toEqual([1]);
    expect(recipients(hub.receive(1, 'x'.repeat(2048), T))).toEqual([1, 2]);
  });

  it('counts bytes, not characters, for strings and for bytes', () => {
    const hub = hubWith(['alice', 'bob'], { maxLineBytes: 10 });
    expect(errorCodes(hub.receive(1, 'ééééé', T))).toEqual([]);
    expect(errorCodes(hub.receive(1, 'éééééx', T))).toEqual(['NK_CHAT_LINE_TOO_LONG']);
    expect(errorCodes(hub.receive(1, '😀😀😀', T))).toEqual(['NK_CHAT_LINE_TOO_LONG']);
    expect(errorCodes(hub.receive(1, new TextEncoder().encode('ééééé'), T))).toEqual([]);
    expect(errorCodes(hub.receive(1, new Uint8Array(11).fill(0x41), T))).toEqual(['NK_CHAT_LINE_TOO_LONG']);
  });

  it('lineTooLong (the transport skipped a line) answers the same way', () => {
    const hub = hubWith(['alice', 'bob']);
    const out = hub.lineTooLong(1, T);
    expect(errorCodes(out)).toEqual(['NK_CHAT_LINE_TOO_LONG']);
    expect(recipients(out)).toEqual([1]);
    expect(hub.lineTooLong(99, T)).toEqual([]);
  });

  it('decodes bytes as UTF-8 (bad sequences as U+FFFD) and drops a trailing CR', () => {
    const hub = hubWith(['alice']);
    const out = hub.receive(1, Uint8Array.of(0x68, 0xc3, 0xa9, 0xff, 0x0d), T);
    expect(linesTo(out, 1)).toEqual(['[13:45] #lobby <alice> hé\uFFFD']);
  });
});

describe('flood control', () => {
  it('warns on the line over the burst, then disconnects on continued flooding', () => {
    const hub = hubWith(['alice', 'bob'], { floodRate: 10 });
    // The nickname line took one of the 20 tokens.
    for (let i = 0; i < 19; i++) expect(errorCodes(hub.receive(1, `m${i}`, T))).toEqual([]);
    const warning = hub.receive(1, 'one too many', T);
    expect(linesTo(warning, 1)).toEqual([
      'error NK_CHAT_FLOOD: more than 10 messages a second: slow down or you will be disconnected (line dropped)',
    ]);
    expect(recipients(warning)).toEqual([1]);
    // 100 ms later one token is back: that line goes through.
    expect(recipients(hub.receive(1, 'ok', T + 100))).toEqual([1, 2]);
    const out = hub.receive(1, 'still flooding', T + 100);
    expect(linesTo(out, 1)).toEqual([
      'error NK_CHAT_FLOOD: still sending more than 10 messages a second: disconnected',
    ]);
    expect(closed(out)).toEqual([1]);
    expect(linesTo(out, 2)).toEqual(['[13:45] #lobby -- alice quit']);
    expect(hub.clientCount).toBe(1);
    expect(hub.receive(1, 'more', T + 100)).toEqual([]);
    expect(hub.disconnect(1, T + 100)).toEqual([]);
  });

  it('forgets the warning once the bucket has refilled', () => {
    const hub = hubWith(['alice'], { floodRate: 10 });
    for (let i = 0; i < 19; i++) hub.receive(1, `m${i}`, T);
    expect(errorCodes(hub.receive(1, 'x', T))).toEqual(['NK_CHAT_FLOOD']);
    // 2 s later the bucket (20 tokens at 10/s) is full again.
    for (let i = 0; i < 20; i++) expect(errorCodes(hub.receive(1, `n${i}`, T + 2000))).toEqual([]);
    const again = hub.receive(1, 'x', T + 2000);
    expect(errorCodes(again)).toEqual(['NK_CHAT_FLOOD']);
    expect(closed(again)).toEqual([]);
  });

  it('a client at the rate is never warned', () => {
    const hub = hubWith(['alice'], { floodRate: 10 });
    for (let i = 0; i < 200; i++) expect(errorCodes(hub.receive(1, `m${i}`, T + i * 100))).toEqual([]);
  });

  it('counts commands and refused nicknames too, and floodRate 0 disables it', () => {
    const hub = new ChatHub({ floodRate: 1, floodBurst: 2 });
    hub.connect(1, T);
    hub.receive(1, '1bad', T);
    hub.receive(1, '2bad', T);
    expect(errorCodes(hub.receive(1, 'alice', T))).toEqual(['NK_CHAT_FLOOD']);
    expect(closed(hub.receive(1, 'alice', T))).toEqual([1]);
    const free = hubWith(['alice'], { floodRate: 0 });
    for (let i = 0; i < 1000; i++) expect(errorCodes(free.receive(1, '/rooms', T))).toEqual([]);
  });
});

describe('options and events', () => {
  it.each([
    [{ maxLineBytes: 0 }],
    [{ floodBurst: 1.5 }],
    [{ historySize: -1 }],
    [{ floodRate: -1 }],
    [{ floodRate: Number.NaN }],
    [{ maxNickLength: 0 }],
    [{ defaultRoom: 'lobby' }],
  ])('refuses the option %j', (options) => {
    expect(() => new ChatHub(options)).toThrow(expect.objectContaining({ code: 'NK_CHAT_BAD_OPTION' }));
  });

  it('uses another default room and nickname length', () => {
    const hub = new ChatHub({ defaultRoom: '#main', maxNickLength: 3 });
    hub.connect(1, T);
    expect(errorCodes(hub.receive(1, 'abcd', T))).toEqual(['NK_CHAT_NICK_INVALID']);
    expect(linesTo(hub.receive(1, 'abc', T), 1)).toEqual(['-- you are abc', '[13:45] #main -- abc joined']);
  });

  it('formats times as HH:MM UTC, whatever `now`', () => {
    const line = (time: number) => formatLine({ type: 'join', time, room: '#r', nick: 'n' });
    expect(line(0)).toBe('[00:00] #r -- n joined');
    expect(line(Date.UTC(2030, 5, 1, 23, 59, 59, 999))).toBe('[23:59] #r -- n joined');
    expect(line(-60_000)).toBe('[23:59] #r -- n joined');
    expect(line(Number.NaN)).toBe('[00:00] #r -- n joined');
  });
});
