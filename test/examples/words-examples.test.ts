/**
 * The lecture's word exercise written with netkit (examples/words): the word server with
 * four clients at once, and the same server with nc as its client (it speaks plain lines).
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWithPeers, NC } from '../helpers/peers.js';
import { run, start, stopAll, waitForOutput } from '../socket/helpers/processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (name: string) => fileURLToPath(new URL(`../../examples/words/${name}`, import.meta.url));

async function startWordServer(): Promise<number> {
  const server = start(process.execPath, [example('word-server.mjs'), '127.0.0.1', '0'], { cwd: ROOT });
  const [, port] = await waitForOutput(server, /listening on 127\.0\.0\.1:(\d+)/);
  return Number(port);
}

afterEach(stopAll);

describe('word examples', () => {
  it('serves four clients at once, each getting the length and first character of its words', async () => {
    const port = await startWordServer();
    const result = await run(process.execPath, [example('four-clients.mjs'), '127.0.0.1', String(port)], {
      cwd: ROOT,
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines).toContain('client 2: naïve: 5 characters, first n');
    expect(lines).toContain('client 4: 👍🏽: 1 characters, first 👍🏽');
    expect(lines).toContain('client 3: listen: 6 characters, first l');
    // At once, not one after another: the first four replies are for four different clients.
    expect(new Set(lines.slice(0, 4).map((line) => line.slice(0, 8))).size).toBe(4);
  });
});

describeWithPeers('word example server with nc', [NC], () => {
  it('answers an nc client', async () => {
    const port = await startWordServer();
    const result = await run('nc', ['-N', '127.0.0.1', String(port)], { cwd: ROOT, input: 'hello, world\n' });
    expect(result.stdout).toBe('hello: 5 characters, first h\nworld: 5 characters, first w\n');
  });
});
