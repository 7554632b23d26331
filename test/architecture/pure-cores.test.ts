/**
 * Protocol cores are pure: no sockets, no timers, no clock reads (STYLE.md, section 1).
 * Biome's noRestrictedImports/noRestrictedGlobals catch imports and timers; this test
 * catches clock reads, which a lint rule cannot tell from other uses of Date.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The pure folders and files: src/core, the DNS codec and every service's protocol module. */
function pureFiles(): string[] {
  return files(root).filter((path) => {
    const relative = path.slice(root.length);
    return (
      relative.startsWith('core/') ||
      relative.startsWith('dns/') ||
      /^services\/[^/]+\/protocol(\.ts|\/)/.test(relative)
    );
  });
}

describe('pure protocol cores', () => {
  it('exist (the check below is not vacuous)', () => {
    expect(pureFiles().length).toBeGreaterThan(5);
  });

  it.each(pureFiles().map((path) => [path.slice(root.length), path]))(
    '%s reads no clock and does no I/O',
    (_, path) => {
      const source = readFileSync(path, 'utf8');
      const forbidden = [
        /\bDate\.now\(/,
        /new Date\(\s*\)/,
        /\bperformance\./,
        /\bprocess\.hrtime/,
        /from 'node:(net|dgram|fs|dns|timers|child_process|http|https|tls)/,
        /\bset(Timeout|Interval|Immediate)\(/,
      ];
      for (const pattern of forbidden) expect(source, `${pattern} in ${path}`).not.toMatch(pattern);
    },
  );
});
