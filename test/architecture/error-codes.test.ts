/**
 * docs/errors.md lists every error code: each stable code used in src/ has a row there,
 * and the doc names no code that no longer exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const CODE = /'(NK_[A-Z0-9_]+)'/g;
const codesInSource = new Set(
  sources(join(root, 'src')).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(CODE)].map((m) => m[1]!),
  ),
);
const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
const codesInDoc = new Set([...doc.matchAll(/^\| `(NK_[A-Z0-9_]+)`/gm)].map((m) => m[1]!));

describe('docs/errors.md', () => {
  it('finds codes in the source (the check is not vacuous)', () => {
    expect(codesInSource.size).toBeGreaterThan(20);
  });

  it.each([...codesInSource].sort())('documents %s', (code) => {
    expect(codesInDoc.has(code), `${code} has no row in docs/errors.md`).toBe(true);
  });

  it('lists no code that the source no longer uses', () => {
    expect([...codesInDoc].filter((code) => !codesInSource.has(code))).toEqual([]);
  });
});
