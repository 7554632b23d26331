/**
 * `netkit serve dns` reloading its zones (issue 9) as a user runs it, queried with dig: an edit
 * of the zone file is served within a second (the folder is watched), a broken edit leaves the
 * last good zone answering and logs `FILE:LINE:COLUMN: reason`, SIGHUP reloads, and with
 * `--workers 2` the primary passes SIGHUP on to both workers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { digShort } from '../helpers/dns-peers.js';
import { freePort, killNetkitProcesses, type NetkitProcess, startNetkit } from '../helpers/netkit-process.js';
import { DIG, describeWithPeers } from '../helpers/peers.js';

function zoneText(serial: number, extra: string[] = []): string {
  return [
    '$ORIGIN r.test.',
    '$TTL 60',
    `@ IN SOA ns hostmaster ${serial} 7200 3600 1209600 300`,
    '  IN NS ns',
    'ns IN A 192.0.2.1',
    'www IN A 192.0.2.2',
    ...extra,
    '',
  ].join('\n');
}

/** The JSON log lines a netkit process printed. */
function logLines(server: NetkitProcess): { msg?: string; reason?: string; pid?: number; level?: number }[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netkit-serve-dns-reload-'));
  file = join(dir, 'r.test.zone');
});

afterEach(() => {
  killNetkitProcesses();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(extra: string[] = []) {
  const port = await freePort();
  const server = await startNetkit(
    ['serve', 'dns', '--zone', file, '--listen', `udp://127.0.0.1:${port}`, '--log-level', 'info', ...extra],
    /listening on/,
  );
  return { port, server };
}

describeWithPeers('netkit serve dns reloads its zones', [DIG], () => {
  afterAll(killNetkitProcesses);

  it('serves an edit within a second, and keeps the last good zone when an edit is broken', async () => {
    writeFileSync(file, zoneText(1));
    const { port, server } = await serve();
    expect(await digShort(port, 'www.r.test', 'A')).toEqual(['192.0.2.2']);

    const edited = Date.now();
    writeFileSync(file, zoneText(2, ['new IN A 192.0.2.9']));
    await waitFor(async () => (await digShort(port, 'new.r.test', 'A')).length > 0, 3000);
    const latency = Date.now() - edited;
    console.log(`edit served after ${latency} ms`);
    expect(latency).toBeLessThan(1500);
    expect(await digShort(port, 'r.test', 'SOA')).toEqual([
      'ns.r.test. hostmaster.r.test. 2 7200 3600 1209600 300',
    ]);

    // Line 8: an address that is not one.
    writeFileSync(file, zoneText(3, ['new IN A 192.0.2.9', 'bad IN A 192.0.2.300']));
    await waitFor(() => server.output().includes(`${file}:8:`));
    expect(server.output()).toMatch(new RegExp(`"msg":"${file}:8:\\d+: [^"]+"`));
    expect(await digShort(port, 'new.r.test', 'A')).toEqual(['192.0.2.9']);
    expect(await digShort(port, 'r.test', 'SOA')).toEqual([
      'ns.r.test. hostmaster.r.test. 2 7200 3600 1209600 300',
    ]);
  }, 20_000);

  it('reloads on SIGHUP', async () => {
    writeFileSync(file, zoneText(1));
    const { port, server } = await serve();
    server.child.kill('SIGHUP');
    await waitFor(() =>
      logLines(server).some((line) => line.msg === 'zones reloaded' && line.reason === 'SIGHUP'),
    );
    // Still serving (SIGHUP did not end the process).
    expect(await digShort(port, 'www.r.test', 'A')).toEqual(['192.0.2.2']);
  }, 20_000);

  it('with --workers 2, SIGHUP to the primary reloads both workers', async () => {
    writeFileSync(file, zoneText(1));
    const { port, server } = await serve(['--workers', '2']);
    const reloads = () =>
      logLines(server).filter((line) => line.msg === 'zones reloaded' && line.reason === 'SIGHUP');
    // Both workers reload the edit, whether they saw the file change or not yet.
    writeFileSync(file, zoneText(2, ['new IN A 192.0.2.9']));
    server.child.kill('SIGHUP');
    await waitFor(() => new Set(reloads().map((line) => line.pid)).size === 2);
    expect(reloads().every((line) => line.pid !== server.child.pid)).toBe(true);
    for (let i = 0; i < 4; i++) expect(await digShort(port, 'new.r.test', 'A')).toEqual(['192.0.2.9']);
  }, 20_000);
});
