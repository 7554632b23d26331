/**
 * The /etc/services parser, its first-match lookups and the bundled database. Expected
 * values for RICH_SERVICES are glibc 2.36's (observed with Python and getent, re-checked by
 * glibc-fixtures.differential.test.ts); the properties cover files no one wrote by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledServices } from '../../src/lookup/bundled-services.js';
import {
  formatServicesFile,
  parseServicesFile,
  type ServiceEntry,
  type ServicesLine,
  serviceByName,
  serviceByPort,
} from '../../src/lookup/services-file.js';
import { RICH_SERVICES } from './fixtures.js';

const lines = parseServicesFile(RICH_SERVICES);
const strip = (entries: readonly ServicesLine[]): ServiceEntry[] =>
  entries.map(({ name, aliases, port, proto }) => ({ name, aliases, port, proto }));

describe('parseServicesFile', () => {
  it('reads ports as glibc strtoul(..., 0) does and keeps their low 16 bits', () => {
    const ports = Object.fromEntries(lines.map((l) => [l.name, l.port]));
    expect(ports).toMatchObject({ hexa: 80, octa: 8, plus: 7, big: 4464, max32: 65535, wrapped: 1, neg0: 0 });
  });

  it('skips the lines glibc skips', () => {
    const names = lines.map((l) => l.name);
    // Out of 32 bits, trailing junk, no port, a blank before the slash, bad hex or octal, '#' cutting the port off.
    for (const skipped of [
      'minus',
      'huge',
      'weird',
      'nameonly',
      'spacey',
      'hex0',
      'octbad',
      'svc',
      'svc#x',
      '0x10/tcp',
    ]) {
      expect(names).not.toContain(skipped);
    }
  });

  it('reads protocols and aliases as glibc does', () => {
    const get = (name: string) => strip(lines.filter((l) => l.name === name));
    expect(get('noproto')).toEqual([{ name: 'noproto', aliases: [], port: 99, proto: '' }]);
    expect(get('slash')).toEqual([{ name: 'slash', aliases: [], port: 98, proto: '' }]);
    expect(get('dslash')).toEqual([{ name: 'dslash', aliases: ['d2'], port: 97, proto: 'tcp' }]);
    expect(get('crlf')).toEqual([{ name: 'crlf', aliases: ['crlfalias'], port: 13, proto: 'tcp' }]);
    expect(get('lead')).toEqual([{ name: 'lead', aliases: ['l1', 'l2'], port: 14, proto: 'udp' }]);
    expect(get('svc2')).toEqual([{ name: 'svc2', aliases: [], port: 6, proto: 'tc' }]);
  });
});

describe('serviceByName and serviceByPort', () => {
  it.each([
    ['www', undefined, 'http', 80, 'tcp'],
    ['www', 'udp', 'http', 80, 'udp'],
    ['dup', undefined, 'dup', 15, 'tcp'], // the first line wins
    ['third', undefined, 'dup', 15, 'udp'],
    ['Case', 'TCP', 'Case', 17, 'TCP'],
    ['noproto', '', 'noproto', 99, ''], // an empty protocol matches lines written without one
  ])('getservbyname(%s, %s) is %s %i/%s', (name, proto, found, port, foundProto) => {
    expect(serviceByName(lines, name, proto)).toMatchObject({ name: found, port, proto: foundProto });
  });

  it('compares names and protocols case-sensitively, and needs the protocol to match', () => {
    expect(serviceByName(lines, 'case')).toBeUndefined();
    expect(serviceByName(lines, 'Case', 'tcp')).toBeUndefined();
    expect(serviceByName(lines, 'hexa', 'udp')).toBeUndefined();
    expect(serviceByName(lines, 'HTTP')).toBeUndefined();
  });

  it.each([
    [80, undefined, 'hexa'],
    [80, 'udp', 'http'],
    [15, undefined, 'dup'],
    [16, 'tcp', 'dup'],
    [15, 'udp', 'dup'],
    [1, undefined, 'wrapped'], // -18446744073709551615 wraps to 1
    [1, 'ddp', 'appletalk'],
    [0, undefined, 'zero'],
  ])('getservbyport(%i, %s) is %s', (port, proto, name) => {
    expect(serviceByPort(lines, port, proto)?.name).toBe(name);
  });

  it('finds nothing on unknown ports or for another protocol', () => {
    expect(serviceByPort(lines, 12)).toBeUndefined();
    expect(serviceByPort(lines, 8, 'tcp')).toBeUndefined();
  });
});

describe('the bundled services database', () => {
  const bundled = bundledServices();

  it('holds the well-known assignments', () => {
    expect(serviceByName(bundled, 'www', 'tcp')).toEqual({
      name: 'http',
      aliases: ['www'],
      port: 80,
      proto: 'tcp',
    });
    expect(serviceByName(bundled, 'domain', 'udp')?.port).toBe(53);
    expect(serviceByName(bundled, 'ntp')).toMatchObject({ port: 123, proto: 'udp' });
    expect(serviceByName(bundled, 'echo')).toMatchObject({ port: 7, proto: 'tcp' }); // before echo 4/ddp
    expect(serviceByPort(bundled, 22)?.name).toBe('ssh');
    expect(serviceByPort(bundled, 443, 'tcp')?.name).toBe('https');
    expect(bundled.length).toBeGreaterThan(300);
  });

  it('is well formed: valid ports, one entry per name and protocol, a services file that reads back', () => {
    const seen = new Set<string>();
    for (const line of bundled) {
      expect(line.port).toBeGreaterThanOrEqual(0);
      expect(line.port).toBeLessThanOrEqual(65535);
      expect(['tcp', 'udp', 'ddp', 'sctp']).toContain(line.proto);
      const key = `${line.name}/${line.proto}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
    expect(parseServicesFile(formatServicesFile(bundled))).toEqual(bundled);
  });
});

const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,15}$/);
const entry = fc.record({
  name: token,
  aliases: fc.array(token, { maxLength: 3 }),
  port: fc.integer({ min: 0, max: 65535 }),
  proto: fc.constantFrom('tcp', 'udp', 'sctp', 'ddp'),
});

describe('parseServicesFile properties', () => {
  it('round-trips any list of entries through formatServicesFile', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        expect(strip(parseServicesFile(formatServicesFile(entries)))).toEqual(entries);
      }),
    );
  });

  it('ignores comments, blank lines, garbage lines and trailing comments', () => {
    const noise = fc.constantFrom(
      '',
      '# comment',
      '  \t',
      'name-only',
      'bad 12x/tcp',
      'neg -5/udp',
      '# 80/tcp',
    );
    const decorated = fc.array(fc.record({ entry, noise, comment: fc.constantFrom('', ' # why', '#') }), {
      maxLength: 15,
    });
    fc.assert(
      fc.property(decorated, (items) => {
        const text = items
          .flatMap(({ entry: e, noise: n, comment }) => [n, `${formatServicesFile([e])}${comment}`])
          .join('\n');
        expect(strip(parseServicesFile(text))).toEqual(items.map((item) => item.entry));
      }),
    );
  });

  it('never throws, and keeps only ports from 0 to 65535 and names without blanks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        for (const line of parseServicesFile(text)) {
          expect(Number.isInteger(line.port) && line.port >= 0 && line.port <= 65535).toBe(true);
          expect(line.name).not.toMatch(/[ \t\n\v\f\r#\0]/);
        }
      }),
    );
  });

  it('matches a naive model of first-match lookups', () => {
    const small = fc.record({
      name: fc.constantFrom('a', 'b'),
      aliases: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 2 }),
      port: fc.integer({ min: 1, max: 4 }),
      proto: fc.constantFrom('tcp', 'udp'),
    });
    const proto = fc.constantFrom(undefined, 'tcp', 'udp');
    fc.assert(
      fc.property(
        fc.array(small, { maxLength: 8 }),
        fc.constantFrom('a', 'b', 'c'),
        fc.integer({ min: 1, max: 4 }),
        proto,
        (entries, name, port, p) => {
          const parsed = parseServicesFile(formatServicesFile(entries));
          const protoOk = (e: ServiceEntry) => p === undefined || e.proto === p;
          expect(serviceByName(parsed, name, p)).toEqual(
            entries.find((e) => protoOk(e) && [e.name, ...e.aliases].includes(name)),
          );
          expect(serviceByPort(parsed, port, p)).toEqual(entries.find((e) => protoOk(e) && e.port === port));
        },
      ),
    );
  });
});
