/**
 * The lecture's UDP chat (examples/chat/*.mjs), run as a student runs it: two clients
 * through the example server, and the example client against `netkit serve chat`.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killNetkitProcesses, serveNetkit } from '../helpers/netkit-process.js';
import { type Started, start, stopAll, waitForOutput } from '../socket/helpers/processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (name: string) => fileURLToPath(new URL(`../../examples/chat/${name}`, import.meta.url));

function client(name: string, port: number): Started {
  return start(process.execPath, [example('chat-client.mjs'), name, '127.0.0.1', String(port)], {
    cwd: ROOT,
  });
}

afterEach(stopAll);
afterAll(killNetkitProcesses);

describe('the lecture chat', () => {
  it('relays between two clients of the example server, each line named by its sender', async () => {
    const server = start(process.execPath, [example('chat-server.mjs'), '127.0.0.1', '0'], { cwd: ROOT });
    const [, port] = await waitForOutput(server, /listening on 127\.0\.0\.1:(\d+)/);
    const ann = client('ann', Number(port));
    await waitForOutput(server, /ann joined from/);
    const ben = client('ben', Number(port));
    await waitForOutput(ann, /^ben joined$/m);
    ann.child.stdin!.write('hi ben\n');
    await waitForOutput(ben, /^ann: hi ben$/m);
    ben.child.stdin!.write('hi ann\n');
    await waitForOutput(ann, /^ben: hi ann$/m);
    ben.child.stdin!.end();
    expect(await ben.exited).toBe(0);
    expect(ann.stdout()).not.toContain('ann: hi ben');
  });

  it('the example client chats on `netkit serve chat` over UDP', async () => {
    const { port } = await serveNetkit('chat');
    const ann = client('ann', port);
    await waitForOutput(ann, /^-- you are ann$/m);
    const ben = client('ben', port);
    await waitForOutput(ann, /#lobby -- ben joined$/m);
    ben.child.stdin!.write('hello from the lecture client\n');
    await waitForOutput(ann, /#lobby <ben> hello from the lecture client$/m);
  });
});
