import type { Command } from 'commander';

// PLACEHOLDER: replaced by the real command in this session.
export function registerConnect(_program: Command): void {}
