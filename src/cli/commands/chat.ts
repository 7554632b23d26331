/**
 * `netkit chat URL [--nick NAME]`: the chat server's client (TCP, Unix, UDP, WebSocket).
 *
 * On a terminal: a prompt; what arrives is printed above it without breaking the line being
 * typed (the prompt and the partial input are cleared, the message printed, both redrawn).
 * Without --nick, the nickname is asked for first; a refused one is asked for again.
 * Otherwise (a pipe, a script): each line of stdin is sent and every line that arrives is
 * printed; without --nick, the first line of stdin is the nickname. Once stdin ends, netkit
 * waits --linger seconds for replies, sends /quit and exits 0.
 *
 * Exit codes: 0 when the session ends as asked (/quit, end of input, Ctrl-D); 1 when the
 * connection fails, the server refuses the nickname (not on a terminal) or closes the
 * connection on its own (`connection closed by server`); 2 for usage errors.
 */
import { clearScreenDown, createInterface, cursorTo, type Interface, moveCursor } from 'node:readline';
import type { Command } from 'commander';
import {
  type ChatClient,
  type ChatLine,
  ChatRefusedError,
  isQuitCommand,
  openChatClient,
  parseChatUrl,
} from '../../client/chat-client.js';
import { describeError, type NetkitError, UsageError } from '../../core/errors.js';
import { printLine } from '../output.js';

interface ChatFlags {
  nick?: string;
  json?: boolean;
  keepalive: string;
  timeout: string;
  linger: string;
  rate: string;
}

function parseSeconds(text: string, flag: string, allowZero: boolean): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || (!allowZero && seconds === 0)) {
    throw new UsageError(
      `${flag} expects a number of seconds ${allowZero ? '>= 0' : 'above 0'}, not ${JSON.stringify(text)}`,
    );
  }
  return Math.round(seconds * 1000);
}

/** What a nickname must look like before it is worth sending (the server checks the rest). */
function nickProblem(nick: string): string | undefined {
  if (nick === '') return 'the nickname is empty';
  if (/\s/.test(nick)) return 'a nickname has no spaces';
  if (nick.startsWith('/')) return 'a nickname does not start with /';
  return undefined;
}

function formatIncoming(line: ChatLine, json: boolean | undefined): string {
  return json ? JSON.stringify(line.event ?? { line: line.text }) : line.text;
}

