import type { Command } from 'commander';

// PLACEHOLDER: replaced by the real command in this session.
export function registerLookup(_program: Command): void {}
