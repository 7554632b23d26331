// The lecture's time-and-date server over TCP: each client that connects gets the current
// date and time as one line (the daytime service, RFC 867), then the server closes the
// connection. One client after another: each reply is immediate.
// Run: node examples/time/time-server.mjs [HOST] [PORT]  (port 0: any free port)

import { daytimeText } from 'netkit/daytime';
import { AF_INET, SOCK_STREAM, socket } from 'netkit/socket';

const [host = '127.0.0.1', port = '50013'] = process.argv.slice(2);

const s = socket(AF_INET, SOCK_STREAM);
await s.bind([host, Number(port)]);
s.listen(5);
console.log(`listening on ${s.getsockname().join(':')}`);

while (true) {
  const [conn, addr] = await s.accept();
  console.log('connected by', addr);
  await conn.sendall(daytimeText(Date.now()));
  await conn.close();
}
