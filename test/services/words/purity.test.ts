/**
 * The whole word server folder is pure, not only protocol.ts and protocol/ (which biome.json
 * and test/architecture/pure-cores.test.ts already cover): errors.ts and index.ts too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../src/services/words/', import.meta.url).pathname;
const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));

describe('src/services/words is pure', () => {
  it('has its files (the check below is not vacuous)', () => {
    expect(files).toEqual(
      expect.arrayContaining(['protocol.ts', 'errors.ts', 'index.ts', join('protocol', 'split.ts')]),
    );
  });

  it.each(files)('%s does no I/O, reads no clock and no environment', (name) => {
    const source = readFileSync(join(root, name), 'utf8');
    const forbidden = [
      /from 'node:(?!buffer)/,
      /\bDate\b/,
      /\bperformance\./,
      /\bprocess\./,
      /\bset(Timeout|Interval|Immediate)\(/,
      /\bMath\.random\(/,
      /\bimport\(/,
      /from '\.\.\/\.\.\/(runtime|socket|lookup|cli)\/(?!service\.js)/,
    ];
    for (const pattern of forbidden) expect(source, `${pattern} in ${name}`).not.toMatch(pattern);
  });
});
