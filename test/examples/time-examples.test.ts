/**
 * The lecture's time-and-date server and client written with netkit (examples/time): the
 * client prints the server's line, and nc, as a client, gets the same line.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWithPeers, NC } from '../helpers/peers.js';
import { run, start, stopAll, waitForOutput } from '../socket/helpers/processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (name: string) => fileURLToPath(new URL(`../../examples/time/${name}`, import.meta.url));
const CTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

async function startTimeServer(): Promise<number> {
  const server = start(process.execPath, [example('time-server.mjs'), '127.0.0.1', '0'], { cwd: ROOT });
  const [, port] = await waitForOutput(server, /listening on 127\.0\.0\.1:(\d+)/);
  return Number(port);
}

afterEach(stopAll);

describe('time examples', () => {
  it('the client prints the date and time the server sends, close to now', async () => {
    const port = await startTimeServer();
    for (let i = 0; i < 2; i++) {
      const result = await run(process.execPath, [example('time-client.mjs'), '127.0.0.1', String(port)], {
        cwd: ROOT,
      });
      expect(result.code, result.stderr).toBe(0);
      const [line, parsed] = result.stdout.trim().split('\n');
      expect(line).toMatch(CTIME);
      const iso = parsed!.replace('parsed: ', '');
      expect(Math.abs(Date.parse(iso) - Date.now())).toBeLessThan(5000);
    }
  });
});

describeWithPeers('time example server with nc', [NC], () => {
  it('sends nc one line and closes', async () => {
    const port = await startTimeServer();
    const result = await run('nc', ['-N', '127.0.0.1', String(port)], { cwd: ROOT });
    expect(result.stdout).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}\r\n$/);
  });
});
