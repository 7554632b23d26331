#!/usr/bin/env node
/**
 * The `netkit` command. Each subcommand lives in commands/ and registers itself here;
 * main only wires them together and turns errors into one line and an exit code.
 */
import { Command, CommanderError } from 'commander';
import { registerCalc } from './commands/calc.js';
import { registerChat } from './commands/chat.js';
import { registerConnect } from './commands/connect.js';
import { registerDaytime } from './commands/daytime.js';
import { registerDig } from './commands/dig.js';
import { registerEcho } from './commands/echo-client.js';
import { registerListen } from './commands/listen.js';
import { registerLookup } from './commands/lookup.js';
import { registerServe } from './commands/serve.js';
import { registerSntp } from './commands/sntp.js';
import { registerStart } from './commands/start.js';
import { registerTime } from './commands/time.js';
import { registerWords } from './commands/words.js';
import { registerZone } from './commands/zone.js';
import { exitCodeFor, reportError } from './output.js';

export function buildProgram(): Command {
  const program = new Command('netkit')
    .description('Network programming toolkit: lookups, sockets, classic Internet services and DNS.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerLookup(program);
  registerConnect(program);
  registerListen(program);
  registerServe(program);
  registerStart(program);
  registerCalc(program);
  registerWords(program);
  registerChat(program);
  registerEcho(program);
  registerDaytime(program);
  registerTime(program);
  registerSntp(program);
  registerDig(program);
  registerZone(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander already printed its own message for the rest.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    reportError(error);
    process.exitCode = exitCodeFor(error);
  }
}

await main(process.argv);
