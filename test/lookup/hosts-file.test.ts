/**
 * The /etc/hosts parser and its glibc-style searches. The expected answers for RICH_HOSTS
 * were observed with Python and getent on glibc 2.36 (and are re-checked against glibc by
 * glibc-fixtures.differential.test.ts); the properties cover files no one wrote by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatHostsFile,
  type HostsLine,
  hostsByAddress,
  hostsByName,
  parseHostsFile,
} from '../../src/lookup/hosts-file.js';
import { formatAddress, parseAddress } from '../../src/lookup/ip-text.js';
import { RICH_HOSTS } from './fixtures.js';

const lines = parseHostsFile(RICH_HOSTS);

function byName(name: string, family: 4 | 6 = 4, multi = true) {
  const answer = hostsByName(lines, name, family, multi);
  return answer && [answer.hostname, answer.aliases, answer.addresses.map(formatAddress)];
}

function byAddress(address: string) {
  const answer = hostsByAddress(lines, parseAddress(address)!.bytes);
  return answer && [answer.hostname, answer.aliases, answer.addresses.map(formatAddress)];
}

describe('parseHostsFile', () => {
  it('reads addresses, names and aliases, and skips what glibc skips', () => {
    const summary = lines.map((l) => [l.line, l.address, l.name, ...l.aliases].join(' '));
    expect(summary).toContain('3 10.0.0.1 alpha.example alpha a1');
    expect(summary).toContain('4 10.0.0.2 beta beta-alias');
    expect(summary).toContain('10 10.0.0.4 '); // an address alone is kept, with no name
    expect(summary).toContain('16 10.0.0.8 h'); // '#' ends the line mid-word
    expect(summary).toContain('26 10.0.0.13 crlf crlf-alias'); // CR is a blank
    expect(summary).toContain('28 10.0.0.14 vtab'); // so is a vertical tab
    const addresses = lines.map((l) => l.address);
    // Leading zeros, a %zone, a bad octet, and a name in the address column are refused.
    for (const refused of ['010.0.0.7', 'fe80::2%eth0', '300.1.2.3', 'garbage-line-without-address']) {
      expect(addresses).not.toContain(refused);
    }
    expect(lines).toHaveLength(22);
  });
});

describe('hostsByName (gethostbyname2_r over files)', () => {
  it.each([
    ['alpha', ['alpha.example', ['alpha', 'a1'], ['10.0.0.1']]],
    ['ALPHA', ['alpha.example', ['alpha', 'a1'], ['10.0.0.1']]],
    ['alpha.example', ['alpha.example', ['alpha', 'a1', 'alpha2'], ['10.0.0.1', '10.0.0.3']]],
    ['beta-alias', ['beta', ['beta-alias'], ['10.0.0.2']]],
    ['localhost6', ['localhost6', ['ip6-localhost'], ['127.0.0.1']]], // ::1 answers IPv4 as 127.0.0.1
    ['mapped', ['mapped', [], ['10.0.0.5']]], // ::ffff:10.0.0.5 answers IPv4 as 10.0.0.5
    ['dup', ['Dup', ['dup', 'DUP'], ['10.0.0.6']]],
    ['h', ['h', [], ['10.0.0.8']]],
    [
      'shared',
      [
        'zeta',
        ['shared', 'z', 'shared', 'z', 'eta2', 'eta', 'shared', 'zeta2', 'Shared', 'shared'],
        ['10.0.0.10', '10.0.0.11', '10.0.0.10', '10.0.0.12', '127.0.0.1'],
      ],
    ],
    ['z', ['zeta', ['shared', 'z', 'shared', 'z', 'eta2', 'eta'], ['10.0.0.10', '10.0.0.11']]],
  ])('IPv4, multi on: %s', (name, expected) => {
    expect(byName(name)).toEqual(expected);
  });

  it.each(['link6', 'v6only', 'ash', 'x', 'octal', 'zoned', 'badv4', 'name', 'missing'])(
    'IPv4: %s is not found',
    (name) => {
      expect(byName(name)).toBeUndefined();
    },
  );

  it('with multi off, only the first matching line answers', () => {
    expect(byName('alpha.example', 4, false)).toEqual(['alpha.example', ['alpha', 'a1'], ['10.0.0.1']]);
    expect(byName('shared', 4, false)).toEqual(['zeta', ['shared', 'z'], ['10.0.0.10']]);
  });

  it('IPv6 sees only IPv6 lines', () => {
    expect(byName('shared', 6)).toEqual(['shared', [], ['::1', 'fd00::7']]);
    expect(byName('alpha.example', 6)).toEqual(['alpha.example', ['v6only'], ['fd00::5']]);
    expect(byName('mapped', 6)).toEqual(['mapped', [], ['::ffff:10.0.0.5']]);
    expect(byName('alpha', 6)).toBeUndefined();
  });
});

describe('hostsByAddress (gethostbyaddr_r over files)', () => {
  it.each([
    ['10.0.0.1', ['alpha.example', ['alpha', 'a1'], ['10.0.0.1']]], // first line only, never merged
    ['10.0.0.3', ['alpha.example', ['alpha2'], ['10.0.0.3']]],
    ['127.0.0.1', ['localhost6', ['ip6-localhost'], ['127.0.0.1']]], // the ::1 line comes first
    ['::1', ['localhost6', ['ip6-localhost'], ['::1']]],
    ['10.0.0.5', ['mapped', [], ['10.0.0.5']]],
    ['::ffff:10.0.0.5', ['mapped', [], ['::ffff:10.0.0.5']]],
    ['10.0.0.4', ['', [], ['10.0.0.4']]],
  ])('%s', (address, expected) => {
    expect(byAddress(address)).toEqual(expected);
  });

  it.each(['10.0.0.7', '::ffff:127.0.0.1', 'fe80::2', '0.0.0.0'])('%s is not found', (address) => {
    expect(byAddress(address)).toBeUndefined();
  });
});

// Names as they appear in hosts files: no blanks, '#' or NUL.
const hostName = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,24}$/);
const address = fc.oneof(
  fc.ipV4(),
  fc.ipV6().filter((text) => parseAddress(text) !== undefined),
);
const entry = fc.record({ address, name: hostName, aliases: fc.array(hostName, { maxLength: 4 }) });
const blank = fc.constantFrom(' ', '\t', '  ', ' \t', '\v', '\f');
const noise = fc.constantFrom('', '# a comment', '   ', '\t# indented', 'not-an-address name', '010.1.1.1 x');

function summary(parsed: readonly HostsLine[]) {
  return parsed.map(({ address: a, name, aliases }) => ({ address: a, name, aliases }));
}

describe('parseHostsFile properties', () => {
  it('round-trips any list of entries through formatHostsFile', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        expect(summary(parseHostsFile(formatHostsFile(entries)))).toEqual(entries);
      }),
    );
  });

  it('ignores comments, blank lines, garbage lines, other blanks and trailing comments', () => {
    const decorated = fc.array(
      fc.record({
        entry,
        noiseBefore: noise,
        sep: blank,
        comment: fc.constantFrom('', '#c', ' # x y'),
        cr: fc.boolean(),
      }),
      { maxLength: 15 },
    );
    fc.assert(
      fc.property(decorated, (items) => {
        const text = items
          .flatMap(({ entry: e, noiseBefore, sep, comment, cr }) => [
            noiseBefore,
            `${[e.address, e.name, ...e.aliases].join(sep)}${comment}${cr ? '\r' : ''}`,
          ])
          .join('\n');
        expect(summary(parseHostsFile(text))).toEqual(items.map((item) => item.entry));
      }),
    );
  });

  it('never throws, and every line it keeps has a parsed address and no blanks in names', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        for (const line of parseHostsFile(text)) {
          expect(parseAddress(line.address)?.bytes).toEqual(line.bytes);
          for (const name of [line.name, ...line.aliases]) expect(name).not.toMatch(/[ \t\n\v\f\r#\0]/);
        }
      }),
    );
  });

  it('matches a naive model: first matching line, or every matching line with multi', () => {
    const v4entry = fc.record({
      address: fc.ipV4(),
      name: fc.constantFrom('a', 'b', 'A'),
      aliases: fc.array(fc.constantFrom('a', 'b', 'c', 'B'), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(v4entry, { maxLength: 8 }), fc.constantFrom('a', 'b', 'c'), (entries, query) => {
        const parsed = parseHostsFile(formatHostsFile(entries));
        const matching = entries.filter((e) => [e.name, ...e.aliases].some((n) => n.toLowerCase() === query));
        const single = hostsByName(parsed, query, 4, false);
        const merged = hostsByName(parsed, query, 4, true);
        expect(single?.hostname).toBe(matching[0]?.name);
        expect(merged?.addresses.map(formatAddress) ?? []).toEqual(matching.map((e) => e.address));
        expect(merged?.aliases.length ?? 0).toBeGreaterThanOrEqual(single?.aliases.length ?? 0);
      }),
    );
  });
});
