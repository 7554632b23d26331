/**
 * The zone-file parser: golden parses of each feature (expected records checked against
 * named-checkzone -D, BIND 9.18, where noted), errors with exact FILE:LINE:COLUMN, limits that
 * fail fast, and the property that a zone written record by record parses back to itself.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: BIND's $GENERATE writes ${offset,width,base} in plain strings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Name } from '../../src/dns/name.js';
import { recordToText } from '../../src/dns/record.js';
import { DnsZoneFileError, type ZoneWarning } from '../../src/dns/zone/errors.js';
import { formatZone } from '../../src/dns/zone/format.js';
import {
  parseZone,
  parseZoneEntries,
  parseZoneRecords,
  type ZoneParseOptions,
} from '../../src/dns/zone/parse.js';
import { arbitraryRecord } from './arbitraries.js';

const SOA = '@ IN SOA ns hm 1 7200 3600 1209600 300';

function texts(zone: string, options: ZoneParseOptions = {}): string[] {
  return parseZone(zone, options).records.map(recordToText);
}

function errorOf(run: () => unknown): DnsZoneFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof DnsZoneFileError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('directives', () => {
  it('$ORIGIN (relative to the one before), $TTL with units, @', () => {
    const zone = `$ORIGIN ex.test.\n$TTL 1h30m\n${SOA}\nwww A 192.0.2.1\n$ORIGIN sub\nhost A 192.0.2.2\n@ TXT "at sub"\n`;
    expect(texts(zone)).toEqual([
      'ex.test. 5400 IN SOA ns.ex.test. hm.ex.test. 1 7200 3600 1209600 300',
      'www.ex.test. 5400 IN A 192.0.2.1',
      'host.sub.ex.test. 5400 IN A 192.0.2.2',
      'sub.ex.test. 5400 IN TXT "at sub"',
    ]);
    expect(parseZone(zone).origin.toText()).toBe('ex.test.');
  });

  it('the origin option, as a string or a Name', () => {
    expect(texts('www 60 A 192.0.2.1', { origin: 'ex.test.' })).toEqual(['www.ex.test. 60 IN A 192.0.2.1']);
    expect(texts('www 60 A 192.0.2.1', { origin: Name.fromText('ex.test.') })).toHaveLength(1);
  });

  it('$INCLUDE with its origin; the parent origin and owner come back after it', () => {
    const files: Record<string, string> = {
      'zones/inc/hosts': 'a A 192.0.2.1\n  AAAA 2001:db8::1\n',
    };
    const zone = `$ORIGIN ex.test.\n$TTL 60\nparent A 192.0.2.9\n$INCLUDE inc/hosts lab.ex.test.\n  TXT "owner is parent"\nb A 192.0.2.2\n`;
    const seen: [string, string][] = [];
    const readInclude = (path: string, from: string) => {
      seen.push([path, from]);
      return files[`zones/${path}`]!;
    };
    const entries = [...parseZoneEntries(zone, { file: 'zones/ex.zone', readInclude })];
    expect(entries.map((e) => `${e.file}:${e.line} ${recordToText(e.record)}`)).toEqual([
      'zones/ex.zone:3 parent.ex.test. 60 IN A 192.0.2.9',
      'zones/inc/hosts:1 a.lab.ex.test. 60 IN A 192.0.2.1',
      'zones/inc/hosts:2 a.lab.ex.test. 60 IN AAAA 2001:db8::1',
      'zones/ex.zone:5 parent.ex.test. 60 IN TXT "owner is parent"',
      'zones/ex.zone:6 b.ex.test. 60 IN A 192.0.2.2',
    ]);
    expect(seen).toEqual([['inc/hosts', 'zones/ex.zone']]);
  });

  it('$GENERATE with $, ${offset,width,base}, nibbles, \\$ and $$ (as named-checkzone -D prints them)', () => {
    const zone = [
      '$ORIGIN ex.test.',
      '$TTL 300',
      '$GENERATE 1-3 host$ A 192.0.2.$',
      '$GENERATE 1-10/4 h${10,4,x}.x 60 IN CNAME t${-1,3,X}\\$',
      '$GENERATE 250-251 ${0,8,n} PTR n${0,3,N}',
      '$GENERATE 1-2 mx$ MX "10 mail$"',
      '$GENERATE 7-7 $$a CNAME x',
    ].join('\n');
    expect(texts(zone)).toEqual([
      'host1.ex.test. 300 IN A 192.0.2.1',
      'host2.ex.test. 300 IN A 192.0.2.2',
      'host3.ex.test. 300 IN A 192.0.2.3',
      'h000b.x.ex.test. 60 IN CNAME t000\\$.ex.test.',
      'h000f.x.ex.test. 60 IN CNAME t004\\$.ex.test.',
      'h0013.x.ex.test. 60 IN CNAME t008\\$.ex.test.',
      'a.f.0.0. 300 IN PTR nA.F.ex.test.',
      'b.f.0.0. 300 IN PTR nB.F.ex.test.',
      'mx1.ex.test. 300 IN MX 10 mail1.ex.test.',
      'mx2.ex.test. 300 IN MX 10 mail2.ex.test.',
      '\\$a.ex.test. 300 IN CNAME x.ex.test.',
    ]);
  });
});

describe('records', () => {
  it('parentheses over lines, comments inside them, quoted ; and ( and escapes', () => {
    const zone = `$ORIGIN ex.test.\n$TTL 60\n@ IN SOA ns hm ( ; the SOA\n  1 ; serial\n  2h 3600\n  1w 300 )\nt TXT "semi;colon (paren" "say \\"hi\\"" back\\;slash ( "two"\n  "lines" ) ; end\n`;
    expect(texts(zone)).toEqual([
      'ex.test. 60 IN SOA ns.ex.test. hm.ex.test. 1 7200 3600 604800 300',
      't.ex.test. 60 IN TXT "semi;colon (paren" "say \\"hi\\"" "back;slash" "two" "lines"',
    ]);
  });

  it('owner, TTL and class carried from the line before; TTL and class in either order', () => {
    const zone = `$ORIGIN ex.test.\nwww 120 IN A 192.0.2.1\n  AAAA 2001:db8::1\n\tIN 30 TXT "x"\nmail A 192.0.2.2\n`;
    expect(texts(zone)).toEqual([
      'www.ex.test. 120 IN A 192.0.2.1',
      'www.ex.test. 120 IN AAAA 2001:db8::1',
      'www.ex.test. 30 IN TXT "x"',
      'mail.ex.test. 30 IN A 192.0.2.2',
    ]);
  });

  it('TTL defaults as BIND: the SOA minimum with a warning, explicit TTLs then, 2^31 and over set to 0', () => {
    const warnings: ZoneWarning[] = [];
    const zone = `$ORIGIN ex.test.\n@ IN SOA ns hm 1 2 3 4 500\n  NS ns\nns 100 A 192.0.2.1\nb A 192.0.2.2\nc 2147483648 A 192.0.2.3\n`;
    expect(texts(zone, { onWarning: (w) => warnings.push(w) }).map((t) => t.split(' ')[1])).toEqual([
      '500',
      '500',
      '100',
      '500',
      '0',
    ]);
    expect(warnings.map((w) => `${w.line}:${w.column}`)).toEqual(['2:6', '6:3']);
    // An explicit TTL first: RFC 1035's "last explicit TTL" (BIND: "using RFC1035 TTL semantics").
    const rfc1035 = `$ORIGIN ex.test.\n@ 200 IN SOA ns hm 1 2 3 4 500\n  NS ns\nns 100 A 192.0.2.1\nb A 192.0.2.2\n`;
    expect(texts(rfc1035).map((t) => t.split(' ')[1])).toEqual(['200', '200', '100', '100']);
    expect(texts('a.ex. A 192.0.2.1', { defaultTtl: 3600, origin: 'ex.' })).toEqual([
      'a.ex. 3600 IN A 192.0.2.1',
    ]);
  });

  it('\\# for known and unknown types, TYPEnnn and CLASSnnn, absolute names, escapes in names', () => {
    const zone = `$ORIGIN ex.test.\n$TTL 60\na CLASS1 TYPE1 \\# 4 C0000201\nb TYPE65280 \\# 3 ABCDEF\nc\\.d.other. MX 10 @\n\\065 TXT \\# 2 0161\n`;
    expect(texts(zone)).toEqual([
      'a.ex.test. 60 IN A 192.0.2.1',
      'b.ex.test. 60 IN TYPE65280 \\# 3 ABCDEF',
      'c\\.d.other. 60 IN MX 10 ex.test.',
      'A.ex.test. 60 IN TXT "a"',
    ]);
  });

  it('parseZoneRecords streams the same records', () => {
    const zone = `$ORIGIN ex.test.\n$TTL 60\n${SOA}\na A 192.0.2.1\n`;
    expect([...parseZoneRecords(zone)].map(recordToText)).toEqual(texts(zone));
  });
});

describe('errors say FILE:LINE:COLUMN and what was expected', () => {
  const cases: [string, string, string][] = [
    ['www A 192.0.2.1', 'z:1:1', 'relative owner "www" before any $ORIGIN'],
    ['$ORIGIN ex.\n$TTL 60\nwww A 192.0.2.300', 'z:3:7', 'bad A data'],
    ['$ORIGIN ex.\n$TTL 60\nwww 60 IN BOGUS 1', 'z:3:11', 'unknown record type "BOGUS"'],
    ['$ORIGIN ex.\n$TTL 60\nwww MX 10', 'z:3:8', 'bad MX data: missing'],
    ['$ORIGIN ex.\n$TTL 1x', 'z:2:6', 'expected a TTL'],
    ['$ORIGIN ex.\n$TTL 60\n  A 192.0.2.1', 'z:3:3', 'no owner'],
    ['$ORIGIN ex.\n$TTL 60\nw TXT ( "a"\n"b"', 'z:3:7', "'(' not closed"],
    ['$ORIGIN ex.\n$TTL 60\nw TXT "a', 'z:3:7', 'quoted string not closed'],
    ['$ORIGIN ex.\n$TTL 60\nw TXT a )', 'z:3:9', "')' without '('"],
    ['$ORIGIN ex.\n$FOO 1', 'z:2:1', 'unknown directive $FOO'],
    ['$ORIGIN ex.\n$TTL 60 60', 'z:2:9', 'unexpected "60" after $TTL'],
    ['$ORIGIN ex.\n$TTL', 'z:2:5', 'expected a TTL after $TTL'],
    ['$ORIGIN ex.\nw A 192.0.2.1', 'z:2:3', 'no TTL'],
    ['$ORIGIN ex.\n$TTL 60\nw IN A 192.0.2.1\nx CH A 192.0.2.1', 'z:4:6', 'class mismatch: CH'],
    ['$ORIGIN ex.\n$TTL 60\nw NONE A 192.0.2.1', 'z:3:3', 'class NONE is not allowed'],
    ['$ORIGIN ex.\n$INCLUDE other', 'z:2:10', 'including files is not allowed here'],
    ['$ORIGIN ex.\n$GENERATE 5-1 a$ A 192.0.2.$', 'z:2:11', 'the start is after the stop'],
    ['$ORIGIN ex.\n$TTL 1\n$GENERATE 1-2 a${1,x} A 192.0.2.1', 'z:3:15', 'expected ${offset[,width[,base]]}'],
    ['$ORIGIN ex.\n$TTL 1\n$GENERATE 300-300 a$ A 192.0.2.$', 'z:3:24', '$GENERATE at 300: bad A data'],
  ];
  it.each(cases)('%j → %s', (zone, where, reason) => {
    const error = errorOf(() => parseZone(zone, { file: 'z' }));
    expect(error.code).toBe('NK_DNS_ZONE');
    expect(error.message.startsWith(`${where}: `), error.message).toBe(true);
    expect(error.message).toContain(reason);
    expect(error.details).toMatchObject({ file: 'z' });
  });
});

describe('limits fail fast', () => {
  it('a 10 MB line', () => {
    const started = performance.now();
    const error = errorOf(() =>
      parseZone(`$ORIGIN ex.\n$TTL 1\nw TXT "${'a'.repeat(10_000_000)}"`, { file: 'z' }),
    );
    expect(error.message).toMatch(/^z:3:1: line longer than 65536/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('an unclosed parenthesis over many lines', () => {
    const error = errorOf(() =>
      parseZone(`$ORIGIN ex.\n$TTL 1\nw TXT (\n${'"a"\n'.repeat(100_000)}`, { file: 'z' }),
    );
    expect(error.message).toMatch(/^z:3:1: line longer than/);
  });

  it('$GENERATE 0-100000000 before making any record', () => {
    const started = performance.now();
    const error = errorOf(() =>
      parseZone('$ORIGIN ex.\n$TTL 1\n$GENERATE 0-100000000 a$ A 192.0.2.1', { file: 'z' }),
    );
    expect(error.message).toBe('z:3:11: $GENERATE 0-100000000 makes 100000001 records; the limit is 65536');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('maxRecords', () => {
    const zone = '$ORIGIN ex.\n$TTL 1\na A 192.0.2.1\nb A 192.0.2.1\nc A 192.0.2.1\n';
    expect(errorOf(() => parseZone(zone, { file: 'z', limits: { maxRecords: 2 } })).message).toBe(
      'z:5:1: more than 2 records (the limit)',
    );
  });

  it('an $INCLUDE loop, and includes nested too deep', () => {
    const files: Record<string, string> = { a: '$INCLUDE b', b: '$INCLUDE a' };
    const readInclude = (path: string) => files[path]!;
    expect(errorOf(() => parseZone('$ORIGIN ex.\n$INCLUDE a', { file: 'z', readInclude })).message).toBe(
      'b:1:10: $INCLUDE loop: z -> a -> b -> a',
    );
    const deep = (path: string) => `$INCLUDE f${Number(path.slice(1)) + 1}`;
    const error = errorOf(() => parseZone('$ORIGIN ex.\n$INCLUDE f1', { file: 'z', readInclude: deep }));
    expect(error.message).toBe('f16:1:10: $INCLUDE f17: more than 16 nested includes');
  });

  it('a refused include says why, at the path', () => {
    const readInclude = () => {
      throw new Error('/etc/passwd is outside the zone folder');
    };
    expect(
      errorOf(() => parseZone('$ORIGIN ex.\n$INCLUDE /etc/passwd', { file: 'z', readInclude })).message,
    ).toBe('z:2:10: $INCLUDE /etc/passwd: /etc/passwd is outside the zone folder');
  });
});

describe('properties', () => {
  it('a zone written with recordToText, one record a line, parses back to the same records', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRecord(), { maxLength: 20 }), (records) => {
        const text = records.map(recordToText).join('\n');
        const parsed = parseZone(text, { origin: '.' }).records;
        expect(parsed.map(recordToText)).toEqual(records.map(recordToText));
      }),
      { numRuns: 200 },
    );
  });

  it('format is a fixed point: format(parse(format(x))) === format(x)', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRecord(), { minLength: 1, maxLength: 20 }), (records) => {
        const once = formatZone(Name.ROOT, records);
        const again = parseZone(once);
        expect(formatZone(again.origin, again.records)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });
});
