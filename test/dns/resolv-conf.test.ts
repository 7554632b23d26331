/**
 * resolv.conf as glibc 2.36 reads it: each vector in test/fixtures/dns/resolv/ was made by
 * glibc itself (res_ninit and res_nsearch, see its README), and our parser must agree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResolvConf } from '../../src/dns/resolv-conf.js';

const DIR = fileURLToPath(new URL('../fixtures/dns/resolv/', import.meta.url));
const vectors = readdirSync(DIR)
  .filter((file) => file.endsWith('.conf'))
  .map((file) => file.slice(0, -'.conf'.length));

interface Expected {
  nameservers: { address: string; scope?: string }[];
  search: string[] | null;
  ndots: number;
  timeout: number;
  attempts: number;
  flags: string[];
}

describe('resolv.conf as glibc reads it', () => {
  it('has vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(8);
  });

  it.each(vectors)('%s', (name) => {
    const text = readFileSync(join(DIR, `${name}.conf`), 'utf8');
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Expected;
    // No host name: a file without search or domain then has an empty search list.
    const config = parseResolvConf(text);
    expect({
      nameservers: config.nameservers,
      search: config.search,
      ndots: config.ndots,
      timeout: config.timeoutMs / 1000,
      attempts: config.attempts,
      flags: config.flags,
    }).toEqual({
      nameservers: expected.nameservers.map((ns) => (ns.scope ? `${ns.address}%${ns.scope}` : ns.address)),
      search: expected.search ?? [],
      ndots: expected.ndots,
      timeout: expected.timeout,
      attempts: expected.attempts,
      flags: expected.flags,
    });
  });

  it('takes the search domain from the host name when the file has none', () => {
    expect(parseResolvConf('nameserver 192.0.2.1\n', { hostname: 'box.lab.example' }).search).toEqual([
      'lab.example',
    ]);
    expect(parseResolvConf('search a.example\n', { hostname: 'box.lab.example' }).search).toEqual([
      'a.example',
    ]);
  });

  it('LOCALDOMAIN and RES_OPTIONS override the file', () => {
    const config = parseResolvConf('search a.example\noptions ndots:2\n', {
      env: { LOCALDOMAIN: 'x.example y.example', RES_OPTIONS: 'ndots:4 rotate' },
    });
    expect(config.search).toEqual(['x.example', 'y.example']);
    expect(config.ndots).toBe(4);
    expect(config.rotate).toBe(true);
  });
});
