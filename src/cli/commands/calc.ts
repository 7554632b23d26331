/**
 * `netkit calc URL [EXPRESSION...]`: sends a computation to the calculator server and
 * prints `5 + 6 = 11`, as the lecture's client does (`≈` when the result is rounded).
 * With no expression, each line of stdin is one (an interactive calculator on a terminal).
 * An error reply is shown with a caret under the place it names, on stderr, and exit 1.
 */
import type { Command } from 'commander';
import { openRequestClient } from '../../client/request-client.js';
import { parseEndpoint } from '../../core/endpoint.js';
import { type CalcReply, parseCalcReply, renderCalcError } from '../../services/calc/index.js';
import { addClientOptions, type ClientFlags, clientSettings, forEachInputLine } from '../client-options.js';
import { printLine } from '../output.js';

/** What --json prints for one request. */
function jsonOf(expr: string, reply: CalcReply): unknown {
  return reply.ok
    ? { expr, ok: true, result: reply.result, exact: reply.exact ?? true }
    : { expr, ok: false, error: { code: reply.code, message: reply.message, column: reply.column ?? null } };
}

export function registerCalc(program: Command): void {
  const command = program
    .command('calc')
    .description('ask the calculator server: netkit calc tcp://127.0.0.1:5050 "5 + 6" prints 5 + 6 = 11')
    .argument('<url>', 'tcp://HOST:PORT, udp://HOST:PORT or unix:/path')
    .argument(
      '[expression...]',
      'the expression (words are joined with spaces); none: read from stdin, one per line',
    );
  addClientOptions(command);
  command.action(async (url: string, words: string[], flags: ClientFlags) => {
    const client = await openRequestClient<CalcReply>(parseEndpoint(url), {
      ...clientSettings(flags),
      newAssembler: () => ({ push: (line) => parseCalcReply(line) }),
      parseDatagram: (text) => parseCalcReply(text),
    });
    let failed = false;
    const ask = async (expr: string) => {
      // JSON requests carry the expression through unchanged and say whether the result is exact.
      const reply = await client.request(JSON.stringify({ expr }));
      if (!reply.ok) failed = true;
      if (flags.json) printLine(JSON.stringify(jsonOf(expr, reply)));
      else if (reply.ok) printLine(`${expr} ${reply.exact === false ? '≈' : '='} ${reply.result}`);
      else process.stderr.write(`${renderCalcError(expr, reply)} [${reply.code}]\n`);
    };
    try {
      if (words.length > 0) await ask(words.join(' '));
      else await forEachInputLine('calc> ', ask);
    } finally {
      await client.close();
    }
    if (failed) process.exitCode = 1;
  });
}
