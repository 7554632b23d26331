// The lecture's TCP server: for each client, receive one message and answer it in upper case.
// Run: npm run build, then node examples/sockets/tcp-server.mjs [HOST] [PORT]  (port 0: any free port)
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50007'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_STREAM);
await s.bind([host, Number(port)]);
s.listen(1);
console.log(`listening on ${s.getsockname().join(':')}`);

while (true) {
  const [conn, addr] = await s.accept();
  console.log('connected by', addr);
  const data = await conn.recv(1024);
  console.log('received', data.toString());
  await conn.sendall(data.toString().toUpperCase());
  await conn.close();
}
