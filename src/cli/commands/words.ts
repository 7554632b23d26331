/**
 * `netkit words URL [WORD...]`: asks the word server for each word's length in characters
 * and first character. With no words, each line of stdin is one request.
 * `netkit words demo URL`: the lecture's exercise, four clients at once.
 */
import type { Command } from 'commander';
import { openRequestClient, type RequestClient } from '../../client/request-client.js';
import { type Endpoint, parseEndpoint } from '../../core/endpoint.js';
import { UsageError } from '../../core/errors.js';
import { parseWordsReply, type WordsReply, WordsReplyParser } from '../../services/words/index.js';
import { addClientOptions, type ClientFlags, clientSettings, forEachInputLine } from '../client-options.js';
import { printLine } from '../output.js';
import { runWordsDemo } from './words-demo.js';

export function openWordsClient(endpoint: Endpoint, flags: ClientFlags): Promise<RequestClient<WordsReply>> {
  return openRequestClient<WordsReply>(endpoint, {
    ...clientSettings(flags),
    newAssembler: () => new WordsReplyParser(),
    parseDatagram: (text) => parseWordsReply(text),
  });
}

/** `hello  5  h`, columns aligned within one reply. */
export function formatWords(reply: WordsReply & { ok: true }): string[] {
  const width = Math.max(...reply.words.map((info) => [...info.word].length));
  return reply.words.map(
    (info) => `${info.word}${' '.repeat(width - [...info.word].length)}  ${info.length}  ${info.first}`,
  );
}

interface WordsFlags extends ClientFlags {
  clients: string;
  delay: string;
}

export function registerWords(program: Command): void {
  const command = program
    .command('words')
    .description("ask the word server for each word's length in characters and its first character")
    .usage('[options] URL [WORD...]  |  demo URL')
    .argument('<url>', 'tcp://HOST:PORT, udp://HOST:PORT or unix:/path; or "demo" then URL')
    .argument('[words...]', 'the words (one request); none: read requests from stdin, one per line')
    .option('--clients <n>', 'demo: how many clients at once', '4')
    .option('--delay <ms>', "demo: pause between one client's words", '150');
  addClientOptions(command);
  command.action(async (first: string, words: string[], flags: WordsFlags) => {
    if (first === 'demo') {
      const [url, ...rest] = words;
      if (url === undefined || rest.length > 0) throw new UsageError('usage: netkit words demo URL');
      await runWordsDemo(parseEndpoint(url), flags);
      return;
    }
    const client = await openWordsClient(parseEndpoint(first), flags);
    let failed = false;
    const ask = async (text: string) => {
      const reply = await client.request(text);
      if (flags.json)
        printLine(
          JSON.stringify(
            reply.ok
              ? { ok: true, words: reply.words }
              : { ok: false, error: { code: reply.code, message: reply.message } },
          ),
        );
      else if (reply.ok) for (const line of formatWords(reply)) printLine(line);
      else process.stderr.write(`netkit: ${reply.message} [${reply.code}]\n`);
      if (!reply.ok) failed = true;
    };
    try {
      if (words.length > 0) await ask(words.join(' '));
      else await forEachInputLine('words> ', ask);
    } finally {
      await client.close();
    }
    if (failed) process.exitCode = 1;
  });
}
