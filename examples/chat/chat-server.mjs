// The lecture's UDP chat server: the first datagram from an address is the sender's name;
// every later one is relayed to everyone else as "name: text".
// Run: node examples/chat/chat-server.mjs [HOST] [PORT]  (port 0: any free port)
// For nicknames, rooms, private messages, TCP and a web page: netkit serve chat.
import { AF_INET, SOCK_DGRAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50008'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_DGRAM);
await s.bind([host, Number(port)]);
console.log(`listening on ${s.getsockname().join(':')}`);

const names = new Map(); // "host:port" -> name

async function relay(text, from) {
  for (const [key] of names) {
    const [addr, p] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
    if (key !== from) await s.sendto(`${text}\n`, [addr, p]);
  }
}

while (true) {
  const [data, addr] = await s.recvfrom(1024);
  const key = addr.join(':');
  const text = data.toString().trim();
  if (text === '') continue; // an empty datagram: a client keeping itself known
  if (!names.has(key)) {
    names.set(key, text);
    console.log(`${text} joined from ${key}`);
    await relay(`${text} joined`, key);
  } else {
    await relay(`${names.get(key)}: ${text}`, key);
  }
}
