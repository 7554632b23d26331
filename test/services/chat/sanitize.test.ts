/** What reaches other people's terminals: no controls, no escape sequences, the rest intact. */
import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../../src/services/chat/hub.js';
import { isSafeText } from '../../../src/services/chat/protocol/sanitize.js';
import { hubWith, linesTo, recipients, T } from './helpers.js';

describe('sanitizeText', () => {
  it.each([
    ['plain text', 'plain text'],
    ['ünïcödé 😀 中文 e\u0301', 'ünïcödé 😀 中文 e\u0301'],
    ['\x1b[31mred\x1b[0m', '^[[31mred^[[0m'],
    ['\x1b]0;pwned\x07title', '^[]0;pwned^Gtitle'],
    ['\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\', '^[]8;;http://evil^[\\link^[]8;;^[\\'],
    ['\x1bP+q\x1b\\', '^[P+q^[\\'],
    ['a\x00b\x7fc', 'a^@b^?c'],
    ['tab\there', 'tab here'],
    ['cr\rlf\nend', 'cr^Mlf^Jend'],
    ['\x9b31m C1 CSI \x9d OSC \x85 NEL', '\uFFFD31m C1 CSI \uFFFD OSC \uFFFD NEL'],
    ['bidi \u202euser\u2066x\u2069', 'bidi \uFFFDuser\uFFFDx\uFFFD'],
    ['line\u2028sep\u2029', 'line\uFFFDsep\uFFFD'],
    ['lone \ud800 and \udc00 surrogates', 'lone \uFFFD and \uFFFD surrogates'],
    ['pair \ud83d\ude00 kept', 'pair 😀 kept'],
  ])('%j → %j', (input, output) => {
    expect(sanitizeText(input)).toBe(output);
    expect(isSafeText(sanitizeText(input))).toBe(true);
  });

  it('changes nothing safe', () => {
    expect(isSafeText('hello, world')).toBe(true);
    expect(isSafeText('\x1b')).toBe(false);
  });
});

describe('escape-sequence injection through the hub', () => {
  it.each([
    ['a message', 'hi \x1b[2J\x1b[H everyone', '[13:45] #lobby <alice> hi ^[[2J^[[H everyone'],
    ['/me', '/me \x1b]0;owned\x07 waves', '[13:45] #lobby * alice ^[]0;owned^G waves'],
    ['a // message', '//\x9b2J', '[13:45] #lobby <alice> /\uFFFD2J'],
  ])('%s is sanitised for every recipient, the rest still delivered', (_, line, expected) => {
    const hub = hubWith(['alice', 'bob']);
    const out = hub.receive(1, line, T);
    expect(recipients(out)).toEqual([1, 2]);
    expect(linesTo(out, 2)).toEqual([expected]);
    expect(out.every((d) => d.type !== 'send' || JSON.stringify(d.event).indexOf('\\u001b') === -1)).toBe(
      true,
    );
  });

  it('a private message is sanitised too, in its structured event as well', () => {
    const hub = hubWith(['alice', 'bob']);
    const out = hub.receive(1, '/msg bob \x1b[8mhidden\x1b[0m', T);
    expect(linesTo(out, 2)).toEqual(['[13:45] *private* <alice> -> bob: ^[[8mhidden^[[0m']);
    const [first] = out;
    expect(first?.type === 'send' && first.event).toEqual({
      type: 'private',
      time: T,
      from: 'alice',
      to: 'bob',
      text: '^[[8mhidden^[[0m',
    });
  });

  it('an unknown command with escapes is quoted sanitised', () => {
    const hub = hubWith(['alice']);
    expect(linesTo(hub.receive(1, '/x\x1b[31m', T), 1)).toEqual([
      'error NK_CHAT_UNKNOWN_COMMAND: unknown command /x^[[31m; type /help for the commands',
    ]);
  });

  it('a nickname with escapes is refused without echoing it', () => {
    const hub = hubWith([]);
    hub.connect(1, T);
    const lines = linesTo(hub.receive(1, 'x\x1b[31m', T), 1);
    expect(lines.join('\n')).not.toContain('[31m');
  });
});
