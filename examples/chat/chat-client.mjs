// The lecture's UDP chat client: sends its name, then each line typed; prints what arrives
// while you type (the lecture used a thread; here it is an async loop).
// Run: node examples/chat/chat-client.mjs NAME [HOST] [PORT]
// It also talks to `netkit serve chat` (udp://127.0.0.1:7777): node ... NAME 127.0.0.1 7777
import { createInterface } from 'node:readline';
import { AF_INET, SOCK_DGRAM, socket } from 'netkit/socket';

const [name = 'guest', host = '127.0.0.1', port = '50008'] = process.argv.slice(2);
const server = [host, Number(port)];

const s = socket(AF_INET, SOCK_DGRAM);
await s.sendto(name, server);

(async () => {
  for (;;) {
    const [data] = await s.recvfrom(2048);
    process.stdout.write(data.toString());
  }
})().catch(() => {}); // ends when the socket closes

for await (const line of createInterface({ input: process.stdin })) await s.sendto(line, server);
setTimeout(() => s.close(), 500); // stdin ended: let the last replies arrive, then stop
