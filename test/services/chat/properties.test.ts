/**
 * Properties (fast-check): random lines from random clients, joining and leaving at random,
 * never make the hub throw and never deliver a control character (or an escape sequence's
 * ESC) to anyone, in lines or in structured events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChatDelivery, ChatHub } from '../../../src/services/chat/hub.js';
import { T } from './helpers.js';

const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const word = fc.constantFrom('alice', 'Bob', 'bob', 'carol', '#lobby', '#dev', '#DEV', 'x', '1bad', '');
const command = fc.constantFrom(
  '/nick',
  '/join',
  '/part',
  '/rooms',
  '/who',
  '/msg',
  '/me',
  '/help',
  '/quit',
  '/bogus',
  '//',
  '',
);
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '\x1b',
      '[',
      ']',
      '\x07',
      '\x9b',
      '\x00',
      '\x7f',
      '\t',
      '\r',
      '\n',
      'a',
      ' ',
      '\ud800',
      '\u202e',
    ),
    maxLength: 40,
  }),
);
const line = fc.oneof(
  fc.tuple(command, word, nasty).map(([c, w, n]) => `${c} ${w} ${n}`.trimStart()),
  fc.tuple(command, nasty).map(([c, n]) => `${c}${n}`),
  nasty,
  word,
);
const input = fc.oneof(
  { weight: 4, arbitrary: line },
  { weight: 1, arbitrary: line.map((text) => new TextEncoder().encode(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }) },
);
const step = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('line' as const), client: fc.nat(4), input }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('connect' as const), client: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), client: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tooLong' as const), client: fc.nat(4) }) },
);

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function check(deliveries: ChatDelivery[]): void {
  for (const delivery of deliveries) {
    for (const text of strings(delivery)) {
      expect(text).not.toMatch(CONTROL);
      expect(text).not.toMatch(LONE_SURROGATE);
    }
  }
}

describe('the hub under random input', () => {
  it('never throws and never delivers a control character', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.record({ floodRate: fc.constantFrom(0, 1, 10), maxLineBytes: fc.constantFrom(8, 2048) }),
        fc.array(fc.nat(5000), { minLength: 60, maxLength: 60 }),
        (steps, options, gaps) => {
          const hub = new ChatHub(options);
          let now = T;
          for (let id = 0; id < 5; id++) check(hub.connect(id, now));
          steps.forEach((s, i) => {
            now += gaps[i]!;
            if (s.kind === 'line') check(hub.receive(s.client, s.input, now));
            else if (s.kind === 'connect') check(hub.connect(s.client, now));
            else if (s.kind === 'tooLong') check(hub.lineTooLong(s.client, now));
            else check(hub.disconnect(s.client, now));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps nicknames unique, case-insensitively, and private messages private', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat(4), fc.constantFrom('alice', 'ALICE', 'bob', '/nick alice', '/nick Bob', '/quit')),
          {
            maxLength: 40,
          },
        ),
        (moves) => {
          const hub = new ChatHub({ floodRate: 0 });
          for (let id = 0; id < 5; id++) hub.connect(id, T);
          for (const [id, text] of moves) {
            const out = hub.receive(id, text, T);
            if (text === '/quit') hub.connect(id, T);
            for (const d of out) if (d.type === 'send' && d.event.type === 'private') expect(d.to).toBe(id);
            const held = [0, 1, 2, 3, 4].flatMap((i) => hub.nickOf(i) ?? []).map((n) => n.toLowerCase());
            expect(new Set(held).size).toBe(held.length);
          }
        },
      ),
    );
  });

  it('a private message reaches its sender and its target only', () => {
    fc.assert(
      fc.property(fc.nat(3), fc.nat(3), fc.string({ minLength: 1, maxLength: 20 }), (from, to, text) => {
        const nicks = ['ann', 'ben', 'cat', 'dan'];
        const hub = new ChatHub({ floodRate: 0 });
        nicks.forEach((nick, id) => {
          hub.connect(id, T);
          hub.receive(id, nick, T);
        });
        const out = hub.receive(from, `/msg ${nicks[to]} x${text}`, T);
        expect(new Set(out.flatMap((d) => ('to' in d ? [d.to] : [])))).toEqual(new Set([from, to]));
      }),
    );
  });
});
