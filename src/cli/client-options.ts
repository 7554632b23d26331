/**
 * Flags and plumbing shared by the request/reply clients (`netkit calc`, `netkit words`):
 * --timeout, --retries, --json, and reading requests line by line from stdin.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';

export interface ClientFlags {
  timeout: string;
  retries: string;
  json?: boolean;
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--json', 'print results as JSON (one object per request)')
    .option('--timeout <seconds>', 'wait this long for each reply', '2')
    .option('--retries <n>', 'UDP: send again this many times when no reply comes', '2');
}

export function clientSettings(flags: ClientFlags): { timeoutMs: number; retries: number } {
  const timeout = Number(flags.timeout);
  const retries = Number(flags.retries);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UsageError(`--timeout expects seconds above 0, not ${JSON.stringify(flags.timeout)}`);
  if (!Number.isSafeInteger(retries) || retries < 0)
    throw new UsageError(
      `--retries expects a whole number of 0 or more, not ${JSON.stringify(flags.retries)}`,
    );
  return { timeoutMs: Math.round(timeout * 1000), retries };
}

/**
 * Calls `handle` for each line of stdin, in order. On a terminal it shows `prompt` and
 * behaves as a small interactive program; otherwise it reads silently (scripts, pipes).
 */
export async function forEachInputLine(
  prompt: string,
  handle: (line: string) => Promise<void>,
): Promise<void> {
  const interactive = process.stdin.isTTY === true;
  const lines = createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
  });
  if (interactive) {
    lines.setPrompt(prompt);
    lines.prompt();
  }
  for await (const line of lines) {
    if (line.trim() !== '') await handle(line);
    if (interactive) lines.prompt();
  }
}
