// The lecture's TCP echo client: send a message and read until all of it has come back.
// Run: node examples/sockets/tcp-echo-client.mjs [HOST] [PORT] [MESSAGE]
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007', text = 'Hello, world'] = process.argv.slice(2);
const message = Buffer.from(text);

const s = socket(AF_INET, SOCK_STREAM);
await s.connect([host, Number(port)]);
await s.sendall(message);

// TCP is a byte stream: the echo may come back in several pieces.
const pieces = [];
let received = 0;
while (received < message.length) {
  const data = await s.recv(1024);
  if (data.length === 0) break; // the server closed early
  pieces.push(data);
  received += data.length;
}
await s.close();
console.log('received', Buffer.concat(pieces).toString());
