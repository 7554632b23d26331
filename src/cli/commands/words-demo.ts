/**
 * The lecture's exercise: several clients at once, each sending its own words one by one
 * to the word server; replies are printed as they arrive, labelled by client. Because each
 * client pauses between words, a server that served clients one after another would take
 * (clients x words x delay); a concurrent one takes about (words x delay), and the labels
 * interleave. The summary says which happened.
 */
import type { Endpoint } from '../../core/endpoint.js';
import { formatEndpoint } from '../../core/endpoint.js';
import { UsageError } from '../../core/errors.js';
import type { ClientFlags } from '../client-options.js';
import { printLine } from '../output.js';
import { formatWords, openWordsClient } from './words.js';

const WORD_LISTS = [
  ['socket', 'bind', 'listen', 'accept', 'recv', 'send'],
  ['naïve', 'café', 'résumé', 'Ünïcödé', 'façade', 'jalapeño'],
  ['👍🏽', '🇫🇷', '👨‍👩‍👧', 'नमस्ते', '한국어', '東京'],
  ['datagram', 'stream', 'port', 'address', 'server', 'client'],
];

export async function runWordsDemo(
  endpoint: Endpoint,
  flags: ClientFlags & { clients: string; delay: string },
): Promise<void> {
  const clients = Number(flags.clients);
  const delayMs = Number(flags.delay);
  if (!Number.isSafeInteger(clients) || clients < 1 || clients > 100)
    throw new UsageError('--clients expects 1 to 100');
  if (!Number.isFinite(delayMs) || delayMs < 0)
    throw new UsageError('--delay expects milliseconds of 0 or more');
  printLine(`${clients} clients at once to ${formatEndpoint(endpoint)}, each sending its own words:`);
  const started = performance.now();
  const order: number[] = [];
  const run = async (index: number) => {
    const words = WORD_LISTS[index % WORD_LISTS.length]!;
    const client = await openWordsClient(endpoint, flags);
    try {
      for (const word of words) {
        const reply = await client.request(word);
        order.push(index);
        const label = `[client ${index + 1}]`;
        if (reply.ok) for (const line of formatWords(reply)) printLine(`${label} ${line}`);
        else printLine(`${label} error: ${reply.message} [${reply.code}]`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    } finally {
      await client.close();
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, index) => run(index)));
  const elapsed = (performance.now() - started) / 1000;
  // Interleaved: some client's reply came between two replies of another client.
  const switches = order.slice(1).filter((client, i) => client !== order[i]).length;
  const sequential = (clients * WORD_LISTS[0]!.length * delayMs) / 1000;
  printLine(
    `done in ${elapsed.toFixed(2)} s: replies to the ${clients} clients interleaved ${switches} times` +
      ` (one client after another would take at least ${sequential.toFixed(2)} s)`,
  );
  if (clients > 1 && switches === 0) process.exitCode = 1;
}
