// The lecture's TCP echo server: send back every byte a client sends, until it closes.
// Clients are served one after another, as in the Python original.
// Run: node examples/sockets/tcp-echo-server.mjs [HOST] [PORT]  (port 0: any free port)
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_STREAM);
await s.bind([host, Number(port)]);
s.listen(1);
console.log(`listening on ${s.getsockname().join(':')}`);

while (true) {
  const [conn, addr] = await s.accept();
  console.log('connected by', addr);
  while (true) {
    const data = await conn.recv(1024);
    if (data.length === 0) break; // the client closed its side
    await conn.sendall(data);
  }
  await conn.close();
}
