#!/usr/bin/env node
/**
 * Requests per second and latency of the calculator and the word server, over UDP and
 * TCP (many connections, pipelined), against two references in the same run:
 *   ceiling — a bare Node.js server sending a fixed reply with no work (bench/lib/ceiling-server.mjs)
 *   lecture — the course's Python 3 servers (bench/peers/*.py): a recvfrom/sendto loop for
 *             UDP, socketserver with a thread per client for TCP.
 * Usage: npm run build && node bench/calc-words.mjs [--duration 5] [--only calc|words] [--transport udp|tcp]
 */
import { parseArgs } from 'node:util';
import { freePort, machine, measureServer, NETKIT, ROOT, resultsTable, startServer } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    only: { type: 'string' },
    transport: { type: 'string' },
  },
});
const durationMs = Number(values.duration) * 1000;

const WORKLOADS = {
  calc: {
    requests: ['5 + 6', '4 * 5', '100 - 37', '12345 * 6789', '81 / 9'],
    ceilingReply: 'OK 11\\n',
    replyLines: 1,
    python: 'lecture_calc_server.py',
  },
  words: {
    requests: ['hello netkit world', 'naïve café résumé', 'the quick fox'],
    ceilingReply: 'OK 3\\nhello\\t5\\th\\nnetkit\\t6\\tn\\nworld\\t5\\tw\\n',
    replyLines: 4,
    python: 'lecture_words_server.py',
  },
};

const TRANSPORTS = {
  udp: { connections: 8, window: 8 },
  tcp: { connections: 32, window: 16 },
};

function measure(name, start, workload, transport, port) {
  const load = {
    transport,
    host: '127.0.0.1',
    port,
    requests: workload.requests,
    replyLines: workload.replyLines,
  };
  return measureServer(name, start, { ...load, durationMs, ...TRANSPORTS[transport] });
}

console.log(`# calc and words benchmark — ${machine()} — ${new Date().toISOString()}`);
for (const [service, workload] of Object.entries(WORKLOADS)) {
  if (values.only && values.only !== service) continue;
  for (const transport of ['udp', 'tcp']) {
    if (values.transport && values.transport !== transport) continue;
    const port = await freePort();
    const servers = {
      ceiling: () =>
        startServer(
          'ceiling',
          process.execPath,
          [`${ROOT}bench/lib/ceiling-server.mjs`, String(port), workload.ceilingReply],
          port,
        ),
      netkit: () =>
        startServer(
          'netkit',
          process.execPath,
          [
            NETKIT,
            'serve',
            service,
            '--listen',
            `tcp://127.0.0.1:${port}`,
            '--listen',
            `udp://127.0.0.1:${port}`,
            '--log-level',
            'warn',
            '--udp-rate',
            '0',
          ],
          port,
        ),
      lecture: () =>
        startServer(
          'lecture (Python)',
          'python3',
          [`${ROOT}bench/peers/${workload.python}`, String(port)],
          port,
        ),
    };
    const results = [];
    for (const [name, start] of Object.entries(servers))
      results.push(await measure(name, start, workload, transport, port));
    const [ceiling, netkit, lecture] = results;
    console.log(
      `\n## ${service} over ${transport.toUpperCase()} (${JSON.stringify(TRANSPORTS[transport])}, ${durationMs / 1000} s each)\n`,
    );
    console.log(resultsTable(results));
    console.log(
      `\nnetkit / ceiling = ${(netkit.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2)}; netkit / lecture = ${(netkit.requestsPerSecond / lecture.requestsPerSecond).toFixed(1)}x`,
    );
  }
}
