// The lecture's TCP client: send one message, print the server's answer.
// Run: node examples/sockets/tcp-client.mjs [HOST] [PORT] [MESSAGE]
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007', message = 'Hello, world'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_STREAM);
await s.connect([host, Number(port)]);
await s.sendall(message);
const data = await s.recv(1024);
await s.close();
console.log('received', data.toString());
