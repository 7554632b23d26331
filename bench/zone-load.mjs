#!/usr/bin/env node
/**
 * Zone loading: a zone of ZONE_RECORDS records (default 1,000,000: A, AAAA, MX, TXT, CNAME and
 * SRV under one origin, relative owners, $TTL, a few parentheses) made in memory, parsed by
 * netkit's parseZone, and the same file checked by named-checkzone and nsd-checkzone (our
 * peers; each a process of its own, timed from spawn to exit) in the same run.
 *
 *   npm run bench:zone-load
 *   ZONE_RECORDS=200000 node bench/zone-load.mjs
 *
 * netkit's time is parseZone alone (text already in memory) and parseZone plus reading the
 * file; memory is the process's RSS and heap after the parse with the records held.
 * Not a test: numbers depend on the machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machine, table } from './lib/harness.mjs';

const dist = resolve(process.env.DNS_DIST ?? new URL('../dist', import.meta.url).pathname);
const { parseZone } = await import(pathToFileURL(`${dist}/dns/index.js`).href);
const RECORDS = Number(process.env.ZONE_RECORDS ?? 1_000_000);
const ORIGIN = 'bench.test.';

function makeZone(count) {
  const lines = [
    `$ORIGIN ${ORIGIN}`,
    '$TTL 3600',
    '@ IN SOA ns1 hostmaster ( 2024010101 7200 3600 1209600 300 )',
    '  IN NS ns1',
    'ns1 IN A 192.0.2.1',
  ];
  for (let i = 0; lines.length < count + 2; i++) {
    const host = `h${i}`;
    switch (i % 6) {
      case 0:
        lines.push(`${host} IN A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
        break;
      case 1:
        lines.push(`${host} 300 IN AAAA 2001:db8::${(i & 0xffff).toString(16)}`);
        break;
      case 2:
        lines.push(`${host} IN MX 10 mail.${host}`);
        break;
      case 3:
        lines.push(`${host} IN TXT "v=spf1 -all" "record ${i}; with a semicolon"`);
        break;
      case 4:
        lines.push(`${host} IN CNAME h${i - 4}`);
        break;
      default:
        lines.push(`_sip._tcp.${host} IN SRV ( 10 60 5060 h${i - 5} ) ; a comment`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function runPeer(program, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(program, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error) return { seconds: undefined, note: `not run: ${result.error.code}` };
  const ok = result.status === 0;
  return {
    seconds,
    note: ok
      ? 'loaded'
      : `exit ${result.status}: ${(result.stderr || result.stdout).trim().split('\n').pop()}`,
  };
}

const text = makeZone(RECORDS);
const dir = mkdtempSync(join(tmpdir(), 'netkit-zone-bench-'));
const file = join(dir, 'bench.test.zone');
writeFileSync(file, text);
try {
  global.gc?.();
  const before = process.memoryUsage();
  let started = process.hrtime.bigint();
  const zone = parseZone(text, { file });
  const parseSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = process.memoryUsage();
  const count = zone.records.length;
  started = process.hrtime.bigint();
  const again = parseZone(readFileSync(file, 'utf8'), { file });
  const readParseSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (again.records.length !== count) throw new Error('the two parses differ');

  const rows = [
    [
      'netkit parseZone (text in memory)',
      parseSeconds,
      `heap +${mb(after.heapUsed - before.heapUsed)}, RSS ${mb(after.rss)}`,
    ],
    ['netkit read file + parseZone', readParseSeconds, ''],
  ];
  const bind = runPeer('named-checkzone', ['-i', 'none', '-k', 'ignore', '-n', 'ignore', ORIGIN, file]);
  rows.push(['named-checkzone -i none (BIND)', bind.seconds, bind.note]);
  const nsd = runPeer('nsd-checkzone', [ORIGIN, file]);
  rows.push(['nsd-checkzone (NSD)', nsd.seconds, nsd.note]);

  console.log(`zone-load: ${count.toLocaleString('en')} records, ${mb(text.length)} of text; ${machine()}`);
  console.log(
    table(
      ['loader', 'seconds', 'records/s', 'x netkit', 'notes'],
      rows.map(([name, seconds, note]) => [
        name,
        seconds === undefined ? '-' : seconds.toFixed(2),
        seconds === undefined ? '-' : Math.round(count / seconds).toLocaleString('en'),
        seconds === undefined ? '-' : (seconds / parseSeconds).toFixed(2),
        note,
      ]),
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