/** Resolves after `ms`, or never once `signal` aborts (its timer then keeps nothing alive). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const cancel = () => clearTimeout(timer);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', cancel);
      resolve();
    }, ms);
    signal.addEventListener('abort', cancel, { once: true });
  });
}

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('talk on a chat server (netkit serve chat): type lines, see what the room says')
    .argument('<url>', 'tcp://HOST:PORT, udp://HOST:PORT, unix:/path or ws://HOST:PORT[/ws]')
    .option('--nick <name>', 'your nickname (default: asked for on a terminal, else the first line of stdin)')
    .option('--json', 'print each line from the server as a JSON object (WebSocket: the chat event)')
    .option(
      '--keepalive <seconds>',
      'UDP: send an empty datagram after this long without sending (0: never)',
      '30',
    )
    .option('--timeout <seconds>', 'wait this long to connect, and for the nickname to be accepted', '5')
    .option(
      '--linger <seconds>',
      'stdin not a terminal: once it ends, wait this long for replies, then /quit',
      '0.5',
    )
    .option(
      '--rate <lines>',
      "stdin not a terminal: send at most this many lines a second, after a burst of twice as many, to stay under the server's flood control (0: as fast as they come)",
      '8',
    )
    .addHelpText(
      'after',
      `
Lines you type are sent as they are: a plain line is a message to your current room, and
the server interprets /nick NAME, /join #room, /part, /rooms, /who, /msg NICK text,
/me action, /help and /quit. Ctrl-D (or the end of stdin) quits.
Exit codes: 0 when you quit; 1 when the connection fails, the nickname is refused (stdin
not a terminal) or the server closes the connection; 2 usage error.
`,
    )
    .action(async (url: string, flags: ChatFlags) => {
      const keepaliveMs = parseSeconds(flags.keepalive, '--keepalive', true);
      const timeoutMs = parseSeconds(flags.timeout, '--timeout', false);
      const lingerMs = parseSeconds(flags.linger, '--linger', true);
      const rate = Number(flags.rate);
      if (flags.rate.trim() === '' || !Number.isFinite(rate) || rate < 0)
        throw new UsageError(`--rate expects a number of 0 or more, not ${JSON.stringify(flags.rate)}`);
      const { endpoint, path } = parseChatUrl(url);
      const nick = flags.nick?.trim();
      if (nick !== undefined) {
        const problem = nickProblem(nick);
        if (problem) throw new UsageError(`--nick: ${problem}`);
      }
      const client = await openChatClient(endpoint, { keepaliveMs, timeoutMs, ...(path ? { path } : {}) });
      try {
        if (process.stdin.isTTY === true) await runTerminal(client, nick, flags.json);
        else await runScript(client, nick, flags.json, lingerMs, rate);
      } finally {
        await client.close();
      }
    });
}

/** stdin is not a terminal: send its lines, print what arrives, /quit once it ends. */
async function runScript(
  client: ChatClient,
  givenNick: string | undefined,
  json: boolean | undefined,
  lingerMs: number,
  rate: number,
): Promise<void> {
  // A token bucket like the server's (which allows 10 a second after a burst of 20 by
  // default), so `cat notes.txt | netkit chat ...` is paced instead of disconnected.
  const burst = Math.max(1, 2 * rate);
  let tokens = burst;
  let refilled = performance.now();
  const pace = async (signal: AbortSignal) => {
    if (rate === 0) return;
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - refilled) * rate) / 1000);
    refilled = now;
    if (tokens < 1) {
      await sleep(((1 - tokens) * 1000) / rate, signal);
      tokens = 1;
      refilled = performance.now();
    }
    tokens -= 1;
  };
  client.on('line', (line) => printLine(formatIncoming(line, json)));
  const input = createInterface({
    input: process.stdin,
    terminal: false,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const lines = input[Symbol.asyncIterator]();
  type Ended = { ended: true; error: NetkitError | undefined };
  const ended: Promise<Ended> = client.closed.then((error) => ({ ended: true, error }));
  /** The next stdin line, or the end of the session if it comes first. */
  const next = () => Promise.race([lines.next(), ended]);
  const stop = (result: Ended) => {
    if (result.error) throw result.error;
  };
  const done = new AbortController();
  try {
    let nick = givenNick;
    while (nick === undefined) {
      const first = await next();
      if ('ended' in first) return stop(first);
      if (first.done)
        throw new UsageError('no nickname: give --nick NAME, or send it as the first line of stdin');
      if (first.value.trim() === '') continue;
      nick = first.value.trim();
      const problem = nickProblem(nick);
      if (problem) throw new UsageError(`the first line of stdin is the nickname, and ${problem}`);
    }
    await client.join(nick);
    for (;;) {
      const line = await next();
      if ('ended' in line) return stop(line);
      if (line.done) break;
      if (line.value.trim() === '') continue;
      await pace(done.signal);
      await client.send(line.value);
      // The user quits: the server closes (or says bye over UDP); that is the end.
      if (isQuitCommand(line.value)) return stop(await ended);
    }
    const lingered = await Promise.race([sleep(lingerMs, done.signal), ended]);
    if (lingered) return stop(lingered);
    await client.quit();
    stop(await ended);
  } finally {
    done.abort();
    input.close();
  }
}

/** stdin is a terminal: a prompt, with arriving lines printed above it. */
async function runTerminal(
  client: ChatClient,
  givenNick: string | undefined,
  json: boolean | undefined,
): Promise<void> {
  const out = process.stdout;
  const rl: Interface = createInterface({ input: process.stdin, output: out, terminal: true });
  let inputOpen = true;
  let joined = false;
  let joining = false;
  const promptText = () => (joined ? `${client.nick ?? ''}> ` : 'nickname: ');

  /** Clears the prompt and what is typed after it (however many rows it wraps to). */
  const clearInput = () => {
    const { rows } = rl.getCursorPos();
    if (rows > 0) moveCursor(out, 0, -rows);
    cursorTo(out, 0);
    clearScreenDown(out);
  };
  /** Prints `text` above the prompt, then redraws the prompt and the partial line, cursor kept. */
  const show = (text: string) => {
    if (!inputOpen) {
      out.write(`${text}\n`);
      return;
    }
    clearInput();
    out.write(`${text}\n`);
    rl.setPrompt(promptText());
    rl.prompt(true);
  };

  const join = async (nick: string) => {
    joining = true;
    try {
      await client.join(nick);
      joined = true;
    } catch (error) {
      // A refusal was shown as the server's own error line; the server asks again.
      if (!(error instanceof ChatRefusedError)) show(`netkit: ${describeError(error)}`);
    } finally {
      joining = false;
      if (inputOpen) {
        rl.setPrompt(promptText());
        rl.prompt(true);
      }
    }
  };

  client.on('line', (line) => show(formatIncoming(line, json)));
  rl.on('line', (line) => {
    if (!joined) {
      const nick = line.trim();
      const problem = nickProblem(nick);
      if (joining) show('netkit: still waiting for the server to accept the nickname');
      else if (problem) show(`netkit: ${problem}; try again`);
      else void join(nick);
      return;
    }
    if (line.trim() !== '') {
      // A failure to send ends the session, and shows as its error.
      client.send(line).catch(() => {});
    }
    rl.prompt();
  });
  // Ctrl-C and Ctrl-D: quit (politely, with /quit, once we have a nickname).
  rl.on('SIGINT', () => rl.close());
  rl.on('close', () => {
    if (!inputOpen) return;
    inputOpen = false;
    out.write('\n');
    void (joined ? client.quit() : client.close());
  });

  rl.setPrompt(promptText());
  rl.prompt();
  if (givenNick !== undefined) void join(givenNick);
  const error = await client.closed;
  if (inputOpen) {
    clearInput();
    inputOpen = false;
    rl.close();
  }
  if (error) throw error;
}
