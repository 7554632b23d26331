#!/usr/bin/env node
/**
 * UDP echo and SNTP: requests per second and latency, against in the same run
 *   ceiling — a bare Node.js UDP socket sending a fixed reply (bench/lib/ceiling-server.mjs)
 *   peer    — the best real server here: chronyd serving NTP on a loopback port; for echo,
 *             socat (UDP-RECVFROM with fork and cat: a process per datagram, as inetd-style
 *             echo servers do; xinetd is not installed)
 * Usage: npm run build && node bench/echo-sntp.mjs [--duration 5]
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  freePort,
  machine,
  measureServer,
  NETKIT,
  ROOT,
  resultsTable,
  startServer,
  udpAnswers,
} from './lib/harness.mjs';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' } } });
const durationMs = Number(values.duration) * 1000;
const LOAD = { transport: 'udp', host: '127.0.0.1', connections: 8, window: 8, durationMs };

/** An NTP v4 client request (mode 3) with a fixed transmit timestamp. */
const sntpRequest = Buffer.alloc(48);
sntpRequest[0] = (4 << 3) | 3;
sntpRequest.writeUInt32BE(0xeb000000, 40);

function chronyConfig(port) {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-bench-chrony-'));
  chmodSync(dir, 0o777);
  const conf = join(dir, 'chrony.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bindaddress 127.0.0.1',
      'allow 127.0.0.1',
      'local stratum 8',
      'cmdport 0',
      `pidfile ${join(dir, 'pid')}`,
      `driftfile ${join(dir, 'drift')}`,
      '',
    ].join('\n'),
  );
  return conf;
}

function report(title, results) {
  console.log(
    `\n## ${title} (${LOAD.connections} sockets x ${LOAD.window} in flight, ${durationMs / 1000} s each)\n`,
  );
  console.log(resultsTable(results));
}

console.log(`# UDP echo and SNTP benchmark — ${machine()} — ${new Date().toISOString()}`);

{
  const port = await freePort();
  const echoPayload = 'hello, echo';
  const ready = () => udpAnswers(port, echoPayload);
  const load = { ...LOAD, port, requests: [echoPayload] };
  report('UDP echo', [
    await measureServer(
      'ceiling',
      () =>
        startServer(
          'ceiling',
          process.execPath,
          [`${ROOT}bench/lib/ceiling-server.mjs`, String(port), echoPayload],
          port,
          ready,
        ),
      load,
    ),
    await measureServer(
      'netkit',
      () =>
        startServer(
          'netkit',
          process.execPath,
          [
            NETKIT,
            'serve',
            'echo',
            '--listen',
            `udp://127.0.0.1:${port}`,
            '--log-level',
            'warn',
            '--udp-rate',
            '0',
          ],
          port,
          ready,
        ),
      load,
    ),
    await measureServer(
      'socat',
      () =>
        startServer('socat', 'socat', [`UDP-RECVFROM:${port},bind=127.0.0.1,fork`, 'EXEC:cat'], port, ready),
      load,
    ),
  ]);
}

{
  const port = await freePort();
  const ready = () => udpAnswers(port, sntpRequest);
  const load = { ...LOAD, port, binaryRequest: sntpRequest };
  const fixedReply = Buffer.from(sntpRequest);
  fixedReply[0] = (4 << 3) | 4;
  report('SNTP', [
    await measureServer(
      'ceiling',
      () =>
        startServer(
          'ceiling',
          process.execPath,
          [`${ROOT}bench/lib/ceiling-server.mjs`, String(port), '', fixedReply.toString('hex')],
          port,
          ready,
        ),
      load,
    ),
    await measureServer(
      'netkit',
      () =>
        startServer(
          'netkit',
          process.execPath,
          [
            NETKIT,
            'serve',
            'sntp',
            '--listen',
            `udp://127.0.0.1:${port}`,
            '--log-level',
            'warn',
            '--udp-rate',
            '0',
          ],
          port,
          ready,
        ),
      load,
    ),
    await measureServer(
      'chronyd',
      () => startServer('chronyd', 'chronyd', ['-x', '-d', '-f', chronyConfig(port)], port, ready),
      load,
    ),
  ]);
}
