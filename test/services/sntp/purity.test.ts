/**
 * The daytime, time and SNTP folders are pure as a whole, not only protocol.ts and protocol/
 * (which biome.json and test/architecture/pure-cores.test.ts already cover): errors.ts and
 * index.ts too. Each reads no clock; only daytime may make a Date (parseDaytime returns one).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const services = new URL('../../../src/services/', import.meta.url).pathname;
const files = ['daytime', 'time', 'sntp'].flatMap((service) =>
  readdirSync(join(services, service), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(service, name)),
);

describe('src/services/{daytime,time,sntp} are pure', () => {
  it('have their files (the check below is not vacuous)', () => {
    expect(files).toEqual(
      expect.arrayContaining(
        ['daytime', 'time', 'sntp'].flatMap((service) =>
          ['protocol.ts', 'errors.ts', 'index.ts'].map((name) => join(service, name)),
        ),
      ),
    );
    expect(files).toContain(join('sntp', 'protocol', 'timestamp.ts'));
  });

  it.each(files)('%s does no I/O, reads no clock and no environment', (name) => {
    const source = readFileSync(join(services, name), 'utf8');
    const forbidden = [
      /from 'node:/,
      /\bDate\.now\(/,
      /new Date\(\s*\)/,
      /\bDate\(\s*\)/,
      /\bperformance\./,
      /\bprocess\./,
      /\bset(Timeout|Interval|Immediate)\(/,
      /\bMath\.random\(/,
      /\bimport\(/,
      /from '\.\.\/\.\.\/(runtime|socket|lookup|cli)\/(?!service\.js)/,
    ];
    if (!name.startsWith('daytime')) forbidden.push(/\bDate[.(]/, /\bnew Date\b/);
    for (const pattern of forbidden) expect(source, `${pattern} in ${name}`).not.toMatch(pattern);
  });
});
