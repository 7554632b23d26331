#!/usr/bin/env node
/**
 * In-process micro-benchmark of the calculator core: request bytes in, reply string out,
 * through `calcReply(bytes)` and a stream session's `receive(bytes)`, as the server calls it.
 *
 *   npm run build && node bench/calc-core.mjs            # the built dist/
 *   CALC_DIST=/tmp/other-dist node bench/calc-core.mjs   # another build (e.g. before a change)
 *
 * Each request is run in rounds of a fixed number of calls; the time per call is the median
 * round (the best round is shown too). Not a test: numbers depend on the machine.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.env.CALC_DIST ?? new URL('../dist', import.meta.url).pathname);
const calc = await import(pathToFileURL(`${dist}/services/calc/index.js`).href);

const REQUESTS = [
  '5 + 6',
  '4 * 5',
  '100 - 37',
  '12345 * 6789',
  '81 / 9',
  '2 ** 100',
  '1 / 3',
  '(+, 5, 6)',
  'sqrt(2)',
  '5 + * 6',
];

const ROUNDS = Number(process.env.CALC_ROUNDS ?? 15);
const CALLS = Number(process.env.CALC_CALLS ?? 20_000);
const encoder = new TextEncoder();
const info = { id: 1, transport: 'tcp', remote: '127.0.0.1:5000', local: 'tcp://127.0.0.1:7070' };

/** Median and best ns per call of `run` over ROUNDS rounds of CALLS calls. */
function time(run) {
  for (let i = 0; i < CALLS; i++) run(); // warm-up
  const rounds = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) sink += run().length;
    rounds.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  if (sink === 0) throw new Error('nothing computed');
  rounds.sort((a, b) => a - b);
  return { median: rounds[Math.floor(rounds.length / 2)], best: rounds[0] };
}

const session = calc.calcStream.session(info);
const fmt = (ns) => `${(ns / 1000).toFixed(3)} µs`.padStart(10);

console.log(`dist: ${dist}  (${ROUNDS} rounds × ${CALLS} calls, median [best])`);
console.log(
  `${'request'.padEnd(14)} ${'calcReply'.padStart(10)}  ${'best'.padStart(10)}   ${'receive'.padStart(10)}  ${'best'.padStart(10)}   reply`,
);
let simple = 0;
for (const [index, request] of REQUESTS.entries()) {
  const bytes = encoder.encode(request);
  const reply = calc.calcReply(bytes);
  const direct = time(() => calc.calcReply(bytes));
  const viaSession = time(() => {
    const actions = session.receive(bytes, 0);
    return actions[0].data;
  });
  if (index < 5) simple += direct.median;
  console.log(
    `${request.padEnd(14)} ${fmt(direct.median)}  ${fmt(direct.best)}   ${fmt(viaSession.median)}  ${fmt(viaSession.best)}   ${reply.trimEnd()}`,
  );
}
console.log(`mean of the five simple requests (calcReply): ${fmt(simple / 5).trim()}`);
