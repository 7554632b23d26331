/**
 * How every command prints: plain text for people on stdout, JSON with --json, one-line
 * errors on stderr, and exit codes scripts can trust:
 *   0 success, 1 the operation failed (not found, refused, timed out), 2 usage error.
 * (`netkit dig` follows dig's own codes instead.)
 */
import { describeError, LocalError, NetkitError, UsageError } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE;
  if (error instanceof LocalError && error.code === 'NK_ENDPOINT_INVALID') return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** One line on stderr: `netkit: message [CODE]`. */
export function reportError(error: unknown): void {
  const code = error instanceof NetkitError ? ` [${error.code}]` : '';
  process.stderr.write(`netkit: ${describeError(error)}${code}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Fixed-width columns for tables printed to people. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
