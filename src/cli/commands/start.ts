import type { Command } from 'commander';

// PLACEHOLDER: replaced by the real command in this session.
export function registerStart(_program: Command): void {}
